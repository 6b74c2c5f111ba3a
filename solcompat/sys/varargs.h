/* SPDX-License-Identifier: GPL-2.0 */
/* sys/varargs.h: variable argument lists, from the compiler's builtins. */
#ifndef _SOLCOMPAT_SYS_VARARGS_H
#define _SOLCOMPAT_SYS_VARARGS_H

#include <impl/types.h>

typedef solcompat_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define va_copy(dst, src) __builtin_va_copy(dst, src)

#endif /* _SOLCOMPAT_SYS_VARARGS_H */
