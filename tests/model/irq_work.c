// SPDX-License-Identifier: GPL-2.0
/*
 * The model's irq_work core (linux/irq_work.h), written in kernel C against
 * the stand-ins so that it shares struct irq_work with the code under test.
 *
 * Each CPU has a lock-free list of claimed works and a "raised" flag. Queue:
 * claim (set PENDING; a work already pending is not queued twice), push on
 * the target CPU's list, and raise one interrupt there unless one is
 * already on its way. The interrupt (hardirq context) clears "raised", takes
 * the whole list, and runs each work oldest first: PENDING cleared and BUSY
 * set before the callback, BUSY cleared after, so a callback may re-queue
 * its own work. Everything is NMI-safe: atomics only; the self-interrupt
 * pends while interrupts are masked (in an NMI they always are) and runs
 * when they are unmasked.
 */
#include <linux/compiler.h>
#include <linux/irq_work.h>
#include <linux/irqflags.h>
#include <linux/llist.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <asm/processor.h>
#include <model/abi.h>

static struct llist_head model_iw_list[MODEL_MAX_CPUS];
static int model_iw_raised[MODEL_MAX_CPUS];

static void model_irq_work_run(void *unused)
{
	int cpu = model_cpu_self.cpu;
	struct llist_node *node, *prev = NULL, *next;

	(void)unused;
	__atomic_store_n(&model_iw_raised[cpu], 0, __ATOMIC_SEQ_CST);
	node = llist_del_all(&model_iw_list[cpu]);
	/* The list is newest first: reverse it to run in queueing order. */
	while (node) {
		next = node->next;
		node->next = prev;
		prev = node;
		node = next;
	}
	for (node = prev; node; node = next) {
		struct irq_work *work =
			(struct irq_work *)((char *)node -
					    __builtin_offsetof(struct irq_work,
							       node));

		next = node->next;
		__atomic_store_n(&work->flags, MODEL_IRQ_WORK_BUSY,
				 __ATOMIC_SEQ_CST);
		work->func(work);
		/* Leaves a PENDING set by a re-queue from the callback alone.
		 */
		__atomic_fetch_and(&work->flags, ~MODEL_IRQ_WORK_BUSY,
				   __ATOMIC_SEQ_CST);
	}
}

int model_irq_work_queue(struct irq_work *work, int cpu)
{
	if (cpu < 0)
		cpu = model_cpu_self.cpu;
	if (cpu < 0)
		model_not_a_cpu("irq_work_queue");
	if (__atomic_fetch_or(&work->flags, MODEL_IRQ_WORK_PENDING,
			      __ATOMIC_SEQ_CST) &
	    MODEL_IRQ_WORK_PENDING)
		return 0;
	llist_add(&work->node, &model_iw_list[cpu]);
	if (!__atomic_exchange_n(&model_iw_raised[cpu], 1, __ATOMIC_SEQ_CST) &&
	    model_raise_irq(cpu, model_irq_work_run, NULL) != 0) {
		__atomic_store_n(&model_iw_raised[cpu], 0, __ATOMIC_SEQ_CST);
		model_violation(
			"irq_work_queue",
			"could not raise the irq_work interrupt on CPU %d",
			cpu);
	}
	return 1;
}

void model_irq_work_sync(struct irq_work *work)
{
	if (model_cpu_self.irqs_off)
		model_violation("irq_work_sync",
				"called with interrupts off: a work pending on "
				"this CPU could never run");
	while (__atomic_load_n(&work->flags, __ATOMIC_ACQUIRE) &
	       (MODEL_IRQ_WORK_PENDING | MODEL_IRQ_WORK_BUSY))
		cpu_relax();
}
