// SPDX-License-Identifier: GPL-2.0
/*
 * Runner 1's family list for fbt in the model (tests/probes/CMakeLists.txt):
 * the fbt family, whose cases and probed functions are in the model module
 * fbt_test.model.so, as fbt_test.ko (tests/kernel/fbt_test_kmod.c) lists it
 * for runner 2. The module's parameters are empty here: the census and
 * many-functions cases are for the kernels' own text.
 */
#include "sctest.h"

extern const struct sctest_family sctest_family_fbt;

const struct sctest_family *const sctest_families[] = {
    &sctest_family_fbt,
};

const unsigned int sctest_family_count = sizeof(sctest_families) / sizeof(sctest_families[0]);

/* fbt_test.ko's parameters census=, many= and many_min=, read by fbt_cases.c. */
extern char *fbt_test_census;
extern char *fbt_test_many;
extern unsigned int fbt_test_many_min;
char *fbt_test_census = "";
char *fbt_test_many = "";
unsigned int fbt_test_many_min = 2000;
