// SPDX-License-Identifier: GPL-2.0
/// Pass the owning module to class_create(), as kernels before 6.4 require:
/// class_create(name) becomes class_create(THIS_MODULE, name).
///
// Kernel: 6.4, "driver core: class: remove module * from class_create()".
// Probe: probes/class_create_name_only.c (feature class_create_name_only)
// Direction: backport, applied when the probe says "no".
// Confidence: High
// Comments: Every caller passed THIS_MODULE before 6.4 (the owner was only
//   ever the calling module). A call that already has two arguments does
//   not match the one-argument pattern, so the rule is idempotent.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

@depends on patch@
expression name;
@@
  class_create(
+ THIS_MODULE,
  name)
