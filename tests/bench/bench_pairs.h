/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark pairs both worlds run (bench_pairs.c): solcompat's
 * primitive and the Linux primitive it stands for, each a loop of n
 * operations. solcompat_bench.ko (bench_kmod.c) times them in the kernel
 * with its own kernel-only pairs; the model benchmark (model_bench.cc,
 * Google Benchmark) times them against the model's stand-ins. No includes:
 * the C++ driver reads this too.
 */
#ifndef _SOLCOMPAT_TESTS_BENCH_PAIRS_H
#define _SOLCOMPAT_TESTS_BENCH_PAIRS_H

#ifdef __cplusplus
extern "C" {
#endif

struct bench_pair {
	const char *name;	/* "<ours> vs <native>" */
	void (*ours)(unsigned int n);
	void (*native)(unsigned int n);
};

extern const struct bench_pair bench_pairs[];
extern const unsigned int bench_npairs;

/* Set up and tear down the locks the loops use: process context, after
 * solcompat's module_init. */
void bench_pairs_setup(void);
void bench_pairs_teardown(void);

#ifdef __cplusplus
}
#endif

#endif /* _SOLCOMPAT_TESTS_BENCH_PAIRS_H */
