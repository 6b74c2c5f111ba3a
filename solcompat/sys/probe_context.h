/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/probe_context.h: marking the probe-context tier of ported code
 * (STYLE.md rule 6) without a Linux include.
 *
 *   PROBE_CONTEXT            before a function definition: not traceable
 *                            (no ftrace entry hook), never inlined away
 *                            from its marking.
 *   PROBE_CONTEXT_SYMBOL(f)  after it, at file scope: kprobes refuse f
 *                            (the module's _kprobe_blacklist section,
 *                            which the kernel reads at module load).
 *
 * tools/tiercheck reads the same section from the built module and fails
 * if a marked function calls anything outside the marked set and its
 * allowlist. In userspace builds both are harmless.
 */
#ifndef _SOLCOMPAT_SYS_PROBE_CONTEXT_H
#define _SOLCOMPAT_SYS_PROBE_CONTEXT_H

#define PROBE_CONTEXT __attribute__((__no_instrument_function__))

#define PROBE_CONTEXT_SYMBOL(fname)                                            \
	static unsigned long                                                   \
		__attribute__((__used__, __section__("_kprobe_blacklist")))    \
		probe_context_kbl_##fname = (unsigned long)fname

#endif /* _SOLCOMPAT_SYS_PROBE_CONTEXT_H */
