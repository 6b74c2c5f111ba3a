// SPDX-License-Identifier: GPL-2.0
/*
 * sdt_test.ko's module linkage: a Solaris-style module with no driver of
 * its own. _init registers the sdt_test probe, _fini takes it back and
 * refuses (EBUSY) while a consumer has it enabled. The Linux glue adds the
 * trigger that calls sdt_test_fire().
 *
 * Contexts: process context.
 */
#include <sys/types.h>
#include <sys/modctl.h>
#include <sys/sdt_test.h>

static struct modlinkage sdt_test_modlinkage = {
	MODREV_1,
	{NULL},
};

int _init(void)
{
	int err = sdt_test_init();

	if (err != 0)
		return err;
	err = mod_install(&sdt_test_modlinkage);
	if (err != 0)
		(void)sdt_test_fini();
	return err;
}

int _fini(void)
{
	int err = sdt_test_fini();

	if (err != 0)
		return err;
	return mod_remove(&sdt_test_modlinkage);
}

int _info(struct modinfo *modinfop)
{
	return mod_info(&sdt_test_modlinkage, modinfop);
}
