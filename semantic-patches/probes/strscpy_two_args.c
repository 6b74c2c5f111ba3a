// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe: strscpy_two_args
 *
 * Kernel:   6.8, "string: Allow 2-argument strscpy()" (strscpy_pad() too):
 *           the size may be left out when the destination is an array.
 * Yes:      strscpy(array, src) compiles.
 * Selects:  backport/strscpy_size_arg when "no".
 */
#include <linux/string.h>

ssize_t solcompat_probe_strscpy_two_args(const char *src);
ssize_t solcompat_probe_strscpy_two_args(const char *src)
{
	char buf[16];

	return strscpy(buf, src) + strscpy_pad(buf, src);
}
