/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for arch/x86/include/asm/ptrace.h: struct pt_regs, the
 * registers a trap handler sees, in the kernel's x86-64 order. The model's
 * kprobes (model_kprobes.cc) fill it from the signal context of the trap.
 */
#ifndef _MODEL_ASM_PTRACE_H
#define _MODEL_ASM_PTRACE_H

struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx;
	unsigned long r11, r10, r9, r8, ax, cx, dx, si, di;
	unsigned long orig_ax, ip, cs, flags, sp, ss;
};

#endif /* _MODEL_ASM_PTRACE_H */
