/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/uaccess.h that linux/ uses.
 *
 * User memory in the model is what the test registered as such
 * (model.hh UserAlloc): any other address, kernel memory included, faults.
 * The copies may sleep in the kernel (a page fault), so might_sleep is
 * checked first, as CONFIG_DEBUG_ATOMIC_SLEEP does; they copy up to the
 * first faulting byte and return what was not copied (copy_from_user
 * zero-fills the rest of the destination), as the kernel's do.
 */
#ifndef _MODEL_LINUX_UACCESS_H
#define _MODEL_LINUX_UACCESS_H

#include <linux/compiler.h>
#include <linux/irqflags.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <model/abi.h>

static inline unsigned long copy_from_user(void *to, const void __user *from,
					   unsigned long n)
{
	return model_copy_from_user(to, from, n);
}

static inline unsigned long copy_to_user(void __user *to, const void *from,
					 unsigned long n)
{
	return model_copy_to_user(to, from, n);
}

static inline long strncpy_from_user(char *dst, const char __user *src,
				     long count)
{
	return model_strncpy_from_user(dst, src, count);
}

/* mm/maccess.c: read kernel memory without faulting; 0 or -EFAULT. */
long copy_from_kernel_nofault(void *dst, const void *src, size_t size);

#endif /* _MODEL_LINUX_UACCESS_H */
