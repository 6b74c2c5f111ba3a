/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/sunddi.h: the DDI routines. Today: ticks and delays. More of the DDI
 * (minor nodes, soft state) arrives with the families that need it.
 */
#ifndef _SOLCOMPAT_SYS_SUNDDI_H
#define _SOLCOMPAT_SYS_SUNDDI_H

#include <sys/types.h>
#include <impl/copy.h>
#include <impl/cpu.h>
#include <impl/time.h>

#define hz (solcompat_hz())

/*
 * Ticks since boot.
 * Context: Any context.
 */
static inline clock_t ddi_get_lbolt(void)
{
	return (clock_t)solcompat_lbolt();
}

/*
 * Ticks since boot, 64 bits.
 * Context: Any context.
 */
static inline int64_t ddi_get_lbolt64(void)
{
	return solcompat_lbolt();
}

/*
 * Microseconds to ticks, rounded up.
 * Context: Any context.
 */
static inline clock_t drv_usectohz(clock_t usec)
{
	return solcompat_usec_to_ticks(usec);
}

/*
 * Ticks to microseconds.
 * Context: Any context.
 */
static inline clock_t drv_hztousec(clock_t ticks)
{
	return solcompat_ticks_to_usec(ticks);
}

/*
 * Busy-wait at least usec microseconds.
 * Context: Any context.
 */
static inline void drv_usecwait(clock_t usec)
{
	solcompat_usecwait(usec);
}

/*
 * Sleep at least ticks ticks.
 * Context: Process context. May sleep.
 */
static inline void delay(clock_t ticks)
{
	solcompat_delay(ticks);
}

#define FKIOCTL 0x80000000 /* ddi_copyin flag: the source is kernel memory */

/*
 * Copy in for an ioctl: from user space, or from kernel memory with
 * FKIOCTL. 0, or -1 on a bad address.
 * Context: Process context. May sleep.
 */
static inline int ddi_copyin(const void *src, void *dst, size_t len, int flags)
{
	if (flags & FKIOCTL) {
		__builtin_memcpy(dst, src, len);
		return 0;
	}
	return solcompat_copyin(src, dst, len);
}

/*
 * Copy out for an ioctl: to user space, or to kernel memory with FKIOCTL.
 * Context: Process context. May sleep.
 */
static inline int ddi_copyout(const void *src, void *dst, size_t len,
			      int flags)
{
	if (flags & FKIOCTL) {
		__builtin_memcpy(dst, src, len);
		return 0;
	}
	return solcompat_copyout(src, dst, len);
}

/*
 * Process id of the current task.
 * Context: Any context.
 */
static inline pid_t ddi_get_pid(void)
{
	return solcompat_getpid();
}

#endif /* _SOLCOMPAT_SYS_SUNDDI_H */
