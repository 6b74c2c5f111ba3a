/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/miscdevice.h: misc_register and
 * misc_deregister go to the runtime's registry of devices by name
 * (model_module.cc). Both may sleep (might_sleep is checked); a dynamic
 * minor is handed out; a name registered twice is refused with -EBUSY as
 * the kernel refuses a duplicate /dev name. User space's open, ioctl and
 * close become model_dev_call(), which runs the device's file_operations
 * in the calling task as misc_open and the VFS would.
 */
#ifndef _MODEL_LINUX_MISCDEVICE_H
#define _MODEL_LINUX_MISCDEVICE_H

#include <linux/fs.h>
#include <linux/types.h>

#define MISC_DYNAMIC_MINOR 255

struct miscdevice {
	int minor;
	const char *name;
	const struct file_operations *fops;
	umode_t mode;
};

int misc_register(struct miscdevice *misc);
void misc_deregister(struct miscdevice *misc);

#endif /* _MODEL_LINUX_MISCDEVICE_H */
