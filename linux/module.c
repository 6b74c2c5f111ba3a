// SPDX-License-Identifier: GPL-2.0
/*
 * solcompat.ko: module entry points.
 *
 * The module exports the solcompat ABI (the impl/ headers) to ported code such as the
 * dtrace module. Each family's file sets itself up from here, in dependency
 * order, and is torn down in reverse.
 *
 * License: GPL-2.0. The module needs GPL-only exports
 * (smp_call_function_single_async, apic, register_kprobe,
 * ktime_get_mono_fast_ns, copy_from_kernel_nofault); see LICENSE.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/utsname.h>

#include "solcompat_init.h"

static int __init solcompat_init(void)
{
	int err;

	err = solcompat_cpu_init();
	if (err)
		return err;
	err = solcompat_xcall_init();
	if (err) {
		solcompat_cpu_fini();
		return err;
	}
	err = solcompat_cyclic_init();
	if (err) {
		solcompat_xcall_fini();
		solcompat_cpu_fini();
		return err;
	}
	pr_info("solcompat: loaded on %s\n", init_utsname()->release);
	return 0;
}

static void __exit solcompat_exit(void)
{
	solcompat_cyclic_fini();
	solcompat_xcall_fini();
	solcompat_cpu_fini();
	pr_info("solcompat: unloaded\n");
}

module_init(solcompat_init);
module_exit(solcompat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("solcompat: Solaris kernel API, safe in any context");
MODULE_AUTHOR("The solcompat developers");
