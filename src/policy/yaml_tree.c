/*
 * yaml_tree: reads a profile's YAML with libfyaml's event parser into a small
 * tree that remembers the line of every node, so that the loader can say
 * "FILE:LINE: message" for any value it rejects. libfyaml's document API
 * does not expose node positions; its events do.
 *
 * Profiles are plain data: anchors, aliases, tags, non-scalar keys and
 * multiple documents are rejected here.
 */
#include <libfyaml.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_utf8.h"
#include "policy_int.h"

#define MAX_DEPTH 32
#define MAX_NODES 200000

typedef struct frame {
	sk_ynode *node;
	sk_ynode **kids; /* from the arena; regrown by doubling (the old copy stays there) */
	size_t n, cap;
} frame;

typedef struct builder {
	const char *name;
	sk_arena *a;
	sk_buf *diag;
	frame stack[MAX_DEPTH];
	int depth;
	sk_ynode *root;
	size_t nodes;
	int docs;
	bool failed;
	int syntax_line; /* from libfyaml's first error message, 0 if none */
	char syntax_msg[256];
} builder;

static void fail_at(builder *b, int line, const char *msg)
{
	if (!b->failed)
		sk_buf_addf(b->diag, "%s:%d: %s\n", b->name, line, msg);
	b->failed = true;
}

static int event_line(struct fy_event *ev)
{
	const struct fy_mark *m = fy_event_start_mark(ev);
	return m ? m->line + 1 : 0;
}

static sk_ynode *new_node(builder *b, sk_ynode_type t, int line)
{
	if (++b->nodes > MAX_NODES) {
		fail_at(b, line, "too many YAML nodes");
		return NULL;
	}
	sk_ynode *n = sk_arena_alloc(b->a, sizeof(*n));
	if (!n) {
		fail_at(b, line, "out of memory");
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	n->type = t;
	n->line = line;
	return n;
}

/* Hands a finished node to the collection that is open, or makes it the root. */
static void attach(builder *b, sk_ynode *n)
{
	if (b->depth == 0) {
		b->root = n;
		return;
	}
	frame *f = &b->stack[b->depth - 1];
	if (f->node->type == SK_YN_MAP && f->n % 2 == 0 && n->type != SK_YN_SCALAR) {
		fail_at(b, n->line, "a mapping key must be a plain scalar");
		return;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		sk_ynode **k = sk_arena_alloc(b->a, cap * sizeof(sk_ynode *));
		if (!k) {
			fail_at(b, n->line, "out of memory");
			return;
		}
		if (f->n)
			memcpy(k, f->kids, f->n * sizeof(sk_ynode *));
		f->kids = k;
		f->cap = cap;
	}
	f->kids[f->n++] = n;
}

static void open_coll(builder *b, sk_ynode_type t, int line)
{
	if (b->depth == MAX_DEPTH) {
		fail_at(b, line, "YAML nested too deeply");
		return;
	}
	sk_ynode *n = new_node(b, t, line);
	if (!n)
		return;
	frame *f = &b->stack[b->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
}

static void close_coll(builder *b)
{
	frame *f = &b->stack[--b->depth];
	sk_ynode *n = f->node;
	if (n->type == SK_YN_SEQ) {
		n->len = f->n;
		n->items = f->kids; /* NULL only when empty, and then never read */
	} else {
		size_t pairs = f->n / 2;
		n->len = pairs;
		n->keys = sk_arena_alloc(b->a, (pairs ? pairs : 1) * sizeof(sk_ynode *));
		n->vals = sk_arena_alloc(b->a, (pairs ? pairs : 1) * sizeof(sk_ynode *));
		if (!n->keys || !n->vals) {
			fail_at(b, n->line, "out of memory");
		} else {
			for (size_t i = 0; i < pairs; i++) {
				n->keys[i] = f->kids[2 * i];
				n->vals[i] = f->kids[2 * i + 1];
			}
		}
	}
	f->kids = NULL;
	if (!b->failed)
		attach(b, n);
}

static bool has_tag_or_anchor(struct fy_token *anchor, struct fy_token *tag)
{
	return anchor != NULL || tag != NULL;
}

static void on_event(builder *b, struct fy_event *ev)
{
	int line = event_line(ev);
	switch (ev->type) {
	case FYET_DOCUMENT_START:
		if (++b->docs > 1)
			fail_at(b, line, "a profile is one YAML document");
		break;
	case FYET_ALIAS:
		fail_at(b, line, "YAML aliases are not accepted in a profile");
		break;
	case FYET_SCALAR: {
		if (has_tag_or_anchor(ev->scalar.anchor, ev->scalar.tag)) {
			fail_at(b, line, "YAML anchors and tags are not accepted in a profile");
			break;
		}
		size_t len = 0;
		const char *t = ev->scalar.value ? fy_token_get_text(ev->scalar.value, &len) : "";
		if (!t)
			t = "";
		if (len > SK_POLICY_MAX_STRING) {
			fail_at(b, line, "string longer than 4096 bytes");
			break;
		}
		if (memchr(t, '\0', len)) {
			fail_at(b, line, "NUL byte in a string");
			break;
		}
		sk_ynode *n = new_node(b, SK_YN_SCALAR, line);
		if (!n)
			break;
		n->s = sk_arena_strndup(b->a, t, len);
		n->len = len;
		if (!n->s) {
			fail_at(b, line, "out of memory");
			break;
		}
		attach(b, n);
		break;
	}
	case FYET_MAPPING_START:
		if (has_tag_or_anchor(ev->mapping_start.anchor, ev->mapping_start.tag))
			fail_at(b, line, "YAML anchors and tags are not accepted in a profile");
		else
			open_coll(b, SK_YN_MAP, line);
		break;
	case FYET_SEQUENCE_START:
		if (has_tag_or_anchor(ev->sequence_start.anchor, ev->sequence_start.tag))
			fail_at(b, line, "YAML anchors and tags are not accepted in a profile");
		else
			open_coll(b, SK_YN_SEQ, line);
		break;
	case FYET_MAPPING_END:
	case FYET_SEQUENCE_END:
		if (b->depth > 0)
			close_coll(b);
		break;
	default:
		break;
	}
}

/*
 * libfyaml reports a syntax error as text, "<input>:LINE:COLUMN: error: MSG";
 * keep the first one's line and message.
 */
static void capture_output(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	(void)diag;
	builder *b = user;
	if (b->syntax_line)
		return;
	static const char tag[] = ": error: ";
	const char *e = memmem(buf, len, tag, sizeof(tag) - 1);
	if (!e)
		return;
	const char *p = e; /* back over ":COLUMN" and ":LINE" */
	int colons = 0;
	while (p > buf && colons < 2)
		if (*--p == ':')
			colons++;
	if (colons < 2)
		return;
	long line = strtol(p + 1, NULL, 10);
	if (line <= 0 || line > INT_MAX)
		return;
	const char *m = e + sizeof(tag) - 1, *end = buf + len;
	size_t n = 0;
	while (m + n < end && m[n] != '\n' && n + 1 < sizeof(b->syntax_msg))
		n++;
	memcpy(b->syntax_msg, m, n);
	b->syntax_msg[n] = '\0';
	b->syntax_line = (int)line;
}

static void report_syntax_error(builder *b)
{
	char msg[300];
	snprintf(msg, sizeof(msg), "YAML syntax error: %s",
	         b->syntax_line ? b->syntax_msg : "invalid YAML");
	fail_at(b, b->syntax_line ? b->syntax_line : 1, msg);
}

/*
 * Checks what libfyaml must never see: invalid UTF-8 and YAML directives
 * ("%..." at the start of a line). A profile needs neither, and libfyaml
 * 0.7.12 loops forever on a directive holding a non-UTF-8 byte ("%\x82",
 * found by fuzz/fuzz_policy.c). Returns the 1-based line of the first
 * problem and its message, or 0.
 */
static int precheck(const char *data, size_t len, const char **msg)
{
	const unsigned char *s = (const unsigned char *)data;
	int line = 1;
	bool line_start = true;
	for (size_t i = 0; i < len;) {
		unsigned c = s[i];
		if (line_start && c == '%') {
			*msg = "YAML directives (%...) are not accepted in a profile";
			return line;
		}
		line_start = false;
		if (c == '\n') {
			line++;
			line_start = true;
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = sk_utf8_decode(s + i, len - i, &cp);
		if (!k) {
			*msg = "the profile is not valid UTF-8";
			return line;
		}
		i += k;
	}
	return 0;
}

sk_err sk_yaml_parse(const char *name, const char *data, size_t len, sk_arena *a, sk_ynode **out,
                     sk_buf *diag)
{
	builder b = {.name = name, .a = a, .diag = diag};
	*out = NULL;
	const char *msg = NULL;
	int bad = precheck(data, len, &msg);
	if (bad) {
		fail_at(&b, bad, msg);
		return SK_ERR_INVALID;
	}

	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = capture_output;
	dcfg.user = &b;
	dcfg.colorize = false;
	dcfg.show_source = false;
	dcfg.show_position = true;
	dcfg.show_type = true;
	dcfg.show_module = false;
	struct fy_diag *d = fy_diag_create(&dcfg);
	if (!d)
		return SK_ERR_NOMEM;
	struct fy_parse_cfg cfg = {
	    .flags = FYPCF_DISABLE_RECYCLING,
	    .diag = d,
	};
	struct fy_parser *fyp = fy_parser_create(&cfg);
	if (!fyp) {
		fy_diag_destroy(d);
		return SK_ERR_NOMEM;
	}
	sk_err rc = SK_OK;
	if (fy_parser_set_string(fyp, data, len) != 0) {
		fail_at(&b, 1, "cannot read the YAML input");
	} else {
		struct fy_event *ev;
		while (!b.failed && (ev = fy_parser_parse(fyp)) != NULL) {
			on_event(&b, ev);
			fy_parser_event_free(fyp, ev);
		}
		if (!b.failed && fy_parser_get_stream_error(fyp))
			report_syntax_error(&b);
	}
	if (!b.failed && !b.root)
		fail_at(&b, 1, "the profile is empty");
	if (b.failed)
		rc = SK_ERR_INVALID;
	else
		*out = b.root;
	fy_parser_destroy(fyp);
	fy_diag_destroy(d);
	return rc;
}

const sk_ynode *sk_ynode_get(const sk_ynode *map, const char *key)
{
	if (!map || map->type != SK_YN_MAP)
		return NULL;
	for (size_t i = 0; i < map->len; i++)
		if (strcmp(map->keys[i]->s, key) == 0)
			return map->vals[i];
	return NULL;
}
