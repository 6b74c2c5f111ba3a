/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/cred.h that linux/ uses:
 * the current task's effective ids (struct cred is in model/abi.h).
 */
#ifndef _MODEL_LINUX_CRED_H
#define _MODEL_LINUX_CRED_H

#include <linux/sched.h>
#include <linux/uidgid.h>

#define current_cred() (current->cred)
#define current_euid() (current_cred()->euid)
#define current_egid() (current_cred()->egid)

#endif /* _MODEL_LINUX_CRED_H */
