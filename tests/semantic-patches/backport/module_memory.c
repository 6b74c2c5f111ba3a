// SPDX-License-Identifier: GPL-2.0
/* Fixture for semantic-patches/backport/module_memory.cocci. */
#include <linux/module.h>

bool fixture_module_text_contains(const struct module *mod, unsigned long addr);
bool fixture_module_text_contains(const struct module *mod, unsigned long addr)
{
	unsigned long base = (unsigned long)mod->mem[MOD_TEXT].base;

	if (addr - base < mod->mem[MOD_TEXT].size)
		return true;
	base = (unsigned long)mod->mem[MOD_INIT_TEXT].base;
	return addr - base < mod->mem[MOD_INIT_TEXT].size;
}

unsigned int fixture_module_text_size(void);
unsigned int fixture_module_text_size(void)
{
	return THIS_MODULE->mem[MOD_TEXT].size;
}
