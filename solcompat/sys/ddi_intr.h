/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/ddi_intr.h: interrupt priorities as lock initialisation arguments.
 * mutex_init(&m, NULL, MUTEX_DRIVER, DDI_INTR_PRI(pri)) makes a spin mutex
 * when pri is above LOCK_LEVEL (sys/mutex.h).
 */
#ifndef _SOLCOMPAT_SYS_DDI_INTR_H
#define _SOLCOMPAT_SYS_DDI_INTR_H

#include <sys/types.h>

#define DDI_INTR_PRI(pri) ((void *)(uintptr_t)(pri))

#endif /* _SOLCOMPAT_SYS_DDI_INTR_H */
