/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/irq_work.h that linux/
 * uses. irq_work_queue() is NMI-safe: it claims the work (PENDING), pushes
 * it on this CPU's list and raises a self-interrupt, which runs at once
 * when interrupts are on and pends (running when they are turned back on,
 * or when the NMI or hardirq returns) otherwise; the callbacks run in
 * hardirq context, PENDING cleared and BUSY set while they run, as the
 * kernel's irq_work_run does. IRQ_WORK_INIT_HARD makes no difference in
 * the model (it is not PREEMPT_RT). irq_work_sync() waits until the work is
 * neither pending nor running.
 */
#ifndef _MODEL_LINUX_IRQ_WORK_H
#define _MODEL_LINUX_IRQ_WORK_H

#include <linux/compiler.h>
#include <linux/llist.h>
#include <linux/types.h>
#include <model/abi.h>

struct irq_work {
	struct llist_node node;
	unsigned int flags; /* MODEL_IRQ_WORK_PENDING | MODEL_IRQ_WORK_BUSY */
	void (*func)(struct irq_work *);
};

#define IRQ_WORK_INIT(fn) { .node = { NULL }, .flags = 0, .func = (fn) }
#define IRQ_WORK_INIT_HARD(fn) IRQ_WORK_INIT(fn)
#define DEFINE_IRQ_WORK(name, fn) struct irq_work name = IRQ_WORK_INIT(fn)

static inline void init_irq_work(struct irq_work *work,
				 void (*func)(struct irq_work *))
{
	work->node.next = NULL;
	__atomic_store_n(&work->flags, 0, __ATOMIC_RELAXED);
	work->func = func;
}

static inline bool irq_work_queue(struct irq_work *work)
{
	return model_irq_work_queue(work, -1) != 0;
}

static inline bool irq_work_queue_on(struct irq_work *work, int cpu)
{
	return model_irq_work_queue(work, cpu) != 0;
}

static inline void irq_work_sync(struct irq_work *work)
{
	model_irq_work_sync(work);
}

#endif /* _MODEL_LINUX_IRQ_WORK_H */
