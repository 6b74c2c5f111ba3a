/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for arch/x86/include/asm/irqflags.h: the arch_local_irq_*
 * primitives that linux/irqflags.h builds raw_local_irq_* on.
 *
 * cli/sti become a lazy mask: "disable" sets this CPU's irqs_off, and an
 * interrupt (a signal) that lands while it is set only marks itself pending
 * and returns; "enable" clears the mask and replays what is pending, which is
 * where a real CPU would take the interrupt after sti. Each helper is a few
 * plain loads and stores of the CPU's own state between compiler barriers,
 * as cheap as the instructions they stand for. Why a signal landing between
 * any two of those instructions is harmless is argued in the Big Theory
 * Statement of tests/model/model_cpu.cc.
 *
 * As on x86, flags hold X86_EFLAGS_IF when interrupts were enabled, and
 * arch_local_irq_restore() only ever enables (the kernel assumes interrupts
 * are off when it is called; linux/irqflags.h checks that, as
 * CONFIG_DEBUG_IRQFLAGS does).
 */
#ifndef _MODEL_ASM_IRQFLAGS_H
#define _MODEL_ASM_IRQFLAGS_H

#include <linux/compiler.h>
#include <asm/processor-flags.h>
#include <model/abi.h>

static __always_inline unsigned long arch_local_save_flags(void)
{
	barrier();
	return READ_ONCE(model_cpu_self.irqs_off) ? 0 : X86_EFLAGS_IF;
}

static __always_inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_EFLAGS_IF);
}

static __always_inline int arch_irqs_disabled(void)
{
	return arch_irqs_disabled_flags(arch_local_save_flags());
}

static __always_inline void arch_local_irq_disable(void)
{
	barrier();
	WRITE_ONCE(model_cpu_self.irqs_off, 1);
	barrier();
}

static __always_inline void arch_local_irq_enable(void)
{
	barrier();
	WRITE_ONCE(model_cpu_self.irqs_off, 0);
	barrier();
	/* An interrupt that landed while masked is taken now, as after sti. */
	if (unlikely(READ_ONCE(model_cpu_self.irq_pending)))
		model_irq_replay();
}

static __always_inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	arch_local_irq_disable();
	return flags;
}

static __always_inline void arch_local_irq_restore(unsigned long flags)
{
	if (!arch_irqs_disabled_flags(flags))
		arch_local_irq_enable();
}

#endif /* _MODEL_ASM_IRQFLAGS_H */
