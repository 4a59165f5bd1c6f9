/*
 * capability: the capability names and the default role → capability table
 * (policy.h). A profile's `capabilities:` section replaces the default row
 * of each capability it names (profile.c); the others keep these rows.
 */
#include <stdio.h>
#include <string.h>

#include "policy_int.h"

#define R(x) (1u << (x))
#define ANY  SK_ROLES_ALL
/* The posts that answer for the city's security as a whole (総務省ガイドライン 2.(1)). */
#define ADMINS (R(SK_ROLE_CISO) | R(SK_ROLE_GENERAL_MANAGER))
/* The chiefs of the line: CISO down to the section's 情報セキュリティ管理者 and the system manager.
 */
#define CHIEFS                                                                                     \
	(ADMINS | R(SK_ROLE_SECURITY_OFFICER) | R(SK_ROLE_SECURITY_MANAGER) |                      \
	 R(SK_ROLE_SYSTEM_MANAGER))
/* Every person: the municipality as 甲 (contract documents) acts through no account. */
#define PEOPLE (ANY & ~R(SK_ROLE_CITY))

static const struct {
	const char *name;
	uint32_t roles; /* the default */
} caps[] = {
    /* Anyone with a role reads the assets of the units in scope (他課室の情報資産は見えない). */
    [SK_CAP_ASSET_READ] = {"asset.read", ANY},
    /*
     * The register is kept by the information's owners: the security
     * managers of their sections (成田 基準 2(2)①ア, 新潟 基本方針),
     * their chiefs above, and the system manager for systems.
     */
    [SK_CAP_ASSET_WRITE] = {"asset.write", CHIEFS},
    /* Anyone sees the units of their own scope (the org tree they work in). */
    [SK_CAP_ORG_READ] = {"org.read", ANY},
    [SK_CAP_ORG_ADMIN] = {"org.admin", ADMINS},
    /*
     * Accounts and the audit log: the administrators, the auditor and the
     * CSIRT, each within its scope. A profile may add a section's chiefs
     * (the shipped ones do, where their seed gives the chief the section's
     * security: 成田 基準 1(4)②).
     */
    [SK_CAP_USER_READ] = {"user.read", ADMINS | R(SK_ROLE_AUDITOR) | R(SK_ROLE_CSIRT)},
    [SK_CAP_USER_ADMIN] = {"user.admin", ADMINS},
    [SK_CAP_ROLE_GRANT] = {"role.grant", ADMINS},
    /* The CISO, the auditor (監査) and the CSIRT (the analysis of incidents). */
    [SK_CAP_AUDIT_READ] = {"audit.read", R(SK_ROLE_CISO) | R(SK_ROLE_AUDITOR) | R(SK_ROLE_CSIRT)},
    [SK_CAP_AUDIT_CHECKPOINT] = {"audit.checkpoint", R(SK_ROLE_CISO) | R(SK_ROLE_AUDITOR)},
    [SK_CAP_METRICS_READ] = {"metrics.read", ADMINS | R(SK_ROLE_AUDITOR)},
    [SK_CAP_DECIDE] = {"decide", ANY},
    /* Every person files requests (持出し, 外部提供, 例外措置 ...); the profile's rules name the
       approver. */
    [SK_CAP_REQUEST_FILE] = {"request.file", PEOPLE},
    /* The approvers the profiles' rules name are the chiefs of the line. */
    [SK_CAP_REQUEST_APPROVE] = {"request.approve", CHIEFS},
    /* Every person reports incidents (成田 基準 6(3)①ア: 職員は…報告しなければならない). */
    [SK_CAP_INCIDENT_REPORT] = {"incident.report", PEOPLE},
    /* The reports go up the chain and to the CSIRT (成田 基準 6(3)①イ・ウ). */
    [SK_CAP_INCIDENT_HANDLE] = {"incident.handle", CHIEFS | R(SK_ROLE_CSIRT)},
    /* Analysis and the record are the general manager's (成田 基準 6(3)③). */
    [SK_CAP_INCIDENT_CLOSE] = {"incident.close", ADMINS | R(SK_ROLE_CSIRT)},
    /* Ledgers of requests and records: their keepers and the auditor. */
    [SK_CAP_LEDGER_READ] = {"ledger.read", CHIEFS | R(SK_ROLE_AUDITOR) | R(SK_ROLE_CSIRT)},
    /*
     * The installation's policy versions (issue #16): read by the administrators and the
     * auditor; imported by the administrators. Activating one needs the CISO's approval
     * of a policy_activation request (成田 基準 7(2): the CISO reviews the policy), which
     * no capability replaces.
     */
    [SK_CAP_POLICY_READ] = {"policy.read", ADMINS | R(SK_ROLE_AUDITOR)},
    [SK_CAP_POLICY_IMPORT] = {"policy.import", ADMINS},
};
_Static_assert(sizeof(caps) / sizeof(caps[0]) == SK_CAP__COUNT, "one row per capability");

const char *sk_cap_name(sk_cap c) { return (unsigned)c < SK_CAP__COUNT ? caps[c].name : "?"; }

sk_err sk_cap_parse(const char *s, sk_cap *out)
{
	for (int c = 0; s && c < SK_CAP__COUNT; c++)
		if (strcmp(s, caps[c].name) == 0) {
			*out = (sk_cap)c;
			return SK_OK;
		}
	return SK_ERR_INVALID;
}

uint32_t sk_policy_cap_roles(const sk_policy *p, sk_cap cap)
{
	if ((unsigned)cap >= SK_CAP__COUNT)
		return 0;
	return p && p->cap_given[cap] ? p->cap_roles[cap] : caps[cap].roles;
}

uint32_t sk_policy_role_caps(const sk_policy *p, uint32_t roles)
{
	uint32_t out = 0;
	for (int c = 0; c < SK_CAP__COUNT; c++)
		if (sk_policy_cap_roles(p, (sk_cap)c) & roles)
			out |= 1u << c;
	return out;
}

const char *const *sk_policy_cap_citations(const sk_policy *p, sk_cap cap, unsigned *n)
{
	*n = 0;
	if (!p || (unsigned)cap >= SK_CAP__COUNT || !p->cap_given[cap])
		return NULL;
	*n = p->cap_n_cites[cap];
	return p->cap_cites[cap];
}

/* SK_PRIVILEGED_ROLES_SQL is the one list: a role is privileged when the list names it. */
bool sk_role_is_privileged(sk_role r)
{
	char quoted[40];
	int n = snprintf(quoted, sizeof(quoted), "'%s'", sk_role_name(r));
	return n > 0 && (size_t)n < sizeof(quoted) && strstr(SK_PRIVILEGED_ROLES_SQL, quoted);
}

/*
 * The separation floor. An audit is worth only as much as the auditor's
 * distance from what is audited: the national guideline (地方公共団体における
 * 情報セキュリティポリシーに関するガイドライン, 監査: 監査実施者は被監査部門
 * から独立した者) asks that the auditor run neither the security
 * administration nor the systems nor the response being audited. The seeds
 * are silent on holding both (世田谷 16(1)ア only has the CISO appoint the
 * 監査責任者), so every profile starts from this and may add to it.
 */
static const uint32_t auditor_floor = R(SK_ROLE_CISO) | R(SK_ROLE_GENERAL_MANAGER) |
                                      R(SK_ROLE_SECURITY_OFFICER) | R(SK_ROLE_SECURITY_MANAGER) |
                                      R(SK_ROLE_SYSTEM_MANAGER) | R(SK_ROLE_SYSTEM_STAFF) |
                                      R(SK_ROLE_CSIRT) | R(SK_ROLE_CITY);

/* What r excludes in one direction, before the symmetric closure. */
static uint32_t excludes_one_way(const sk_policy *p, sk_role r)
{
	uint32_t m = r == SK_ROLE_AUDITOR ? auditor_floor : 0;
	if (p)
		m |= p->sep_excludes[r];
	return m;
}

uint32_t sk_policy_role_excludes(const sk_policy *p, sk_role r)
{
	if ((unsigned)r >= SK_ROLE__COUNT)
		return 0;
	uint32_t m = excludes_one_way(p, r);
	for (int o = 0; o < SK_ROLE__COUNT; o++)
		if (excludes_one_way(p, (sk_role)o) & R(r))
			m |= R(o);
	return m;
}

const char *const *sk_policy_separation_citations(const sk_policy *p, sk_role a, sk_role b,
                                                  unsigned *n)
{
	*n = 0;
	if (!p || (unsigned)a >= SK_ROLE__COUNT || (unsigned)b >= SK_ROLE__COUNT)
		return NULL;
	if (p->sep_excludes[a] & R(b)) {
		*n = p->sep_n_cites[a];
		return p->sep_cites[a];
	}
	if (p->sep_excludes[b] & R(a)) {
		*n = p->sep_n_cites[b];
		return p->sep_cites[b];
	}
	return NULL;
}
