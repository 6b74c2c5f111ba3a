/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/cpuvar.h: cpu_t, CPU, cpu_list, ncpus, max_ncpus, and cpu_core[] with
 * the DTrace probe-context flags; kpreempt_disable/enable (sys/disp.h on
 * illumos; also available here).
 */
#ifndef _SOLCOMPAT_SYS_CPUVAR_H
#define _SOLCOMPAT_SYS_CPUVAR_H

#include <sys/types.h>
#include <sys/x_call.h>
#include <impl/cpu.h>

typedef solcompat_cpu_t cpu_t;
typedef solcompat_cpu_core_t cpu_core_t;

#define CPU_RUNNING SOLCOMPAT_CPU_RUNNING
#define CPU_EXISTS SOLCOMPAT_CPU_EXISTS
#define CPU_ENABLE SOLCOMPAT_CPU_ENABLE
#define CPU_OFFLINE SOLCOMPAT_CPU_OFFLINE

#define CPU_DTRACE_NOFAULT SOLCOMPAT_CPU_DTRACE_NOFAULT
#define CPU_DTRACE_DROP SOLCOMPAT_CPU_DTRACE_DROP
#define CPU_DTRACE_BADADDR SOLCOMPAT_CPU_DTRACE_BADADDR
#define CPU_DTRACE_BADALIGN SOLCOMPAT_CPU_DTRACE_BADALIGN
#define CPU_DTRACE_DIVZERO SOLCOMPAT_CPU_DTRACE_DIVZERO
#define CPU_DTRACE_ILLOP SOLCOMPAT_CPU_DTRACE_ILLOP
#define CPU_DTRACE_NOSCRATCH SOLCOMPAT_CPU_DTRACE_NOSCRATCH
#define CPU_DTRACE_KPRIV SOLCOMPAT_CPU_DTRACE_KPRIV
#define CPU_DTRACE_UPRIV SOLCOMPAT_CPU_DTRACE_UPRIV
#define CPU_DTRACE_TUPOFLOW SOLCOMPAT_CPU_DTRACE_TUPOFLOW
#define CPU_DTRACE_ENTRY SOLCOMPAT_CPU_DTRACE_ENTRY
#define CPU_DTRACE_BADSTACK SOLCOMPAT_CPU_DTRACE_BADSTACK
#define CPU_DTRACE_FAULT SOLCOMPAT_CPU_DTRACE_FAULT

/* The current CPU: stable only with preemption or interrupts off. */
#define CPU (&solcompat_cpus[solcompat_cpu_id()])
#define cpu_core solcompat_cpu_core
#define cpu_list (solcompat_cpu_list())
#define ncpus (solcompat_ncpus_online())
#define max_ncpus (solcompat_max_ncpus())

/*
 * Disable preemption; nests.
 * Context: Any context.
 */
static inline void kpreempt_disable(void)
{
	solcompat_kpreempt_disable();
}

/*
 * Undo one kpreempt_disable().
 * Context: Any context.
 */
static inline void kpreempt_enable(void)
{
	solcompat_kpreempt_enable();
}

#endif /* _SOLCOMPAT_SYS_CPUVAR_H */
