/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Macro file for spatch (--macro-file), used by every script here and by the
 * tests. spatch does not read the kernel headers; where its own parser cannot
 * make sense of a construct, this file tells it what the construct looks
 * like. Nothing here is compiled. (Built-in definitions that get in the way
 * cannot be overridden here; lib.sh filters those out of spatch's own
 * standard.h instead.)
 */

/*
 * scoped_guard(lock_class, args) { body } and its conditional variant: without
 * these, spatch silently skips every function that contains one. The body
 * runs once, as under an if.
 */
#define scoped_guard(_name, args...) if (1)
#define scoped_cond_guard(_name, _fail, args...) if (1)

/*
 * The probe-context markers of the porting checks (README.md, "Porting
 * checks"): function attributes on the function's definition, before the
 * return type or before the function name. PROBE_CONTEXT_INLINE is the
 * probe core's mark for an always-inlined helper of the tier
 * (probes/sys/dtrace_impl.h).
 */
#define PROBE_CONTEXT MACROANNOTATION
#define PROBE_CONTEXT_INLINE MACROANNOTATION
