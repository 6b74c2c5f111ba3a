/* SPDX-License-Identifier: GPL-2.0 */
/* Model stand-in for include/linux/stddef.h. */
#ifndef _MODEL_LINUX_STDDEF_H
#define _MODEL_LINUX_STDDEF_H

#include <linux/types.h>

#ifndef NULL
#define NULL ((void *)0)
#endif
#define offsetof(TYPE, MEMBER) __builtin_offsetof(TYPE, MEMBER)
#define sizeof_field(TYPE, MEMBER) sizeof((((TYPE *)0)->MEMBER))
#define offsetofend(TYPE, MEMBER)                                              \
	(offsetof(TYPE, MEMBER) + sizeof_field(TYPE, MEMBER))

#endif /* _MODEL_LINUX_STDDEF_H */
