/*
 * asset_scheme: the classification scheme of the register: the fallback the seed cities share,
 * the level lists of messages and the label text (分類の表示); the accessors the hot paths call
 * (level_parse, level_is_top, ...) are static inline in asset_int.h.
 */
#include <stdio.h>

#include "asset_int.h"

/*
 * --- the classification scheme ---
 *
 * Levels are the installation's profile's (meta "policy.profile", a built-in
 * name or a path; sk_policy_open). An installation without a profile (a bare
 * database) uses the scheme the four seed cities share (機密性 3/2/1,
 * 完全性 2/1, 可用性 2/1; 八王子 7(1)); a profile that is named but cannot be
 * loaded is an error, never a silent fallback. Levels are stored as the
 * scheme's names ("3", "3A"), so the register reads the same under either.
 */
const struct fallback_axis asset_fallback[3] = {
    {"機密性", (const char *const[]){"1", "2", "3"}, 3},
    {"完全性", (const char *const[]){"1", "2"}, 2},
    {"可用性", (const char *const[]){"1", "2"}, 2},
};

sk_err asset_scheme_open(sk_ctx *c, scheme *sc, sk_buf *err)
{
	return sk_ctx_policy(c, &sc->pol, err);
}

void asset_level_names(const scheme *sc, int axis, char *out, size_t max)
{
	size_t o = 0;
	out[0] = '\0';
	int n = level_count(sc, axis);
	for (int i = n; i-- > 0 && o < max;)
		o += (size_t)snprintf(out + o, max - o, "%s%s", i + 1 < n ? ", " : "",
		                      level_name(sc, axis, i));
}

sk_err asset_make_label(const scheme *sc, const char *c, const char *i, const char *a, char *out,
                        size_t max)
{
	if (!sc->pol) {
		snprintf(out, max, "%s%s、%s%s、%s%s", asset_fallback[0].title, c,
		         asset_fallback[1].title, i, asset_fallback[2].title, a);
		return SK_OK;
	}
	sk_buf b = SK_BUF_INIT(max - 1);
	sk_err e = sk_policy_label(sc->pol, level_value(sc, 0, c), level_value(sc, 1, i),
	                           level_value(sc, 2, a), &b);
	snprintf(out, max, "%s", b.data);
	sk_buf_free(&b);
	return e;
}
