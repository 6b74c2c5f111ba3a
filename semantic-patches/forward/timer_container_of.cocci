// SPDX-License-Identifier: GPL-2.0
/// Call timer_container_of() instead of from_timer(), which 6.16 renames.
///
// Kernel: 6.16, "timers: Rename from_timer() to timer_container_of()";
//   from_timer() is gone in the same release.
// Probe: probes/timer_container_of.c (feature timer_container_of)
// Direction: forward, for the day a 6.16+ kernel enters the matrix; run by
//   forward.sh over the repository, never by apply.sh (the probe says "no"
//   on every kernel of the matrix today). backport/timer_container_of is the
//   inverse.
// Confidence: High
// Comments: A pure rename with the same three arguments (the variable whose
//   type is the container, the timer pointer, the member name). The result
//   names no from_timer(), so the rule is idempotent.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

@depends on patch@
expression var, timer;
identifier member;
@@
- from_timer(var, timer, member)
+ timer_container_of(var, timer, member)
