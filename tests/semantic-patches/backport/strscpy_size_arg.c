// SPDX-License-Identifier: GPL-2.0
/* Fixture for semantic-patches/backport/strscpy_size_arg.cocci. */
#include <linux/string.h>

struct fixture_named {
	char name[16];
	char tag[8];
};

ssize_t fixture_strscpy_copy(struct fixture_named *n, const char *src, char *out,
			     size_t len);
ssize_t fixture_strscpy_copy(struct fixture_named *n, const char *src, char *out,
			     size_t len)
{
	char local[32];

	if (strscpy(n->name, src) < 0)
		return -E2BIG;
	strscpy_pad(n->tag, "tag");
	strscpy(local, n->name);
	return strscpy(out, local, len);
}
