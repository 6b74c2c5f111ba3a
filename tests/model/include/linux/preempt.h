/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/preempt.h: the preempt_count fields and
 * the context tests built on them, with the kernel's layout
 *
 *   PREEMPT_MASK: 0x000000ff   SOFTIRQ_MASK: 0x0000ff00
 *   HARDIRQ_MASK: 0x000f0000       NMI_MASK: 0x00f00000
 *
 * As in the kernel, an NMI handler runs with NMI_OFFSET + HARDIRQ_OFFSET
 * added (nmi_enter), so in_hardirq() is true in NMI context too.
 *
 * preempt_enable() checks for underflow, as CONFIG_DEBUG_PREEMPT does. The
 * model has no scheduler, so it never reschedules there.
 */
#ifndef _MODEL_LINUX_PREEMPT_H
#define _MODEL_LINUX_PREEMPT_H

#include <linux/compiler.h>
#include <asm/preempt.h>
#include <model/abi.h>

#define PREEMPT_BITS MODEL_PREEMPT_BITS
#define SOFTIRQ_BITS MODEL_SOFTIRQ_BITS
#define HARDIRQ_BITS MODEL_HARDIRQ_BITS
#define NMI_BITS MODEL_NMI_BITS
#define PREEMPT_SHIFT MODEL_PREEMPT_SHIFT
#define SOFTIRQ_SHIFT MODEL_SOFTIRQ_SHIFT
#define HARDIRQ_SHIFT MODEL_HARDIRQ_SHIFT
#define NMI_SHIFT MODEL_NMI_SHIFT
#define PREEMPT_MASK MODEL_PREEMPT_MASK
#define SOFTIRQ_MASK MODEL_SOFTIRQ_MASK
#define HARDIRQ_MASK MODEL_HARDIRQ_MASK
#define NMI_MASK MODEL_NMI_MASK
#define PREEMPT_OFFSET MODEL_PREEMPT_OFFSET
#define SOFTIRQ_OFFSET MODEL_SOFTIRQ_OFFSET
#define HARDIRQ_OFFSET MODEL_HARDIRQ_OFFSET
#define NMI_OFFSET MODEL_NMI_OFFSET

#define nmi_count() (preempt_count() & NMI_MASK)
#define hardirq_count() (preempt_count() & HARDIRQ_MASK)
#define softirq_count() (preempt_count() & SOFTIRQ_MASK)
#define irq_count() (nmi_count() | hardirq_count() | softirq_count())

#define in_nmi() (nmi_count())
#define in_hardirq() (hardirq_count())
#define in_softirq() (softirq_count())
#define in_serving_softirq() (softirq_count() & SOFTIRQ_OFFSET)
#define in_interrupt() (irq_count())
#define in_task()                                                              \
	(!(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)))
#define in_atomic() (preempt_count() != 0)
/* irqs_disabled() comes from linux/irqflags.h, as in the kernel. */
#define preemptible() (preempt_count() == 0 && !irqs_disabled())

static __always_inline void model_preempt_count_dec(const char *api)
{
	if (unlikely(!(preempt_count() & PREEMPT_MASK))) {
		model_preempt_underflow(api);
		return;
	}
	__preempt_count_sub(1);
}

#define preempt_count_inc() __preempt_count_add(1)
#define preempt_disable()                                                      \
	do {                                                                   \
		preempt_count_inc();                                           \
		barrier();                                                     \
	} while (0)
#define preempt_enable()                                                       \
	do {                                                                   \
		barrier();                                                     \
		model_preempt_count_dec("preempt_enable");                     \
	} while (0)
#define preempt_enable_no_resched() preempt_enable()
#define preempt_disable_notrace() preempt_disable()
#define preempt_enable_notrace() preempt_enable()

#endif /* _MODEL_LINUX_PREEMPT_H */
