/* SPDX-License-Identifier: GPL-2.0 */
/* sys/conf.h: driver entry-point tables (cb_ops, dev_ops) and their stubs. */
#ifndef _SOLCOMPAT_SYS_CONF_H
#define _SOLCOMPAT_SYS_CONF_H

#include <sys/errno.h>
#include <sys/types.h>
#include <impl/ddi.h>

/*
 * The Solaris tags name the ABI's structs (impl/ddi.h, ABI.md): a struct
 * cb_ops or dev_ops that ported code fills in is the very struct linux/
 * reads, so no second copy of the layouts has to be kept in step.
 */
#define cb_ops solcompat_cb_ops
#define dev_ops solcompat_dev_ops

#define DEVO_REV 4
#define CB_REV 1
#define D_NEW 0x00
#define D_MP 0x20
#define D_64BIT 0x200000

/* Entry-point stubs, as illumos: usable where a function pointer goes. */
#define nodev ((void *)0)
#define nulldev ((void *)0)
#define nochpoll ((void *)0)
#define ddi_prop_op ((void *)0)
#define nodrv ((void *)0)
#define ddi_quiesce_not_needed ((void *)0)

#endif /* _SOLCOMPAT_SYS_CONF_H */
