/*
 * cmd_sanitize: `sekisho sanitize`, the mail sanitizer (SPEC C14) as a
 * command, a pipe filter for a mail server, and a batch over a directory.
 *
 * Exit status (docs/sanitize.md): 0 when a safe message was written (even
 * if everything but the headers was removed); 2 for a bad command line or
 * an input that is not mail; 1 when some messages of a batch failed. With
 * --filter the sendmail conventions a mail server reads apply instead: 65
 * (EX_DATAERR) for a message that cannot be parsed at all, 75
 * (EX_TEMPFAIL) for everything that may work later (memory, output,
 * database, and a bad command line, so no mail is lost while the
 * administrator fixes it).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../domain/actor.h"
#include "../mail/record.h"
#include "../mail/sanitize.h"
#include "cli.h"
#include "commands.h"

#define EX_DATAERR_  65
#define EX_TEMPFAIL_ 75

static const char usage_line[] =
    "[FILE] [-o OUT] [--json] [--defang-links] [--keep-original DIR] "
    "[--filter] [--db URL] [--max-size BYTES] [--max-parts N] [--max-depth N]\n"
    "--in DIR --out DIR [--json] [--defang-links] [--keep-original DIR] "
    "[--db URL]";

typedef struct cfg {
	const char *file, *out, *in_dir, *out_dir, *keep_dir, *db;
	bool json, filter;
	sk_mail_options opts;
} cfg;

/* Writes all of p to fd; false on failure. */
static bool write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Writes data to path through a temporary file and rename: all of it or nothing. */
static sk_err write_file_atomic(const char *path, const char *data, size_t n, sk_buf *err)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(tmp))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CLI_PATH_TOO_LONG, path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_CREATE_2, tmp,
		                   strerror(errno));
	bool ok = fchmod(fd, 0640) == 0 && write_all(fd, data, n) && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		int saved = errno;
		unlink(tmp);
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_WRITE_3, path,
		                   strerror(saved));
	}
	return SK_OK;
}

/* Starts the original's hash with what msg already holds. */
static sk_err start_hash(EVP_MD_CTX **md, const sk_buf *msg, sk_buf *err)
{
	*md = EVP_MD_CTX_new();
	if (!*md || !EVP_DigestInit_ex(*md, EVP_sha256(), NULL) ||
	    !EVP_DigestUpdate(*md, msg->data, msg->len))
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	return SK_OK;
}

/*
 * Reads a whole message from fd: keeps up to max bytes in msg, counts all of
 * them, and when keep_dir is set stores the original there under its SHA-256
 * (written to a temporary file as it is read, then renamed). *hashed says
 * whether sha holds the original's SHA-256 (see below for when it does).
 */
static sk_err read_message(int fd, size_t max, const char *keep_dir, sk_buf *msg, uint64_t *total,
                           unsigned char sha[32], bool *hashed, sk_buf *err)
{
	char chunk[65536], tmp[4096] = "";
	int kfd = -1;
	*hashed = false;
	if (keep_dir) {
		if (snprintf(tmp, sizeof(tmp), "%s/.incoming-XXXXXX", keep_dir) >= (int)sizeof(tmp))
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_CLI_DIRECTORY_NAME_TOO_LONG);
		if ((kfd = mkstemp(tmp)) < 0)
			return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_CREATE_FILE,
			                   keep_dir, strerror(errno));
	}
	/*
	 * The original's hash is taken here only when it is needed before the
	 * sanitizer runs (the kept file's name) or when the message is longer than
	 * what is kept in memory; otherwise sk_mail_sanitize hashes the bytes in
	 * memory, paired with the removed parts' hashes (src/mail/sha256.h).
	 */
	EVP_MD_CTX *md = NULL;
	sk_err e = SK_OK;
	if (keep_dir)
		e = start_hash(&md, msg, err);
	*total = 0;
	while (!e) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_READ_MESSAGE,
			                strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if (!md && msg->len + (size_t)n > max && (e = start_hash(&md, msg, err)))
			break;
		*total += (uint64_t)n;
		if (md)
			EVP_DigestUpdate(md, chunk, (size_t)n);
		/* Past max only the hash and the count go on; the headers are in what is kept. */
		if (msg->len < max)
			e = sk_buf_add(msg, chunk,
			               (size_t)n < max - msg->len ? (size_t)n : max - msg->len);
		if (!e && kfd >= 0 && !write_all(kfd, chunk, (size_t)n))
			e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_WRITE_4, tmp,
			                strerror(errno));
	}
	unsigned l;
	if (!e && md && !EVP_DigestFinal_ex(md, sha, &l))
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	*hashed = !e && md;
	EVP_MD_CTX_free(md);
	if (kfd >= 0) {
		bool synced = fsync(kfd) == 0;
		synced = close(kfd) == 0 && synced;
		if (!e && !synced)
			e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_WRITE_4, tmp,
			                strerror(errno));
		if (!e && *hashed) {
			char hex[65], path[4200];
			for (int i = 0; i < 32; i++)
				snprintf(hex + 2 * i, 3, "%02x", sha[i]);
			snprintf(path, sizeof(path), "%s/%s.eml", keep_dir, hex);
			if (rename(tmp, path) != 0)
				e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL,
				                SK_M_CLI_CANNOT_STORE_ORIGINAL, path,
				                strerror(errno));
		}
		if (e)
			unlink(tmp);
	}
	return e;
}

/* One message from fd: read, sanitize, record, and hand back the result. */
static sk_err process(const cfg *c, sk_mail_sanitizer *s, sk_store *st, int fd, sk_mail_result *res,
                      sk_buf *err)
{
	sk_buf msg = SK_BUF_INIT(c->opts.limits.max_size);
	uint64_t total;
	unsigned char sha[32];
	bool hashed = false;
	memset(res, 0, sizeof(*res));
	sk_err e =
	    read_message(fd, c->opts.limits.max_size, c->keep_dir, &msg, &total, sha, &hashed, err);
	if (!e) {
		sk_mail_input in = {.data = msg.data,
		                    .len = msg.len,
		                    .total = total,
		                    .sha256 = hashed ? sha : NULL};
		e = sk_mail_sanitize(s, &in, res, err);
	}
	sk_buf_free(&msg);
	if (!e && st)
		e = sk_mail_record(st, res, sk_actor_cli()->login, "cli", NULL, err);
	return e;
}

static char *json_text(const sk_mail_result *r)
{
	return json_dumps(r->json, JSON_INDENT(2) | JSON_ENCODE_ANY);
}

static int fail_code(const cfg *c, sk_err e)
{
	if (!c->filter)
		return e == SK_ERR_INVALID ? 2 : sk_err_exit_code(e) ? sk_err_exit_code(e) : 2;
	return e == SK_ERR_INVALID ? EX_DATAERR_ : EX_TEMPFAIL_;
}

static int run_one(const cfg *c, sk_mail_sanitizer *s, sk_store *st)
{
	int fd = 0;
	if (c->file && strcmp(c->file, "-") != 0 && (fd = open(c->file, O_RDONLY)) < 0) {
		int code = c->filter ? EX_TEMPFAIL_ : 2;
		sk_cli_fail(SK_ERR_IO, sk_cli_msg(SK_M_CLI_CANNOT_OPEN_3), c->file,
		            strerror(errno));
		return code;
	}
	sk_mail_result res;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = process(c, s, st, fd, &res, &err);
	if (fd > 0)
		close(fd);
	int rc = 0;
	if (e) {
		rc = fail_code(c, e);
		sk_cli_fail_buf(e, &err);
	} else {
		char *js = c->json ? json_text(&res) : NULL;
		const char *data = c->json ? js : res.message.data;
		size_t n = c->json ? (js ? strlen(js) : 0) : res.message.len;
		if (!data) {
			rc = fail_code(c, SK_ERR_NOMEM);
			sk_cli_fail(SK_ERR_NOMEM, "out of memory");
		} else if (c->out) {
			sk_buf whole = SK_BUF_INIT(SK_BUF_DEFAULT_MAX + 2);
			if (sk_buf_add(&whole, data, n) || (c->json && sk_buf_addc(&whole, '\n')) ||
			    (e = write_file_atomic(c->out, whole.data, whole.len, &err))) {
				rc = fail_code(c, SK_ERR_TEMPFAIL);
				sk_cli_fail_buf(e ? e : SK_ERR_NOMEM, &err);
			}
			sk_buf_free(&whole);
		} else if (!write_all(1, data, n) || (c->json && !write_all(1, "\n", 1))) {
			rc = c->filter ? EX_TEMPFAIL_ : 70;
			sk_cli_fail(SK_ERR_IO, sk_cli_msg(SK_M_CLI_CANNOT_WRITE_SANITIZED_MESSAGE),
			            strerror(errno));
		}
		free(js);
	}
	sk_mail_result_free(&res);
	sk_buf_free(&err);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The messages of a directory: maildir (new/ and cur/) or plain files, sorted. */
static void free_list(char **files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

static sk_err list_messages(const char *dir, char ***out, size_t *n, sk_buf *err)
{
	static const char *const maildir_sub[] = {"new", "cur"};
	char path[4096];
	struct stat sb;
	bool maildir = false;
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, maildir_sub[i]);
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			maildir = true;
	}
	size_t cap = 0;
	for (size_t i = 0; i < (maildir ? 2u : 1u); i++) {
		if (maildir)
			snprintf(path, sizeof(path), "%s/%s", dir, maildir_sub[i]);
		else
			snprintf(path, sizeof(path), "%s", dir);
		DIR *d = opendir(path);
		if (!d) {
			if (maildir)
				continue;
			free_list(*out, *n);
			*out = NULL;
			*n = 0;
			return sk_fail_msg(err, SK_ERR_IO, NULL, NULL,
			                   SK_M_CLI_CANNOT_READ_DIRECTORY, dir, strerror(errno));
		}
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			char full[8192];
			snprintf(full, sizeof(full), "%s/%s", path, de->d_name);
			if (stat(full, &sb) != 0 || !S_ISREG(sb.st_mode))
				continue;
			if (*n == cap) {
				cap = cap ? 2 * cap : 64;
				char **bigger = realloc(*out, cap * sizeof(char *));
				if (!bigger) {
					closedir(d);
					free_list(*out, *n);
					*out = NULL;
					*n = 0;
					return sk_fail(err, SK_ERR_NOMEM, "out of memory");
				}
				*out = bigger;
			}
			if (!((*out)[*n] = strdup(full))) {
				closedir(d);
				free_list(*out, *n);
				*out = NULL;
				*n = 0;
				return sk_fail(err, SK_ERR_NOMEM, "out of memory");
			}
			(*n)++;
		}
		closedir(d);
	}
	if (*n)
		qsort(*out, *n, sizeof(char *), by_name);
	return SK_OK;
}

static int run_batch(const cfg *c, sk_mail_sanitizer *s, sk_store *st)
{
	struct stat sb;
	if (stat(c->out_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return sk_cli_fail(SK_ERR_INVALID, sk_cli_msg(SK_M_CLI_OUT_DIRECTORY), c->out_dir);
	char **files;
	size_t n;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = list_messages(c->in_dir, &files, &n, &err);
	if (e) {
		int rc = sk_cli_fail_buf(e, &err);
		sk_buf_free(&err);
		return rc;
	}
	size_t ok = 0, failed = 0;
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(files[i], '/') ? strrchr(files[i], '/') + 1 : files[i];
		int fd = open(files[i], O_RDONLY);
		sk_mail_result res;
		memset(&res, 0, sizeof(res));
		if (fd < 0) {
			e = sk_fail_msg(&err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_OPEN_4,
			                strerror(errno));
		} else {
			e = process(c, s, st, fd, &res, &err);
			close(fd);
		}
		if (!e) {
			char path[8192];
			snprintf(path, sizeof(path), "%s/%s%s", c->out_dir, base,
			         c->json ? ".json" : "");
			char *js = c->json ? json_text(&res) : NULL;
			if (c->json && !js)
				e = sk_fail(&err, SK_ERR_NOMEM, "out of memory");
			else
				e = write_file_atomic(path, c->json ? js : res.message.data,
				                      c->json ? strlen(js) : res.message.len, &err);
			free(js);
		}
		if (e) {
			failed++;
			printf(sk_cli_msg(SK_M_CLI_OUT_SANITIZE_FAILED), base, sk_cli_err(&err, e));
		} else {
			ok++;
			printf(sk_cli_msg(SK_M_CLI_OUT_SANITIZE_OK), base, res.nremoved,
			       json_array_size(json_object_get(res.json, "notices")), res.sha256);
		}
		sk_mail_result_free(&res);
		free(files[i]);
	}
	free(files);
	sk_buf_free(&err);
	printf(sk_cli_msg(SK_M_CLI_OUT_SANITIZE_TOTAL), ok, failed);
	return fflush(stdout) != 0 ? 70 : failed ? 1 : 0;
}

/* Parses the command line into c; returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, cfg *c)
{
	long long max_size = 0, max_parts = 0, max_depth = 0;
	const sk_cli_opt opts[] = {
	    SK_OPT_FLAG("json", &c->json),
	    SK_OPT_FLAG("defang-links", &c->opts.defang_links),
	    SK_OPT_STR("keep-original", &c->keep_dir),
	    SK_OPT_FLAG("filter", &c->filter),
	    SK_OPT_STR("db", &c->db),
	    SK_OPT_STR("in", &c->in_dir),
	    SK_OPT_STR("out", &c->out_dir),
	    SK_OPT_STR_L("output", 'o', &c->out),
	    SK_OPT_NUM("max-size", &max_size, 1, 1LL << 30),
	    SK_OPT_NUM("max-parts", &max_parts, 1, 100000),
	    SK_OPT_NUM("max-depth", &max_depth, 1, 100000),
	    SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, usage_line, opts, SK_CLI_ANY_ARGS, &st))
		return st;
	if (max_size)
		c->opts.limits.max_size = (size_t)max_size;
	if (max_parts)
		c->opts.limits.max_parts = (size_t)max_parts;
	if (max_depth)
		c->opts.limits.max_depth = (size_t)max_depth;
	if (optind < argc)
		c->file = argv[optind++];
	if (optind < argc)
		return sk_cli_usage_error(usage_line, sk_cli_msg(SK_M_CLI_UNEXPECTED_ARG),
		                          argv[optind]);
	if ((c->in_dir == NULL) != (c->out_dir == NULL))
		return sk_cli_usage_error(usage_line, "%s", sk_cli_msg(SK_M_CLI_OUT_GO_TOGETHER));
	if (c->in_dir && (c->file || c->out || c->filter))
		return sk_cli_usage_error(usage_line, "%s",
		                          sk_cli_msg(SK_M_CLI_OUT_CANNOT_COMBINED_FILE));
	if (c->keep_dir) {
		struct stat sb;
		if (stat(c->keep_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
			return sk_cli_usage_error(
			    usage_line, sk_cli_msg(SK_M_CLI_KEEP_ORIGINAL_DIRECTORY), c->keep_dir);
	}
	return -1;
}

int sk_cmd_sanitize(int argc, char **argv)
{
	cfg c = {0};
	sk_mail_limits_default(&c.opts.limits);
	int rc = parse_args(argc, argv, &c);
	if (rc >= 0)
		return c.filter && rc != 0 ? EX_TEMPFAIL_ : rc;
	c.opts.render = !c.json;
	c.opts.json_body = c.json;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_mail_sanitizer *s = NULL;
	sk_store *st = NULL;
	sk_err e = sk_mail_sanitizer_new(&c.opts, &s, &err);
	if (!e && c.db)
		e = sk_store_open(sk_cli_db_url(c.db), 0, &st, &err);
	if (e) {
		rc = c.filter ? EX_TEMPFAIL_ : sk_err_exit_code(e);
		sk_cli_fail_buf(e, &err);
	} else {
		rc = c.in_dir ? run_batch(&c, s, st) : run_one(&c, s, st);
	}
	if (st)
		sk_store_close(st);
	sk_mail_sanitizer_free(s);
	sk_buf_free(&err);
	return rc;
}
