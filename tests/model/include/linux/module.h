/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/module.h and include/linux/export.h.
 *
 * module_init/module_exit, EXPORT_SYMBOL(_GPL) and MODULE_* record what they
 * name in sections of the test program (pointers only, so the linker packs
 * them without padding), which the runtime walks: model::ModuleInit() runs
 * every init function as insmod would, model::ModuleExit() every exit
 * function, and tests can look up exports and modinfo. Like the kernel's
 * module.h, this one pulls in most of the basic headers.
 */
#ifndef _MODEL_LINUX_MODULE_H
#define _MODEL_LINUX_MODULE_H

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <model/abi.h>

#define MODEL_EXPORT(sym, is_gpl)                                              \
	static const struct model_ksym __model_ksym_rec_##sym = {              \
		#sym, (const void *)&sym, is_gpl};                             \
	static const struct model_ksym *const __model_ksym_##sym __used        \
		__section("model_ksymtab") = &__model_ksym_rec_##sym
#define EXPORT_SYMBOL(sym) MODEL_EXPORT(sym, 0)
#define EXPORT_SYMBOL_GPL(sym) MODEL_EXPORT(sym, 1)

#define MODEL_INITCALL(initfn, exitfn, tag)                                    \
	static const struct model_initcall __model_##tag##_rec = {             \
		initfn, exitfn, #tag, __FILE__};                               \
	static const struct model_initcall *const __model_##tag __used         \
		__section("model_initcall") = &__model_##tag##_rec
#define module_init(fn) MODEL_INITCALL(fn, (void (*)(void))0, init_##fn)
#define module_exit(fn) MODEL_INITCALL((int (*)(void))0, fn, exit_##fn)

/* __COUNTER__ is expanded once, then pasted into both names. */
#define MODEL_MODINFO(tag_, value_) MODEL_MODINFO_N(tag_, value_, __COUNTER__)
#define MODEL_MODINFO_N(tag_, value_, n) MODEL_MODINFO_NN(tag_, value_, n)
#define MODEL_MODINFO_NN(tag_, value_, n)                                      \
	static const struct model_modinfo __model_modinfo_rec_##n = {tag_,     \
								     value_};  \
	static const struct model_modinfo *const __model_modinfo_##n __used    \
		__section("model_modinfo") = &__model_modinfo_rec_##n
#define MODULE_LICENSE(s) MODEL_MODINFO("license", s)
#define MODULE_DESCRIPTION(s) MODEL_MODINFO("description", s)
#define MODULE_AUTHOR(s) MODEL_MODINFO("author", s)

/*
 * Module parameters: model::ModuleLoad() sets them from the environment
 * variable SOLCOMPAT_MODEL_PARAMS ("name=value ..."), as insmod does from
 * its command line, before any init function runs. Types: bool, int, uint,
 * ulong.
 */
#define module_param(name_, type_, perm_)                                      \
	static const struct model_param __model_param_rec_##name_ = {          \
		#name_, #type_, (void *)&name_};                               \
	static const struct model_param *const __model_param_##name_ __used    \
		__section("model_param") = &__model_param_rec_##name_
#define MODULE_PARM_DESC(name_, desc_)                                         \
	MODEL_MODINFO("parm", #name_ ":" desc_)

/*
 * struct module, as far as a module's core text. The model's modules are
 * shared objects the test program links (model_kprobes.cc); the test
 * program itself is the kernel image, and its own module (THIS_MODULE of
 * linux/) has no text range of its own there: within_module() of it is
 * always false, and what the kernel refuses because it is in solcompat.ko
 * the model refuses through NOKPROBE_SYMBOL.
 */
#define MODULE_NAME_LEN 56
enum mod_mem_type { MOD_TEXT = 0, MOD_DATA, MOD_RODATA, MOD_MEM_NUM_TYPES };
struct module_memory {
	void *base;
	unsigned int size;
};
struct module {
	char name[MODULE_NAME_LEN];
	struct module_memory mem[MOD_MEM_NUM_TYPES];
	int state;	/* enum module_state: always MODULE_STATE_LIVE (0) */
	int model_refs; /* try_module_get()s not yet put */
};
extern struct module __this_module;
#define THIS_MODULE (&__this_module)

static inline bool within_module(unsigned long addr, const struct module *mod)
{
	unsigned long base = (unsigned long)mod->mem[MOD_TEXT].base;

	return addr >= base && addr - base < mod->mem[MOD_TEXT].size;
}
/*
 * Module notifiers. The model's modules are never unloaded while it runs,
 * so a registered notifier is never called; the kernel's calls it with
 * MODULE_STATE_GOING before a module's text goes.
 */
#define NOTIFY_DONE 0
struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long action,
			     void *data);
	struct notifier_block *next;
	int priority;
};
enum module_state {
	MODULE_STATE_LIVE,
	MODULE_STATE_COMING,
	MODULE_STATE_GOING,
	MODULE_STATE_UNFORMED,
};
static inline int register_module_notifier(struct notifier_block *nb)
{
	return 0;
}
static inline int unregister_module_notifier(struct notifier_block *nb)
{
	return 0;
}

/*
 * Module references: counted (the model's modules are never unloaded while
 * it runs, so a get always succeeds); a put without its get is a
 * violation.
 */
static inline bool try_module_get(struct module *mod)
{
	if (mod)
		__atomic_add_fetch(&mod->model_refs, 1, __ATOMIC_RELAXED);
	return true;
}

static inline void module_put(struct module *mod)
{
	if (mod &&
	    __atomic_sub_fetch(&mod->model_refs, 1, __ATOMIC_RELAXED) < 0)
		model_violation(
			"module_put",
			"module %s: a reference dropped that was not taken",
			mod->name);
}

#endif /* _MODEL_LINUX_MODULE_H */
