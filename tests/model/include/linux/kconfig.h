/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/kconfig.h: IS_ENABLED(CONFIG_X) is 1 when
 * CONFIG_X is defined as 1, else 0, usable in C expressions and #if. The
 * model configures nothing: no CONFIG_ option is defined, so it is the
 * kernel built without PREEMPT_RT and without the debug options (which the
 * runtime checks always, see model_cpu.cc).
 */
#ifndef _MODEL_LINUX_KCONFIG_H
#define _MODEL_LINUX_KCONFIG_H

/* CONFIG_X defined as 1 pastes to "0," and shifts 1 into the picked slot. */
#define MODEL_KCONFIG_SLOT_1 0,
#define MODEL_KCONFIG_PICK(_unused, value, ...) value
#define MODEL_KCONFIG_TEST(junk_or_slot) MODEL_KCONFIG_PICK(junk_or_slot 1, 0, 0)
#define MODEL_KCONFIG_PASTE(value) MODEL_KCONFIG_TEST(MODEL_KCONFIG_SLOT_##value)
#define IS_ENABLED(option) MODEL_KCONFIG_PASTE(option)
#define IS_BUILTIN(option) IS_ENABLED(option)

#endif /* _MODEL_LINUX_KCONFIG_H */
