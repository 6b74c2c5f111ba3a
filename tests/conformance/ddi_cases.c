// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for the DDI driver plumbing (sys/modctl.h, sys/conf.h,
 * sys/sunddi.h): a Solaris-style pseudo driver is installed, its minor node
 * opened and ioctl'ed through the runner, then removed.
 */
#include <sys/conf.h>
#include <sys/cred.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/modctl.h>
#include <sys/open.h>
#include <sys/stat.h>
#include <sys/sunddi.h>
#include <sys/types.h>

#include <impl/debug.h>

#include "sctest.h"

#define NODE "sctest_ddi"
#define IOC_ECHO 0x5301
#define IOC_FAIL 0x5302
#define IOC_NEGATIVE 0x5303
#define IOC_REMOVE 0x5304

static struct {
	int attached, detached, opens, closes, ioctls;
	int open_otyp, open_flag, refuse_detach, open_result;
	dev_t open_dev, ioctl_dev;
	dev_info_t *dip;
} drv;

static int t_open(dev_t *devp, int flag, int otyp, cred_t *cr)
{
	drv.opens++;
	drv.open_otyp = otyp;
	drv.open_flag = flag;
	if (drv_priv(cr) != 0)
		return EPERM;
	if (drv.open_result)
		return drv.open_result;
	/* A clone open: the dev_t we pick comes back in later calls. */
	*devp = makedevice(getmajor(*devp), 7);
	drv.open_dev = *devp;
	return 0;
}

static int t_close(dev_t dev, int flag, int otyp, cred_t *cr)
{
	drv.closes++;
	return 0;
}

static int t_ioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *cr,
		   int *rvalp)
{
	drv.ioctls++;
	drv.ioctl_dev = dev;
	switch (cmd) {
	case IOC_ECHO:
		*rvalp = (int)arg + 1;
		return 0;
	case IOC_FAIL:
		return EINVAL;
	case IOC_NEGATIVE:
		return DDI_FAILURE; /* wrong: a Solaris errno is positive */
	case IOC_REMOVE:
		/* The node goes while this very file is open. */
		ddi_remove_minor_node(drv.dip, NULL);
		return 0;
	default:
		return ENOTTY;
	}
}

static struct cb_ops t_cb_ops = {
	.cb_open = t_open,
	.cb_close = t_close,
	.cb_ioctl = t_ioctl,
	.cb_flag = D_NEW | D_MP,
	.cb_rev = CB_REV,
};

static int t_attach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	if (cmd != DDI_ATTACH)
		return DDI_FAILURE;
	drv.attached++;
	drv.dip = dip;
	if (ddi_create_minor_node(dip, NODE, S_IFCHR, 0, DDI_PSEUDO, 0) !=
	    DDI_SUCCESS)
		return DDI_FAILURE;
	return DDI_SUCCESS;
}

static int t_detach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	if (drv.refuse_detach)
		return DDI_FAILURE;
	drv.detached++;
	ddi_remove_minor_node(dip, NULL);
	return DDI_SUCCESS;
}

static struct dev_ops t_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_attach = t_attach,
	.devo_detach = t_detach,
	.devo_cb_ops = &t_cb_ops,
};

static struct modldrv t_modldrv = { &mod_driverops, "sctest ddi driver",
				    &t_dev_ops };
static struct modlinkage t_modlinkage = { MODREV_1, { &t_modldrv, NULL } };

SCTEST_CASE(ddi, pseudo_device_round_trip)
{
	int rval = 0;

	__builtin_memset(&drv, 0, sizeof(drv));
	SCT_EQ(mod_install(&t_modlinkage), 0);
	SCT_EQ(drv.attached, 1);

	SCT_EQ(sctest_dev_call(NODE, IOC_ECHO, 41, &rval), 0);
	SCT_EQ(rval, 42);
	SCT_EQ(drv.opens, 1);
	SCT_EQ(drv.closes, 1);
	SCT_EQ(drv.open_otyp, OTYP_CHR);
	SCT_EQ(drv.open_flag & (FREAD | FWRITE), FREAD | FWRITE);
	SCT_EQ(getminor(drv.ioctl_dev), 7); /* the clone's dev_t */
	SCT_EQ(drv.ioctl_dev, drv.open_dev);

	SCT_EQ(sctest_dev_call(NODE, IOC_FAIL, 0, &rval), EINVAL);
	SCT_EQ(sctest_dev_call(NODE, 0x5399, 0, &rval), ENOTTY);

	drv.refuse_detach = 1;
	SCT_EQ(mod_remove(&t_modlinkage), EBUSY);
	SCT_EQ(sctest_dev_call(NODE, IOC_ECHO, 1, &rval), 0); /* still there */
	drv.refuse_detach = 0;
	SCT_EQ(mod_remove(&t_modlinkage), 0);
	SCT_EQ(drv.detached, 1);
	SCT_EQ(sctest_dev_call(NODE, IOC_ECHO, 1, &rval), ENOENT);
	SCT_EQ(drv.opens, drv.closes);
}

/*
 * A driver's negative result (DDI_FAILURE where an errno belongs) is
 * reported and becomes EIO (the kernel warned, fatal under panic_on_warn,
 * when an open returned it as a positive number). A node removed by an
 * ioctl on it stays valid until that file's close, which still reaches
 * the driver.
 */
SCTEST_CASE(ddi, bad_results_and_node_removed_while_open)
{
	unsigned long m = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	int rval = 0;

	__builtin_memset(&drv, 0, sizeof(drv));
	SCT_EQ(mod_install(&t_modlinkage), 0);
	drv.open_result = DDI_FAILURE;
	SCT_EQ(sctest_dev_call(NODE, IOC_ECHO, 1, &rval), EIO);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), m + 1);
	drv.open_result = 0;
	SCT_EQ(sctest_dev_call(NODE, IOC_NEGATIVE, 0, &rval), EIO);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), m + 2);
	SCT_EQ(sctest_dev_call(NODE, IOC_REMOVE, 0, &rval), 0);
	SCT_EQ(drv.closes, 2);
	SCT_EQ(drv.opens, 3);
	SCT_EQ(sctest_dev_call(NODE, IOC_ECHO, 1, &rval), ENOENT);
	SCT_EQ(mod_remove(&t_modlinkage), 0);
	SCT_EQ(drv.detached, 1);
}

SCTEST_FAMILY(ddi, SCTEST_ENTRY(ddi, pseudo_device_round_trip, SCTEST_PROCESS),
	      SCTEST_ENTRY(ddi, bad_results_and_node_removed_while_open,
			   SCTEST_PROCESS));
