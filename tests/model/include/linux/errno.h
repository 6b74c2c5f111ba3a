/* SPDX-License-Identifier: GPL-2.0 */
/* Model stand-in for include/uapi/asm-generic/errno-base.h and errno.h. */
#ifndef _MODEL_LINUX_ERRNO_H
#define _MODEL_LINUX_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOTTY 25
#define ENOSPC 28
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ETIMEDOUT 110
#define ERESTARTSYS 512

#endif /* _MODEL_LINUX_ERRNO_H */
