/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/irqflags.h: raw_local_irq_* and
 * local_irq_* over the arch_ primitives of asm/irqflags.h.
 *
 * The kernel's local_irq_* add irq-state tracing (lockdep) to the raw_
 * versions; the model has no tracer, so both are the same. Like a kernel
 * with CONFIG_DEBUG_IRQFLAGS, raw_local_irq_restore() checks that interrupts
 * are off when it is called (restoring "off" while they are on is a bug the
 * x86 implementation would silently keep).
 */
#ifndef _MODEL_LINUX_IRQFLAGS_H
#define _MODEL_LINUX_IRQFLAGS_H

#include <linux/compiler.h>
#include <linux/typecheck.h>
#include <asm/irqflags.h>

#define raw_local_irq_disable() arch_local_irq_disable()
#define raw_local_irq_enable() arch_local_irq_enable()
#define raw_local_irq_save(flags)                                              \
	do {                                                                   \
		typecheck(unsigned long, flags);                               \
		flags = arch_local_irq_save();                                 \
	} while (0)
#define raw_local_irq_restore(flags)                                           \
	do {                                                                   \
		typecheck(unsigned long, flags);                               \
		if (unlikely(!arch_irqs_disabled()))                           \
			model_irq_restore_bogus();                             \
		arch_local_irq_restore(flags);                                 \
	} while (0)
#define raw_local_save_flags(flags)                                            \
	do {                                                                   \
		typecheck(unsigned long, flags);                               \
		flags = arch_local_save_flags();                               \
	} while (0)
#define raw_irqs_disabled_flags(flags)                                         \
	({                                                                     \
		typecheck(unsigned long, flags);                               \
		arch_irqs_disabled_flags(flags);                               \
	})
#define raw_irqs_disabled() (arch_irqs_disabled())

#define local_irq_enable() raw_local_irq_enable()
#define local_irq_disable() raw_local_irq_disable()
#define local_irq_save(flags) raw_local_irq_save(flags)
#define local_irq_restore(flags) raw_local_irq_restore(flags)
#define local_save_flags(flags) raw_local_save_flags(flags)
#define irqs_disabled() raw_irqs_disabled()
#define irqs_disabled_flags(flags) raw_irqs_disabled_flags(flags)

#endif /* _MODEL_LINUX_IRQFLAGS_H */
