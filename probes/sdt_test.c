// SPDX-License-Identifier: GPL-2.0
/*
 * sdt_test: a module with one statically defined probe, fired on demand
 * with known arguments, for testing the sdt provider end to end.
 *
 * Big Theory Statement
 * --------------------
 * The probe is sdt:sdt_test:fire:hit. sdt_test_fire(count) fires it count
 * times with arg0 = i (0 .. count-1) and arg1 = count, so a consumer can
 * check every record and a count() aggregation exactly. sdt_test_init()
 * registers the site with the sdt provider and sdt_test_fini() takes it
 * back (EBUSY while enabled). These are plain functions, so the same file
 * serves the conformance cases (linked into a test module) and the
 * sdt_test.ko module (sdt_test_mod.c adds _init/_fini/_info; the Linux
 * side decides how user space triggers sdt_test_fire, e.g. a write to a
 * file of its own).
 *
 * A second site, sdt:sdt_test_late:fire:hit, is registered by the first
 * sdt_test_late() call, i.e. after _init and from another task: the sdt
 * provider must find its module from the table's address. Its own module
 * name in the probe keeps its table apart (a table's probes are removed by
 * module name). sdt_test_fini() takes it back first.
 *
 * Contexts: init/fini: process context; sdt_test_fire: any context (the
 * probe site fires in the caller's context).
 */
#include <sys/types.h>
#include <sys/sdt.h>
#include <sys/sdt_test.h>

SDT_PROBE_DEFINE2(sdt_test_hit, "sdt_test", "fire", "hit", "int", "int");

static sdt_probe_t *const sdt_test_probes[] = {&sdt_probe_sdt_test_hit};

SDT_PROBE_DEFINE2(sdt_test_late_hit, "sdt_test_late", "fire", "hit", "int",
		  "int");

static sdt_probe_t *const sdt_test_late_probes[] = {
	&sdt_probe_sdt_test_late_hit};
static int sdt_test_late_registered;
static int sdt_test_ready; /* between init's end and fini's start */

int sdt_test_init(void)
{
	int err = sdt_register_probes(sdt_test_probes, 1);

	sdt_test_ready = (err == 0);
	return err;
}

int sdt_test_fini(void)
{
	int err = 0, err2;

	sdt_test_ready = 0;
	if (sdt_test_late_registered) {
		err = sdt_unregister_probes(sdt_test_late_probes, 1);
		if (err == 0)
			sdt_test_late_registered = 0;
	}
	/* Both, even if one is busy: Linux may unload the module anyway. */
	err2 = sdt_unregister_probes(sdt_test_probes, 1);
	return err != 0 ? err : err2;
}

int sdt_test_late(int count)
{
	int err, i;

	if (!sdt_test_ready)
		return EBUSY; /* before _init ended (a load parameter), or
				 unloading */
	if (!sdt_test_late_registered) {
		err = sdt_register_probes(sdt_test_late_probes, 1);
		if (err != 0)
			return err;
		sdt_test_late_registered = 1;
	}
	for (i = 0; i < count; i++)
		DTRACE_PROBE2(sdt_test_late_hit, int, i, int, count);
	return 0;
}

void sdt_test_fire(int count)
{
	int i;

	for (i = 0; i < count; i++)
		DTRACE_PROBE2(sdt_test_hit, int, i, int, count);
}
