// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris-style drivers on Linux: module linkage, attach/detach, and
 * pseudo-device minor nodes (sys/modctl.h, sys/conf.h, sys/sunddi.h).
 *
 * Big Theory Statement
 * --------------------
 * A Solaris driver is a module whose _init calls mod_install(&modlinkage);
 * the framework then attaches the driver (devo_attach, DDI_ATTACH), and the
 * driver publishes minor nodes with ddi_create_minor_node, which user space
 * opens; opens, closes and ioctls arrive through the cb_ops table.
 *
 * On Linux:
 *   - linux/modglue.h gives the module a module_init that calls
 *     solcompat_mod_enter(THIS_MODULE, _init). mod_enter records the owner
 *     (serialised by mod_lock) so the minor nodes created during _init pin
 *     the right module: while a minor node is open, its module cannot be
 *     unloaded (file_operations.owner).
 *   - mod_install attaches each modldrv's dev_ops with a dev_info_t of its
 *     own (one instance, number 0, per driver).
 *   - A minor node is a misc device (dynamic minor) named after the node,
 *     mode 0600, with file_operations whose open/release/ioctl call
 *     cb_open/cb_close/cb_ioctl with dev_t = makedevice(node major, minor),
 *     flags FREAD/FWRITE from the open mode, and the caller's credentials.
 *     cb_open may change *devp (clone opens): the resulting dev_t is kept in
 *     file->private_data and passed to the later calls. Errors: the driver
 *     returns Solaris errnos (positive), Linux wants negatives; a negative
 *     return (DDI_FAILURE, a Linux errno) is reported and becomes EIO.
 *   - Lifetimes: an open file holds a reference to its node and to the
 *     driver's module (taken in open, which misc_open runs under the misc
 *     lock that misc_deregister takes, so no open can start once the node
 *     is removed). A node removed while open (by its own ioctl, by a failed
 *     attach) is freed at the last close, and its calls keep reaching the
 *     driver, which cannot unload meanwhile. The file_operations are
 *     solcompat's own (owner solcompat.ko), not the node's: Linux reads
 *     them after release returns.
 *   - The "major" of a node is its misc minor: unique per node, stable while
 *     it exists.
 *   - cb_read/cb_write (uio), mmap, poll and STREAMS are not supported.
 *   - _fini: Linux cannot refuse an unload once module_exit runs; the
 *     driver's refusal (EBUSY from detach) is reported and the nodes are
 *     removed anyway. Open nodes already prevent the unload, which is the
 *     usual reason for a refusal. The other one, a probe of the module
 *     enabled by a consumer, is kept from arising the same way: the
 *     provider holds the module (mod_hold_enabled: a module reference,
 *     so rmmod fails with EBUSY before module_exit) while the probe is
 *     enabled, having recorded it (mod_running_ctl) during _init.
 *
 * Contexts: every function here is process context (misc_register and
 * friends sleep), except ddi_get_instance and the module hold and release
 * (any context: try_module_get and module_put are atomic operations).
 */
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <impl/ddi.h>
#include <impl/debug.h>
#include "solcompat_init.h"

struct solcompat_dev_info {
	solcompat_dev_ops_t *ops;
	struct module *owner;
	struct list_head nodes;
	struct list_head link;	/* in the installed list (mod_lock) */
	solcompat_modlinkage_t *linkage;
	/* devo_detach succeeded (a later driver of mod_remove refused). */
	bool detached;
};

struct minor_node {
	struct list_head link;
	struct miscdevice misc;
	refcount_t refs;	/* the dip's list, and each open file */
	solcompat_cb_ops_t *cb; /* in the driver's module */
	struct module *owner;	/* the driver's module */
	unsigned int minor;
	char name[32];
};

static void node_put(struct minor_node *node)
{
	if (refcount_dec_and_test(&node->refs))
		kfree(node);
}

/* A driver's result: a positive Solaris errno, or a misuse. */
static int ddi_errno(int err, const char *api)
{
	if (err >= 0)
		return -err;
	solcompat_misuse(
		SOLCOMPAT_MISUSE_CONTEXT, api,
		"driver returned a negative value (DDI_FAILURE or a Linux errno), not a Solaris errno: EIO",
		__builtin_return_address(0));
	return -EIO;
}

struct solcompat_mod_ops solcompat_mod_driverops = { "driver" };
EXPORT_SYMBOL_GPL(solcompat_mod_driverops);

static DEFINE_MUTEX(mod_lock);
static struct module *mod_owner;	/* module whose _init/_fini runs */
static struct task_struct *mod_owner_task; /* ... in this task */
static LIST_HEAD(installed);

static struct minor_node *file_node(struct file *f)
{
	struct miscdevice *misc = f->private_data;

	return container_of(misc, struct minor_node, misc);
}

static int ddi_fop_flags(struct file *f)
{
	return ((f->f_mode & FMODE_READ) ? SOLCOMPAT_FREAD : 0) |
	       ((f->f_mode & FMODE_WRITE) ? SOLCOMPAT_FWRITE : 0) |
	       ((f->f_flags & O_EXCL) ? SOLCOMPAT_FEXCL : 0);
}

/* After open, private_data holds the dev_t cb_open settled on, + node. */
struct open_file {
	struct minor_node *node;
	solcompat_dev_t dev;
};

/* Under misc_open's lock: the node cannot be removed meanwhile. */
static int ddi_fop_open(struct inode *inode, struct file *f)
{
	/* misc_open set private_data to our miscdevice. */
	struct minor_node *node = file_node(f);
	solcompat_cb_ops_t *cb = node->cb;
	struct open_file *of;
	int err = 0;

	if (!try_module_get(node->owner))
		return -ENODEV;
	/*
	 * Not while the driver's _init still runs: if it fails, Linux frees
	 * the module whatever its references (a node its attach made could
	 * be open by then). Once live it can only go through delete_module,
	 * which our reference stops.
	 */
	if (node->owner && READ_ONCE(node->owner->state) != MODULE_STATE_LIVE) {
		module_put(node->owner);
		return -ENXIO;
	}
	of = kzalloc(sizeof(*of), GFP_KERNEL);
	if (!of) {
		module_put(node->owner);
		return -ENOMEM;
	}
	of->node = node;
	of->dev = ((solcompat_dev_t)node->misc.minor << SOLCOMPAT_NBITSMINOR) |
		  node->minor;
	if (cb && cb->cb_open)
		err = cb->cb_open(&of->dev, ddi_fop_flags(f),
				  SOLCOMPAT_OTYP_CHR, NULL);
	if (err) {
		kfree(of);
		module_put(node->owner);
		return ddi_errno(err, "cb_open");
	}
	refcount_inc(&node->refs);
	f->private_data = of;
	return 0;
}

static int ddi_fop_release(struct inode *inode, struct file *f)
{
	struct open_file *of = f->private_data;
	struct minor_node *node = of->node;
	struct module *owner = node->owner;

	if (node->cb && node->cb->cb_close)
		node->cb->cb_close(of->dev, ddi_fop_flags(f),
				   SOLCOMPAT_OTYP_CHR, NULL);
	kfree(of);
	node_put(node);
	module_put(owner);
	return 0;
}

static long ddi_fop_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct open_file *of = f->private_data;
	solcompat_cb_ops_t *cb = of->node->cb;
	int rval = 0, err;

	if (!cb || !cb->cb_ioctl)
		return -ENOTTY;
	err = cb->cb_ioctl(of->dev, (int)cmd, (solcompat_intptr_t)arg,
			   ddi_fop_flags(f), NULL, &rval);
	return err ? ddi_errno(err, "cb_ioctl") : rval;
}

static const struct file_operations ddi_fops = {
	.owner = THIS_MODULE,
	.open = ddi_fop_open,
	.release = ddi_fop_release,
	.unlocked_ioctl = ddi_fop_ioctl,
	.llseek = noop_llseek,
};

int solcompat_ddi_create_minor_node(solcompat_dev_info_t *dip,
				    const char *name, unsigned int minor)
{
	struct minor_node *node;
	int err;

	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return -1;
	strscpy(node->name, name);
	refcount_set(&node->refs, 1);
	node->cb = dip->ops->devo_cb_ops;
	node->owner = dip->owner;
	node->minor = minor;
	node->misc.minor = MISC_DYNAMIC_MINOR;
	node->misc.name = node->name;
	node->misc.fops = &ddi_fops;
	node->misc.mode = 0600;
	err = misc_register(&node->misc);
	if (err) {
		pr_err("solcompat: ddi_create_minor_node %s: misc_register failed (%d)\n",
		       name, err);
		kfree(node);
		return -1;
	}
	list_add_tail(&node->link, &dip->nodes);
	return 0;
}
EXPORT_SYMBOL_GPL(solcompat_ddi_create_minor_node);

void solcompat_ddi_remove_minor_node(solcompat_dev_info_t *dip,
				     const char *name)
{
	struct minor_node *node, *next;

	list_for_each_entry_safe(node, next, &dip->nodes, link) {
		if (name && strcmp(name, node->name))
			continue;
		misc_deregister(&node->misc);
		list_del(&node->link);
		node_put(node); /* open files keep it until their close */
	}
}
EXPORT_SYMBOL_GPL(solcompat_ddi_remove_minor_node);

int solcompat_ddi_get_instance(solcompat_dev_info_t *dip)
{
	return 0;
}
EXPORT_SYMBOL_GPL(solcompat_ddi_get_instance);

/*
 * Remove the nodes of, and free, every device matching ml or owner (detach
 * first if asked); how many there were.
 */
static int release_devices(solcompat_modlinkage_t *ml, struct module *owner,
			   bool detach)
{
	solcompat_dev_info_t *dip, *next;
	int n = 0;

	list_for_each_entry_safe(dip, next, &installed, link) {
		if (ml ? dip->linkage != ml : dip->owner != owner)
			continue;
		if (detach && dip->ops->devo_detach && !dip->detached)
			dip->ops->devo_detach(dip, 0 /* DDI_DETACH */);
		solcompat_ddi_remove_minor_node(dip, NULL);
		list_del(&dip->link);
		kfree(dip);
		n++;
	}
	return n;
}

int solcompat_mod_install(solcompat_modlinkage_t *ml)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ml->ml_linkage) && ml->ml_linkage[i]; i++) {
		solcompat_modldrv_t *drv = ml->ml_linkage[i];
		solcompat_dev_info_t *dip;

		if (drv->drv_modops != &solcompat_mod_driverops ||
		    !drv->drv_dev_ops)
			continue;
		dip = kzalloc(sizeof(*dip), GFP_KERNEL);
		if (!dip)
			goto fail;
		dip->ops = drv->drv_dev_ops;
		dip->owner = (struct module *)solcompat_mod_running();
		dip->linkage = ml;
		INIT_LIST_HEAD(&dip->nodes);
		if (dip->ops->devo_attach &&
		    dip->ops->devo_attach(dip, 0 /* DDI_ATTACH */) != 0) {
			pr_err("solcompat: %s: attach failed\n",
			       drv->drv_linkinfo ? drv->drv_linkinfo : "driver");
			solcompat_ddi_remove_minor_node(dip, NULL);
			kfree(dip);
			goto fail;
		}
		list_add_tail(&dip->link, &installed);
	}
	return 0;
fail:
	release_devices(ml, NULL, true); /* undo the drivers attached so far */
	return ENXIO;
}
EXPORT_SYMBOL_GPL(solcompat_mod_install);

int solcompat_mod_remove(solcompat_modlinkage_t *ml)
{
	solcompat_dev_info_t *dip;

	/*
	 * Detach each driver; a refusal stops here (EBUSY), as on Solaris,
	 * and leaves that driver and the ones after it attached.
	 */
	list_for_each_entry(dip, &installed, link) {
		if (dip->linkage != ml || !dip->ops->devo_detach ||
		    dip->detached)
			continue;
		if (dip->ops->devo_detach(dip, 0 /* DDI_DETACH */) != 0)
			return EBUSY;
		dip->detached = true;
	}
	release_devices(ml, NULL, false);
	return 0;
}
EXPORT_SYMBOL_GPL(solcompat_mod_remove);

int solcompat_mod_enter(void *owner, int (*init)(void))
{
	int err;

	mutex_lock(&mod_lock);
	mod_owner = owner;
	WRITE_ONCE(mod_owner_task, current);
	err = init();
	WRITE_ONCE(mod_owner_task, NULL);
	mod_owner = NULL;
	if (err < 0) {
		/* DDI_FAILURE, or a Linux errno: Linux would load the module. */
		solcompat_misuse(
			SOLCOMPAT_MISUSE_ARGUMENT, "_init",
			"returned a negative value, not an errno: the load fails with EINVAL",
			__builtin_return_address(0));
		err = EINVAL; /* the same number on Solaris */
	}
	/*
	 * A failed _init should mod_remove what it installed; Linux frees the
	 * module anyway, so the minor nodes it left (an open could still reach
	 * them) go now, without a detach: the failed _init has likely torn
	 * down the state its detach would use. (Opens before init finished
	 * were refused: ddi_fop_open.)
	 */
	if (err && release_devices(NULL, owner, false))
		solcompat_misuse(
			SOLCOMPAT_MISUSE_CONTEXT, "_init",
			"failed with a driver still installed: its minor nodes were removed",
			__builtin_return_address(0));
	mutex_unlock(&mod_lock);
	return err;
}
EXPORT_SYMBOL_GPL(solcompat_mod_enter);

void solcompat_mod_leave(void *owner, int (*fini)(void))
{
	int err;

	mutex_lock(&mod_lock);
	mod_owner = owner;
	WRITE_ONCE(mod_owner_task, current);
	err = fini();
	WRITE_ONCE(mod_owner_task, NULL);
	mod_owner = NULL;
	if (err) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "_fini",
				 "module refused to unload, but Linux unloads it anyway",
				 __builtin_return_address(0));
		/* Nothing of the module may outlive it: force the detach. */
		release_devices(NULL, owner, true);
	}
	mutex_unlock(&mod_lock);
}
EXPORT_SYMBOL_GPL(solcompat_mod_leave);

/*
 * The module whose _init or _fini this task is running, else NULL: another
 * task (a worker registering while some module loads) must not get that
 * module's identity.
 */
solcompat_modctl_t *solcompat_mod_running(void)
{
	if (READ_ONCE(mod_owner_task) != current)
		return NULL;
	return (solcompat_modctl_t *)mod_owner;
}
EXPORT_SYMBOL_GPL(solcompat_mod_running);

solcompat_modctl_t *solcompat_mod_containing(const void *addr)
{
	struct module *mod;

	if (!solcompat_mem_may_sleep()) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "mod_containing_pc",
				 "needs process context (it may sleep)",
				 __builtin_return_address(0));
		return NULL;
	}
	mod = solcompat_trap_module_at((uintptr_t)addr);
	if (mod)
		module_put(mod); /* the caller's own: see impl/ddi.h */
	return (solcompat_modctl_t *)mod;
}
EXPORT_SYMBOL_GPL(solcompat_mod_containing);

notrace int solcompat_mod_hold(solcompat_modctl_t *mod)
{
	if (!mod)
		return 0;
	return try_module_get((struct module *)mod) ? 0 : EBUSY;
}
EXPORT_SYMBOL_GPL(solcompat_mod_hold);

notrace void solcompat_mod_rele(solcompat_modctl_t *mod)
{
	if (mod)
		module_put((struct module *)mod);
}
EXPORT_SYMBOL_GPL(solcompat_mod_rele);
