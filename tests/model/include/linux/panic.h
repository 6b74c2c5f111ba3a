/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/panic.h.
 *
 * The model's panic() records the message as a fatal violation and abandons
 * the work the simulated CPU was doing: it jumps back to the CPU's dispatch
 * loop (out of any interrupt frames), so the test that caused it sees a
 * failure, and a negative test can assert that it happened (an assfail,
 * say) and continue. See "Fatal violations" in tests/model/model_cpu.cc.
 */
#ifndef _MODEL_LINUX_PANIC_H
#define _MODEL_LINUX_PANIC_H

#include <linux/compiler.h>

struct pt_regs;

__printf(1, 2) __cold __noreturn void panic(const char *fmt, ...);
/* Linux's returns when this CPU is panicking already; the model's never
 * returns (the first panic ended the iteration). */
void nmi_panic(struct pt_regs *regs, const char *msg);

#endif /* _MODEL_LINUX_PANIC_H */
