/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/uidgid.h that linux/ uses:
 * kuid_t/kgid_t (declared in model/abi.h with the task) and their mapping
 * into a user namespace, which in the model has one namespace.
 */
#ifndef _MODEL_LINUX_UIDGID_H
#define _MODEL_LINUX_UIDGID_H

#include <model/abi.h>

struct user_namespace {
	int level;
};
extern struct user_namespace init_user_ns;

#define from_kuid(ns, uid) ((void)(ns), (uid).val)
#define from_kgid(ns, gid) ((void)(ns), (gid).val)
#define __kuid_val(uid) ((uid).val)
#define __kgid_val(gid) ((gid).val)

#endif /* _MODEL_LINUX_UIDGID_H */
