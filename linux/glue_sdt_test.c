// SPDX-License-Identifier: GPL-2.0
/*
 * Linux module glue for sdt_test.ko, the sdt provider's test module: its
 * module entry points (probes/sdt_test_mod.c through linux/modglue.h) and
 * the trigger, a write-only module parameter:
 *   echo N > /sys/module/sdt_test/parameters/fire
 * fires sdt:sdt_test:fire:hit N times (arg0 = 0..N-1, arg1 = N).
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "modglue.h"

/* probes/sys/sdt_test.h, which this Linux-side file may not include. */
void sdt_test_fire(int count);
int sdt_test_late(int count);

#define SDT_TEST_FIRE_MAX 1000000

/* A parameter's firing count: 0, or a negative errno. */
static int sdt_test_count(const char *val, int *count)
{
	int err = kstrtoint(val, 0, count);

	if (err)
		return err;
	return *count < 0 || *count > SDT_TEST_FIRE_MAX ? -EINVAL : 0;
}

static int sdt_test_fire_set(const char *val, const struct kernel_param *kp)
{
	int count, err = sdt_test_count(val, &count);

	if (err)
		return err;
	sdt_test_fire(count);
	return 0;
}

static const struct kernel_param_ops sdt_test_fire_ops = {
	.set = sdt_test_fire_set,
};
module_param_cb(fire, &sdt_test_fire_ops, NULL, 0200);
MODULE_PARM_DESC(fire, "fire sdt:sdt_test:fire:hit this many times");

/*
 * Parameter writes are serialised (the module's kernel_param_lock), but not
 * against the unload, which runs _fini before it removes the parameter
 * files: the write pins the module, so rmmod fails (EBUSY) while it runs,
 * and a write during an unload is refused.
 */
static int sdt_test_late_set(const char *val, const struct kernel_param *kp)
{
	int count, err = sdt_test_count(val, &count);

	if (err)
		return err;
	if (!try_module_get(THIS_MODULE))
		return -EBUSY;
	err = sdt_test_late(count);
	module_put(THIS_MODULE);
	return err ? -err : 0;
}

static const struct kernel_param_ops sdt_test_late_ops = {
	.set = sdt_test_late_set,
};
module_param_cb(late, &sdt_test_late_ops, NULL, 0200);
MODULE_PARM_DESC(
	late,
	"register sdt:sdt_test_late:fire:hit (outside _init) and fire it this many times");

SOLCOMPAT_MODULE_GLUE("sdt_test: fires known sdt probes on demand");
