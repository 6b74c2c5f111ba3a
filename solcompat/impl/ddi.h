/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/ddi.h: loadable Solaris-style drivers on Linux: module linkage,
 * attach/detach, and pseudo-device minor nodes as misc devices (prefixed
 * ABI). Solaris names in sys/modctl.h, sys/conf.h, sys/sunddi.h; design in
 * linux/ddi.c.
 */
#ifndef _SOLCOMPAT_IMPL_DDI_H
#define _SOLCOMPAT_IMPL_DDI_H

#include <impl/types.h>

typedef solcompat_uint64_t solcompat_dev_t;
typedef struct solcompat_dev_info solcompat_dev_info_t;
struct solcompat_cred;

typedef struct solcompat_cb_ops {
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
	int (*cb_ioctl)(solcompat_dev_t dev, int cmd, solcompat_intptr_t arg,
			int mode, struct solcompat_cred *cr, int *rvalp);
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
} solcompat_cb_ops_t;

typedef struct solcompat_dev_ops {
	int devo_rev;
	int devo_refcnt;
	int (*devo_getinfo)(solcompat_dev_info_t *dip, int cmd, void *arg,
			    void **result);
	int (*devo_identify)(solcompat_dev_info_t *dip);
	int (*devo_probe)(solcompat_dev_info_t *dip);
	int (*devo_attach)(solcompat_dev_info_t *dip, int cmd);
	int (*devo_detach)(solcompat_dev_info_t *dip, int cmd);
	int (*devo_reset)(solcompat_dev_info_t *dip, int cmd);
	solcompat_cb_ops_t *devo_cb_ops;
	void *devo_bus_ops;
	int (*devo_power)(solcompat_dev_info_t *dip, int component, int level);
	int (*devo_quiesce)(solcompat_dev_info_t *dip);
} solcompat_dev_ops_t;

struct solcompat_mod_ops {
	const char *name;
};

typedef struct solcompat_modldrv {
	struct solcompat_mod_ops *drv_modops;
	const char *drv_linkinfo;
	solcompat_dev_ops_t *drv_dev_ops;
} solcompat_modldrv_t;

typedef struct solcompat_modlinkage {
	int ml_rev;
	void *ml_linkage[7];
} solcompat_modlinkage_t;

SOLCOMPAT_EXTERN_C struct solcompat_mod_ops solcompat_mod_driverops;

/* Open flags and types as cb_open/cb_ioctl see them. */
#define SOLCOMPAT_FREAD 0x01
#define SOLCOMPAT_FWRITE 0x02
#define SOLCOMPAT_FEXCL 0x400
#define SOLCOMPAT_OTYP_CHR 2
#define SOLCOMPAT_NBITSMINOR 32
#define SOLCOMPAT_MAXMIN 0xffffffffU

/*
 * Install the drivers of a module linkage: attach each (DDI_ATTACH).
 * Returns 0 or an errno. Called from a module's _init.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_mod_install(solcompat_modlinkage_t *ml);

/*
 * Detach the drivers of a module linkage; EBUSY if a driver refuses.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_mod_remove(solcompat_modlinkage_t *ml);

/*
 * Create a character minor node: a Linux misc device /dev/<name> whose
 * open, release and ioctl go to the driver's cb_ops. Returns 0 (DDI_SUCCESS)
 * or -1 (DDI_FAILURE).
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_ddi_create_minor_node(solcompat_dev_info_t *dip,
						       const char *name,
						       unsigned int minor);

/*
 * Remove a minor node by name, or all of the device's with name NULL.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C void solcompat_ddi_remove_minor_node(solcompat_dev_info_t *dip,
							const char *name);

/*
 * The instance number of a device (0: one instance per driver here).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_ddi_get_instance(solcompat_dev_info_t *dip);

/*
 * Linux module entry glue (linux/modglue.h): run a Solaris-style module's
 * _init with owner recorded, so its minor nodes pin the right module.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_mod_enter(void *owner, int (*init)(void));

/*
 * Run a module's _fini; a failure (which Linux cannot honour at unload
 * time) is reported.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C void solcompat_mod_leave(void *owner, int (*fini)(void));

/* A loaded module, opaque (the Linux module). */
typedef struct solcompat_modctl solcompat_modctl_t;

/*
 * The module whose _init or _fini the calling task is running (the
 * caller's own, when called from them), or NULL: other tasks get NULL.
 * Context: Process context.
 */
SOLCOMPAT_EXTERN_C solcompat_modctl_t *solcompat_mod_running(void);

/*
 * The module whose text or data holds addr, or NULL (the kernel image, an
 * unknown address). Not pinned: meant for an address in the caller's own
 * module, or in one that cannot go away before the result's last use (a
 * table the module registers, and takes back in its _fini).
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C solcompat_modctl_t *
solcompat_mod_containing(const void *addr);

/*
 * Pin a module while something of it is in use elsewhere: Linux then
 * refuses to unload it. 0, or EBUSY if it is already being unloaded. A
 * NULL module pins nothing (returns 0).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_mod_hold(solcompat_modctl_t *mod);

/*
 * Drop a solcompat_mod_hold.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_mod_rele(solcompat_modctl_t *mod);

#endif /* _SOLCOMPAT_IMPL_DDI_H */
