// SPDX-License-Identifier: GPL-2.0
/// Initialise an hrtimer and its callback in one call, as 6.13 and later
/// allow and 6.15 requires: hrtimer_init(t, clock, mode) followed by an
/// assignment of t's function becomes hrtimer_setup(t, fn, clock, mode).
///
// Kernel: 6.13, "hrtimer: Introduce hrtimer_setup() to replace
//   hrtimer_init()"; hrtimer_init() is removed in 6.15.
// Probe: probes/hrtimer_setup.c (feature hrtimer_setup)
// Direction: forward, for the day a 6.13+ kernel enters the matrix; run by
//   forward.sh over the repository, never by apply.sh (the probe says "no"
//   on every kernel of the matrix today). backport/hrtimer_setup is the
//   inverse.
// Confidence: High
// Comments: The pair is converted only when every path from the init
//   reaches the assignment and the callback is a function name, so that
//   naming it earlier cannot change what it evaluates to. An init whose
//   callback is set elsewhere (another function, or only on some paths) is
//   left alone: it fails to build on 6.15 and needs a hand-written
//   hrtimer_setup(). hrtimer_init_on_stack() and hrtimer_init_sleeper*()
//   are not used here and not handled. What the rule leaves it leaves again
//   on a second run, so it is idempotent.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

// The adjacent pair is a branch of its own: through "..." spatch would leave
// an indented blank line where the assignment was.
@depends on patch@
expression timer, clock, mode;
identifier fn;
@@
(
- hrtimer_init(&timer, clock, mode);
- timer.function = fn;
+ hrtimer_setup(&timer, fn, clock, mode);
|
- hrtimer_init(timer, clock, mode);
- timer->function = fn;
+ hrtimer_setup(timer, fn, clock, mode);
|
- hrtimer_init(&timer, clock, mode);
+ hrtimer_setup(&timer, fn, clock, mode);
  ...
- timer.function = fn;
|
- hrtimer_init(timer, clock, mode);
+ hrtimer_setup(timer, fn, clock, mode);
  ...
- timer->function = fn;
)
