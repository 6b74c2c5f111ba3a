// SPDX-License-Identifier: GPL-2.0
/*
 * fbt_test.ko: the fbt provider's conformance cases
 * (tests/conformance/fbt_cases.c) in the real kernel, with the runner of
 * solcompat_test.ko (sctest_kmod.c, compiled into this module too: the
 * same context classes, the same KTAP). The module also carries a private
 * instance of the probe core and the fbt provider (tests/kernel/Kbuild),
 * and the functions the cases probe, so that their module name is known
 * ("fbt_test") and their arguments and return values are the cases' own.
 *
 * Load after solcompat.ko (and dtrace.ko, if present: the two cores do not
 * share anything). census=<glob> adds fbt.vmlinux_census over the kernel
 * functions the glob matches ("*": all of them; that takes a long time
 * under TCG, see the case); many=<prefix> adds fbt.many_functions_enabled
 * (every kernel function starting with prefix, enabled under a workload)
 * and many_min=<n> is the fewest functions that case must probe (default
 * 2000, "a few thousand": a prefix that matches fewer fails the case).
 */
#include <linux/moduleparam.h>

#include "sctest_kmod.c"

extern char *fbt_test_census; /* read by tests/conformance/fbt_cases.c */
char *fbt_test_census = "";
module_param_named(census, fbt_test_census, charp, 0444);
MODULE_PARM_DESC(census, "give the kernel functions matching this glob fbt probes and count");

extern char *fbt_test_many; /* read by tests/conformance/fbt_cases.c */
char *fbt_test_many = "";
module_param_named(many, fbt_test_many, charp, 0444);
MODULE_PARM_DESC(many, "enable every kernel function starting with this prefix under a workload");

extern unsigned int fbt_test_many_min; /* read by tests/conformance/fbt_cases.c */
unsigned int fbt_test_many_min = 2000;
module_param_named(many_min, fbt_test_many_min, uint, 0444);
MODULE_PARM_DESC(many_min, "fewest functions many= must probe (default 2000)");

extern const struct sctest_family sctest_family_fbt;

const struct sctest_family *const sctest_families[] = {
	&sctest_family_fbt,
};

const unsigned int sctest_family_count =
	sizeof(sctest_families) / sizeof(sctest_families[0]);
