/*
 * policy: a municipality's security policy profile (docs/policy-format.md),
 * loaded from YAML and compiled into an immutable structure that answers
 * handling decisions (SPEC §3) without allocating.
 *
 * Ownership: sk_policy_load_* return a policy the caller owns and releases
 * with sk_policy_free. Every string an accessor or a decision hands out
 * (titles, labels, citations) belongs to the policy and lives until
 * sk_policy_free. A loaded policy is never modified, so one policy may be
 * shared by any number of threads.
 *
 * The vocabularies of SPEC §3 (actions, roles, safeguards, decisions) and the
 * network zones are fixed enums here; their stable names are what the JSON
 * contract and the profile files use. The classification scheme is data:
 * levels are small integers (0 = the lowest level of the axis) that only the
 * policy that produced them can name.
 */
#ifndef SK_POLICY_H
#define SK_POLICY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../core/sk_err.h"
#include "../core/sk_msg.h"

typedef struct sk_policy sk_policy;

/* --- vocabularies (values never renumbered; names are the stable strings) --- */

typedef enum sk_action {
	SK_ACT_CREATE,
	SK_ACT_ACQUIRE,
	SK_ACT_USE,
	SK_ACT_STORE,
	SK_ACT_COPY,
	SK_ACT_SEND_EMAIL,
	SK_ACT_SEND_FAX,
	SK_ACT_TAKE_OUT,
	SK_ACT_TRANSPORT,
	SK_ACT_PROVIDE_EXTERNAL,
	SK_ACT_PUBLISH,
	SK_ACT_DISPOSE,
	SK_ACT_CARRY_IN,
	SK_ACT_PROCESS_OUTSIDE,
	SK_ACT_USE_PRIVATE_DEVICE,
	SK_ACT_TAKE_HOME,
	SK_ACT_STORE_CLOUD,
	SK_ACT_STORE_FREE_CLOUD,
	SK_ACT_POST_SOCIAL_MEDIA,
	SK_ACT_INSTALL_SOFTWARE,
	SK_ACT_CONNECT_DEVICE,
	SK_ACT_CONNECT_NETWORK,
	SK_ACT__COUNT
} sk_action;

typedef enum sk_role {
	SK_ROLE_CISO,
	SK_ROLE_GENERAL_MANAGER,
	SK_ROLE_SECURITY_OFFICER,
	SK_ROLE_SECURITY_MANAGER,
	SK_ROLE_SYSTEM_MANAGER,
	SK_ROLE_SYSTEM_STAFF,
	SK_ROLE_CSIRT,
	SK_ROLE_DM_OFFICER,
	SK_ROLE_STAFF,
	SK_ROLE_CONTRACTOR,
	SK_ROLE_AUDITOR,
	SK_ROLE_CITY,
	SK_ROLE__COUNT,
	SK_ROLE_NONE = SK_ROLE__COUNT /* no role: a null approver, an unspecified actor */
} sk_role;

typedef enum sk_safeguard {
	SK_SG_ENCRYPT_OR_PASSWORD,
	SK_SG_LOCKED_CASE,
	SK_SG_RECORD,
	SK_SG_IRRECOVERABLE_ERASE,
	SK_SG_PHYSICAL_DESTRUCTION,
	SK_SG_MULTI_PERSON_CHECK,
	SK_SG_CONFIRM_RECIPIENT,
	SK_SG_BCC,
	SK_SG_FAX_NOTICE_AND_RECEIPT,
	SK_SG_VIRUS_SCAN,
	SK_SG_DOMESTIC_DATACENTER,
	SK_SG_ENCRYPTED_TRANSPORT,
	SK_SG_IP_RESTRICTION,
	SK_SG_BACKUP,
	SK_SG_LOCKED_STORAGE,
	SK_SG_LABEL,
	SK_SG_ACCESS_RESTRICTION,
	SK_SG_PRIOR_PERMISSION,
	SK_SG_DISPOSAL_CERTIFICATE,
	SK_SG__COUNT
} sk_safeguard;

/* Ordered from the most permissive to the strictest; the engine relies on it. */
typedef enum sk_decision_kind {
	SK_DEC_ALLOW,
	SK_DEC_ALLOW_WITH_SAFEGUARDS,
	SK_DEC_REQUIRE_APPROVAL,
	SK_DEC_FORBID,
	SK_DEC__COUNT
} sk_decision_kind;

typedef enum sk_zone {
	SK_ZONE_MYNUMBER,
	SK_ZONE_LGWAN,
	SK_ZONE_INTERNET,
	SK_ZONE__COUNT,
	SK_ZONE_NONE = SK_ZONE__COUNT /* zone not given */
} sk_zone;

/*
 * The asset types of SPEC §3 (the asset register's `type`). 0 is "not
 * given", so a zero-initialised input means an unknown type; the engine then
 * treats every asset_type condition as possibly true (docs/policy-format.md).
 */
typedef enum sk_asset_type {
	SK_ASSET_UNKNOWN,
	SK_ASSET_HARDWARE,
	SK_ASSET_SOFTWARE,
	SK_ASSET_MEDIA,
	SK_ASSET_FACILITY,
	SK_ASSET_DOCUMENT,
	SK_ASSET_DATA,
	SK_ASSET_NETWORK,
	SK_ASSET_SYSTEM,
	SK_ASSET__COUNT
} sk_asset_type;

/*
 * How the approvers of a rule (or of a decision) combine: one role; any one
 * of several (「A又はB」); all of them, in the listed order (「A及びB」, or
 * a request to A who consults B).
 */
typedef enum sk_approver_mode {
	SK_APPROVE_ONE,
	SK_APPROVE_ANY_OF,
	SK_APPROVE_ALL_OF,
	SK_APPROVE__COUNT
} sk_approver_mode;

#define SK_POLICY_MAX_APPROVERS 4

typedef enum sk_axis { SK_AXIS_CONF, SK_AXIS_INTEG, SK_AXIS_AVAIL, SK_AXIS__COUNT } sk_axis;

typedef enum sk_account_kind {
	SK_KIND_NORMAL,
	SK_KIND_PRIVILEGED,
	SK_KIND_SOCIAL,
	SK_KIND__COUNT
} sk_account_kind;

/*
 * Name <-> value for each vocabulary. The *_name functions return a static
 * string (NULL for an out-of-range value). The *_parse functions take a
 * NUL-terminated name and return SK_ERR_INVALID (with no message) when it is
 * not one of the vocabulary's names; callers name the bad value themselves.
 */
const char *sk_action_name(sk_action a);
sk_err sk_action_parse(const char *s, sk_action *out);
const char *sk_role_name(sk_role r);
sk_err sk_role_parse(const char *s, sk_role *out);
/*
 * The national guideline's title of role r in l (情報セキュリティ責任者,
 * "Information security officer"); NULL out of range. A person reads a role
 * through sk_policy_role_title, which prefers the profile's own title.
 */
const char *sk_role_title(sk_role r, sk_lang l);
const char *sk_safeguard_name(sk_safeguard s);
sk_err sk_safeguard_parse(const char *s, sk_safeguard *out);
const char *sk_decision_name(sk_decision_kind d);
sk_err sk_decision_parse(const char *s, sk_decision_kind *out);
const char *sk_zone_name(sk_zone z);
sk_err sk_zone_parse(const char *s, sk_zone *out);
const char *sk_axis_name(sk_axis a); /* "conf", "integ", "avail" */
/* "hardware" ... "system"; SK_ASSET_UNKNOWN has no name (NULL) and never parses. */
const char *sk_asset_type_name(sk_asset_type t);
sk_err sk_asset_type_parse(const char *s, sk_asset_type *out);
const char *sk_approver_mode_name(sk_approver_mode m); /* "one", "any_of", "all_of" */
const char *sk_account_kind_name(sk_account_kind k);
sk_err sk_account_kind_parse(const char *s, sk_account_kind *out);

/*
 * Words as people type and read them. A vocabulary's words each have their
 * stable name (the *_name functions' and JSON's), a Japanese name (the
 * 総務省 guideline's and the seeds' wording: 持ち出し, マイナンバー利用事務系,
 * ハードウェア) and other spellings in use ('|'-separated: パソコン for
 * hardware). This table is the one place they are listed.
 */
typedef struct sk_word {
	const char *name, *ja, *aliases;
} sk_word;

typedef enum sk_vocab {
	SK_VOCAB_ACTION,     /* sk_action */
	SK_VOCAB_ZONE,       /* sk_zone */
	SK_VOCAB_ASSET_TYPE, /* sk_asset_type (from SK_ASSET_HARDWARE) */
	SK_VOCAB_DECISION,   /* sk_decision_kind */
	SK_VOCAB_SAFEGUARD,  /* sk_safeguard */
	SK_VOCAB__COUNT
} sk_vocab;

/* The zones' and the asset types' words, for tables that name them (entry i: value i, i + 1). */
extern const sk_word sk_zone_words[], sk_asset_type_words[];

/* The words of v (static), *n of them; entry i is enum value *first + i. */
const sk_word *sk_vocab_words(sk_vocab v, size_t *n, int *first);
/*
 * The enum value of the word s in v, or -1: its stable name, its Japanese
 * name or another listed spelling, after folding full-width letters, digits
 * and signs to ASCII and trimming spaces (full-width ones too).
 */
int sk_vocab_find(sk_vocab v, const char *s);
/*
 * Whether s is exactly one of the '|'-separated spellings of list (an
 * sk_word's aliases, or the field schema's other headings): the one reading
 * of such a list, shared by the vocabularies and the asset import's headings.
 */
bool sk_vocab_in_aliases(const char *list, const char *s);
/* The word for value in l: its Japanese name or its stable name; NULL when out of range. */
const char *sk_vocab_label(sk_vocab v, int value, sk_lang l);
/* Appends the accepted words for a message: "create, acquire, …" or "作成（create）、…". */
void sk_vocab_list(sk_vocab v, sk_lang l, sk_buf *out);
/*
 * Records "unknown <field> '<value>'" with the list of accepted words, each
 * language with its own list (SK_M_VOCAB_UNKNOWN); returns SK_ERR_INVALID.
 */
sk_err sk_vocab_unknown(sk_vocab v, const char *field, const char *field_ja, const char *value,
                        sk_buf *err);
/*
 * The same over any table of words (the organization's unit kinds): the
 * index of s in w or -1; the list; the error, with a message id taking the
 * value and the list (two %s).
 */
int sk_words_find(const sk_word *w, size_t n, const char *s);
void sk_words_list(const sk_word *w, size_t n, sk_lang l, sk_buf *out);
sk_err sk_words_unknown(const sk_word *w, size_t n, sk_msg_id id, const char *field,
                        const char *field_ja, const char *value, sk_buf *err);
/*
 * Copies s to out (max bytes) with full-width ASCII forms (Ａ, ３, －) and
 * Roman numerals (Ⅱ) folded to ASCII, U+3000 read as a space, and leading and trailing spaces
 * dropped; returns the length written.
 */
size_t sk_vocab_fold(const char *s, char *out, size_t max);

/* --- loading --- */

/*
 * Loads and compiles the profile in the file at path. On failure returns
 * SK_ERR_INVALID (a broken profile), SK_ERR_IO (cannot read), SK_ERR_TOO_BIG
 * (over 1 MiB) or SK_ERR_NOMEM, sets *out to NULL, and appends to diag (if
 * not NULL) one line per problem found, each "PATH:LINE: message\n" (as many
 * as were found, up to a cap). Nothing is appended on success; use
 * sk_policy_advisories for warnings.
 */
sk_err sk_policy_load_file(const char *path, sk_policy **out, sk_buf *diag);

/*
 * Same as sk_policy_load_file for len bytes at data; name is what the
 * diagnostics print in place of a path. data need not be NUL-terminated and
 * is not kept.
 */
sk_err sk_policy_load_mem(const char *name, const char *data, size_t len, sk_policy **out,
                          sk_buf *diag);

/*
 * Loads one of the profiles built into the binary (policies/<name>.yaml at
 * build time). SK_ERR_NOT_FOUND with "unknown profile 'NAME'" in diag when
 * there is no such built-in profile.
 */
sk_err sk_policy_load_builtin(const char *name, sk_policy **out, sk_buf *diag);

/*
 * What --profile means everywhere: a built-in profile's name, or else a path
 * to a profile file. SK_ERR_NOT_FOUND ("unknown profile 'X'") when X is
 * neither a built-in name nor an existing file.
 */
sk_err sk_policy_open(const char *name_or_path, sk_policy **out, sk_buf *diag);

/* The names of the built-in profiles, NULL-terminated, sorted; static storage. */
const char *const *sk_policy_builtin_names(void);

/*
 * The policy version (issue #16, the policy_versions table) a policy was
 * loaded from, or 0 for one not loaded from a database (a --profile file, a
 * built-in name). Set once by the loader, before the policy is shared.
 */
void sk_policy_set_stored_version(sk_policy *p, int64_t version);
int64_t sk_policy_stored_version(const sk_policy *p);

/* Releases a policy; NULL is fine. Strings handed out by it die with it. */
void sk_policy_free(sk_policy *p);

/*
 * Appends NIST SP 800-63B-4 advisories ("FILE:LINE: advisory: ...\n") about
 * the profile's password rules to out, in the language l, and returns how
 * many there were.
 */
int sk_policy_advisories(const sk_policy *p, sk_lang l, sk_buf *out);

/* --- the city --- */

const char *sk_policy_city_id(const sk_policy *p);    /* "hachioji" */
const char *sk_policy_city_name(const sk_policy *p);  /* "八王子市" */
const char *sk_policy_city_short(const sk_policy *p); /* "八王子": citation prefix */
/* The profile's source name (a path, or "builtin:<name>"), for messages. */
const char *sk_policy_source(const sk_policy *p);

/* --- what the document is (issue #16; the profile's `document:` section) --- */

/* basic_policy, standards, designated_manager_guideline, contractor_requirements; NULL-ended. */
extern const char *const sk_policy_document_kinds[];

typedef struct sk_policy_document {
	unsigned n_kinds;     /* 0 when the profile has no document section */
	const char *kinds[4]; /* of sk_policy_document_kinds; a profile may encode two documents */
	const char *title;    /* the document's title (or city.source); may be NULL */
	const char *date;     /* as the seed dates it (or city.version); NULL when it states none */
	const char *scope;    /* whom it binds, in a sentence; NULL without a document section */
	bool is_template;     /* document.template: a starting point, not a city's adopted text */
} sk_policy_document;

/* What the profile says it is; the strings are p's. */
void sk_policy_document_of(const sk_policy *p, sk_policy_document *out);

/*
 * The text of a built-in profile (what sk_policy_load_builtin compiles):
 * static storage, NUL-terminated at len. SK_ERR_NOT_FOUND for another name.
 */
sk_err sk_policy_builtin_text(const char *name, const char **data, size_t *len);

/*
 * The differences between two valid profiles' texts, rule by rule (rules
 * matched by their id): one line per rule added, removed or changed, each
 * with the rule's action(s) and citations, then one line per other
 * top-level section whose content changed. an/bn name the two sides in
 * messages. SK_ERR_INVALID (diag names the text and line) when either text
 * is not a profile. Appends nothing when they do not differ in any rule or
 * section (comments and layout do not count).
 */
sk_err sk_policy_diff(const char *an, const char *a, size_t alen, const char *bn, const char *b,
                      size_t blen, sk_buf *out, sk_buf *diag);

/* --- classification scheme --- */

#define SK_LEVEL_UNSET       (-1) /* no level given; the engine assumes the highest */
#define SK_POLICY_MAX_LEVELS 16

const char *sk_policy_axis_title(const sk_policy *p, sk_axis axis); /* "機密性" */
/* Number of levels on the axis (>= 1); level values are 0 .. count-1, lowest first. */
int sk_policy_level_count(const sk_policy *p, sk_axis axis);
/*
 * Parses a level as the profile's scheme names it ("3", "3A") into its value,
 * or as people write it: its label ("機密性3", "重要性分類Ⅱ"), the axis title
 * before the name, full-width characters ("機密性３"). SK_ERR_INVALID (no
 * message) when the axis has no such level.
 */
sk_err sk_policy_level_parse(const sk_policy *p, sk_axis axis, const char *name, int *value);
/* The level's id ("3A") and label ("機密性3A"); NULL when value is out of range. */
const char *sk_policy_level_name(const sk_policy *p, sk_axis axis, int value);
const char *sk_policy_level_label(const sk_policy *p, sk_axis axis, int value);
/*
 * Appends the label text (分類の表示) for a level triple, e.g.
 * "機密性3、完全性2、可用性2", to buf. SK_ERR_INVALID for an out-of-range
 * level; SK_LEVEL_UNSET axes are left out of the text.
 */
sk_err sk_policy_label(const sk_policy *p, int conf, int integ, int avail, sk_buf *buf);

/* --- roles and chain of command --- */

/*
 * The role as a reader of l reads it: in Japanese the profile's title when it
 * gives one, else the national guideline's (sk_role_title); in English the
 * guideline's English title. p may be NULL; NULL only for a role out of range.
 */
const char *sk_policy_role_title(const sk_policy *p, sk_role r, sk_lang l);
/* The profile's own title for the role, or NULL when the profile does not have the role. */
const char *sk_policy_role_own_title(const sk_policy *p, sk_role r);
/* The role r reports to in the chain of command, or SK_ROLE_NONE. */
sk_role sk_policy_role_reports_to(const sk_policy *p, sk_role r);
/*
 * The roles (bits 1u << sk_role) that share a rule's `approvers: {any_of}`
 * with r (八王子 16(10)「情報セキュリティ管理者又は情報システム管理者」): a
 * request routed to one of them may be decided by a holder of r. 0 for none.
 */
uint32_t sk_policy_any_of_partners(const sk_policy *p, sk_role r);
/* --- capabilities (SPEC C4) --- */

/*
 * What a role may do through the doors, named once here: the route table,
 * the CLI and the domain's checks (src/domain/authz.h) name capabilities,
 * never roles. A profile maps roles to capabilities (`capabilities:`,
 * docs/policy-format.md); every capability it does not map keeps the
 * default table in capability.c, which is what sekisho did before profiles
 * could say so. A capability is held at a unit and covers every unit below.
 */
typedef enum sk_cap {
	SK_CAP_ASSET_READ,
	SK_CAP_ASSET_WRITE,
	SK_CAP_ORG_READ,
	SK_CAP_ORG_ADMIN,
	SK_CAP_USER_READ,
	SK_CAP_USER_ADMIN,
	SK_CAP_ROLE_GRANT,
	SK_CAP_AUDIT_READ,
	SK_CAP_AUDIT_CHECKPOINT,
	SK_CAP_METRICS_READ,
	SK_CAP_DECIDE,
	SK_CAP_REQUEST_FILE,
	SK_CAP_REQUEST_APPROVE,
	SK_CAP_INCIDENT_REPORT,
	SK_CAP_INCIDENT_HANDLE,
	SK_CAP_INCIDENT_CLOSE,
	SK_CAP_LEDGER_READ,
	SK_CAP_POLICY_READ,
	SK_CAP_POLICY_IMPORT,
	SK_CAP__COUNT
} sk_cap;

/* Every role bit (1u << sk_role). */
#define SK_ROLES_ALL ((1u << SK_ROLE__COUNT) - 1u)

const char *sk_cap_name(sk_cap c); /* "asset.read" */
sk_err sk_cap_parse(const char *s, sk_cap *out);
/* The roles (bits 1u << sk_role) granted cap by p; p NULL: the default table. */
uint32_t sk_policy_cap_roles(const sk_policy *p, sk_cap cap);
/* The capabilities (bits 1u << sk_cap) any of the roles in mask hold under p (NULL: default). */
uint32_t sk_policy_role_caps(const sk_policy *p, uint32_t roles);
/* The citations of p's mapping of cap (none for the default); *n receives their count. */
const char *const *sk_policy_cap_citations(const sk_policy *p, sk_cap cap, unsigned *n);
/*
 * The roles whose holders are privileged IDs (特権ID: system administration),
 * whose passwords and sessions follow the stricter rules: one list for the
 * whole program, as SQL text for the queries that classify accounts.
 */
#define SK_PRIVILEGED_ROLES_SQL "'system_manager', 'system_staff'"
/* Whether SK_PRIVILEGED_ROLES_SQL names r. */
bool sk_role_is_privileged(sk_role r);
/*
 * The MFA floor (issue #12, finding 9): holders of these roles need a
 * one-time code whatever the profile says; a profile may only add to it
 * (sk_policy_mfa_required). As SQL text for the query that loads an account.
 */
#define SK_MFA_FLOOR_ROLES_SQL "'ciso', 'general_manager', 'system_manager', 'auditor'"

/* The city's name for a zone, or NULL when the profile does not name it. */
const char *sk_policy_zone_title(const sk_policy *p, sk_zone z);

/* --- decisions (SPEC §3) --- */

/*
 * An action has at most 64 distinct citations; one more slot holds the
 * "(no rule; strictest applied)" note that an unknown asset type can add.
 */
#define SK_DECISION_MAX_CITATIONS 65

typedef struct sk_decide_input {
	sk_action action;
	int level[SK_AXIS__COUNT]; /* by sk_axis; SK_LEVEL_UNSET when not given */
	bool mynumber;             /* the asset holds 特定個人情報 */
	bool personal;             /* the asset holds personal information */
	sk_zone zone;              /* SK_ZONE_NONE when not given */
	sk_role actor_role;        /* SK_ROLE_NONE when not given */
	sk_asset_type asset_type;  /* SK_ASSET_UNKNOWN (0) when not given */
	/*
	 * The other end of a connection or transfer (connect_network, send_email,
	 * ...): SK_ZONE_NONE when not given, which means "no other zone is
	 * involved", so to_zone conditions do not hold.
	 */
	sk_zone to_zone;
} sk_decide_input;

/* Fills in an input with no levels, flags, zone, to_zone, type or role for action a. */
void sk_decide_input_init(sk_decide_input *in, sk_action a);

/*
 * One named value of a decision's input, as every door names it: "action",
 * "conf", "integ", "avail" (levels as the profile's scheme names them),
 * "zone", "to_zone", "asset_type", "actor_role" (SPEC §3 vocabulary), and
 * the flags "mynumber" and "personal" ("true" or "false"). The CLI's
 * options (--to-zone is "to_zone") and the API's JSON fields are the same
 * names, so one parser serves both.
 */
typedef struct sk_decide_kv {
	const char *key;
	const char *value; /* NULL: not given */
} sk_decide_kv;

/*
 * The one parser of a decision's input, shared by `sekisho decide`, POST
 * /api/v1/policy/decide and POST /api/v1/decisions: fills in from the n
 * pairs of kv, checking the vocabulary first and then the levels against
 * p's scheme. "action" is required. mynumber implies personal: 特定個人情報
 * is personal information by definition (番号法 第2条第8項), so a rule on
 * personal information applies to it through every door. SK_ERR_INVALID
 * naming the key and the bad value (an unknown key, a repeated key, a value
 * outside the vocabulary, a level the profile does not have).
 */
sk_err sk_decide_input_parse(const sk_policy *p, const sk_decide_kv *kv, size_t n,
                             sk_decide_input *in, sk_buf *err);

/* Room for the fields of a decision's JSON object and the text of its numbers. */
#define SK_DECIDE_KV_MAX 16
typedef struct sk_decide_kv_json {
	sk_decide_kv kv[SK_DECIDE_KV_MAX];
	char num[SK_DECIDE_KV_MAX][24]; /* integers written out ("3" for the level 3) */
	size_t n;
} sk_decide_kv_json;

/*
 * The members of a JSON object (a body of POST /api/v1/policy/decide, a line
 * of `decide --batch`) as the pairs sk_decide_input_parse takes: strings as
 * they are, integers in decimal, booleans "true"/"false". SK_ERR_INVALID for
 * a value of another type or more members than SK_DECIDE_KV_MAX. The pairs
 * borrow obj's strings.
 */
sk_err sk_decide_kv_from_json(json_t *obj, sk_decide_kv_json *out, sk_buf *err);

typedef struct sk_decision {
	sk_decision_kind decision;
	/*
	 * approver is the JSON's approver_role: approvers[0], the role the request
	 * goes to first (SK_ROLE_NONE for a null approver_role). approvers lists
	 * every approver of the rule that named it, in the profile's order, and
	 * approver_mode says whether one, any one or all of them must approve.
	 * n_approvers is 0 exactly when approver is SK_ROLE_NONE.
	 */
	sk_role approver;
	sk_approver_mode approver_mode;
	unsigned n_approvers;
	sk_role approvers[SK_POLICY_MAX_APPROVERS];
	uint32_t safeguards;     /* bit (1u << sk_safeguard) per safeguard */
	bool exception_possible; /* only ever true with SK_DEC_FORBID */
	/*
	 * With exception_possible: every forbid rule kept is the seed's
	 * 「…しないこと。ただし…の許可を得て」 (rule key `proviso`), so the
	 * approver's permission is an ordinary approval of the action itself, not
	 * a 例外措置. Not part of the §3 JSON; requests (C7) route by it.
	 */
	bool proviso;
	bool no_rule;         /* the profile was silent: the strictest rule was applied */
	unsigned n_citations; /* >= 1 */
	const char *citations[SK_DECISION_MAX_CITATIONS]; /* owned by the policy */
} sk_decision;

/*
 * Decides in, following the matching rules of docs/policy-format.md. Never
 * allocates and never fails for a valid input; SK_ERR_INVALID when a value in
 * in is out of range (an action, a level beyond the axis, a zone or role).
 */
sk_err sk_policy_decide(const sk_policy *p, const sk_decide_input *in, sk_decision *out);

/*
 * Appends a readable trail of the decision to out: every rule of the action,
 * whether it matched (and, if not, the first condition that failed), which
 * rules were kept and what won, in the language l (the rules' ids, levels,
 * citations and quoted articles as the profile gives them). For people, not for parsing.
 */
sk_err sk_policy_explain(const sk_policy *p, const sk_decide_input *in, sk_lang l, sk_buf *out);

/* Appends the SPEC §3 JSON object for d (one line, no newline) to out. */
sk_err sk_decision_to_json(const sk_decision *d, sk_buf *out);

/* --- the installation's policy set (issue #16, docs/policy-set.md) --- */

/* The most documents one set holds, the primary included. */
#define SK_POLICY_SET_MAX 8

/*
 * Makes primary the head of a policy set: members[i] (n of them) are the
 * installation's other documents, each applying to the units whose kind's
 * bit (1u << kind, the caller's numbering of unit kinds) is in scopes[i];
 * primary applies to primary_scope. Ownership of the members passes to
 * primary, even on failure: sk_policy_free(primary) frees them. Every
 * governs: entry naming another document's rule (KIND/RULE) is resolved
 * against the members of that kind: SK_ERR_INVALID naming the document,
 * line and rule when the rule does not exist there, shares no action, or
 * its document is not broader (only a narrower document's rule may set
 * aside a broader one's). A set replaces the one primary carried before.
 * Call before primary is shared; a set is never changed afterwards.
 */
sk_err sk_policy_set_attach(sk_policy *primary, uint32_t primary_scope, sk_policy **members,
                            const uint32_t *scopes, size_t n, sk_buf *err);
/* How many documents p's set holds (1: p alone). */
size_t sk_policy_set_count(const sk_policy *p);
/* Document i of p's set (0: p itself) and its unit kinds (UINT32_MAX alone); NULL past the end. */
const sk_policy *sk_policy_set_doc(const sk_policy *p, size_t i, uint32_t *scope);

/* A decision under every document of the set that applies to a unit. */
typedef struct sk_set_decision {
	sk_decision d; /* the combined answer, as sk_policy_decide gives one */
	/* the document (index in the set) each of d.citations comes from */
	unsigned char doc[SK_DECISION_MAX_CITATIONS];
	uint32_t docs;         /* the documents that took part (bit per index) */
	unsigned approver_doc; /* the document whose answer named the approver */
} sk_set_decision;

/*
 * Decides the input given by name (kv, as sk_decide_input_parse takes it)
 * under every document of primary's set that applies to a unit kind in
 * kinds (bits as the set's scopes; 0: the primary alone), each reading the
 * levels by its own scheme. The
 * answers combine: the strictest decision wins; an exception is possible
 * only if every forbidding document allows one; safeguards and citations
 * are united (an outright forbid: only the forbidding documents' citations,
 * no safeguards); the approver is the strictest answer's, between equally
 * strict answers the narrowest document's, then the first's. A rule set
 * aside by a narrower document's governs: takes no part; a document all of
 * whose matching rules are set aside so takes no part at all.
 * SK_ERR_INVALID naming the bad value (and, in a set, the document).
 */
sk_err sk_policy_set_decide(const sk_policy *primary, uint32_t kinds, const sk_decide_kv *kv,
                            size_t n, sk_set_decision *out, sk_buf *err);

/*
 * Appends the SPEC §3 object of d followed by "documents": one object per
 * document cited, {"citations" (of the answer's, those from it), "city",
 * "kind" (its document kinds), "primary", "title", "version" (the stored
 * policy version, or null)}: which document and article each rule came from.
 */
sk_err sk_policy_set_decision_to_json(const sk_policy *primary, const sk_set_decision *d,
                                      sk_buf *out);
/*
 * Appends only the "documents" array, its objects' keys in sorted order;
 * compact (no spaces) makes it canonical JSON, for the audit image.
 */
sk_err sk_policy_set_documents_json(const sk_policy *primary, const sk_set_decision *d,
                                    bool compact, sk_buf *out);

/* --- passwords, lockout, sessions, MFA --- */

enum {
	SK_PWCLASS_UPPER = 1u << 0,
	SK_PWCLASS_LOWER = 1u << 1,
	SK_PWCLASS_DIGIT = 1u << 2,
	SK_PWCLASS_SYMBOL = 1u << 3,
};

/*
 * One account kind's rules, with keys absent from privileged/social already
 * inherited from normal. A value of 0 means "the profile states no rule".
 */
typedef struct sk_password_rules {
	int min_length;         /* code points */
	int max_length;         /* code points; 0 = no maximum */
	unsigned require;       /* SK_PWCLASS_* bits that must all be present */
	int min_classes;        /* at least this many of the four classes */
	int history;            /* no reuse of the last N passwords */
	int rotation_days;      /* reminder only */
	bool rotation_required; /* the seed requires rotation; rotation_days may be 0 (no interval)
	                         */
	bool temporary_must_change;
	int lockout_threshold; /* failed attempts */
	int lockout_minutes;   /* 0 with a threshold = until unlocked by an administrator */
	int session_idle_minutes;
	int session_absolute_minutes;
	int max_connection_minutes; /* privileged IDs: limited connection time */
	bool mfa;
	int min_holders; /* privileged only: an ID is granted to at least this many people */
	unsigned n_citations;
	const char *const *citations;
} sk_password_rules;

/* The rules for kind; never NULL (all zero when the profile has no password section). */
const sk_password_rules *sk_policy_password_rules(const sk_policy *p, sk_account_kind kind);

/*
 * The least number of people a privileged ID must be granted to (八王子 14(5)
 * 「二人以上の者に付与」), or 0 when the profile states no such rule. The
 * auth module refuses to leave a privileged ID with fewer holders.
 */
int sk_policy_privileged_min_holders(const sk_policy *p);

/* True when logging in as kind into zone needs MFA (zone may be SK_ZONE_NONE). */
bool sk_policy_mfa_required(const sk_policy *p, sk_account_kind kind, sk_zone zone);

/* Violation bits of sk_policy_password_check; the names are the stable ids. */
typedef enum sk_pw_violation {
	SK_PWV_MIN_LENGTH,
	SK_PWV_MAX_LENGTH,
	SK_PWV_REQUIRE_UPPER,
	SK_PWV_REQUIRE_LOWER,
	SK_PWV_REQUIRE_DIGIT,
	SK_PWV_REQUIRE_SYMBOL,
	SK_PWV_MIN_CLASSES,
	SK_PWV_COMMON_PASSWORD,
	SK_PWV_INVALID_UTF8,
	SK_PWV_CONTROL_CHARACTER,
	SK_PWV_CONTEXT_WORD, /* the login, the city's name or the product's, or a variant of one */
	SK_PWV__COUNT
} sk_pw_violation;

const char *sk_pw_violation_name(sk_pw_violation v); /* "min_length", ... */

/*
 * The floor under every profile's password rules, after NIST SP 800-63B-4
 * 3.1.1.2. A profile may ask for more; it can never make a password pass
 * that the floor refuses, and a profile with no password section still has
 * the floor. The floor refuses:
 * - fewer than SK_PW_FLOOR_MIN code points, or SK_PW_FLOOR_MIN_SINGLE for a
 *   privileged ID that signs in without a second factor (min_length);
 * - a password in the common-password list, compared case-insensitively,
 *   or a usual variant of one: leading or trailing digits and symbols
 *   added ("password123", "Password1!", "!dragon"), letters written as
 *   digits or symbols ("p@ssw0rd", "l3tm31n") (common_password);
 * - the account's login, the city's id or name, or "sekisho", or a variant
 *   of one as above (context_word);
 * - bytes that are not UTF-8 and control characters.
 */
#define SK_PW_FLOOR_MIN        8
#define SK_PW_FLOOR_MIN_SINGLE 15
#define SK_PW_FLOOR_CITATION   "NIST SP 800-63B-4 3.1.1.2"

/* Whom a password is for: what the floor needs to know beyond the kind. */
typedef struct sk_pw_subject {
	sk_account_kind kind;
	const char *login; /* the account's login, or NULL when there is none yet */
	bool mfa;          /* the account cannot sign in without a second factor */
} sk_pw_subject;

/* What refused a password: sk_pw_violation bits (1u << v) for each source. */
typedef struct sk_pw_verdict {
	uint32_t profile; /* the profile's rules for the kind */
	uint32_t floor;   /* the floor (the common-password list is part of it) */
} sk_pw_verdict;

/*
 * Checks the len bytes of pw against the profile's rules for who->kind and
 * against the floor, and fills *out; both sets empty means the password is
 * acceptable. History is not checked here (it needs the account's stored
 * hashes). Returns SK_ERR_IO with a message when the common-password list
 * cannot be read: a password is never accepted unchecked. pw is not kept
 * or logged.
 */
sk_err sk_policy_password_verdict(const sk_policy *p, const sk_pw_subject *who, const char *pw,
                                  size_t len, sk_pw_verdict *out, sk_buf *err);

/*
 * sk_policy_password_verdict for an account not known yet: no login, and a
 * second factor only where the profile requires one for kind in every zone.
 * *violations is the union of both sources' bits.
 */
sk_err sk_policy_password_check(const sk_policy *p, sk_account_kind kind, const char *pw,
                                size_t len, uint32_t *violations, sk_buf *err);

/*
 * The least length the floor asks of who's password, in code points:
 * SK_PW_FLOOR_MIN_SINGLE for a privileged ID without a second factor,
 * SK_PW_FLOOR_MIN otherwise.
 */
int sk_policy_password_floor_min(const sk_pw_subject *who);

/*
 * Appends to out what refused a password, for an error message: "breaks
 * the hachioji profile's rules: min_length, require_upper" and/or "breaks
 * the floor under every profile (NIST SP 800-63B-4 3.1.1.2): common_password".
 * Appends nothing when v refuses nothing.
 */
void sk_policy_password_explain(const sk_policy *p, const sk_pw_verdict *v, sk_buf *out);

/*
 * The common-password list: Debian john-data's password.lst by default.
 * Tests may point it elsewhere before the first check; not thread-safe
 * against concurrent checks.
 */
#define SK_POLICY_COMMON_PASSWORDS "/usr/share/john/password.lst"
void sk_policy_set_common_password_list(const char *path);

/* --- retention and checklist --- */

typedef struct sk_retention {
	const char *id;   /* "mynumber_records" */
	const char *what; /* the seed's wording */
	int days;         /* for years: 366 * years, never shorter than the calendar period */
	int years;        /* as written, or 0 when the profile gave days */
	/*
	 * The seed requires the record but states no period (`period:
	 * unspecified`); days and years are then 0. Callers must keep such
	 * records (deny by default: never delete them automatically).
	 */
	bool unspecified;
	unsigned n_citations;
	const char *const *citations;
} sk_retention;

size_t sk_policy_retention_count(const sk_policy *p);
const sk_retention *sk_policy_retention_at(const sk_policy *p, size_t i);
/* The entry with this id, or NULL. */
const sk_retention *sk_policy_retention_find(const sk_policy *p, const char *id);

typedef struct sk_checklist_item {
	const char *id;
	const char *section;
	const char *text;
	sk_role answered_by;
	unsigned n_citations;
	const char *const *citations;
} sk_checklist_item;

size_t sk_policy_checklist_count(const sk_policy *p);
const sk_checklist_item *sk_policy_checklist_at(const sk_policy *p, size_t i);

/* --- the profile-wide exception route (例外措置) --- */

/*
 * A seed may let one role permit departures from any of its rules (成田 基準
 * 6(5)①: 例外措置 with the CISO's permission), and let an emergency
 * departure be reported to that role afterwards (6(5)②). This is a
 * procedure (request routing, C7), not a decision: sk_policy_decide never
 * looks at it, so a rule's own answer (including exception_possible) is
 * exactly what the seed says for that rule.
 */
typedef struct sk_exception_route {
	sk_role approver;       /* who may permit a departure */
	bool report_afterwards; /* an emergency departure is reported to approver afterwards */
	const char *note;       /* the seed's wording, or NULL */
	unsigned n_citations;
	const char *const *citations;
} sk_exception_route;

/* The profile's exception route, or NULL when it states none. */
const sk_exception_route *sk_policy_exception_route(const sk_policy *p);

/*
 * Separation of duties: the roles (bits 1u << sk_role) one account may not
 * hold together with r. The floor is built in and every profile has it: an
 * auditor holds no administrative, system or response role (the national
 * guideline: 監査実施者は被監査部門から独立した者); a profile's
 * `separation:` section may only add pairs, each cited. Symmetric: if a
 * excludes b, b excludes a. p NULL: the floor.
 */
uint32_t sk_policy_role_excludes(const sk_policy *p, sk_role r);
/* The citations of the profile's entries that exclude a from b (none for the floor). */
const char *const *sk_policy_separation_citations(const sk_policy *p, sk_role a, sk_role b,
                                                  unsigned *n);
/* --- incidents (C8): the reporting chain (事故等の報告) --- */

/*
 * How serious an incident is. The seeds grade their deadlines by words
 * (「直ちに」「速やかに」), not by severity; a profile maps a word to hours per
 * severity and says so. A report that names none is high: the strictest
 * deadline applies, as everywhere a value is not given.
 */
typedef enum sk_severity { SK_SEV_HIGH, SK_SEV_MEDIUM, SK_SEV_LOW, SK_SEV__COUNT } sk_severity;

const char *sk_severity_name(sk_severity s); /* "high", "medium", "low" */
sk_err sk_severity_parse(const char *s, sk_severity *out);

#define SK_INCIDENT_MAX_STEPS 8
#define SK_INCIDENT_DUE_MAX   8784 /* hours: one leap year */

/* One step of the chain: the role the report reaches, and within how long. */
typedef struct sk_incident_step {
	sk_role role;
	/*
	 * Hours within which the report must reach this role, counted from the
	 * discovery (the first step) or from the moment the previous step
	 * received it; 0 where the seed sets no deadline for that severity.
	 */
	int due_hours[SK_SEV__COUNT];
	const char *word; /* the seed's wording the hours were mapped from, or NULL */
	unsigned n_citations;
	const char *const *citations;
} sk_incident_step;

typedef struct sk_incident_route {
	unsigned n_steps; /* >= 1 */
	sk_incident_step steps[SK_INCIDENT_MAX_STEPS];
	uint32_t informed; /* roles (1u << sk_role) told of every report (the CSIRT) */
	unsigned n_informed_citations;
	const char *const *informed_citations;
	sk_role closer; /* the one role that may close an incident */
	unsigned n_close_citations;
	const char *const *close_citations;
	/* The profile has no `incidents:` section: this is the default stated in code. */
	bool is_default;
} sk_incident_route;

/*
 * The profile's incident chain; never NULL: a profile without the section
 * (and a NULL p) gets the default of profile.c, flagged is_default, which
 * `policy coverage` reports.
 */
const sk_incident_route *sk_policy_incident_route(const sk_policy *p);

/*
 * Appends one line per step of the chain, the informed roles and the
 * closing role, for `policy check`: what the profile's section says, in the
 * language l (roles by the profile's titles in Japanese, citations as given).
 */
sk_err sk_policy_incident_describe(const sk_policy *p, sk_lang l, sk_buf *out);

/* --- a template's open questions (`decide:`; docs/policy-template.md) --- */

/*
 * One thing a city must still decide before a template is its own: an entry
 * of the top-level `decide:` list, or a rule carrying `decide:`. The strings
 * belong to the profile; citations name the articles to read.
 */
typedef struct sk_policy_question {
	const char *id;   /* the entry's id, or the rule's id */
	const char *what; /* the question, in the profile's words */
	const char *rule; /* the rule it is about, or NULL for a top-level entry */
	int line;         /* where the profile says it */
	unsigned n_citations;
	const char *const *citations;
} sk_policy_question;

/* One rule as the profile states it, for callers that list or check rules. */
typedef struct sk_policy_rule_info {
	const char *id;
	int line;
	bool inferred;      /* the seed does not state it (its citations say "(inferred)") */
	const char *decide; /* a template's open question about it, or NULL */
	unsigned n_citations;
	const char *const *citations; /* as printed in decisions */
} sk_policy_rule_info;

/* How many rules p has; sk_policy_rule_at fills *out for the i-th (file order), false past the end.
 */
size_t sk_policy_rule_count(const sk_policy *p);
bool sk_policy_rule_at(const sk_policy *p, size_t i, sk_policy_rule_info *out);

/* How many open questions p has: top-level entries first, then rules in file order. */
size_t sk_policy_question_count(const sk_policy *p);

/* The i-th open question (0-based) into *out; false past the end. */
bool sk_policy_question_at(const sk_policy *p, size_t i, sk_policy_question *out);

/*
 * Appends one line per open question, "SOURCE:LINE: decide: ID: WHAT [cites]",
 * for `policy check`; returns how many. Not an error: a template is valid.
 */
int sk_policy_questions_describe(const sk_policy *p, sk_buf *out);

/* --- coverage and export --- */

/*
 * Appends the coverage report to out: the articles some rule, role, level,
 * password kind, retention entry or checklist item cites, those marked out
 * of scope, and those nothing encodes. json selects a JSON object
 * {"city", "articles": n, "encoded": [...], "out_of_scope": [...],
 * "not_encoded": [...], "unstated_periods": [...], "incidents_default",
 * "template": bool, "to_decide": [{"id", "what", "rule", "citations"}]} over
 * plain text, which lists the open questions only when there are some or the
 * profile is a template. The text's summary and headings are in the language l.
 */
sk_err sk_policy_coverage(const sk_policy *p, bool json, sk_lang l, sk_buf *out);

/*
 * Appends, one line per set of inputs, every input (action, levels, personal
 * data, zone, other end, asset type, actor role) the profile answers with
 * "<city> (no rule; strictest applied)", with that answer: `policy coverage
 * --silent`, committed as docs/policy-silent/<city>.txt. Stable order.
 */
sk_err sk_policy_silent(const sk_policy *p, sk_buf *out);

/* Appends the profile as an OSCAL 1.1.2 catalog (JSON) to out. */
sk_err sk_policy_export_oscal(const sk_policy *p, sk_buf *out);

#endif
