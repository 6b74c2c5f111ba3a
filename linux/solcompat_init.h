/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Set-up and tear-down of each family inside solcompat.ko, and helpers the
 * families share. Private to linux/.
 */
#ifndef _SOLCOMPAT_LINUX_INIT_H
#define _SOLCOMPAT_LINUX_INIT_H

int solcompat_cpu_init(void);
void solcompat_cpu_fini(void);
int solcompat_xcall_init(void);
void solcompat_xcall_fini(void);
int solcompat_cyclic_init(void);
void solcompat_cyclic_fini(void);
int solcompat_taskq_init(void);
void solcompat_taskq_fini(void);

/* Nesting depth of probe context on this CPU (0 outside). Any context. */
int solcompat_probe_depth(void);

#endif /* _SOLCOMPAT_LINUX_INIT_H */
