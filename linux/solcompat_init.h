/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Set-up and tear-down of each family inside solcompat.ko, and helpers the
 * families share. Private to linux/.
 */
#ifndef _SOLCOMPAT_LINUX_INIT_H
#define _SOLCOMPAT_LINUX_INIT_H

int solcompat_cpu_init(void);
void solcompat_cpu_fini(void);
int solcompat_sleepq_init(void);
void solcompat_sleepq_fini(void);
int solcompat_kmem_init(void);
void solcompat_kmem_fini(void);
int solcompat_xcall_init(void);
void solcompat_xcall_fini(void);
int solcompat_cyclic_init(void);
void solcompat_cyclic_fini(void);
int solcompat_taskq_init(void);
void solcompat_taskq_fini(void);

/* Nesting depth of probe context on this CPU (0 outside). Any context. */
int solcompat_probe_depth(void);

/*
 * What the memory families may ask of Linux here (linux/kmem.c); the Big
 * Theory Statement there has the table. Any context.
 */
enum solcompat_mem_context {
	SOLCOMPAT_MEM_SLEEP,	/* process context: may sleep */
	SOLCOMPAT_MEM_ATOMIC,	/* no sleeping; Linux allocator and locks ok */
	SOLCOMPAT_MEM_RAW,	/* PREEMPT_RT atomic/hardirq: raw locks only */
	SOLCOMPAT_MEM_NMI,	/* NMI or probe context: lock-free code only */
};
enum solcompat_mem_context solcompat_mem_context(void);

#endif /* _SOLCOMPAT_LINUX_INIT_H */
