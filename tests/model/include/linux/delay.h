/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/delay.h: busy-waits on the host's
 * monotonic clock, callable in any context like the kernel's udelay.
 */
#ifndef _MODEL_LINUX_DELAY_H
#define _MODEL_LINUX_DELAY_H

#include <linux/sched.h>
#include <model/abi.h>

#define udelay(n) model_udelay(n)
#define ndelay(n) model_udelay(((n) + 999) / 1000)
#define mdelay(n) model_udelay((n)*1000UL)

#endif /* _MODEL_LINUX_DELAY_H */
