/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/capability.h that linux/
 * uses. capable() goes through the runtime: it is a violation outside
 * process context (it audits and reads current's credentials), and answers
 * from the current task's model credentials.
 */
#ifndef _MODEL_LINUX_CAPABILITY_H
#define _MODEL_LINUX_CAPABILITY_H

#include <linux/types.h>
#include <model/abi.h>

#define CAP_SYS_ADMIN 21

static inline bool capable(int cap)
{
	return model_capable(cap) != 0;
}

#endif /* _MODEL_LINUX_CAPABILITY_H */
