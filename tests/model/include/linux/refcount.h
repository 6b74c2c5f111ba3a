/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/refcount.h that linux/
 * uses. An increment from zero or a decrement below it is a use after
 * free in the caller: the model reports it as a violation, where the
 * kernel saturates the count and warns.
 */
#ifndef _MODEL_LINUX_REFCOUNT_H
#define _MODEL_LINUX_REFCOUNT_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/types.h>
#include <model/abi.h>

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return (unsigned int)atomic_read(&r->refs);
}

static inline void refcount_inc(refcount_t *r)
{
	if (__atomic_fetch_add(&r->refs.counter, 1, __ATOMIC_RELAXED) <= 0)
		model_violation("refcount_inc",
				"increment from zero: use after free");
}

/* Fully ordered on the way to zero, as in the kernel. */
static inline bool refcount_dec_and_test(refcount_t *r)
{
	int left = __atomic_sub_fetch(&r->refs.counter, 1, __ATOMIC_SEQ_CST);

	if (left < 0)
		model_violation("refcount_dec_and_test",
				"decrement below zero: use after free");
	return left == 0;
}

#endif /* _MODEL_LINUX_REFCOUNT_H */
