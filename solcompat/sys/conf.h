/* SPDX-License-Identifier: GPL-2.0 */
/* sys/conf.h: driver entry-point tables (cb_ops, dev_ops) and their stubs. */
#ifndef _SOLCOMPAT_SYS_CONF_H
#define _SOLCOMPAT_SYS_CONF_H

#include <sys/errno.h>
#include <sys/types.h>
#include <impl/ddi.h>

/* Same layout as the prefixed structs (ABI.md); Solaris tag names. */
struct cb_ops {
	int (*cb_open)(solcompat_dev_t *devp, int flag, int otyp,
		       struct solcompat_cred *cr);
	int (*cb_close)(solcompat_dev_t dev, int flag, int otyp,
			struct solcompat_cred *cr);
	int (*cb_strategy)(void *bp);
	int (*cb_print)(solcompat_dev_t dev, char *str);
	int (*cb_dump)(solcompat_dev_t dev, char *addr, long blkno, int nblk);
	int (*cb_read)(solcompat_dev_t dev, void *uiop,
		       struct solcompat_cred *cr);
	int (*cb_write)(solcompat_dev_t dev, void *uiop,
			struct solcompat_cred *cr);
	int (*cb_ioctl)(solcompat_dev_t dev, int cmd, intptr_t arg, int mode,
			struct solcompat_cred *cr, int *rvalp);
	void *cb_devmap;
	void *cb_mmap;
	void *cb_segmap;
	void *cb_chpoll;
	void *cb_prop_op;
	void *cb_str;
	int cb_flag;
	int cb_rev;
	void *cb_aread;
	void *cb_awrite;
};

struct dev_ops {
	int devo_rev;
	int devo_refcnt;
	int (*devo_getinfo)(solcompat_dev_info_t *dip, int cmd, void *arg,
			    void **result);
	int (*devo_identify)(solcompat_dev_info_t *dip);
	int (*devo_probe)(solcompat_dev_info_t *dip);
	int (*devo_attach)(solcompat_dev_info_t *dip, int cmd);
	int (*devo_detach)(solcompat_dev_info_t *dip, int cmd);
	int (*devo_reset)(solcompat_dev_info_t *dip, int cmd);
	struct cb_ops *devo_cb_ops;
	void *devo_bus_ops;
	int (*devo_power)(solcompat_dev_info_t *dip, int component, int level);
	int (*devo_quiesce)(solcompat_dev_info_t *dip);
};

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
