// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe: module_import_ns_string
 *
 * Kernel:   6.13, "module: Convert symbol namespace to string literal":
 *           MODULE_IMPORT_NS() and EXPORT_SYMBOL_NS[_GPL]() take the
 *           namespace as a string literal instead of stringifying a bare
 *           token.
 * Yes:      MODULE_IMPORT_NS("NS") records NS itself. A bare token would
 *           compile on both sides of the change, so the probe looks at what
 *           the macro makes of a string literal: MODULE_IMPORT_NS expands to
 *           MODULE_INFO(import_ns, <value>), and MODULE_INFO is redefined
 *           here into a size check of <value>. Stringifying kernels turn
 *           "NS" into "\"NS\"", which is longer, and fail the check.
 * Selects:  forward/module_import_ns_string when "yes" (forward.sh), and
 *           backport/module_import_ns_string when "no".
 */
#include <linux/module.h>

#undef MODULE_INFO
#define MODULE_INFO(tag, info)                                                 \
	_Static_assert(sizeof(info) == sizeof("SOLCOMPAT_PROBE"),             \
		       "the namespace is stringified, not taken as a literal")

MODULE_IMPORT_NS("SOLCOMPAT_PROBE");
