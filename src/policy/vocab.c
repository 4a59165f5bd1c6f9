/*
 * vocab: the fixed vocabularies of SPEC §3 (actions, roles, safeguards,
 * decisions) and of sekisho (zones, axes, account kinds, password
 * violations) as name tables. The enum order in policy.h is the table order.
 */
#include <string.h>

#include "policy.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const action_names[] = {
    "create",
    "acquire",
    "use",
    "store",
    "copy",
    "send_email",
    "send_fax",
    "take_out",
    "transport",
    "provide_external",
    "publish",
    "dispose",
    "carry_in",
    "process_outside",
    "use_private_device",
    "take_home",
    "store_cloud",
    "store_free_cloud",
    "post_social_media",
    "install_software",
    "connect_device",
    "connect_network",
};
_Static_assert(N(action_names) == SK_ACT__COUNT, "one name per action");

static const char *const role_names[] = {
    "ciso",
    "general_manager",
    "security_officer",
    "security_manager",
    "system_manager",
    "system_staff",
    "csirt",
    "dm_officer",
    "staff",
    "contractor",
    "auditor",
    "city",
};
_Static_assert(N(role_names) == SK_ROLE__COUNT, "one name per role");

static const char *const safeguard_names[] = {
    "encrypt_or_password",
    "locked_case",
    "record",
    "irrecoverable_erase",
    "physical_destruction",
    "multi_person_check",
    "confirm_recipient",
    "bcc",
    "fax_notice_and_receipt",
    "virus_scan",
    "domestic_datacenter",
    "encrypted_transport",
    "ip_restriction",
    "backup",
    "locked_storage",
    "label",
    "access_restriction",
    "prior_permission",
    "disposal_certificate",
};
_Static_assert(N(safeguard_names) == SK_SG__COUNT, "one name per safeguard");

static const char *const decision_names[] = {
    "allow",
    "allow_with_safeguards",
    "require_approval",
    "forbid",
};
_Static_assert(N(decision_names) == SK_DEC__COUNT, "one name per decision");

static const char *const zone_names[] = {"mynumber", "lgwan", "internet"};
_Static_assert(N(zone_names) == SK_ZONE__COUNT, "one name per zone");

static const char *const axis_names[] = {"conf", "integ", "avail"};
_Static_assert(N(axis_names) == SK_AXIS__COUNT, "one name per axis");

static const char *const kind_names[] = {"normal", "privileged", "social"};
_Static_assert(N(kind_names) == SK_KIND__COUNT, "one name per account kind");

static const char *const violation_names[] = {
    "min_length",    "max_length",        "require_upper", "require_lower",
    "require_digit", "require_symbol",    "min_classes",   "common_password",
    "invalid_utf8",  "control_character", "context_word",
};
_Static_assert(N(violation_names) == SK_PWV__COUNT, "one name per violation");

static const char *name_at(const char *const *t, size_t n, int v)
{
	return v >= 0 && (size_t)v < n ? t[v] : NULL;
}

static sk_err parse_in(const char *const *t, size_t n, const char *s, int *out)
{
	if (!s)
		return SK_ERR_INVALID;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i], s) == 0) {
			*out = (int)i;
			return SK_OK;
		}
	}
	return SK_ERR_INVALID;
}

/* NOLINTBEGIN(bugprone-macro-parentheses): type is a type name */
#define VOCAB(fname, pname, type, table)                                                           \
	const char *fname(type v) { return name_at(table, N(table), (int)v); }                     \
	sk_err pname(const char *s, type *out)                                                     \
	{                                                                                          \
		int v;                                                                             \
		sk_err rc = parse_in(table, N(table), s, &v);                                      \
		if (rc == SK_OK)                                                                   \
			*out = (type)v;                                                            \
		return rc;                                                                         \
	}

VOCAB(sk_action_name, sk_action_parse, sk_action, action_names)
VOCAB(sk_role_name, sk_role_parse, sk_role, role_names)
VOCAB(sk_safeguard_name, sk_safeguard_parse, sk_safeguard, safeguard_names)
VOCAB(sk_decision_name, sk_decision_parse, sk_decision_kind, decision_names)
VOCAB(sk_zone_name, sk_zone_parse, sk_zone, zone_names)
VOCAB(sk_account_kind_name, sk_account_kind_parse, sk_account_kind, kind_names)
/* NOLINTEND(bugprone-macro-parentheses) */

const char *sk_axis_name(sk_axis a) { return name_at(axis_names, N(axis_names), (int)a); }

const char *sk_pw_violation_name(sk_pw_violation v)
{
	return name_at(violation_names, N(violation_names), (int)v);
}

/* Index 0 is SK_ASSET_UNKNOWN, which has no name and never parses. */
static const char *const asset_type_names[] = {
    NULL, "hardware", "software", "media", "facility", "document", "data", "network", "system",
};
_Static_assert(N(asset_type_names) == SK_ASSET__COUNT, "one name per asset type");

const char *sk_asset_type_name(sk_asset_type t)
{
	return name_at(asset_type_names, N(asset_type_names), (int)t);
}

sk_err sk_asset_type_parse(const char *s, sk_asset_type *out)
{
	int v;
	sk_err rc = parse_in(asset_type_names + 1, N(asset_type_names) - 1, s, &v);
	if (rc == SK_OK)
		*out = (sk_asset_type)(v + 1);
	return rc;
}

static const char *const approver_mode_names[] = {"one", "any_of", "all_of"};
_Static_assert(N(approver_mode_names) == SK_APPROVE__COUNT, "one name per approver mode");

const char *sk_approver_mode_name(sk_approver_mode m)
{
	return name_at(approver_mode_names, N(approver_mode_names), (int)m);
}
