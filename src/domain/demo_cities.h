/*
 * demo_cities: the four sample cities behind `sekisho demo --profile P`,
 * as data: for each shipped profile the organization its policy names, the
 * people holding every role the profile defines, and a 情報資産台帳 of some
 * sixty assets covering every classification level and network zone the
 * profile knows. demo.c creates a city from its table; nothing here runs.
 */
#ifndef SK_DEMO_CITIES_H
#define SK_DEMO_CITIES_H

#include <stddef.h>

/* A unit below the municipality; each parent comes before its children. */
struct sk_demo_unit {
	const char *code, *name, *kind, *parent;
	const char *chief; /* the title that answers for the unit's assets (管理責任者) */
};

/* A role held beyond the person's first one. */
struct sk_demo_grant {
	const char *role, *unit;
};

struct sk_demo_person {
	const char *login, *name, *unit, *role; /* role: held at unit */
	struct sk_demo_grant more[3];
};

/*
 * One register entry: levels are the profile's level ids, zone a network
 * zone key, flags any of 'B' (backed up), 'P' (personal information) and
 * 'M' (特定個人情報), recovery_hours 0 when not set (only for the highest
 * availability level), acquired a YYYY-MM-DD date. The 管理責任者 is the
 * owning unit's chief.
 */
struct sk_demo_asset {
	const char *unit, *type, *name;
	long quantity; /* long: no padding between the pointers */
	const char *location, *conf, *integ, *avail, *zone, *flags;
	long recovery_hours;
	const char *acquired, *disposal;
};

/*
 * A document of the city's policy set beside its profile (the primary):
 * a shipped profile, stored as a policy version and applied to the units
 * of kinds (a comma list of unit kinds, policyset.h).
 */
struct sk_demo_doc {
	const char *profile, *kinds;
};

struct sk_demo_city {
	const char *profile; /* a shipped profile's name */
	const char *root;    /* the municipality's unit code */
	const char *root_chief;
	const struct sk_demo_unit *units;
	size_t nunits;
	/* people[0] is the CISO, the installation's first account (held at the root). */
	const struct sk_demo_person *people;
	size_t npeople;
	const struct sk_demo_asset *assets;
	size_t nassets;
	/* the policy set's other documents (none: the profile decides for every unit) */
	const struct sk_demo_doc *set;
	size_t nset;
};

/* The demo of profile, or NULL when there is none. */
const struct sk_demo_city *sk_demo_city_find(const char *profile);

/* The profiles with a demo, in the order `sekisho demo --help` lists them. */
const struct sk_demo_city *sk_demo_city_table(size_t *n);

#endif
