/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/kprobes.h.
 *
 * NOKPROBE_SYMBOL: the kernel records the function in the _kprobe_blacklist
 * section; the model records it in its own section, which the runtime reads
 * back (model::IsNoKprobe), so tests can check that a probe-context function
 * is marked, and the model's register_kprobe refuses it.
 *
 * register_kprobe and friends are real in the model (model_kprobes.cc): an
 * armed probe is an int3 written into the test program's text; the trap
 * runs the pre_handler with the registers of the probed code and then
 * single-steps a relocated copy of the displaced instruction out of line,
 * as kprobes does. See model_kprobes.cc's Big Theory Statement.
 */
#ifndef _MODEL_LINUX_KPROBES_H
#define _MODEL_LINUX_KPROBES_H

#include <linux/compiler.h>
#include <model/abi.h>
#include <asm/ptrace.h>

#define NOKPROBE_SYMBOL(fname)                                                 \
	static const struct model_ksym __model_nokprobe_rec_##fname = {        \
		#fname, (const void *)&fname, 0};                              \
	static const struct model_ksym *const __model_nokprobe_##fname __used  \
		__section("model_nokprobe") = &__model_nokprobe_rec_##fname

typedef unsigned char kprobe_opcode_t;

struct kprobe;
struct pt_regs;
typedef int (*kprobe_pre_handler_t)(struct kprobe *, struct pt_regs *);
typedef void (*kprobe_post_handler_t)(struct kprobe *, struct pt_regs *,
				      unsigned long flags);

#define KPROBE_FLAG_GONE 1
#define KPROBE_FLAG_DISABLED 2
/* The probe is on a function's ftrace site (its first instruction). */
#define KPROBE_FLAG_FTRACE 8

struct kprobe {
	kprobe_opcode_t *addr;
	const char *symbol_name;
	unsigned int offset;
	kprobe_pre_handler_t pre_handler;
	kprobe_post_handler_t post_handler;
	unsigned long nmissed;
	unsigned int flags;
	void *model; /* the runtime's record of this probe */
};

int register_kprobe(struct kprobe *p);
void unregister_kprobe(struct kprobe *p);
int register_kprobes(struct kprobe **kps, int num);
void unregister_kprobes(struct kprobe **kps, int num);
int enable_kprobe(struct kprobe *kp);
int disable_kprobe(struct kprobe *kp);

#endif /* _MODEL_LINUX_KPROBES_H */
