/*
 * web_files: the templates and static assets of the web UI, built into the
 * binary by src/web/embed_web.py from web/templates and web/static.
 */
#ifndef SK_WEB_FILES_H
#define SK_WEB_FILES_H

#include <stddef.h>

typedef struct sk_web_file {
	const char *name;  /* template: "login"; asset: "app.css" */
	const char *url;   /* template: the name; asset: "app-0123456789ab.css" (content hash) */
	const char *ctype; /* asset: its Content-Type; template: NULL */
	const char *data;  /* NUL-terminated */
	size_t len;
} sk_web_file;

/* Both end with an element whose name is NULL. */
extern const sk_web_file sk_web_templates[];
extern const sk_web_file sk_web_assets[];

#endif
