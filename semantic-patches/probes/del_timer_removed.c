// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe: del_timer_removed
 *
 * Kernel:   6.15: del_timer() and del_timer_sync(), kept as wrappers since
 *           the 6.2 rename to timer_delete[_sync](), are removed.
 * Yes:      neither name is declared any more. The probe declares
 *           variables of those names, which clashes with the functions (or
 *           with macros) for as long as the kernel still has them.
 * Selects:  forward/timer_delete when "yes" (forward.sh).
 */
#include <linux/compiler.h>
#include <linux/timer.h>

static int __maybe_unused del_timer, del_timer_sync;
