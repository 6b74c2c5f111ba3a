/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/thread.h: kthread_t and curthread. A kthread_t is opaque here: it
 * stands for the current Linux task, and is only compared, never
 * dereferenced (fields of the illumos kthread_t have no Linux home).
 */
#ifndef _SOLCOMPAT_SYS_THREAD_H
#define _SOLCOMPAT_SYS_THREAD_H

#include <sys/types.h>
#include <impl/cpu.h>

typedef struct solcompat_kthread kthread_t;
typedef kthread_t *kthread_id_t;

#define curthread ((kthread_t *)solcompat_curthread())

#endif /* _SOLCOMPAT_SYS_THREAD_H */
