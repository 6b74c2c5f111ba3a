/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the NMI-safe clocks of include/linux/timekeeping.h.
 * The model reads the host's CLOCK_MONOTONIC/CLOCK_REALTIME (vDSO: no lock,
 * async-signal-safe), which is what the kernel's fast accessors promise.
 */
#ifndef _MODEL_LINUX_TIMEKEEPING_H
#define _MODEL_LINUX_TIMEKEEPING_H

#include <linux/time64.h>
#include <linux/types.h>

u64 ktime_get_mono_fast_ns(void);
u64 ktime_get_real_fast_ns(void);

#endif /* _MODEL_LINUX_TIMEKEEPING_H */
