// SPDX-License-Identifier: GPL-2.0
/*
 * dtrace_test.ko: the probe core's conformance cases
 * (tests/conformance/dtrace_cases.c) in the real kernel, with the runner of
 * solcompat_test.ko (sctest_kmod.c, compiled in: the same context classes,
 * the same KTAP). The cases bring up a private instance of the probe core
 * and its providers (tests/kernel/Kbuild), so they do not disturb, and are
 * not disturbed by, a loaded dtrace.ko.
 */
#include "sctest_kmod.c"

extern const struct sctest_family sctest_family_dtrace;

const struct sctest_family *const sctest_families[] = {
	&sctest_family_dtrace,
};

const unsigned int sctest_family_count = ARRAY_SIZE(sctest_families);
