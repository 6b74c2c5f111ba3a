/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/rcupdate.h that linux/
 * uses. The model kernel is not PREEMPT_RCU: an RCU read-side section is a
 * preempt_disable() section, so rcu_preempt_depth() is always 0, as on
 * Debian's non-RT kernels.
 */
#ifndef _MODEL_LINUX_RCUPDATE_H
#define _MODEL_LINUX_RCUPDATE_H

#include <linux/compiler.h>
#include <linux/preempt.h>

#define rcu_preempt_depth() 0
#define rcu_read_lock() preempt_disable()
#define rcu_read_unlock() preempt_enable()

#endif /* _MODEL_LINUX_RCUPDATE_H */
