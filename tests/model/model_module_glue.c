// SPDX-License-Identifier: GPL-2.0
/*
 * The glue of a model module (a shared object the test program links, as
 * a .ko is loaded into the kernel; see model_kprobes.cc): when it is
 * loaded, tell the model its name (MODEL_MODNAME), where its text is, and
 * its _kprobe_blacklist records (PROBE_CONTEXT_SYMBOL), which the linker
 * bounds per shared object. What modpost's .mod.c and load_module() do.
 */
#ifndef MODEL_MODNAME
#error "compile with -DMODEL_MODNAME=\"name\""
#endif

void model_module_register(const char *name, const void *text_addr,
                           const unsigned long *blacklist_start,
                           const unsigned long *blacklist_stop);

extern const unsigned long __start__kprobe_blacklist[] __attribute__((weak, visibility("hidden")));
extern const unsigned long __stop__kprobe_blacklist[] __attribute__((weak, visibility("hidden")));

static void model_module_glue(void) __attribute__((constructor));
static void model_module_glue(void) {
  model_module_register(MODEL_MODNAME, (const void *)model_module_glue, __start__kprobe_blacklist,
                        __stop__kprobe_blacklist);
}
