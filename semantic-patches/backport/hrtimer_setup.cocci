// SPDX-License-Identifier: GPL-2.0
/// Initialise an hrtimer and then assign its callback, as kernels before
/// 6.13 require: hrtimer_setup(t, fn, clock, mode) becomes
/// hrtimer_init(t, clock, mode) followed by t->function = fn.
///
// Kernel: 6.13, "hrtimer: Introduce hrtimer_setup() to replace
//   hrtimer_init()".
// Probe: probes/hrtimer_setup.c (feature hrtimer_setup)
// Direction: backport, applied when the probe says "no". A no-op until the
//   tree is moved to 6.13 spelling by forward/hrtimer_setup, the inverse;
//   it is in the series now so that the move needs no new rule.
// Confidence: High
// Comments: hrtimer_setup() is a statement (it returns void), so the
//   rewrite is two statements in its place. A timer passed as &x gets
//   x.function. The result names no hrtimer_setup(), so the rule is
//   idempotent.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

@depends on patch@
expression timer, fn, clock, mode;
@@
(
- hrtimer_setup(&timer, fn, clock, mode);
+ hrtimer_init(&timer, clock, mode);
+ timer.function = fn;
|
- hrtimer_setup(timer, fn, clock, mode);
+ hrtimer_init(timer, clock, mode);
+ timer->function = fn;
)
