// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe: module_memory
 *
 * Kernel:   6.4, "module: replace module_layout with module_memory": the
 *           core_layout/init_layout pair became mod->mem[MOD_TEXT ...].
 * Yes:      struct module has mem[] indexed by enum mod_mem_type.
 * Selects:  backport/module_memory when "no".
 */
#include <linux/module.h>

bool solcompat_probe_module_memory(const struct module *mod, unsigned long addr);
bool solcompat_probe_module_memory(const struct module *mod, unsigned long addr)
{
	unsigned long base = (unsigned long)mod->mem[MOD_TEXT].base;

	return addr - base < mod->mem[MOD_TEXT].size;
}
