/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/systm.h: interrupt priority levels (spl*) and user copies (copyin,
 * copyout, copyinstr). More of systm.h arrives with the families that need it.
 */
#ifndef _SOLCOMPAT_SYS_SYSTM_H
#define _SOLCOMPAT_SYS_SYSTM_H

#include <sys/errno.h>
#include <sys/types.h>
#include <impl/copy.h>
#include <impl/spl.h>

#define LOCK_LEVEL SOLCOMPAT_LOCK_LEVEL
#define CLOCK_LEVEL SOLCOMPAT_CLOCK_LEVEL
#define DISP_LEVEL SOLCOMPAT_DISP_LEVEL
#define XC_HI_PIL SOLCOMPAT_PIL_MAX
#define PIL_MAX SOLCOMPAT_PIL_MAX

/*
 * Raise to at least level; returns the cookie for splx().
 * Context: Any context.
 */
static inline int splr(int level)
{
	return solcompat_splr(level);
}

/*
 * Mask all maskable interrupts (level PIL_MAX); returns the cookie.
 * Context: Any context.
 */
static inline int splhigh(void)
{
	return solcompat_splr(SOLCOMPAT_PIL_MAX);
}

/*
 * Same as splhigh() on this platform (level 15 masks everything).
 * Context: Any context.
 */
static inline int spl7(void)
{
	return solcompat_splr(SOLCOMPAT_PIL_MAX);
}

/*
 * Raise to the dispatcher level; returns the cookie.
 * Context: Any context.
 */
static inline int splhi(void)
{
	return solcompat_splr(SOLCOMPAT_DISP_LEVEL);
}

/*
 * Restore exactly the state a cookie recorded.
 * Context: Any context.
 */
static inline void splx(int cookie)
{
	solcompat_splx(cookie);
}

/*
 * Lower to the lowest level the context allows; returns the cookie.
 * Context: Any context.
 */
static inline int spl0(void)
{
	return solcompat_spl0();
}

/*
 * The current priority level.
 * Context: Any context.
 */
static inline int getpil(void)
{
	return solcompat_getpil();
}

/*
 * Copy from user space: 0, or -1 on a bad address.
 * Context: Process context. May sleep.
 */
static inline int copyin(const void *uaddr, void *kaddr, size_t len)
{
	return solcompat_copyin(uaddr, kaddr, len);
}

/*
 * Copy to user space: 0, or -1 on a bad address.
 * Context: Process context. May sleep.
 */
static inline int copyout(const void *kaddr, void *uaddr, size_t len)
{
	return solcompat_copyout(kaddr, uaddr, len);
}

/*
 * Copy a string from user space: 0, EFAULT or ENAMETOOLONG.
 * Context: Process context. May sleep.
 */
static inline int copyinstr(const char *uaddr, char *kaddr, size_t maxlen,
			    size_t *copied)
{
	return solcompat_copyinstr(uaddr, kaddr, maxlen, copied);
}

#endif /* _SOLCOMPAT_SYS_SYSTM_H */
