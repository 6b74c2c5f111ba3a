/* SPDX-License-Identifier: GPL-2.0 */
/* Model stand-in for arch/x86/include/asm/processor-flags.h: EFLAGS.IF. */
#ifndef _MODEL_ASM_PROCESSOR_FLAGS_H
#define _MODEL_ASM_PROCESSOR_FLAGS_H

#include <model/abi.h>

#define X86_EFLAGS_IF MODEL_EFLAGS_IF

#endif /* _MODEL_ASM_PROCESSOR_FLAGS_H */
