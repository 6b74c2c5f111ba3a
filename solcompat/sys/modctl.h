/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/modctl.h: module linkage. A Solaris-style module defines _init, _fini
 * and _info and calls mod_install/mod_remove on its modlinkage; a one-line
 * glue file in linux/ (linux/modglue.h) turns it into a Linux module.
 */
#ifndef _SOLCOMPAT_SYS_MODCTL_H
#define _SOLCOMPAT_SYS_MODCTL_H

#include <sys/conf.h>
#include <sys/types.h>
#include <impl/ddi.h>

#define MODREV_1 1

struct modlinkage {
	int ml_rev;
	void *ml_linkage[7];
};

struct modldrv {
	struct solcompat_mod_ops *drv_modops;
	const char *drv_linkinfo;
	struct dev_ops *drv_dev_ops;
};

struct modinfo {
	int mi_info;
};

#define mod_driverops solcompat_mod_driverops

/* The entry points every module defines. */
int _init(void);
int _fini(void);
int _info(struct modinfo *modinfop);

/*
 * Attach the module's drivers.
 * Context: Process context. May sleep.
 */
static inline int mod_install(struct modlinkage *ml)
{
	return solcompat_mod_install((solcompat_modlinkage_t *)ml);
}

/*
 * Detach the module's drivers; EBUSY if one refuses.
 * Context: Process context. May sleep.
 */
static inline int mod_remove(struct modlinkage *ml)
{
	return solcompat_mod_remove((solcompat_modlinkage_t *)ml);
}

/*
 * Module information (the Linux module carries its own; returns 1).
 * Context: Process context.
 */
static inline int mod_info(struct modlinkage *ml, struct modinfo *mi)
{
	(void)ml;
	(void)mi;
	return 1;
}

/*
 * Modules as providers see them (illumos keeps mod_nenabled in struct
 * modctl and refuses to unload a module with enabled probes): a provider
 * records its module's modctl when the module registers its probes, from
 * the module's _init, and holds it while a probe of it is enabled, so the
 * module cannot be unloaded under a consumer.
 */
struct modctl;

/*
 * The module whose _init or _fini is running, or NULL.
 * Context: Process context.
 */
static inline struct modctl *mod_running_ctl(void)
{
	return (struct modctl *)solcompat_mod_running();
}

/*
 * The module whose text or data holds pc (illumos: any kernel address), or
 * NULL for the kernel image. Not pinned: for an address of a module that
 * stays loaded while the result is used (see solcompat_mod_containing).
 * Context: Process context. May sleep.
 */
static inline struct modctl *mod_containing_pc(caddr_t pc)
{
	return (struct modctl *)solcompat_mod_containing(pc);
}

/*
 * Hold the module while one of its probes is enabled: 0, or EBUSY if it is
 * being unloaded. NULL holds nothing.
 * Context: Any context.
 */
static inline int mod_hold_enabled(struct modctl *ctl)
{
	return solcompat_mod_hold((solcompat_modctl_t *)ctl);
}

/*
 * Release a mod_hold_enabled.
 * Context: Any context.
 */
static inline void mod_rele_enabled(struct modctl *ctl)
{
	solcompat_mod_rele((solcompat_modctl_t *)ctl);
}

#endif /* _SOLCOMPAT_SYS_MODCTL_H */
