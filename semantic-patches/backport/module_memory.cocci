// SPDX-License-Identifier: GPL-2.0
/// Read a module's text regions from core_layout/init_layout, as kernels
/// before 6.4 require, instead of mod->mem[MOD_TEXT] and
/// mod->mem[MOD_INIT_TEXT].
///
// Kernel: 6.4, "module: replace module_layout with module_memory".
// Probe: probes/module_memory.c (feature module_memory)
// Direction: backport, applied when the probe says "no".
// Confidence: Moderate
// Comments: Only the text regions map one to one: mem[MOD_TEXT] starts at
//   core_layout.base and is core_layout.text_size long (core_layout.size
//   counts text, rodata and data together), and likewise for MOD_INIT_TEXT
//   and init_layout. The data regions have no field of their own before
//   6.4 (they are offsets inside a layout), and a mem[] index that is not
//   one of the two constants cannot be mapped at all: such code is left
//   alone and fails to build on the old kernel, which is the signal to
//   write it with within_module_core()/within_module_init(), present on
//   both sides. The result names no mem[], so the rule is idempotent.
// Options: --include-headers --smpl-spacing
// Requires: 1.1.1

virtual patch

@depends on patch@
expression mod;
@@
(
- mod->mem[MOD_TEXT].base
+ mod->core_layout.base
|
- mod->mem[MOD_TEXT].size
+ mod->core_layout.text_size
|
- mod->mem[MOD_INIT_TEXT].base
+ mod->init_layout.base
|
- mod->mem[MOD_INIT_TEXT].size
+ mod->init_layout.text_size
)
