/*
 * policy_int: the compiled form of a profile, shared by the files of
 * src/policy only (profile.c builds it; decide.c, password.c, coverage.c and
 * oscal.c read it). Nothing outside src/policy includes this header.
 */
#ifndef SK_POLICY_INT_H
#define SK_POLICY_INT_H

#include <string.h>

#include "../core/sk_arena.h"
#include "../core/sk_json.h"
#include "policy.h"

#define SK_POLICY_MAX_BYTES    (1u << 20)
#define SK_POLICY_MAX_ARTICLES 2000
#define SK_POLICY_MAX_RULES    2000
#define SK_POLICY_MAX_ITEMS    2000 /* checklist items, retention entries */
#define SK_POLICY_MAX_STRING   4096
#define SK_POLICY_MAX_CITES    64 /* per rule */
#define SK_POLICY_ACTION_CITES 64 /* distinct citations per action (bits of a uint64_t) */
#define SK_POLICY_MAX_GOVERNS  64 /* rules one rule's governs: may name */

/* --- the YAML tree (yaml_tree.c): scalars are NUL-terminated, lines 1-based --- */

typedef enum { SK_YN_SCALAR, SK_YN_MAP, SK_YN_SEQ } sk_ynode_type;

typedef struct sk_ynode sk_ynode;
struct sk_ynode {
	sk_ynode_type type;
	int line;
	const char *s; /* scalar text */
	size_t len;    /* scalar length; item count for MAP (pairs) and SEQ */
	/* SEQ: items; MAP: keys[i] is a scalar, vals[i] its value */
	sk_ynode **items;
	sk_ynode **keys;
	sk_ynode **vals;
};

/*
 * Parses one YAML document of len bytes into a tree allocated from a. On a
 * syntax error (or an anchor, alias, tag, complex key, second document)
 * appends "name:LINE: message\n" to diag and returns SK_ERR_INVALID.
 */
sk_err sk_yaml_parse(const char *name, const char *data, size_t len, sk_arena *a, sk_ynode **out,
                     sk_buf *diag);

/* The value of key in map, or NULL (map NULL or not a MAP, or no such key). */
const sk_ynode *sk_ynode_get(const sk_ynode *map, const char *key);

/* --- the compiled profile --- */

typedef struct sk_article {
	const char *id;
	const char *title;
	const char *chapter;
	const char *citation;          /* "八王子 7(3)" or cite_as */
	const char *citation_inferred; /* citation + " (inferred)" */
	const char *out_of_scope;      /* reason, or NULL */
	int line;
	bool cited; /* by anything in the profile (coverage) */
} sk_article;

/* One open question of a template (top-level `decide:`). */
typedef struct sk_open_item {
	const char *id;
	const char *what;
	int line;
	unsigned n_cites;
	const char **cites;
} sk_open_item;

typedef struct sk_chapter {
	const char *id;
	const char *title;
} sk_chapter;

typedef struct sk_cond {
	uint32_t level_mask[SK_AXIS__COUNT]; /* allowed levels; bit n = level n */
	uint32_t zone_mask; /* allowed zones, bit SK_ZONE_NONE included when free */
	uint32_t role_mask; /* allowed actor roles, bit SK_ROLE_NONE when free */
	/*
	 * Allowed asset types. Under when: bit SK_ASSET_UNKNOWN is set too, and
	 * under unless: it is not, so an unknown type keeps every type-conditioned
	 * rule in play (the strict reading).
	 */
	uint32_t type_mask;
	uint32_t to_zone_mask; /* allowed other ends; bit SK_ZONE_NONE only when free */
	int8_t mynumber;       /* -1: any; 0/1: must be false/true */
	int8_t personal;
	unsigned nkeys; /* how many conditions were written */
} sk_cond;

/*
 * A governs: entry naming a rule of another document of the installation's
 * policy set ("standards/rule-id"): kind and rule point into ref.
 */
typedef struct sk_xgov {
	const char *ref;  /* as written: KIND/RULE */
	const char *kind; /* one of sk_policy_document_kinds */
	const char *rule; /* the rule's id in that document */
	int line;
} sk_xgov;

typedef struct sk_rule {
	const char *id;
	int line;
	uint32_t actions; /* bit per sk_action */
	sk_decision_kind decision;
	sk_role approver; /* approvers[0], or SK_ROLE_NONE if none */
	sk_approver_mode approver_mode;
	unsigned n_approvers;
	sk_role approvers[SK_POLICY_MAX_APPROVERS];
	uint32_t safeguards;
	bool exception;
	bool proviso; /* the seed's 「…しないこと。ただし…の許可を得て」 (with exception) */
	bool inferred;
	bool has_unless;
	int priority;
	sk_cond when;
	sk_cond unless;
	const char *note;
	const char *decide; /* a template's open question about this rule, or NULL */
	unsigned n_cites;
	const char **cites;  /* printed citation strings */
	unsigned *cite_arts; /* article index per citation (coverage, OSCAL) */
	/*
	 * governs: the rules this one sets aside when both match (its article
	 * speaks of the narrower subject). Acyclic, checked at load.
	 */
	unsigned n_governs;
	const struct sk_rule **governs;
	/* governs: entries naming another document's rules, resolved by the policy set (set.c) */
	unsigned n_xgoverns;
	sk_xgov *xgoverns;
} sk_rule;

/* One rule as seen from one action: the citation bits are local to the action. */
typedef struct sk_action_rule {
	const sk_rule *rule;
	uint64_t cite_mask;
	unsigned n_governs;
	/*
	 * The actors the rule can hold for: bit per sk_role, bit SK_ROLE_NONE for
	 * a question with no actor. The silent answer leaves out a rule that
	 * binds other actors only (新潟's 別記 binds the contractor, not staff).
	 */
	uint32_t admits;
	const uint16_t *governs; /* the rules it governs, as indexes into the action's table */
} sk_action_rule;

typedef struct sk_action_table {
	unsigned n_rules;
	sk_action_rule *rules; /* file order */
	bool uniform_priority;
	bool has_governs; /* some rule of the action governs another (slower path) */
	unsigned n_cites;
	const char **cites; /* the action's distinct citations, in order of first use */
	/*
	 * The answer when no rule matches, by the asking actor's role (index
	 * SK_ROLE_NONE: no actor given): the strictest of the action's rules that
	 * can hold for that actor, or a flat forbid when none can. Roles with the
	 * same answer share one (in the arena).
	 */
	const sk_decision *fallback[SK_ROLE__COUNT + 1];
	/* the strictest decision among those rules, or -1 when there are none */
	int fallback_top[SK_ROLE__COUNT + 1];
} sk_action_table;

typedef struct sk_level {
	const char *id;
	const char *label;
	const char *description;
	unsigned n_cites;
	const char **cites;
} sk_level;

typedef struct sk_axis_def {
	const char *title;
	int n_levels;
	sk_level levels[SK_POLICY_MAX_LEVELS];
} sk_axis_def;

typedef struct sk_role_def {
	const char *title;
	const char *duties;
	sk_role reports_to;
	unsigned n_cites;
	const char **cites;
} sk_role_def;

typedef struct sk_pw_lines {
	int section, require, min_classes, rotation_days, min_length, max_length, mfa, min_holders;
	bool set_require, set_min_classes, set_rotation, set_min_length, set_max_length;
} sk_pw_lines;

struct sk_policy {
	sk_arena arena;
	const char *source;
	const char *city_id, *city_name, *city_short, *city_source, *city_version;
	/* document: (issue #16), metadata only */
	const char *doc_kinds[4];
	unsigned n_doc_kinds;
	const char *doc_title, *doc_date, *doc_scope;
	bool doc_template; /* document.template: a starting point the city makes its own */
	/* top-level decide: the template's open questions not tied to one rule */
	size_t n_open;
	struct sk_open_item *open;
	int64_t stored_version; /* the policy_versions row it came from; 0: none */
	/*
	 * set.c's "documents" object for this document, its members that never
	 * change rendered once at load ([0] spaced, [1] compact): from the
	 * citations' closing bracket to "primary"'s colon, and from "title"'s
	 * comma to "version"'s colon. NULL: rendered on each call instead.
	 */
	const char *docs_json_mid[2], *docs_json_title[2];
	const char *no_rule_citation; /* "<short> (no rule; strictest applied)" */
	size_t n_articles;
	sk_article *articles;
	size_t n_chapters;
	sk_chapter *chapters;
	sk_axis_def axes[SK_AXIS__COUNT];
	const char *label_separator;
	sk_role_def roles[SK_ROLE__COUNT];
	bool has_role[SK_ROLE__COUNT];
	const char *zone_titles[SK_ZONE__COUNT];
	size_t n_rules;
	sk_rule *rules;
	sk_action_table actions[SK_ACT__COUNT];
	bool has_passwords;
	sk_password_rules pw[SK_KIND__COUNT];
	sk_pw_lines pw_lines[SK_KIND__COUNT];
	bool pw_kind_written[SK_KIND__COUNT];
	bool has_exception_route; /* beside the other flags: the struct packs tighter */
	bool has_incidents;
	uint32_t mfa_zones;
	unsigned mfa_n_cites;
	const char **mfa_cites;
	size_t n_retention;
	sk_retention *retention;
	size_t n_checklist;
	sk_checklist_item *checklist;
	/* capabilities: the roles granted each, and where the profile says so */
	bool cap_given[SK_CAP__COUNT];
	uint32_t cap_roles[SK_CAP__COUNT];
	unsigned cap_n_cites[SK_CAP__COUNT];
	const char **cap_cites[SK_CAP__COUNT];
	/* separation: the pairs the profile adds to the floor, and where it says so */
	uint32_t sep_excludes[SK_ROLE__COUNT];
	unsigned sep_n_cites[SK_ROLE__COUNT];
	const char **sep_cites[SK_ROLE__COUNT];
	sk_exception_route exception_route;
	sk_incident_route incidents;
	/* the installation's other documents, when this is its primary (set.c); owned */
	struct sk_pset *set;
};

/* set.c: frees the set p carries, if any (sk_policy_free calls it). */
void sk_policy_set_release(sk_policy *p);

/*
 * decide.c, for the policy set: the rules of p's table for in->action that
 * are kept for in (matching at the highest priority, not set aside by
 * another kept rule of p), one bit per index of the action's table.
 * SK_ERR_INVALID for an input out of range.
 */
#define SK_RULE_WORDS ((SK_POLICY_MAX_RULES + 63) / 64)
sk_err sk_policy_kept_rules(const sk_policy *p, const sk_decide_input *in, uint64_t *kept);
/*
 * sk_policy_decide with the rules of the action's table whose bits are set
 * in aside (NULL: none) set aside as well, by another document's rules.
 * *silenced is true when rules matched but every one was set aside so: the
 * document then takes no part in the answer (*out is not filled).
 */
sk_err sk_policy_decide_aside(const sk_policy *p, const sk_decide_input *in, const uint64_t *aside,
                              sk_decision *out, bool *silenced);

/* set.c: renders p's fixed members of the documents JSON once (docs_json_mid, _title). */
sk_err sk_policy_docs_json_prepare(sk_policy *p);

/* decide.c: builds the per-action tables once all rules are loaded. */
sk_err sk_policy_compile_actions(sk_policy *p, sk_buf *diag);

/*
 * Appends the NUL-terminated s as a JSON string (quoted, escaped) to out,
 * through core's one escaper; SK_ERR_INVALID if s is not UTF-8 (a loaded
 * profile's strings always are).
 */
static inline sk_err sk_policy_json_str(sk_buf *out, const char *s)
{
	return sk_json_add_str(out, s, strlen(s));
}

/* The built-in profiles (builtin_profiles.c, generated at build time). */
extern const char *const sk_builtin_profile_names[];
extern const unsigned char *const sk_builtin_profile_data[];
extern const size_t sk_builtin_profile_lens[];
extern const size_t sk_builtin_profiles_count;

#endif
