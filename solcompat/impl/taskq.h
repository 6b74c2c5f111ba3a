/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/taskq.h: task queues (prefixed ABI). Solaris names in sys/taskq.h;
 * design in linux/taskq.c.
 */
#ifndef _SOLCOMPAT_IMPL_TASKQ_H
#define _SOLCOMPAT_IMPL_TASKQ_H

#include <impl/types.h>

typedef struct solcompat_taskq solcompat_taskq_t;
typedef solcompat_uintptr_t solcompat_taskqid_t;
typedef void (*solcompat_task_func_t)(void *);

#define SOLCOMPAT_TASKQ_PREPOPULATE 0x0001
#define SOLCOMPAT_TASKQ_CPR_SAFE 0x0002
#define SOLCOMPAT_TASKQ_DYNAMIC 0x0004
#define SOLCOMPAT_TASKQ_THREADS_CPU_PCT 0x0008

#define SOLCOMPAT_TQ_SLEEP 0x00
#define SOLCOMPAT_TQ_NOSLEEP 0x01
#define SOLCOMPAT_TQ_NOQUEUE 0x02
#define SOLCOMPAT_TQ_NOALLOC 0x04
#define SOLCOMPAT_TQ_FRONT 0x08

/*
 * Create a task queue with nthreads worker threads and at least minalloc
 * preallocated task entries (the pool TQ_NOSLEEP dispatches draw from).
 * Returns NULL only if memory or threads cannot be had.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C solcompat_taskq_t *
solcompat_taskq_create(const char *name, int nthreads, int minalloc,
		       int maxalloc, unsigned int flags);

/*
 * Queue func(arg). TQ_SLEEP (process context) never fails, and leaves half
 * the pool to TQ_NOSLEEP; TQ_NOSLEEP may return 0 (pool empty where the
 * slab allocator may not be called or GFP_ATOMIC failed, or lock contended
 * in probe context); TQ_FRONT puts the task first. Returns a non-zero id on
 * success.
 * Context: Process, atomic, hardirq or probe context.
 */
SOLCOMPAT_EXTERN_C solcompat_taskqid_t
solcompat_taskq_dispatch(solcompat_taskq_t *tq, solcompat_task_func_t func,
			 void *arg, unsigned int flags);

/*
 * Wait until every task dispatched before the call has run.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C void solcompat_taskq_wait(solcompat_taskq_t *tq);

/*
 * Run what is queued, stop the threads and free the queue.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C void solcompat_taskq_destroy(solcompat_taskq_t *tq);

/*
 * Is the current thread one of tq's workers?
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_taskq_member(solcompat_taskq_t *tq);

/*
 * The shared system task queue.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C solcompat_taskq_t *solcompat_system_taskq(void);

#endif /* _SOLCOMPAT_IMPL_TASKQ_H */
