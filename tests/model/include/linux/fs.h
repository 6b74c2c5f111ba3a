/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/fs.h a character device
 * driver uses: struct file (mode, flags, private_data, f_op), an opaque
 * struct inode, and file_operations with open, release, unlocked_ioctl
 * and llseek. Files exist only as the runtime's model_dev_call() builds
 * them (see miscdevice.h).
 */
#ifndef _MODEL_LINUX_FS_H
#define _MODEL_LINUX_FS_H

#include <linux/types.h>

typedef unsigned int fmode_t;
typedef long long loff_t;

#define FMODE_READ ((fmode_t)0x1)
#define FMODE_WRITE ((fmode_t)0x2)

/* include/uapi/asm-generic/fcntl.h */
#define O_ACCMODE 00000003
#define O_RDONLY 00000000
#define O_WRONLY 00000001
#define O_RDWR 00000002
#define O_EXCL 00000200

struct module;
struct inode {
	int i_unused;
};

struct file_operations;
struct file {
	fmode_t f_mode;
	unsigned int f_flags;
	const struct file_operations *f_op;
	void *private_data;
};

struct file_operations {
	struct module *owner;
	loff_t (*llseek)(struct file *, loff_t, int);
	long (*unlocked_ioctl)(struct file *, unsigned int, unsigned long);
	int (*open)(struct inode *, struct file *);
	int (*release)(struct inode *, struct file *);
};

/* fs/read_write.c: a device without a file position. */
loff_t noop_llseek(struct file *file, loff_t offset, int whence);

#endif /* _MODEL_LINUX_FS_H */
