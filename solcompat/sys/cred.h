/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/cred.h: credentials of the current task. cred_t is opaque; CRED()
 * names the current task's credentials, and the accessors read them.
 */
#ifndef _SOLCOMPAT_SYS_CRED_H
#define _SOLCOMPAT_SYS_CRED_H

#include <sys/errno.h>
#include <sys/types.h>
#include <impl/cpu.h>

typedef struct solcompat_cred cred_t;

/* Only the current task's credentials are supported. */
#define CRED() ((cred_t *)0)

/*
 * Effective uid of the current task (cr must be CRED()).
 * Context: Any context.
 */
static inline uid_t crgetuid(const cred_t *cr)
{
	(void)cr;
	return solcompat_getuid();
}

/*
 * Effective gid of the current task (cr must be CRED()).
 * Context: Any context.
 */
static inline gid_t crgetgid(const cred_t *cr)
{
	(void)cr;
	return solcompat_getgid();
}

/*
 * 0 if the current task may administer the system (CAP_SYS_ADMIN), EPERM
 * otherwise: the privilege check of a driver's open.
 * Context: Process context.
 */
static inline int drv_priv(const cred_t *cr)
{
	(void)cr;
	return solcompat_priv_sys_admin() ? 0 : EPERM;
}

#endif /* _SOLCOMPAT_SYS_CRED_H */
