// SPDX-License-Identifier: GPL-2.0
/// Assign an hrtimer's callback directly, as kernels without
/// hrtimer_update_function() require: hrtimer_update_function(t, fn)
/// becomes t->function = fn.
///
// Kernel: added upstream with the hrtimer_setup() conversion, after 6.12;
//   Debian's 6.12 has it through the stable series, 6.1 does not.
// Probe: probes/hrtimer_update_function.c (feature hrtimer_update_function)
// Direction: backport, applied when the probe says "no".
// Confidence: High
// Comments: The helper is the assignment plus, under lockdep, a check that
//   the timer is not queued; the check is lost, the effect is the same.
//   A timer passed as &x is written x.function. The result names no
//   helper, so the rule is idempotent.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

@depends on patch@
expression timer, fn;
@@
(
- hrtimer_update_function(&timer, fn)
+ timer.function = fn
|
- hrtimer_update_function(timer, fn)
+ timer->function = fn
)
