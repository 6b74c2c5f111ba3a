/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/cpu.h: CPUs, the per-CPU DTrace core flags, threads, processes and
 * credentials (prefixed ABI). Solaris names in sys/cpuvar.h, sys/thread.h,
 * sys/proc.h and sys/cred.h; design in linux/cpu.c.
 */
#ifndef _SOLCOMPAT_IMPL_CPU_H
#define _SOLCOMPAT_IMPL_CPU_H

#include <impl/types.h>
#include <impl/xcall.h>

/* One per possible CPU id; fixed layout (ABI.md). */
typedef struct solcompat_cpu {
	solcompat_int32_t cpu_id;	/* the Linux CPU number */
	solcompat_uint32_t cpu_flags;	/* SOLCOMPAT_CPU_* */
	struct solcompat_cpu *cpu_next;	/* circular list of present CPUs */
	struct solcompat_cpu *cpu_prev;
	solcompat_uint64_t cpu_reserved[5];
} solcompat_cpu_t;

#define SOLCOMPAT_CPU_RUNNING 0x1
#define SOLCOMPAT_CPU_EXISTS 0x2
#define SOLCOMPAT_CPU_ENABLE 0x4
#define SOLCOMPAT_CPU_OFFLINE 0x8

/* Per-CPU state for probe context, one cache line each (as illumos). */
typedef struct solcompat_cpu_core {
	solcompat_uint16_t cpuc_dtrace_flags;	/* SOLCOMPAT_CPU_DTRACE_* */
	solcompat_uint8_t cpuc_pad0[6];
	solcompat_uintptr_t cpuc_dtrace_illval;	/* faulting address */
	solcompat_uint8_t cpuc_pad[48];
} solcompat_cpu_core_t;

#define SOLCOMPAT_CPU_DTRACE_NOFAULT 0x0001
#define SOLCOMPAT_CPU_DTRACE_DROP 0x0002
#define SOLCOMPAT_CPU_DTRACE_BADADDR 0x0004
#define SOLCOMPAT_CPU_DTRACE_BADALIGN 0x0008
#define SOLCOMPAT_CPU_DTRACE_DIVZERO 0x0010
#define SOLCOMPAT_CPU_DTRACE_ILLOP 0x0020
#define SOLCOMPAT_CPU_DTRACE_NOSCRATCH 0x0040
#define SOLCOMPAT_CPU_DTRACE_KPRIV 0x0080
#define SOLCOMPAT_CPU_DTRACE_UPRIV 0x0100
#define SOLCOMPAT_CPU_DTRACE_TUPOFLOW 0x0200
#define SOLCOMPAT_CPU_DTRACE_ENTRY 0x0800
#define SOLCOMPAT_CPU_DTRACE_BADSTACK 0x1000
#define SOLCOMPAT_CPU_DTRACE_FAULT                                             \
	(SOLCOMPAT_CPU_DTRACE_BADADDR | SOLCOMPAT_CPU_DTRACE_BADALIGN |        \
	 SOLCOMPAT_CPU_DTRACE_DIVZERO | SOLCOMPAT_CPU_DTRACE_ILLOP |           \
	 SOLCOMPAT_CPU_DTRACE_NOSCRATCH | SOLCOMPAT_CPU_DTRACE_KPRIV |         \
	 SOLCOMPAT_CPU_DTRACE_UPRIV | SOLCOMPAT_CPU_DTRACE_TUPOFLOW |          \
	 SOLCOMPAT_CPU_DTRACE_BADSTACK)

SOLCOMPAT_EXTERN_C solcompat_cpu_t solcompat_cpus[SOLCOMPAT_NCPU];
SOLCOMPAT_EXTERN_C solcompat_cpu_core_t solcompat_cpu_core[SOLCOMPAT_NCPU];

/*
 * The first present CPU, head of the cpu_next ring.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C solcompat_cpu_t *solcompat_cpu_list(void);

/*
 * The number of CPU ids that may ever exist (max_ncpus).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_max_ncpus(void);

/*
 * Disable preemption (nests).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_kpreempt_disable(void);

/*
 * Re-enable preemption (may reschedule when the count reaches 0 in
 * process context).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_kpreempt_enable(void);

/*
 * Opaque identity of the current thread (the Linux task) and process (its
 * thread group leader).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_curthread(void);

/*
 * See solcompat_curthread().
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_curproc(void);

/*
 * Process id (thread group id) of the current task; 0 in hardirq/NMI
 * context when the interrupted task is the idle task.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_getpid(void);

/*
 * Thread id (Linux pid) of the current task.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_gettid(void);

/*
 * Copy the current task's command name (NUL-terminated, at most len bytes).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_getcomm(char *buf, solcompat_size_t len);

/*
 * Effective uid / gid of the current task's credentials.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C solcompat_uint32_t solcompat_getuid(void);

/*
 * See solcompat_getuid().
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C solcompat_uint32_t solcompat_getgid(void);

/*
 * Does the current task have the privilege to administer the system
 * (CAP_SYS_ADMIN)?
 * Context: Process context.
 */
SOLCOMPAT_EXTERN_C int solcompat_priv_sys_admin(void);

#endif /* _SOLCOMPAT_IMPL_CPU_H */
