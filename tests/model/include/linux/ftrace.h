/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/ftrace.h: the types and calls
 * linux/trap.c names for its batched entry points.
 *
 * The model has no ftrace: its functions have no call sites for ftrace to
 * patch, and its kprobes (model_kprobes.cc) never set KPROBE_FLAG_FTRACE,
 * so linux/trap.c never takes the ftrace path here and these calls are
 * never reached. Should one be, it reports a violation and fails as a
 * kernel without dynamic ftrace would (-ENODEV).
 */
#ifndef _MODEL_LINUX_FTRACE_H
#define _MODEL_LINUX_FTRACE_H

#include <linux/compiler.h>
#include <linux/errno.h>
#include <model/abi.h>
#include <asm/ptrace.h>

#define FTRACE_OPS_FL_SAVE_REGS (1UL << 2)
#define FTRACE_OPS_FL_RECURSION (1UL << 4)
#define FTRACE_OPS_FL_PERMANENT (1UL << 16)

struct ftrace_ops;
struct ftrace_regs {
	struct pt_regs regs;
};

typedef void (*ftrace_func_t)(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *op, struct ftrace_regs *fregs);

struct ftrace_ops {
	ftrace_func_t func;
	unsigned long flags;
};

static __always_inline struct pt_regs *
ftrace_get_regs(struct ftrace_regs *fregs)
{
	return fregs ? &fregs->regs : NULL;
}

static inline int model_no_ftrace(const char *api)
{
	model_violation(api, "the model has no ftrace (its kprobes never "
			     "report KPROBE_FLAG_FTRACE)");
	return -ENODEV;
}

static inline int register_ftrace_function(struct ftrace_ops *ops)
{
	return model_no_ftrace("register_ftrace_function");
}

static inline int unregister_ftrace_function(struct ftrace_ops *ops)
{
	return model_no_ftrace("unregister_ftrace_function");
}

static inline int ftrace_set_filter_ips(struct ftrace_ops *ops,
					unsigned long *ips, unsigned int cnt,
					int remove, int reset)
{
	return model_no_ftrace("ftrace_set_filter_ips");
}

#endif /* _MODEL_LINUX_FTRACE_H */
