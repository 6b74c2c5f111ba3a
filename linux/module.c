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
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/utsname.h>

#include "solcompat_init.h"

/*
 * Families with state, in set-up order; torn down in reverse. A family
 * that others use (cpu: the cpu_t array; xcall: cross-calls) comes first.
 */
static const struct {
	const char *name;
	int (*init)(void);
	void (*fini)(void);
} families[] = {
	{"cpu", solcompat_cpu_init, solcompat_cpu_fini},
	{"sleepq", solcompat_sleepq_init, solcompat_sleepq_fini},
	{"kmem", solcompat_kmem_init, solcompat_kmem_fini},
	{"xcall", solcompat_xcall_init, solcompat_xcall_fini},
	{"cyclic", solcompat_cyclic_init, solcompat_cyclic_fini},
	{"taskq", solcompat_taskq_init, solcompat_taskq_fini},
	{"trap", solcompat_trap_init, solcompat_trap_fini},
};

static void solcompat_teardown(int count)
{
	while (count-- > 0)
		families[count].fini();
}

static int __init solcompat_init(void)
{
	int i, err;

	for (i = 0; i < ARRAY_SIZE(families); i++) {
		err = families[i].init();
		if (err) {
			pr_err("solcompat: setting up %s failed (%d); not loading\n",
			       families[i].name, err);
			solcompat_teardown(i);
			return err;
		}
	}
	pr_info("solcompat: loaded on %s\n", init_utsname()->release);
	return 0;
}

static void __exit solcompat_exit(void)
{
	solcompat_teardown(ARRAY_SIZE(families));
	pr_info("solcompat: unloaded\n");
}

module_init(solcompat_init);
module_exit(solcompat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("solcompat: Solaris kernel API, safe in any context");
MODULE_AUTHOR("The solcompat developers");
