/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model benchmark's kernel half (model_bench_kernel.c, compiled like
 * linux/ against the model's stand-ins) as seen from its Google Benchmark
 * driver (model_bench.cc): pairs of loops, solcompat's primitive and the
 * Linux primitive it stands for, each running n operations.
 */
#ifndef _SOLCOMPAT_TESTS_MODEL_BENCH_H
#define _SOLCOMPAT_TESTS_MODEL_BENCH_H

#ifdef __cplusplus
extern "C" {
#endif

struct model_bench_pair {
	const char *name;	/* "<ours> vs <native>" */
	void (*ours)(unsigned int n);
	void (*native)(unsigned int n);
};

extern const struct model_bench_pair model_bench_pairs[];
extern const unsigned int model_bench_npairs;

/* Set up and tear down the locks the loops use; on a model CPU, in task
 * context, after solcompat's module_init. */
int model_bench_setup(void);
void model_bench_teardown(void);

#ifdef __cplusplus
}
#endif

#endif /* _SOLCOMPAT_TESTS_MODEL_BENCH_H */
