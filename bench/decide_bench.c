/*
 * decide_bench: decisions per second of sk_policy_decide on one core,
 * in-process, over every combination of action, levels, flags, zone and
 * actor role the profile's scheme allows, each with an asset type (unknown
 * included) and a to_zone (none included) taken in turn, so the inputs mix
 * them without multiplying (bench/run-decide.sh runs it).
 *
 * With --dump FILE it also writes the profile's rules and every input with
 * its decision as JSON, from which bench/casbin/decide_casbin.js builds the
 * equivalent node-casbin ABAC model, checks that it reaches the same
 * decisions, and times it. It reads the compiled rules through the policy
 * module's internal header, which is why it lives in the project.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy/policy_int.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A regular expression that accepts exactly the names whose bits are in mask. */
static json_t *mask_regex(uint32_t mask, int n, const char *(*name)(const sk_policy *, int),
                          const sk_policy *p, bool none_bit, int none_index)
{
	uint32_t all = n >= 32 ? UINT32_MAX : ((1u << n) - 1u);
	if (none_bit)
		all |= 1u << none_index;
	if ((mask & all) == all)
		return json_string(".*");
	char buf[4096] = "^(";
	size_t k = 2;
	bool first = true;
	for (int i = 0; i < n; i++) {
		if (!(mask & (1u << i)))
			continue;
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s", first ? "" : "|",
		                      name(p, i));
		first = false;
	}
	if (first)
		return json_string("^$never");
	snprintf(buf + k, sizeof(buf) - k, ")$");
	return json_string(buf);
}

static int axis_for_name; /* which axis level_id reads; set before mask_regex */
static const char *level_id(const sk_policy *p, int i)
{
	return sk_policy_level_name(p, (sk_axis)axis_for_name, i);
}
static const char *zone_id(const sk_policy *p, int i)
{
	(void)p;
	return sk_zone_name((sk_zone)i);
}
static const char *role_id(const sk_policy *p, int i)
{
	(void)p;
	return sk_role_name((sk_role)i);
}

/* "-" for an unknown type, as the dumped inputs name it. */
static const char *type_id(const sk_policy *p, int i)
{
	(void)p;
	return i == SK_ASSET_UNKNOWN ? "-" : sk_asset_type_name((sk_asset_type)i);
}

static json_t *cond_json(const sk_policy *p, const sk_cond *c)
{
	json_t *o = json_object();
	static const char *const keys[] = {"conf", "integ", "avail"};
	for (int a = 0; a < SK_AXIS__COUNT; a++) {
		axis_for_name = a;
		json_object_set_new(o, keys[a],
		                    mask_regex(c->level_mask[a],
		                               sk_policy_level_count(p, (sk_axis)a), level_id, p,
		                               false, 0));
	}
	json_object_set_new(
	    o, "zone", mask_regex(c->zone_mask, SK_ZONE__COUNT, zone_id, p, true, SK_ZONE_NONE));
	json_object_set_new(
	    o, "role", mask_regex(c->role_mask, SK_ROLE__COUNT, role_id, p, true, SK_ROLE_NONE));
	json_object_set_new(o, "type",
	                    mask_regex(c->type_mask, SK_ASSET__COUNT, type_id, p, false, 0));
	json_object_set_new(
	    o, "to_zone",
	    mask_regex(c->to_zone_mask, SK_ZONE__COUNT, zone_id, p, true, SK_ZONE_NONE));
	json_object_set_new(o, "mynumber",
	                    json_string(c->mynumber < 0 ? ".*"
	                                : c->mynumber   ? "^1$"
	                                                : "^0$"));
	json_object_set_new(o, "personal",
	                    json_string(c->personal < 0 ? ".*"
	                                : c->personal   ? "^1$"
	                                                : "^0$"));
	return o;
}

static json_t *input_json(const sk_policy *p, const sk_decide_input *in)
{
	return json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "type",
	    type_id(p, (int)in->asset_type), "to_zone",
	    in->to_zone == SK_ZONE_NONE ? "-" : sk_zone_name(in->to_zone), "act",
	    sk_action_name(in->action), "conf", sk_policy_level_name(p, SK_AXIS_CONF, in->level[0]),
	    "integ", sk_policy_level_name(p, SK_AXIS_INTEG, in->level[1]), "avail",
	    sk_policy_level_name(p, SK_AXIS_AVAIL, in->level[2]), "zone",
	    in->zone == SK_ZONE_NONE ? "-" : sk_zone_name(in->zone), "role",
	    in->actor_role == SK_ROLE_NONE ? "-" : sk_role_name(in->actor_role), "mynumber",
	    in->mynumber ? "1" : "0", "personal", in->personal ? "1" : "0");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: decide_bench PROFILE [--seconds S] [--dump FILE]\n");
		return 2;
	}
	const char *dump = NULL;
	double seconds = 3.0;
	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--dump") == 0)
			dump = argv[i + 1];
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = strtod(argv[i + 1], NULL);
	}
	sk_buf diag = SK_BUF_INIT(1u << 20);
	sk_policy *p = NULL;
	if (sk_policy_open(argv[1], &p, &diag) != SK_OK) {
		fprintf(stderr, "%s", diag.data);
		return 2;
	}
	sk_buf_free(&diag);

	/* every input the scheme allows */
	int nl[3];
	for (int a = 0; a < 3; a++)
		nl[a] = sk_policy_level_count(p, (sk_axis)a);
	size_t n = (size_t)SK_ACT__COUNT * (size_t)(nl[0] * nl[1] * nl[2]) * 4 *
	           (SK_ZONE__COUNT + 1) * (SK_ROLE__COUNT + 1);
	sk_decide_input *in = calloc(n, sizeof(*in));
	if (!in)
		return 70;
	size_t k = 0;
	for (int a = 0; a < SK_ACT__COUNT; a++)
		for (int c = 0; c < nl[0]; c++)
			for (int i = 0; i < nl[1]; i++)
				for (int v = 0; v < nl[2]; v++)
					for (int f = 0; f < 4; f++)
						for (int z = 0; z <= SK_ZONE__COUNT; z++)
							for (int r = 0; r <= SK_ROLE__COUNT; r++) {
								sk_decide_input *x = &in[k++];
								sk_decide_input_init(x,
								                     (sk_action)a);
								x->level[0] = c;
								x->level[1] = i;
								x->level[2] = v;
								x->mynumber = f & 1;
								x->personal = (f >> 1) & 1;
								x->zone = (sk_zone)z;
								x->actor_role = (sk_role)r;
								x->asset_type =
								    (sk_asset_type)(k %
								                    SK_ASSET__COUNT);
								x->to_zone =
								    (sk_zone)((k /
								               SK_ASSET__COUNT) %
								              (SK_ZONE__COUNT + 1));
							}
	/* shuffle so that branch prediction sees a realistic mix */
	srand(12345);
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = (size_t)rand() % (i + 1);
		sk_decide_input t = in[i];
		in[i] = in[j];
		in[j] = t;
	}

	if (dump) {
		json_t *rules = json_array();
		for (size_t i = 0; i < p->n_rules; i++) {
			const sk_rule *r = &p->rules[i];
			json_t *acts = json_array();
			for (int a = 0; a < SK_ACT__COUNT; a++)
				if (r->actions & (1u << a))
					json_array_append_new(
					    acts, json_string(sk_action_name((sk_action)a)));
			json_t *o =
			    json_pack("{s:s, s:o, s:s, s:i, s:o}", "id", r->id, "actions", acts,
			              "decision", sk_decision_name(r->decision), "priority",
			              r->priority, "when", cond_json(p, &r->when));
			if (r->has_unless)
				json_object_set_new(o, "unless", cond_json(p, &r->unless));
			json_array_append_new(rules, o);
		}
		json_t *inputs = json_array();
		for (size_t i = 0; i < n; i++) {
			sk_decision d;
			sk_policy_decide(p, &in[i], &d);
			json_t *o = input_json(p, &in[i]);
			json_object_set_new(
			    o, "decision",
			    json_string(d.no_rule ? "fallback" : sk_decision_name(d.decision)));
			/*
			 * Unknown type and only typed rules held: sekisho folds in the
			 * silent answer, which a first-match casbin model cannot say.
			 */
			if (!d.no_rule && d.citations[d.n_citations - 1] == p->no_rule_citation)
				json_object_set_new(o, "folded", json_true());
			json_array_append_new(inputs, o);
		}
		json_t *doc = json_pack("{s:s, s:o, s:o}", "profile", sk_policy_city_id(p), "rules",
		                        rules, "inputs", inputs);
		if (json_dump_file(doc, dump, JSON_COMPACT) != 0) {
			fprintf(stderr, "cannot write %s\n", dump);
			return 70;
		}
		json_decref(doc);
	}

	/* warm up, then time whole passes over the inputs until `seconds` elapse */
	unsigned long long sink = 0, count = 0;
	sk_decision d;
	for (size_t i = 0; i < n; i++) {
		sk_policy_decide(p, &in[i], &d);
		sink += d.decision + d.n_citations;
	}
	double t0 = now_s(), t1;
	do {
		for (size_t i = 0; i < n; i++) {
			sk_policy_decide(p, &in[i], &d);
			sink += (unsigned)d.decision + d.safeguards + d.n_citations;
		}
		count += n;
		t1 = now_s();
	} while (t1 - t0 < seconds);
	printf("{\"profile\": \"%s\", \"rules\": %zu, \"inputs\": %zu, \"decisions\": %llu, "
	       "\"seconds\": %.3f, \"per_second\": %.0f, \"sink\": %llu}\n",
	       sk_policy_city_id(p), p->n_rules, n, count, t1 - t0, (double)count / (t1 - t0),
	       sink % 1000);
	free(in);
	sk_policy_free(p);
	return 0;
}
