/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/proc.h: proc_t and curproc, opaque (compared, not dereferenced): use
 * ddi_get_pid() and the cred accessors for the fields ported code reads.
 * curproc->p_pid is not supported: a proc_t layout would need a copy of the
 * Linux task's fields that could go stale.
 */
#ifndef _SOLCOMPAT_SYS_PROC_H
#define _SOLCOMPAT_SYS_PROC_H

#include <sys/thread.h>
#include <sys/types.h>
#include <impl/cpu.h>

typedef struct solcompat_proc proc_t;

#define curproc ((proc_t *)solcompat_curproc())

#endif /* _SOLCOMPAT_SYS_PROC_H */
