/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/sunddi.h: the DDI routines: ticks and delays, user copies for ioctls,
 * dev_t, device attach/detach commands and pseudo-device minor nodes.
 */
#ifndef _SOLCOMPAT_SYS_SUNDDI_H
#define _SOLCOMPAT_SYS_SUNDDI_H

#include <sys/file.h>
#include <sys/types.h>
#include <impl/copy.h>
#include <impl/cpu.h>
#include <impl/ddi.h>
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

typedef solcompat_dev_t dev_t;
typedef solcompat_dev_info_t dev_info_t;
typedef int ddi_attach_cmd_t;
typedef int ddi_detach_cmd_t;
typedef int ddi_info_cmd_t;

#define DDI_SUCCESS 0
#define DDI_FAILURE -1
#define DDI_ATTACH 0
#define DDI_RESUME 1
#define DDI_DETACH 0
#define DDI_SUSPEND 1
#define DDI_INFO_DEVT2DEVINFO 0
#define DDI_INFO_DEVT2INSTANCE 1
#define DDI_PSEUDO "ddi_pseudo"
#define NBITSMINOR SOLCOMPAT_NBITSMINOR
#define MAXMIN SOLCOMPAT_MAXMIN

#define getminor(dev) ((minor_t)((dev) & MAXMIN))
#define getmajor(dev) ((major_t)((dev) >> NBITSMINOR))
#define makedevice(maj, min)                                                   \
	(((dev_t)(maj) << NBITSMINOR) | ((dev_t)(min) & MAXMIN))

/*
 * Create a character minor node (spec_type S_IFCHR, node type DDI_PSEUDO):
 * a Linux misc device /dev/<name>.
 * Context: Process context. May sleep.
 */
static inline int ddi_create_minor_node(dev_info_t *dip, const char *name,
					int spec_type, minor_t minor,
					const char *node_type, int flag)
{
	(void)spec_type;
	(void)node_type;
	(void)flag;
	return solcompat_ddi_create_minor_node(dip, name, minor);
}

/*
 * Remove a minor node (all of them with name NULL).
 * Context: Process context. May sleep.
 */
static inline void ddi_remove_minor_node(dev_info_t *dip, const char *name)
{
	solcompat_ddi_remove_minor_node(dip, name);
}

/*
 * The device's instance number.
 * Context: Any context.
 */
static inline int ddi_get_instance(dev_info_t *dip)
{
	return solcompat_ddi_get_instance(dip);
}

#endif /* _SOLCOMPAT_SYS_SUNDDI_H */
