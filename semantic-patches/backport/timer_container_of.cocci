// SPDX-License-Identifier: GPL-2.0
/// Call from_timer(), the name before 6.16, instead of timer_container_of().
///
// Kernel: 6.16, "timers: Rename from_timer() to timer_container_of()".
// Probe: probes/timer_container_of.c (feature timer_container_of)
// Direction: backport, applied when the probe says "no". A no-op until the
//   tree is moved to 6.16 spelling by forward/timer_container_of, the
//   inverse; it is in the series now so that the move needs no new rule.
// Confidence: High
// Comments: A pure rename with the same three arguments. The result names
//   no timer_container_of(), so the rule is idempotent.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

@depends on patch@
expression var, timer;
identifier member;
@@
- timer_container_of(var, timer, member)
+ from_timer(var, timer, member)
