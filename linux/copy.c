// SPDX-License-Identifier: GPL-2.0
/*
 * User copies: copyin, copyout, copyinstr (and ddi_copyin/ddi_copyout,
 * which are inline over these).
 *
 * Big Theory Statement
 * --------------------
 * copy_from_user/copy_to_user already return the number of bytes not copied
 * instead of oopsing on a bad address (exception tables), so copyin and
 * copyout are thin: any shortfall becomes Solaris's -1. They may fault in
 * pages and so sleep: process context only, checked at entry; elsewhere the
 * call is reported and fails with -1 rather than risking a sleep in atomic
 * context (CONTRACTS.md 2.2).
 *
 * copyinstr uses strncpy_from_user, which returns the string length, or
 * maxlen when no NUL was found within maxlen bytes, or -EFAULT. Solaris
 * semantics, which OpenZFS's port gets wrong: a string that does not fit
 * (NUL included) is ENAMETOOLONG with maxlen bytes copied; *copied counts
 * the NUL.
 *
 * Contexts: all functions here: process only (reported elsewhere).
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/uaccess.h>

#include <impl/copy.h>
#include <impl/debug.h>
#include "solcompat_init.h"

/*
 * Where a sleep is allowed: task context, preemption and interrupts on, no
 * RCU reader (on PREEMPT_RT a spinlock_t holder is one, with a zero
 * preempt_count). A fault's sleep in an RCU read section warns.
 */
static bool copy_context_ok(const char *api, const void *caller)
{
	if (likely(in_task() && solcompat_mem_may_sleep()))
		return true;
	solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, api,
			 "user copies may fault and sleep: process context only",
			 caller);
	return false;
}

int solcompat_copyin(const void *uaddr, void *kaddr, size_t len)
{
	if (!copy_context_ok("copyin", __builtin_return_address(0)))
		return -1;
	return copy_from_user(kaddr, (const void __user *)uaddr, len) ? -1 : 0;
}
EXPORT_SYMBOL_GPL(solcompat_copyin);

int solcompat_copyout(const void *kaddr, void *uaddr, size_t len)
{
	if (!copy_context_ok("copyout", __builtin_return_address(0)))
		return -1;
	return copy_to_user((void __user *)uaddr, kaddr, len) ? -1 : 0;
}
EXPORT_SYMBOL_GPL(solcompat_copyout);

int solcompat_copyinstr(const char *uaddr, char *kaddr, size_t maxlen,
			size_t *copied)
{
	long n;

	if (copied)
		*copied = 0;
	if (!copy_context_ok("copyinstr", __builtin_return_address(0)))
		return SOLCOMPAT_EFAULT;
	if (maxlen == 0)
		return SOLCOMPAT_ENAMETOOLONG;
	n = strncpy_from_user(kaddr, (const char __user *)uaddr,
			      min_t(size_t, maxlen, LONG_MAX));
	if (n < 0)
		return SOLCOMPAT_EFAULT;
	if ((size_t)n >= maxlen) {
		/* No NUL within maxlen: Solaris copies maxlen bytes. */
		if (copied)
			*copied = maxlen;
		return SOLCOMPAT_ENAMETOOLONG;
	}
	if (copied)
		*copied = n + 1;
	return 0;
}
EXPORT_SYMBOL_GPL(solcompat_copyinstr);
