// SPDX-License-Identifier: GPL-2.0
/*
 * Runner 1's family list for the probe core in the model
 * (tests/probes/CMakeLists.txt): the dtrace family, as dtrace_test.ko
 * (tests/kernel/dtrace_test_kmod.c) lists it for runner 2.
 */
#include "sctest.h"

extern const struct sctest_family sctest_family_dtrace;

const struct sctest_family *const sctest_families[] = {
    &sctest_family_dtrace,
};

const unsigned int sctest_family_count = sizeof(sctest_families) / sizeof(sctest_families[0]);
