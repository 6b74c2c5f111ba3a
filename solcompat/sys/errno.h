/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/errno.h: error numbers. The values are Linux's, not Solaris's, because
 * ported code hands them to Linux (ioctl returns, user space); code that
 * compares against the names is unaffected.
 */
#ifndef _SOLCOMPAT_SYS_ERRNO_H
#define _SOLCOMPAT_SYS_ERRNO_H

#include <impl/copy.h>

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT SOLCOMPAT_EFAULT
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define ENOTTY 25
#define ENOSPC 28
#define ERANGE 34
#define ENAMETOOLONG SOLCOMPAT_ENAMETOOLONG
#define ENOTSUP 95
#define EOVERFLOW 75
#define ETIME 62
#define ETIMEDOUT 110
#define EALREADY 114

#endif /* _SOLCOMPAT_SYS_ERRNO_H */
