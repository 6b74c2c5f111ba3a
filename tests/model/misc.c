// SPDX-License-Identifier: GPL-2.0
/*
 * The misc device core and the VFS path of an open/ioctl/close, in kernel
 * C against the stand-ins (as irq_work.c is the irq_work core):
 * misc_register gives a device a minor and a name in a list,
 * misc_deregister takes it out, and model_dev_call() is what user space's
 * open("/dev/<name>", O_RDWR), ioctl and close do in the kernel: find the
 * device, build a struct file with private_data = the miscdevice and f_op
 * = its fops (misc_open), call open, unlocked_ioctl and release in the
 * calling task. Process context: every call here may sleep.
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <model/abi.h>

struct misc_entry {
	struct list_head link;
	struct miscdevice *misc;
};

static DEFINE_MUTEX(misc_mtx);
static LIST_HEAD(misc_list);
static int misc_next_minor = 64; /* dynamic minors: below 255, as misc */

loff_t noop_llseek(struct file *file, loff_t offset, int whence)
{
	return 0;
}

static struct misc_entry *misc_find(const char *name)
{
	struct misc_entry *e;

	list_for_each_entry(e, &misc_list, link)
		if (!strcmp(e->misc->name, name))
			return e;
	return NULL;
}

int misc_register(struct miscdevice *misc)
{
	struct misc_entry *e;

	might_sleep();
	if (!misc->name || !misc->fops)
		return -EINVAL;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	mutex_lock(&misc_mtx);
	if (misc_find(misc->name)) {
		mutex_unlock(&misc_mtx);
		kfree(e);
		return -EBUSY;
	}
	if (misc->minor == MISC_DYNAMIC_MINOR)
		misc->minor = misc_next_minor++;
	e->misc = misc;
	list_add_tail(&e->link, &misc_list);
	mutex_unlock(&misc_mtx);
	return 0;
}

void misc_deregister(struct miscdevice *misc)
{
	struct misc_entry *e, *n;

	might_sleep();
	mutex_lock(&misc_mtx);
	list_for_each_entry_safe(e, n, &misc_list, link) {
		if (e->misc == misc) {
			list_del(&e->link);
			kfree(e);
		}
	}
	mutex_unlock(&misc_mtx);
}

/* An open file of a misc device: what the VFS keeps between the calls. */
struct model_dev_file {
	struct inode inode;
	struct file file;
};

int model_dev_open(const char *name, struct model_dev_file **fp)
{
	struct model_dev_file *f;
	struct misc_entry *e;
	int err;

	might_sleep();
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return ENOMEM;
	mutex_lock(&misc_mtx);
	e = misc_find(name);
	if (!e) {
		mutex_unlock(&misc_mtx);
		kfree(f);
		return ENOENT;
	}
	/* misc_open: the driver sees its miscdevice in private_data. */
	f->file.f_mode = FMODE_READ | FMODE_WRITE;
	f->file.f_flags = O_RDWR;
	f->file.f_op = e->misc->fops;
	f->file.private_data = e->misc;
	mutex_unlock(&misc_mtx);
	/* The device stays registered while open: its module is pinned. */
	if (f->file.f_op->open) {
		err = f->file.f_op->open(&f->inode, &f->file);
		if (err) {
			kfree(f);
			return -err;
		}
	}
	*fp = f;
	return 0;
}

int model_dev_ioctl(struct model_dev_file *f, unsigned int cmd,
		    unsigned long arg, int *rval)
{
	long r = -ENOTTY;

	might_sleep();
	if (f->file.f_op->unlocked_ioctl)
		r = f->file.f_op->unlocked_ioctl(&f->file, cmd, arg);
	if (r < 0)
		return (int)-r;
	*rval = (int)r;
	return 0;
}

void model_dev_close(struct model_dev_file *f)
{
	might_sleep();
	if (f->file.f_op->release)
		f->file.f_op->release(&f->inode, &f->file);
	kfree(f);
}

int model_dev_call(const char *name, unsigned int cmd, unsigned long arg,
		   int *rval)
{
	struct model_dev_file *f;
	int err;

	err = model_dev_open(name, &f);
	if (err)
		return err;
	err = model_dev_ioctl(f, cmd, arg, rval);
	model_dev_close(f);
	return err;
}
