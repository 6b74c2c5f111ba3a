// SPDX-License-Identifier: GPL-2.0
/*
 * Linux module glue for dtrace.ko, the probe framework in probes/: its
 * module entry points (linux/modglue.h) and the symbols other modules use
 * to provide or fire probes (sdt_test.ko, and Solaris-style modules with
 * providers of their own).
 *
 * The declarations below only name the symbols for EXPORT_SYMBOL_GPL; this
 * Linux-side file may not include the probe core's Solaris headers, and
 * the export records nothing but the address. The real prototypes are in
 * probes/sys/dtrace.h and probes/sys/sdt.h.
 */
#include "modglue.h"

void dtrace_probe(void);
void dtrace_register(void);
void dtrace_unregister(void);
void dtrace_invalidate(void);
void dtrace_condense(void);
void dtrace_probe_create(void);
void dtrace_probe_lookup(void);
void dtrace_probe_arg(void);
void sdt_register_probes(void);
void sdt_unregister_probes(void);

EXPORT_SYMBOL_GPL(dtrace_probe);
EXPORT_SYMBOL_GPL(dtrace_register);
EXPORT_SYMBOL_GPL(dtrace_unregister);
EXPORT_SYMBOL_GPL(dtrace_invalidate);
EXPORT_SYMBOL_GPL(dtrace_condense);
EXPORT_SYMBOL_GPL(dtrace_probe_create);
EXPORT_SYMBOL_GPL(dtrace_probe_lookup);
EXPORT_SYMBOL_GPL(dtrace_probe_arg);
EXPORT_SYMBOL_GPL(sdt_register_probes);
EXPORT_SYMBOL_GPL(sdt_unregister_probes);

SOLCOMPAT_MODULE_GLUE("dtrace: a Solaris-style probe framework on solcompat");
