// SPDX-License-Identifier: GPL-2.0
/*
 * The dtrace pseudo-device: module linkage, attach/detach, and the
 * consumer interface (open, close, ioctl) of /dev/dtrace.
 *
 * Big Theory Statement
 * --------------------
 * The module is a Solaris pseudo-driver: _init sets up the probe core,
 * registers the built-in providers (profile, sdt) and calls mod_install,
 * whose attach creates the minor node "dtrace" (minor 0; solcompat makes
 * it the misc device /dev/dtrace). _fini undoes it in reverse.
 *
 * Consumers. Opening minor 0 is a clone open: the open allocates a minor
 * in [1, DTRACE_IOC_MAX_CONSUMERS] for a new consumer state and returns it
 * in *devp; solcompat keeps that dev_t with the open file and passes it to
 * the file's ioctls and its close, which finds the state by minor
 * (dtrace_minors[], under dtrace_minor_lock). A further open when all
 * minors are taken fails with EBUSY. Only a caller with drv_priv() == 0
 * (CAP_SYS_ADMIN) may open: a consumer can make every CPU run its actions.
 *
 * ioctls. Each command number encodes the size of its struct, so the
 * switch below is also the size check; an unknown number is ENOTTY. The
 * struct is copied in whole (EFAULT on a bad address), validated by the
 * state operation (dtrace_state.c: strings NUL-terminated within their
 * fields, counts, ranges, reserved fields zero; EINVAL, E2BIG), and copied
 * out only on success. A close cannot race an ioctl of the same file
 * (the file is pinned while its ioctl runs), so the state found by minor
 * stays valid for the ioctl's duration.
 *
 * Detach refuses (DDI_FAILURE) while a consumer exists; Linux does not
 * unload a module whose device is open, so in practice it never does.
 *
 * Contexts: every function here is process context.
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/cred.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/modctl.h>
#include <sys/mutex.h>
#include <sys/open.h>
#include <sys/stat.h>
#include <sys/sunddi.h>
#include <sys/cpuvar.h>
#include <sys/dtrace_impl.h>
#include <sys/fbt.h>

static dev_info_t *dtrace_devi;
static kmutex_t dtrace_minor_lock;
static dtrace_state_t *dtrace_minors[DTRACE_IOC_MAX_CONSUMERS + 1];

static dtrace_state_t *dtrace_state_of(dev_t dev)
{
	minor_t minor = getminor(dev);
	dtrace_state_t *state = NULL;

	if (minor == 0 || minor > DTRACE_IOC_MAX_CONSUMERS)
		return NULL;
	mutex_enter(&dtrace_minor_lock);
	state = dtrace_minors[minor];
	mutex_exit(&dtrace_minor_lock);
	return state;
}

static int dtrace_open(dev_t *devp, int flag, int otyp, cred_t *cr)
{
	dtrace_state_t *state;
	minor_t minor;

	(void)flag;
	if (getminor(*devp) != 0)
		return ENXIO;
	if (otyp != OTYP_CHR)
		return EINVAL;
	if (drv_priv(cr) != 0)
		return EPERM;

	/* Defaults exist before the first LIST (as illumos's open does). */
	dtrace_provide_all(NULL);
	state = dtrace_state_create(0);
	mutex_enter(&dtrace_minor_lock);
	for (minor = 1; minor <= DTRACE_IOC_MAX_CONSUMERS; minor++)
		if (dtrace_minors[minor] == NULL)
			break;
	if (minor > DTRACE_IOC_MAX_CONSUMERS) {
		mutex_exit(&dtrace_minor_lock);
		dtrace_state_destroy(state);
		return EBUSY;
	}
	state->dts_minor = minor;
	dtrace_minors[minor] = state;
	mutex_exit(&dtrace_minor_lock);
	*devp = makedevice(getmajor(*devp), minor);
	return 0;
}

static int dtrace_close(dev_t dev, int flag, int otyp, cred_t *cr)
{
	minor_t minor = getminor(dev);
	dtrace_state_t *state;

	(void)flag;
	(void)otyp;
	(void)cr;
	if (minor == 0 || minor > DTRACE_IOC_MAX_CONSUMERS)
		return 0;
	mutex_enter(&dtrace_minor_lock);
	state = dtrace_minors[minor];
	dtrace_minors[minor] = NULL;
	mutex_exit(&dtrace_minor_lock);
	if (state != NULL)
		dtrace_state_destroy(state);
	return 0;
}

static int dtrace_copyin(intptr_t arg, void *req, size_t len, int mode)
{
	return ddi_copyin((void *)arg, req, len, mode) != 0 ? EFAULT : 0;
}

static int dtrace_copyout(const void *req, intptr_t arg, size_t len, int mode)
{
	return ddi_copyout(req, (void *)arg, len, mode) != 0 ? EFAULT : 0;
}

/* Copy in, run op, copy out on success: the shape of every ioctl. */
#define DTRACE_IOCTL(type, op)                                                 \
	do {                                                                   \
		type req_;                                                     \
		int err_ = dtrace_copyin(arg, &req_, sizeof(req_), mode);      \
		if (err_ == 0)                                                 \
			err_ = (op);                                           \
		if (err_ == 0)                                                 \
			err_ = dtrace_copyout(&req_, arg, sizeof(req_), mode); \
		return err_;                                                   \
	} while (0)

static int dtrace_ioc_disable(dtrace_state_t *state, dtrace_ioc_disable_t *req)
{
	if (req->reserved0 != 0)
		return EINVAL;
	return dtrace_state_disable(state, req->enabling_id);
}

static int dtrace_ioc_version(dtrace_ioc_version_t *v)
{
	__builtin_memset(v, 0, sizeof(*v));
	v->version = DTRACE_IOC_VERSION_CURRENT;
	v->trace_rec_size = sizeof(dtrace_ioc_trace_rec_t);
	v->max_cpus = (uint32_t)max_ncpus;
	v->cpus_online = (uint32_t)ncpus;
	v->max_actions = DTRACE_IOC_MAXACTIONS;
	v->quantize_buckets = DTRACE_IOC_QUANTIZE_BUCKETS;
	v->lquantize_maxlevels = DTRACE_IOC_LQUANTIZE_MAXLEVELS;
	v->bufsize_default = DTRACE_IOC_BUFSIZE_DEFAULT;
	v->bufsize_max = DTRACE_IOC_BUFSIZE_MAX;
	return 0;
}

static int dtrace_ioc_status(dtrace_state_t *state, dtrace_ioc_status_t *st)
{
	dtrace_state_status(state, st);
	return 0;
}

static int dtrace_ioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *cr,
			int *rvalp)
{
	dtrace_state_t *state = dtrace_state_of(dev);

	(void)cr;
	if (rvalp != NULL)
		*rvalp = 0;
	if (state == NULL)
		return ENXIO;

	switch (cmd) {
	case DTRACEIOC_VERSION:
		DTRACE_IOCTL(dtrace_ioc_version_t, dtrace_ioc_version(&req_));
	case DTRACEIOC_LIST:
		DTRACE_IOCTL(dtrace_ioc_list_t, dtrace_probe_list(&req_, mode));
	case DTRACEIOC_ENABLE:
		DTRACE_IOCTL(dtrace_ioc_enable_t,
			     dtrace_state_enable(state, &req_));
	case DTRACEIOC_DISABLE:
		DTRACE_IOCTL(dtrace_ioc_disable_t,
			     dtrace_ioc_disable(state, &req_));
	case DTRACEIOC_GO:
		DTRACE_IOCTL(dtrace_ioc_go_t, dtrace_state_go(state, &req_));
	case DTRACEIOC_STOP:
		DTRACE_IOCTL(dtrace_ioc_stop_t,
			     dtrace_state_stop(state, &req_));
	case DTRACEIOC_BUFSNAP:
		DTRACE_IOCTL(dtrace_ioc_bufsnap_t,
			     dtrace_state_bufsnap(state, &req_, mode));
	case DTRACEIOC_AGGSNAP:
		DTRACE_IOCTL(dtrace_ioc_aggsnap_t,
			     dtrace_state_aggsnap(state, &req_, mode));
	case DTRACEIOC_STATUS:
		DTRACE_IOCTL(dtrace_ioc_status_t,
			     dtrace_ioc_status(state, &req_));
	case DTRACEIOC_REFUSED:
		DTRACE_IOCTL(dtrace_ioc_refused_t,
			     dtrace_probe_refused_list(&req_, mode));
	default:
		return ENOTTY;
	}
}

static int dtrace_info(dev_info_t *dip, ddi_info_cmd_t cmd, void *arg,
		       void **result)
{
	(void)dip;
	(void)arg;
	switch (cmd) {
	case DDI_INFO_DEVT2DEVINFO:
		*result = dtrace_devi;
		return DDI_SUCCESS;
	case DDI_INFO_DEVT2INSTANCE:
		*result = (void *)0;
		return DDI_SUCCESS;
	default:
		return DDI_FAILURE;
	}
}

static int dtrace_attach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	if (cmd != DDI_ATTACH)
		return DDI_FAILURE;
	if (ddi_create_minor_node(dip, "dtrace", S_IFCHR, 0, DDI_PSEUDO, 0) ==
	    DDI_FAILURE)
		return DDI_FAILURE;
	dtrace_devi = dip;
	return DDI_SUCCESS;
}

static int dtrace_detach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	if (cmd != DDI_DETACH)
		return DDI_FAILURE;
	if (dtrace_state_count() != 0)
		return DDI_FAILURE;
	ddi_remove_minor_node(dip, NULL);
	dtrace_devi = NULL;
	return DDI_SUCCESS;
}

static struct cb_ops dtrace_cb_ops = {
	.cb_open = dtrace_open,
	.cb_close = dtrace_close,
	.cb_strategy = nulldev,
	.cb_print = nulldev,
	.cb_dump = nodev,
	.cb_read = nodev,
	.cb_write = nodev,
	.cb_ioctl = dtrace_ioctl,
	.cb_devmap = nodev,
	.cb_mmap = nodev,
	.cb_segmap = nodev,
	.cb_chpoll = nochpoll,
	.cb_prop_op = ddi_prop_op,
	.cb_str = NULL,
	.cb_flag = D_NEW | D_MP,
	.cb_rev = CB_REV,
	.cb_aread = nodev,
	.cb_awrite = nodev,
};

static struct dev_ops dtrace_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_refcnt = 0,
	.devo_getinfo = dtrace_info,
	.devo_identify = nulldev,
	.devo_probe = nulldev,
	.devo_attach = dtrace_attach,
	.devo_detach = dtrace_detach,
	.devo_reset = nodev,
	.devo_cb_ops = &dtrace_cb_ops,
	.devo_bus_ops = NULL,
	.devo_power = nodev,
	.devo_quiesce = ddi_quiesce_not_needed,
};

static struct modldrv dtrace_modldrv = {
	&mod_driverops,
	"Dynamic tracing: probe core, profile and sdt providers",
	&dtrace_dev_ops,
};

static struct modlinkage dtrace_modlinkage = {
	MODREV_1,
	{&dtrace_modldrv, NULL},
};

int _init(void)
{
	int err;

	mutex_init(&dtrace_minor_lock, "dtrace_minor_lock", MUTEX_DEFAULT,
		   NULL);
	err = dtrace_core_init();
	if (err != 0)
		goto out_lock;
	err = profile_init();
	if (err != 0)
		goto out_core;
	err = sdt_init();
	if (err != 0)
		goto out_profile;
	err = fbt_init();
	if (err != 0)
		goto out_sdt;
	err = mod_install(&dtrace_modlinkage);
	if (err != 0)
		goto out_fbt;
	return 0;

out_fbt:
	(void)fbt_fini();
out_sdt:
	(void)sdt_fini();
out_profile:
	(void)profile_fini();
out_core:
	(void)dtrace_core_fini();
out_lock:
	mutex_destroy(&dtrace_minor_lock);
	return err;
}

int _fini(void)
{
	int err;

	err = mod_remove(&dtrace_modlinkage);
	if (err != 0)
		return err;
	/* No consumer exists now, so nothing is enabled. */
	err = fbt_fini();
	if (err == 0)
		err = sdt_fini();
	if (err == 0)
		err = profile_fini();
	if (err == 0)
		err = dtrace_core_fini();
	if (err == 0)
		mutex_destroy(&dtrace_minor_lock);
	return err;
}

int _info(struct modinfo *modinfop)
{
	return mod_info(&dtrace_modlinkage, modinfop);
}
