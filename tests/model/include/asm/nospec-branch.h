/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for arch/x86/include/asm/nospec-branch.h: the return
 * thunk only. The model defines it as a plain return (kernel_data.c); user
 * space code returns with ret, so no probed function jumps to it.
 */
#ifndef _MODEL_ASM_NOSPEC_BRANCH_H
#define _MODEL_ASM_NOSPEC_BRANCH_H

void __x86_return_thunk(void);

#endif /* _MODEL_ASM_NOSPEC_BRANCH_H */
