// SPDX-License-Identifier: GPL-2.0
/// Call del_timer() and del_timer_sync(), the names before 6.2, instead of
/// timer_delete() and timer_delete_sync().
///
// Kernel: 6.2, "timers: Rename del_timer() to timer_delete()" and the same
//   for del_timer_sync().
// Probe: probes/timer_delete.c (feature timer_delete)
// Direction: backport, applied when the probe says "no". Debian's 6.1 has
//   the new names (backported with timer_shutdown()), so no kernel of the
//   current matrix applies it; a vanilla 6.1 would.
// Confidence: High
// Comments: A pure rename; timer_shutdown[_sync]() (6.2) has no older
//   equivalent that keeps its meaning (a shut-down timer cannot be
//   re-armed) and is not handled. The result names neither new function,
//   so the rule is idempotent. forward/timer_delete is the inverse.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

@depends on patch@
expression timer;
@@
(
- timer_delete_sync(timer)
+ del_timer_sync(timer)
|
- timer_delete(timer)
+ del_timer(timer)
)
