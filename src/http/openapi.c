/*
 * openapi: the OpenAPI 3.1 document of the API, generated from the route
 * table so it cannot drift from what the server does. Each operation
 * carries the capability a session must hold to call it as
 * "x-sekisho-capability" (null with "x-sekisho-public": true for routes
 * needing no session, and for routes any account with a role may call);
 * which roles hold it is the installation's profile's (GET /api/v1/policy).
 */
#include <string.h>

#include "../core/sk_version.h"
#include "http_int.h"

static json_t *field_schema(const sk_http_field *f)
{
	json_t *s;
	switch (f->type) {
	case SK_T_STR:
		s = json_pack("{s:s, s:I}", "type", "string", "maxLength",
		              (json_int_t)(f->max ? f->max : 1024));
		break;
	case SK_T_INT:
		s = json_pack("{s:s}", "type", "integer");
		break;
	case SK_T_BOOL:
		s = json_pack("{s:s}", "type", "boolean");
		break;
	case SK_T_STR_INT:
		s = json_pack("{s:[s,s]}", "type", "string", "integer");
		break;
	default:
		s = json_pack("{s:s, s:{s:s}, s:I}", "type", "array", "items", "type", "string",
		              "maxItems", (json_int_t)f->max);
		break;
	}
	if (s && f->doc)
		json_object_set_new(s, "description", json_string(f->doc));
	return s;
}

static json_t *body_schema(const sk_http_route *rt)
{
	json_t *props = json_object(), *req = json_array();
	for (const sk_http_field *f = rt->fields; f->name; f++) {
		json_object_set_new(props, f->name, field_schema(f));
		if (f->required)
			json_array_append_new(req, json_string(f->name));
	}
	return json_pack("{s:b, s:{s:{s:{s:s, s:o, s:o, s:b}}}}", "required", 1, "content",
	                 "application/json", "schema", "type", "object", "properties", props,
	                 "required", req, "additionalProperties", 0);
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
	for (const char *const *q = rt->query; q && *q; q++)
		json_array_append_new(ps, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", *q, "in",
		                                    "query", "required", 0, "schema", "type",
		                                    "string"));
	return ps;
}

static json_t *operation(const sk_http_route *rt, size_t index)
{
	json_t *cap = !(rt->flags & SK_R_PUBLIC) && rt->cap >= 0
	                  ? json_string(sk_cap_name((sk_cap)rt->cap))
	                  : json_null();
	char opid[160];
	snprintf(opid, sizeof(opid), "op%zu_%s", index, rt->method);
	json_t *errs = json_pack(
	    "{s:s, s:{s:{s:{s:s}}}}", "description", "{\"error\": {\"code\", \"message\"}}",
	    "content", "application/json", "schema", "$ref", "#/components/schemas/Error");
	json_t *op = json_pack(
	    "{s:s, s:s, s:o, s:b, s:b, s:b, s:o, s:{s:{s:s}, s:o}}", "summary", rt->summary,
	    "operationId", opid, "x-sekisho-capability", cap, "x-sekisho-public",
	    (rt->flags & SK_R_PUBLIC) != 0, "x-sekisho-must-change-allowed",
	    (rt->flags & SK_R_MUST_CHANGE) != 0, "x-sekisho-csrf",
	    !(rt->flags & SK_R_PUBLIC) && strcmp(rt->method, "GET") != 0, "parameters",
	    parameters(rt), "responses", "200", "description", "success", "4XX", errs);
	if (!op)
		return NULL;
	if (rt->scope)
		json_object_set_new(op, "x-sekisho-scope", json_string(rt->scope));
	if (rt->flags & SK_R_LOOPBACK)
		json_object_set_new(op, "x-sekisho-loopback", json_true());
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
	    "{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:{s:{s:s, s:{s:{s:s}, s:{s:s}}, "
	    "s:[s,s]}}, s:[s]}}, s:{s:{s:s, s:s, s:s}}}}",
	    "openapi", "3.1.0", "info", "title", "sekisho API", "version", SK_VERSION,
	    "description",
	    "The JSON API of sekisho (SPEC §3). Errors are {\"error\": {\"code\", \"message\"}} "
	    "with a 4xx status. State-changing calls need the X-CSRF-Token header the login "
	    "answered.",
	    "paths", paths, "components", "schemas", "Error", "type", "object", "properties",
	    "error", "type", "object", "properties", "code", "type", "string", "message", "type",
	    "string", "required", "code", "message", "required", "error", "securitySchemes",
	    "session", "type", "apiKey", "in", "cookie", "name", "sekisho_session");
}
