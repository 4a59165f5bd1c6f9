/*
 * fuzz_audit: libFuzzer target for the audit log's parsers of outside input:
 * verifier key lines, signed checkpoint notes (against a fixed key) and
 * exports (sk_audit_verify_export). The first input byte picks the parser.
 * Build with meson -Dfuzz=true (clang); run as BUILD/fuzz/fuzz_audit.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "audit/checkpoint.h"
#include "audit/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed, valid verifier key (public; any key will do). */
static const char VKEY[] =
    "sekisho.niigata/e0d36d7758bd3f1c+1ae51e62+AXFDiLnKw4Rz3A3F4eXlcWcopUWj4Zrp4UAfan+btSCY";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	sk_audit_verifier v;
	switch (data[0] % 3) {
	case 0:
		(void)sk_audit_vkey_parse(text, len, &v, NULL);
		break;
	case 1: {
		sk_audit_checkpoint cp;
		if (sk_audit_vkey_parse(VKEY, strlen(VKEY), &v, NULL) != SK_OK)
			__builtin_trap(); /* the fixed key must parse */
		(void)sk_audit_checkpoint_open(text, len, &v, &cp, NULL);
		break;
	}
	default: {
		FILE *f = fmemopen((void *)(uintptr_t)text, len ? len : 1, "r");
		if (!f)
			break;
		sk_audit_verify_opts o = {0};
		sk_audit_verify_result r;
		sk_audit_verify_result_init(&r);
		(void)sk_audit_verify_export(f, &o, &r, NULL);
		sk_audit_verify_result_free(&r);
		fclose(f);
	}
	}
	return 0;
}
