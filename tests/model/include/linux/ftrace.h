/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/ftrace.h: the ftrace_ops calls
 * linux/trap.c uses for its batched entry points.
 *
 * They are real in the model (model_kprobes.cc, "ftrace"): every function's
 * first instruction in a model image is an ftrace site (the model's kprobes
 * flag a probe there with KPROBE_FLAG_FTRACE, as kprobes does on an fentry
 * site), a registered ops' filter arms its sites, and a hit calls the ops'
 * callback as ftrace does (interrupts as found; inside the recursion lock,
 * preemption off, with FTRACE_OPS_FL_RECURSION; bare and preemptible
 * without). The model's own rules, each a violation: a registered ops
 * whose filter is empty (in the kernel it traces every function), an
 * address added twice, registering twice, unregistering an unregistered
 * ops.
 */
#ifndef _MODEL_LINUX_FTRACE_H
#define _MODEL_LINUX_FTRACE_H

#include <linux/compiler.h>
#include <model/abi.h>
#include <asm/ptrace.h>

#define FTRACE_OPS_FL_SAVE_REGS (1UL << 2)
#define FTRACE_OPS_FL_RECURSION (1UL << 4)
#define FTRACE_OPS_FL_PERMANENT (1UL << 16)

struct ftrace_ops;
struct ftrace_regs {
	struct pt_regs regs;
	int model_has_regs; /* FTRACE_OPS_FL_SAVE_REGS was asked for */
};

typedef void (*ftrace_func_t)(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *op, struct ftrace_regs *fregs);

struct ftrace_ops {
	ftrace_func_t func;
	unsigned long flags;
	void *model; /* the runtime's record of this ops */
};

static __always_inline struct pt_regs *
ftrace_get_regs(struct ftrace_regs *fregs)
{
	return fregs && fregs->model_has_regs ? &fregs->regs : NULL;
}

int register_ftrace_function(struct ftrace_ops *ops);
int unregister_ftrace_function(struct ftrace_ops *ops);
int ftrace_set_filter_ips(struct ftrace_ops *ops, unsigned long *ips,
			  unsigned int cnt, int remove, int reset);

#endif /* _MODEL_LINUX_FTRACE_H */
