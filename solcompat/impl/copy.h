/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/copy.h: copies between user and kernel space (prefixed ABI). Solaris
 * names in sys/systm.h (copyin, copyout, copyinstr) and sys/sunddi.h
 * (ddi_copyin, ddi_copyout); design in linux/copy.c.
 */
#ifndef _SOLCOMPAT_IMPL_COPY_H
#define _SOLCOMPAT_IMPL_COPY_H

#include <impl/types.h>

#define SOLCOMPAT_EFAULT 14
#define SOLCOMPAT_ENAMETOOLONG 36

/*
 * Copy len bytes from user address uaddr to kaddr. Returns 0, or -1 when any
 * part of the source is not readable user memory (never an oops).
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_copyin(const void *uaddr, void *kaddr,
					solcompat_size_t len);

/*
 * Copy len bytes from kaddr to user address uaddr; 0 or -1 as copyin.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_copyout(const void *kaddr, void *uaddr,
					 solcompat_size_t len);

/*
 * Copy a NUL-terminated string of at most maxlen bytes (NUL included) from
 * user space. Returns 0, SOLCOMPAT_EFAULT, or SOLCOMPAT_ENAMETOOLONG when it
 * does not fit; *copied (if not NULL) gets the bytes copied, NUL included.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_copyinstr(const char *uaddr, char *kaddr,
					   solcompat_size_t maxlen,
					   solcompat_size_t *copied);

#endif /* _SOLCOMPAT_IMPL_COPY_H */
