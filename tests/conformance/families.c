// SPDX-License-Identifier: GPL-2.0
/*
 * The list of conformance case families, shared by both runners. A new case
 * file adds its family here and to the source lists (tests/conformance/CMakeLists.txt for
 * the model, tests/kernel/Kbuild for the kernel).
 */
#include "sctest.h"

extern const struct sctest_family sctest_family_types;
extern const struct sctest_family sctest_family_debug;
extern const struct sctest_family sctest_family_atomic;
extern const struct sctest_family sctest_family_sysmacros;
extern const struct sctest_family sctest_family_list;
extern const struct sctest_family sctest_family_avl;
extern const struct sctest_family sctest_family_spl;
extern const struct sctest_family sctest_family_xcall;
extern const struct sctest_family sctest_family_time;
extern const struct sctest_family sctest_family_kmem;
extern const struct sctest_family sctest_family_vmem;
extern const struct sctest_family sctest_family_cmn_err;
extern const struct sctest_family sctest_family_copy;
extern const struct sctest_family sctest_family_cpu;
extern const struct sctest_family sctest_family_cyclic;
extern const struct sctest_family sctest_family_taskq;
extern const struct sctest_family sctest_family_ddi;
extern const struct sctest_family sctest_family_mutex;
extern const struct sctest_family sctest_family_rwlock;
extern const struct sctest_family sctest_family_condvar;
extern const struct sctest_family sctest_family_sema;

const struct sctest_family *const sctest_families[] = {
	&sctest_family_types,
	&sctest_family_debug,
	&sctest_family_atomic,
	&sctest_family_sysmacros,
	&sctest_family_list,
	&sctest_family_avl,
	&sctest_family_spl,
	&sctest_family_xcall,
	&sctest_family_time,
	&sctest_family_kmem,
	&sctest_family_vmem,
	&sctest_family_cmn_err,
	&sctest_family_copy,
	&sctest_family_cpu,
	&sctest_family_cyclic,
	&sctest_family_taskq,
	&sctest_family_ddi,
	&sctest_family_mutex,
	&sctest_family_rwlock,
	&sctest_family_condvar,
	&sctest_family_sema,
};

const unsigned int sctest_family_count =
	sizeof(sctest_families) / sizeof(sctest_families[0]);
