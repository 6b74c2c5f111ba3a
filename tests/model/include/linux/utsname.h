/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/utsname.h: init_utsname(). The model's
 * release string is "model" plus the kernel version the stand-ins follow
 * (tests/model/kernel_data.c).
 */
#ifndef _MODEL_LINUX_UTSNAME_H
#define _MODEL_LINUX_UTSNAME_H

#include <linux/compiler.h>

#define __NEW_UTS_LEN 64

struct new_utsname {
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};

struct uts_namespace {
	struct new_utsname name;
};

extern struct uts_namespace init_uts_ns;

static __always_inline struct new_utsname *init_utsname(void)
{
	return &init_uts_ns.name;
}

#endif /* _MODEL_LINUX_UTSNAME_H */
