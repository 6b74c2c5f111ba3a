/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/workqueue.h: per-CPU workqueues on the
 * model's scheduler (tests/model/model_timer.cc). Each CPU has a bound
 * worker kthread ("kworker/<N>") that runs the items queued on that CPU in
 * order, in process context. queue_work_on() works from any context but
 * NMI (as the kernel's); cancel_work_sync() removes a queued item and waits
 * for a running one (from the item itself: a violation, it would wait
 * forever); current_work() is the item the calling worker runs. system_wq and
 * system_highpri_wq share the workers (no priorities in the model).
 */
#ifndef _MODEL_LINUX_WORKQUEUE_H
#define _MODEL_LINUX_WORKQUEUE_H

#include <linux/kernel.h>
#include <model/abi.h>

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	work_func_t func;
	struct model_work model; /* the runtime's, model/abi.h */
};

struct workqueue_struct;
extern struct workqueue_struct *system_wq;
extern struct workqueue_struct *system_highpri_wq;

static inline void model_work_call(void *owner)
{
	struct work_struct *work = (struct work_struct *)owner;

	work->func(work);
}

#define INIT_WORK(w, f)                                                        \
	do {                                                                   \
		(w)->func = (f);                                               \
		model_work_init(&(w)->model, (w), model_work_call);            \
	} while (0)

static inline int queue_work_on(int cpu, struct workqueue_struct *wq,
				struct work_struct *work)
{
	(void)wq;
	return model_queue_work_on(cpu, &work->model);
}

static inline int queue_work(struct workqueue_struct *wq,
			     struct work_struct *work)
{
	(void)wq;
	return model_queue_work_on(-1, &work->model);
}

static inline int schedule_work(struct work_struct *work)
{
	return model_queue_work_on(-1, &work->model);
}

static inline int cancel_work_sync(struct work_struct *work)
{
	return model_cancel_work_sync(&work->model);
}

/* The work item the calling kworker is running, or NULL. */
static inline struct work_struct *current_work(void)
{
	return (struct work_struct *)model_current_work();
}

static inline int flush_work(struct work_struct *work)
{
	return model_flush_work(&work->model);
}

#endif /* _MODEL_LINUX_WORKQUEUE_H */
