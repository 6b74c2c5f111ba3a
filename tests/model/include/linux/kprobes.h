/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/kprobes.h: NOKPROBE_SYMBOL only.
 *
 * The kernel records the function in the _kprobe_blacklist section; the
 * model records it in its own section, which the runtime reads back
 * (model::IsNoKprobe), so tests can check that a probe-context function is
 * marked.
 */
#ifndef _MODEL_LINUX_KPROBES_H
#define _MODEL_LINUX_KPROBES_H

#include <linux/compiler.h>
#include <model/abi.h>

#define NOKPROBE_SYMBOL(fname)                                                 \
	static const struct model_ksym __model_nokprobe_rec_##fname = {        \
		#fname, (const void *)&fname, 0};                              \
	static const struct model_ksym *const __model_nokprobe_##fname __used  \
		__section("model_nokprobe") = &__model_nokprobe_rec_##fname

#endif /* _MODEL_LINUX_KPROBES_H */
