/*
 * usage: the usage lines and --help of every command, in the reader's
 * language (issue 15 item 1).
 *
 * A command's usage is one string in its verb table (or its own constant):
 * the syntax after the command's name, option names and the words a person
 * types (keys such as take_out, yes|no) as they are typed, and a
 * placeholder in capitals where a value goes ("--db URL", "--as LOGIN").
 * Each placeholder is worded here from the catalog (sk_msg_help.def), so
 * the usage is written once and read in Japanese or English. A newline in a
 * usage starts another form of the same command.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../core/sk_msg.h"
#include "cli.h"

/* Every placeholder a usage line may hold, and its words in the catalog. */
static const struct {
	const char *token;
	sk_msg_id word;
} placeholders[] = {
    {"URL", SK_M_PH_URL},
    {"SMTP_URL", SK_M_PH_SMTP_URL},
    {"BASE_URL", SK_M_PH_BASE_URL},
    {"LOGIN", SK_M_PH_LOGIN},
    {"TEXT", SK_M_PH_TEXT},
    {"ID", SK_M_PH_ID},
    {"ATTACHMENT_ID", SK_M_PH_ATTACHMENT_ID},
    {"KIND", SK_M_PH_KIND},
    {"TYPE", SK_M_PH_TYPE},
    {"MEDIA_TYPE", SK_M_PH_MEDIA_TYPE},
    {"JSON", SK_M_PH_JSON},
    {"FILE", SK_M_PH_FILE},
    {"KEYFILE", SK_M_PH_KEYFILE},
    {"PUBFILE", SK_M_PH_PUBFILE},
    {"DIR", SK_M_PH_DIR},
    {"OUT", SK_M_PH_OUT},
    {"PATH", SK_M_PH_PATH},
    {"NAME", SK_M_PH_NAME},
    {"LEDGER", SK_M_PH_LEDGER},
    {"UNIT", SK_M_PH_UNIT},
    {"CODE", SK_M_PH_CODE},
    {"LEVEL", SK_M_PH_LEVEL},
    {"ZONE", SK_M_PH_ZONE},
    {"TIME_ZONE", SK_M_PH_TIME_ZONE},
    {"STATUS", SK_M_PH_STATUS},
    {"ACTION", SK_M_PH_ACTION},
    {"ROLE", SK_M_PH_ROLE},
    {"PROFILE", SK_M_PH_PROFILE},
    {"VERSION", SK_M_PH_VERSION},
    {"V1", SK_M_PH_V1},
    {"V2", SK_M_PH_V2},
    {"N", SK_M_PH_N},
    {"SEQ", SK_M_PH_SEQ},
    {"COUNT", SK_M_PH_COUNT},
    {"OLD", SK_M_PH_OLD},
    {"NEW", SK_M_PH_NEW},
    {"DAYS", SK_M_PH_DAYS},
    {"SECONDS", SK_M_PH_SECONDS},
    {"BYTES", SK_M_PH_BYTES},
    {"DATE", SK_M_PH_DATE},
    {"YYYY-MM-DD", SK_M_PH_YMD},
    {"TIME", SK_M_PH_TIME},
    {"ADDR", SK_M_PH_ADDR},
    {"PORT", SK_M_PH_PORT},
    {"MAIL_ADDR", SK_M_PH_MAIL_ADDR},
    {"CIDR", SK_M_PH_CIDR},
    {"PASSWORD", SK_M_PH_PASSWORD},
    {"SAFEGUARD", SK_M_PH_SAFEGUARD},
    {"ADD_OPTIONS", SK_M_PH_ADD_OPTIONS},
    {"COMMAND", SK_M_PH_COMMAND},
    {"ARGS", SK_M_PH_ARGS},
};

static bool upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool word_char(char c)
{
	return upper(c) || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* The placeholder at p (n bytes), or NULL when the word is not one. */
static const char *placeholder(const char *p, size_t n)
{
	for (size_t i = 0; i < sizeof(placeholders) / sizeof(placeholders[0]); i++)
		if (strlen(placeholders[i].token) == n && memcmp(placeholders[i].token, p, n) == 0)
			return sk_cli_msg(placeholders[i].word);
	return NULL;
}

/*
 * Writes the line of usage at p (up to a newline or the end) with its
 * placeholders worded; returns where it stopped. A placeholder is a word of
 * capitals, digits, '_' and inner '-' ("YYYY-MM-DD") standing alone: not
 * inside another word or an option's name; a word the table does not know is
 * written as is.
 */
static const char *put_line(FILE *f, const char *p)
{
	char prev = ' ';
	while (*p && *p != '\n') {
		if (upper(*p) && !word_char(prev) && prev != '-') {
			const char *q = p;
			while (upper(*q) || (*q >= '0' && *q <= '9') || *q == '_' ||
			       (*q == '-' && upper(q[1])))
				q++;
			const char *w =
			    (*q >= 'a' && *q <= 'z') ? NULL : placeholder(p, (size_t)(q - p));
			if (w)
				fputs(w, f);
			else
				fwrite(p, 1, (size_t)(q - p), f);
			prev = q[-1];
			p = q;
			continue;
		}
		prev = *p;
		fputc(*p++, f);
	}
	return p;
}

/* How many columns s takes on a terminal after its last newline: a multi-byte (Japanese) character
 * takes two. */
static size_t columns(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n = *p == '\n' ? 0 : n + (*p < 0x80 ? 1 : (*p >= 0xc0 ? 2 : 0));
	return n;
}

void sk_cli_put_usage(FILE *f, const char *lead, const char *name, const char *usage)
{
	char heading[64];
	if (!lead) {
		snprintf(heading, sizeof(heading), "%s ", sk_cli_msg(SK_M_CLI_USAGE));
		lead = heading;
	}
	size_t indent = columns(lead);
	fprintf(f, "%s%s", lead, name);
	for (const char *p = usage;;) {
		if (*p && *p != '\n')
			fputc(' ', f);
		p = put_line(f, p);
		fputc('\n', f);
		if (!*p++)
			break;
		fprintf(f, "%*s%s", (int)indent, "", name);
	}
}

static sk_msg_id summary;
static bool has_summary;

void sk_cli_describe_command(sk_msg_id id)
{
	summary = id;
	has_summary = true;
}

void sk_cli_help(const char *usage)
{
	sk_cli_put_usage(stdout, NULL, sk_cli_command_name(), usage);
	if (has_summary)
		printf("\n%s\n", sk_cli_msg(summary));
}

void sk_cli_verbs_usage(FILE *f, const struct sk_cli_verb *verbs)
{
	char name[160];
	sk_cli_put_usage(f, NULL, sk_cli_command_name(), "COMMAND [ARGS]");
	if (has_summary)
		fprintf(f, "\n%s\n", sk_cli_msg(summary));
	fprintf(f, "\n%s\n", sk_cli_msg(SK_M_CLI_COMMANDS));
	for (const struct sk_cli_verb *v = verbs; v->verb; v++) {
		snprintf(name, sizeof(name), "%s %s", sk_cli_command_name(), v->verb);
		sk_cli_put_usage(f, "  ", name, v->usage);
		if (v->summary)
			fprintf(f, "      %s\n", sk_cli_msg(v->summary));
	}
}

int sk_cli_take_lang(int *argc, char **argv)
{
	int out = 1;
	bool ended = false;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i], *v = NULL;
		ended = ended || strcmp(a, "--") == 0;
		if (!ended && strcmp(a, "--lang") == 0 && i + 1 < *argc)
			v = argv[++i];
		else if (!ended && strncmp(a, "--lang=", 7) == 0)
			v = a + 7;
		if (!v) {
			argv[out++] = argv[i];
			continue;
		}
		/* "ja", "en" or a locale's name as LANG holds it ("ja_JP.UTF-8"). */
		if (strncmp(v, "ja", 2) == 0 && (!v[2] || v[2] == '_' || v[2] == '-'))
			sk_lang_set_env(SK_LANG_JA);
		else if (strncmp(v, "en", 2) == 0 && (!v[2] || v[2] == '_' || v[2] == '-'))
			sk_lang_set_env(SK_LANG_EN);
		else
			return sk_cli_fail(SK_ERR_INVALID, sk_cli_msg(SK_M_CLI_BAD_LANG), v);
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}
