// SPDX-License-Identifier: GPL-2.0
/// Call timer_delete() and timer_delete_sync() instead of del_timer() and
/// del_timer_sync(), which 6.15 removes.
///
// Kernel: 6.2 renamed them ("timers: Rename del_timer() to
//   timer_delete()", and the same for del_timer_sync()) and kept the old
//   names as wrappers; 6.15 removes the wrappers.
// Probe: probes/del_timer_removed.c (feature del_timer_removed)
// Direction: forward, for the day a 6.15+ kernel enters the matrix; run by
//   forward.sh over the repository, never by apply.sh (the probe says "no"
//   on every kernel of the matrix today). The new names exist on every
//   kernel of the matrix (Debian's 6.1 included), so the converted tree
//   needs no backport here; backport/timer_delete is the inverse for a
//   kernel older than 6.2.
// Confidence: High
// Comments: A pure rename. try_to_del_timer_sync() is not touched: the
//   fixture keeps one to show it. The result names neither old function,
//   so the rule is idempotent.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

@depends on patch@
expression timer;
@@
(
- del_timer_sync(timer)
+ timer_delete_sync(timer)
|
- del_timer(timer)
+ timer_delete(timer)
)
