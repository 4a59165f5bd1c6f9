/*
 * openapi: the OpenAPI 3.1 document of the API, generated from the route
 * table so it cannot drift from what the server does. Each operation
 * carries the capability a session must hold to call it as
 * "x-sekisho-capability" (null with "x-sekisho-public": true for routes
 * needing no session, and for routes any account with a role may call);
 * which roles hold it is the installation's profile's (GET /api/v1/policy).
 *
 * Each operation lists the statuses it can answer, derived from what the
 * dispatcher and the error table (src/core/sk_err.c) can do on that route:
 * its success (201 for routes flagged SK_R_CREATES), 400 (any route: an
 * undeclared query parameter), 401/403 where a session and roles are
 * checked, 404 where a path parameter or scope can miss, 409 where a write
 * can conflict, 413/415 where a body is taken, 423 and 429 for login, 431 (headers
 * too large), 500 and 503; every error answer is the shared Error response.
 *
 * A success answer's schema is the shape the route names (sk_http_route.answer)
 * from src/http/answers.json, the response contract written down once; a
 * record's properties listed there as {"$fields": [...]} are the field
 * schema's, so titles and meanings are the domain's.
 */
#include <string.h>

#include "../core/sk_version.h"
#include "../domain/schema.h"
#include "http_int.h"

/* Adds f's titles and descriptions (en, ja) and its 機密性3-detail mark to schema s (NULL: none).
 */
static json_t *described(json_t *s, const sk_field *f)
{
	if (s)
		json_object_update_new(s, json_pack("{s:s, s:s, s:s, s:s}", "title", f->en,
		                                    "x-title-ja", f->ja, "description", f->help_en,
		                                    "x-description-ja", f->help_ja));
	if (s && (f->flags & SK_FF_DETAIL))
		json_object_set_new(s, "x-sekisho-detail", json_true());
	return s;
}

/* A field's JSON Schema, with both titles and its limits (from the domain's schema). */
static json_t *field_schema(const sk_field *f)
{
	json_t *s;
	switch (f->type) {
	case SK_FT_INT:
		s = json_pack("{s:s, s:I, s:I}", "type", "integer", "minimum", (json_int_t)f->lo,
		              "maximum", (json_int_t)f->hi);
		break;
	case SK_FT_BOOL:
		s = json_pack("{s:s}", "type", "boolean");
		break;
	case SK_FT_REF:
	case SK_FT_LEVEL:
		s = json_pack("{s:[s,s], s:I}", "type", "string", "integer", "maxLength",
		              (json_int_t)f->max);
		break;
	case SK_FT_OBJECT:
		s = json_pack("{s:s, s:I}", "type", "object", "maxProperties", (json_int_t)f->max);
		break;
	case SK_FT_WORDS:
		s = json_pack("{s:s, s:{s:s, s:i}, s:I}", "type", "array", "items", "type",
		              "string", "maxLength", SK_SCHEMA_WORD_MAX, "maxItems",
		              (json_int_t)f->max);
		break;
	case SK_FT_IDS:
		s = json_pack("{s:s, s:{s:s, s:i}, s:I}", "type", "array", "items", "type",
		              "integer", "minimum", 1, "maxItems", (json_int_t)f->max);
		break;
	default:
		s = json_pack("{s:s, s:I}", "type", "string", "maxLength", (json_int_t)f->max);
		if (s && f->type == SK_FT_SECRET)
			json_object_set_new(s, "format", json_string("password"));
		break;
	}
	return described(s, f);
}

/* What a record's field looks like in an answer: a level is a number, text may be null. */
static json_t *answer_field_schema(const sk_field *f)
{
	json_t *s;
	switch (f->type) {
	case SK_FT_INT:
	case SK_FT_LEVEL:
		s = json_pack("{s:[s,s]}", "type", "integer", "null");
		break;
	case SK_FT_BOOL:
		s = json_pack("{s:s}", "type", "boolean");
		break;
	case SK_FT_REF:
		s = json_pack("{s:[s,s,s]}", "type", "integer", "string", "null");
		break;
	case SK_FT_WORDS:
	case SK_FT_IDS:
		s = json_pack("{s:s}", "type", "array");
		break;
	case SK_FT_OBJECT:
		s = json_pack("{s:[s,s]}", "type", "object", "null");
		break;
	default:
		s = json_pack("{s:[s,s]}", "type", "string", "null");
		break;
	}
	return described(s, f);
}

/* The record schemas answers.json may name in "$fields". */
static const sk_schema *record_schema(const char *name)
{
	static const sk_schema *const records[] = {&sk_schema_asset, &sk_schema_asset_record};
	for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++)
		if (strcmp(records[i]->name, name) == 0)
			return records[i];
	return NULL;
}

/* Replaces every "$fields" list of a "properties" object with the fields' schemas; a
 * property written out beside it wins (it says what the answer adds to the record). */
static void expand_fields(json_t *node)
{
	if (json_is_array(node)) {
		size_t i;
		json_t *v;
		json_array_foreach (node, i, v)
			expand_fields(v);
		return;
	}
	if (!json_is_object(node))
		return;
	json_t *props = json_object_get(node, "properties");
	json_t *list = props ? json_object_get(props, "$fields") : NULL;
	if (list) {
		size_t i;
		json_t *name;
		json_array_foreach (list, i, name) {
			const sk_schema *sc = record_schema(json_string_value(name));
			for (size_t k = 0; sc && k < sc->n; k++)
				if (!json_object_get(props, sc->fields[k].key))
					json_object_set_new(props, sc->fields[k].key,
					                    answer_field_schema(&sc->fields[k]));
		}
		json_object_del(props, "$fields");
	}
	const char *key;
	json_t *v;
	json_object_foreach (node, key, v)
		expand_fields(v);
}

extern const char sk_http_answers_json[]; /* answers.json, built in by embed_answers.py */

/* components/schemas: the answers' shapes, then the Error. */
static json_t *schemas(void)
{
	json_t *all = json_loads(sk_http_answers_json, 0, NULL);
	if (!all)
		return NULL;
	json_object_del(all, "$comment");
	expand_fields(all);
	json_object_set_new(
	    all, "Error",
	    json_pack("{s:s, s:{s:{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}}, s:[s,s]}}, s:[s]}", "type",
	              "object", "properties", "error", "type", "object", "properties", "code",
	              "type", "string", "field", "type", "string", "message", "type", "string",
	              "required", "code", "message", "required", "error"));
	return all;
}

static json_t *body_schema(const sk_http_route *rt)
{
	json_t *props = json_object(), *req = json_array();
	bool change = strcmp(rt->method, "PATCH") == 0;
	for (size_t i = 0; i < rt->body->n; i++) {
		const sk_field *f = &rt->body->fields[i];
		json_object_set_new(props, f->key, field_schema(f));
		if (!change && (f->flags & SK_FF_REQUIRED))
			json_array_append_new(req, json_string(f->key));
	}
	return json_pack("{s:b, s:{s:{s:{s:s, s:s, s:s, s:o, s:o, s:b}}}}", "required", 1,
	                 "content", "application/json", "schema", "type", "object", "title",
	                 rt->body->en, "x-title-ja", rt->body->ja, "properties", props, "required",
	                 req, "additionalProperties", 0);
}

static json_t *parameters(const sk_http_route *rt)
{
	json_t *ps = json_array();
	if (strstr(rt->path, "{id}"))
		json_array_append_new(ps, json_pack("{s:s, s:s, s:b, s:{s:s, s:i}}", "name", "id",
		                                    "in", "path", "required", 1, "schema", "type",
		                                    "integer", "minimum", 1));
	if (strstr(rt->path, "{login}"))
		json_array_append_new(ps,
		                      json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", "login", "in",
		                                "path", "required", 1, "schema", "type", "string"));
	if (strstr(rt->path, "{name}"))
		json_array_append_new(ps,
		                      json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", "name", "in",
		                                "path", "required", 1, "schema", "type", "string"));
	for (const sk_http_qparam *q = rt->query; q && q->name; q++)
		json_array_append_new(ps,
		                      json_pack("{s:s, s:s, s:b, s:{s:s, s:I}}", "name", q->name,
		                                "in", "query", "required", 0, "schema", "type",
		                                "string", "maxLength", (json_int_t)q->max));
	return ps;
}

/* Every status the route can answer (see the file's comment), errors as the shared response. */
static json_t *responses(const sk_http_route *rt)
{
	bool session = !(rt->flags & SK_R_PUBLIC), body = (rt->flags & SK_R_BODY) != 0;
	bool writes = session && strcmp(rt->method, "GET") != 0;
	bool login = strcmp(rt->path, "/api/v1/login") == 0;
	bool misses = strchr(rt->path, '{') || rt->scope;
	const char *ctype = strncmp(rt->path, "/api/", 5) == 0 || strcmp(rt->path, "/healthz") == 0
	                        ? "application/json"
	                    : strcmp(rt->path, "/") == 0 ? "text/html"
	                                                 : "text/plain";
	json_t *rs = json_object();
	char ref[96];
	snprintf(ref, sizeof(ref), "#/components/schemas/%s", rt->answer ? rt->answer : "");
	json_object_set_new(
	    rs, rt->flags & SK_R_CREATES ? "201" : "200",
	    json_pack("{s:s, s:{s:o}}", "description",
	              rt->flags & SK_R_CREATES ? "created" : "success", "content", ctype,
	              rt->answer ? json_pack("{s:{s:s}}", "schema", "$ref", ref) : json_object()));
	/* A route taking ?format= (the ledgers) also answers the files it exports. */
	for (const sk_http_qparam *q = rt->query; q && q->name; q++)
		if (strcmp(q->name, "format") == 0) {
			json_t *content = json_object_get(
			    json_object_get(rs, rt->flags & SK_R_CREATES ? "201" : "200"),
			    "content");
			json_object_set_new(content, "text/csv", json_object());
			json_object_set_new(
			    content,
			    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			    json_object());
		}
	const struct {
		const char *status;
		bool when;
	} errs[] = {
	    {"400", true}, /* malformed input, or an undeclared or bad query parameter */
	    {"401", session || login},
	    /* roles, CSRF, a pending password change or TOTP enrollment; MFA at login */
	    {"403", session || login},
	    {"404", misses},
	    {"409", writes},
	    {"413", body},
	    {"415", body},
	    {"422", (rt->flags & SK_R_POLICY) != 0},
	    /* a locked account (or an unknown login failed as often) 423; a throttled address 429
	     */
	    {"423", login},
	    {"429", login},
	    {"431", true},
	    {"500", true},
	    {"503", true},
	};
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		if (errs[i].when)
			json_object_set_new(
			    rs, errs[i].status,
			    json_pack("{s:s}", "$ref", "#/components/responses/Error"));
	return rs;
}

static json_t *operation(const sk_http_route *rt, size_t index)
{
	json_t *cap = !(rt->flags & SK_R_PUBLIC) && rt->cap >= 0
	                  ? json_string(sk_cap_name((sk_cap)rt->cap))
	                  : json_null();
	char opid[160];
	snprintf(opid, sizeof(opid), "op%zu_%s", index, rt->method);
	json_t *op = json_pack(
	    "{s:s, s:s, s:o, s:b, s:b, s:b, s:b, s:o, s:o}", "summary", rt->summary, "operationId",
	    opid, "x-sekisho-capability", cap, "x-sekisho-public", (rt->flags & SK_R_PUBLIC) != 0,
	    "x-sekisho-must-change-allowed", (rt->flags & SK_R_MUST_CHANGE) != 0,
	    "x-sekisho-must-enroll-allowed", (rt->flags & (SK_R_MUST_CHANGE | SK_R_ENROLL)) != 0,
	    "x-sekisho-csrf", !(rt->flags & SK_R_PUBLIC) && strcmp(rt->method, "GET") != 0,
	    "parameters", parameters(rt), "responses", responses(rt));
	if (!op)
		return NULL;
	if (rt->scope)
		json_object_set_new(op, "x-sekisho-scope", json_string(rt->scope));
	if (rt->flags & SK_R_ADDRESS_LIST)
		json_object_set_new(op, "x-sekisho-address-list", json_true());
	if (!(rt->flags & SK_R_PUBLIC))
		json_object_set_new(op, "security", json_pack("[{s:[]}]", "session"));
	if (rt->flags & SK_R_BODY)
		json_object_set_new(op, "requestBody", body_schema(rt));
	return op;
}

json_t *sk_http_openapi(void)
{
	size_t n;
	const sk_http_route *rt = sk_http_routes(&n);
	json_t *paths = json_object();
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_object_get(paths, rt[i].path);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt[i].path, item);
		}
		char m[16];
		size_t k = 0;
		for (; rt[i].method[k] && k + 1 < sizeof(m); k++)
			m[k] = (char)(rt[i].method[k] | 0x20);
		m[k] = '\0';
		json_object_set_new(item, m, operation(&rt[i], i));
	}
	return json_pack(
	    "{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:o, s:{s:{s:s, s:{s:{s:{s:s}}}}}, "
	    "s:{s:{s:s, s:s, s:s}}}}",
	    "openapi", "3.1.0", "info", "title", "sekisho API", "version", SK_VERSION,
	    "description",
	    "The JSON API of sekisho (SPEC §3). Errors are {\"error\": {\"code\", \"field\", "
	    "\"message\"}} with a 4xx or 5xx status (field when one input is at fault). "
	    "State-changing calls need the X-CSRF-Token header the login answered.",
	    "paths", paths, "components", "schemas", schemas(), "responses", "Error", "description",
	    "an error: {\"error\": {\"code\", \"field\", \"message\"}}", "content",
	    "application/json", "schema", "$ref", "#/components/schemas/Error", "securitySchemes",
	    "session", "type", "apiKey", "in", "cookie", "name", "sekisho_session");
}
