/*
 * org: the organization tree (SPEC C2, 指示体制): the municipality at the
 * root, departments (部) under it, sections (課) under departments or other
 * sections, and designated managers (指定管理者) and contractors (外部委託事業者)
 * as units of their own under the unit that oversees them.
 *
 * Wherever a unit is asked for, its numeric id or its code is accepted (a
 * code always holds a non-digit, so the two cannot collide). Every change
 * runs in one transaction with its audit entry; on any failure nothing is
 * written.
 */
#ifndef SK_ORG_H
#define SK_ORG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct sk_ctx sk_ctx;

#include "../core/sk_buf.h"
#include "../core/sk_msg.h"
#include "../store/store.h"
#include "actor.h"

typedef enum sk_org_kind {
	SK_ORG_MUNICIPALITY,
	SK_ORG_DEPARTMENT,
	SK_ORG_SECTION,
	SK_ORG_DESIGNATED_MANAGER,
	SK_ORG_CONTRACTOR,
	SK_ORG__COUNT
} sk_org_kind;

#define SK_ORG_CODE_MAX 32
#define SK_ORG_NAME_MAX 200 /* bytes of UTF-8: 66 kanji */
/* Trees deeper than this are refused; it bounds every walk up the tree. */
#define SK_ORG_DEPTH_MAX 16

typedef struct sk_org_unit {
	int64_t id;
	int64_t parent_id; /* 0 for the root */
	sk_org_kind kind;
	int64_t created_at; /* Unix seconds */
	char code[SK_ORG_CODE_MAX + 1];
	char name[SK_ORG_NAME_MAX + 1];
} sk_org_unit;

/* "municipality", "department", "section", "designated_manager", "contractor". */
const char *sk_org_kind_name(sk_org_kind k);
/* The kind as a person reads it in l: "課" or "section". */
const char *sk_org_kind_label(sk_org_kind k, sk_lang l);
/* Parses a kind name; SK_ERR_INVALID listing the valid ones otherwise. */
sk_err sk_org_kind_parse(const char *s, sk_org_kind *out, sk_buf *err);

/*
 * Adds a unit. parent (id or code) is required for every kind but the
 * municipality, which must be the first unit and has none. The parent's kind
 * must suit the child's (a department sits under the municipality, a
 * section under a department or section, designated managers and
 * contractors under any unit of the city, and a designated manager's
 * subcontractor under the designated manager). Needs an administrator of the parent (see
 * sk_role_require_admin); the root needs the CLI operator. *id_out, when not
 * NULL, receives the new unit's id.
 */
sk_err sk_org_add(sk_ctx *c, const char *code, const char *name, const char *kind,
                  const char *parent, int64_t *id_out, sk_buf *err);

/*
 * Moves unit under new_parent. Refuses to move the root, to move a unit
 * under itself or one of its descendants (a cycle), and moves the kinds
 * rule forbids. Needs an administrator of both the old and the new parent.
 */
sk_err sk_org_move(sk_ctx *c, const char *unit, const char *new_parent, sk_buf *err);

/* Looks a unit up by id or code; SK_ERR_NOT_FOUND naming ref otherwise. */
sk_err sk_org_get(sk_store *s, const char *ref, sk_org_unit *out, sk_buf *err);
sk_err sk_org_get_id(sk_store *s, int64_t id, sk_org_unit *out, sk_buf *err);

/* Whether ancestor is unit itself or above it in the tree. */
sk_err sk_org_is_within(sk_store *s, int64_t unit, int64_t ancestor, bool *out, sk_buf *err);

/* {"id", "code", "name", "parent", "kind"} with parent an id or null. New reference. */
json_t *sk_org_json(const sk_org_unit *u);

/* The most units a line holds: a unit and every unit above it. */
#define SK_ORG_LINE_MAX (SK_ORG_DEPTH_MAX + 1)

/*
 * unit and the units above it, nearest first: the line a request or a
 * report goes up (the chain of command). *n is 0 for unit 0. This and
 * sk_org_holder_unit read s's organization view of the current generation
 * (orgview.h; inside a transaction, of the one it reads): one query for the
 * generation, not one per unit.
 */
sk_err sk_org_line(sk_store *s, int64_t unit, int64_t line[SK_ORG_LINE_MAX], size_t *n,
                   sk_buf *err);

/*
 * The nearest unit of line (as sk_org_line gives it) where an active
 * account other than not_user (0: anyone) holds role: *found 0 when none.
 */
sk_err sk_org_holder_unit(sk_store *s, const char *role, const int64_t *line, size_t n,
                          int64_t not_user, int64_t *found, sk_buf *err);

/*
 * The organization check (`sekisho org check`, GET /api/v1/org/check): for
 * every unit where active accounts work and every role they hold there, each
 * approver a decision of the profile (of every document of the policy set
 * that applies to the unit's kind, policyset.h) may name for them (every action, level
 * of 機密性, zone and 特定個人情報 flag), the profile's exception approver and
 * the first step of its incident chain must have a holder at the unit or
 * above; otherwise a request or report from there could not be routed.
 * *out: {"ok": bool, "missing": [{"unit", "unit_name", "requester_role",
 * "role", "for": {"action", "conf"} | "exceptions" | "incidents",
 * "cases": n}]}, the caller's. Needs org.admin somewhere (the CLI operator
 * has it); lists only units in the caller's scope for it.
 */
sk_err sk_org_check(sk_ctx *c, json_t **out, sk_buf *err);

/* Every unit as a JSON array of sk_org_json objects, ordered by id. *out is the caller's. */
sk_err sk_org_list(sk_store *s, json_t **out, sk_buf *err);

#endif
