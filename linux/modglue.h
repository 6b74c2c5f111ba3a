/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux module glue for a Solaris-style module: the one file per client
 * module that includes this (linux/glue_<module>.c) becomes its module_init
 * and module_exit, which run the module's _init and _fini through
 * solcompat.ko (so its minor nodes pin the module while open).
 */
#ifndef _SOLCOMPAT_LINUX_MODGLUE_H
#define _SOLCOMPAT_LINUX_MODGLUE_H

#include <linux/init.h>
#include <linux/module.h>

#include <impl/ddi.h>

int _init(void);
int _fini(void);

#define SOLCOMPAT_MODULE_GLUE(description)                                     \
	static int __init solcompat_glue_init(void)                            \
	{                                                                      \
		int err = solcompat_mod_enter(THIS_MODULE, _init);             \
		return err ? -err : 0;                                         \
	}                                                                      \
	static void __exit solcompat_glue_exit(void)                           \
	{                                                                      \
		solcompat_mod_leave(THIS_MODULE, _fini);                       \
	}                                                                      \
	module_init(solcompat_glue_init);                                      \
	module_exit(solcompat_glue_exit);                                      \
	MODULE_LICENSE("GPL");                                                 \
	MODULE_DESCRIPTION(description)

#endif /* _SOLCOMPAT_LINUX_MODGLUE_H */
