/* SPDX-License-Identifier: GPL-2.0 */
/* sys/taskq.h: taskq_create, taskq_dispatch, taskq_wait, taskq_destroy. */
#ifndef _SOLCOMPAT_SYS_TASKQ_H
#define _SOLCOMPAT_SYS_TASKQ_H

#include <sys/types.h>
#include <impl/taskq.h>

typedef solcompat_taskq_t taskq_t;
typedef solcompat_taskqid_t taskqid_t;
typedef solcompat_task_func_t task_func_t;

#define TASKQ_PREPOPULATE SOLCOMPAT_TASKQ_PREPOPULATE
#define TASKQ_CPR_SAFE SOLCOMPAT_TASKQ_CPR_SAFE
#define TASKQ_DYNAMIC SOLCOMPAT_TASKQ_DYNAMIC
#define TASKQ_THREADS_CPU_PCT SOLCOMPAT_TASKQ_THREADS_CPU_PCT
#define TQ_SLEEP SOLCOMPAT_TQ_SLEEP
#define TQ_NOSLEEP SOLCOMPAT_TQ_NOSLEEP
#define TQ_NOQUEUE SOLCOMPAT_TQ_NOQUEUE
#define TQ_NOALLOC SOLCOMPAT_TQ_NOALLOC
#define TQ_FRONT SOLCOMPAT_TQ_FRONT
#define TASKQID_INVALID ((taskqid_t)0)

#define system_taskq (solcompat_system_taskq())

/*
 * Create a task queue (pri is accepted and ignored: workers run at the
 * default priority).
 * Context: Process context. May sleep.
 */
static inline taskq_t *taskq_create(const char *name, int nthreads, int pri,
				    int minalloc, int maxalloc, uint_t flags)
{
	(void)pri;
	return solcompat_taskq_create(name, nthreads, minalloc, maxalloc,
				      flags);
}

/*
 * Queue func(arg); 0 on failure (TQ_NOSLEEP only).
 * Context: Process, atomic, hardirq or probe context.
 */
static inline taskqid_t taskq_dispatch(taskq_t *tq, task_func_t func,
				       void *arg, uint_t flags)
{
	return solcompat_taskq_dispatch(tq, func, arg, flags);
}

/*
 * Wait for everything dispatched before the call.
 * Context: Process context. May sleep.
 */
static inline void taskq_wait(taskq_t *tq)
{
	solcompat_taskq_wait(tq);
}

/*
 * Drain and free the queue.
 * Context: Process context. May sleep.
 */
static inline void taskq_destroy(taskq_t *tq)
{
	solcompat_taskq_destroy(tq);
}

/*
 * Is thread one of tq's workers? Only curthread is supported.
 * Context: Any context.
 */
static inline int taskq_member(taskq_t *tq, void *thread)
{
	(void)thread;
	return solcompat_taskq_member(tq);
}

#endif /* _SOLCOMPAT_SYS_TASKQ_H */
