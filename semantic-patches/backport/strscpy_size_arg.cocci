// SPDX-License-Identifier: GPL-2.0
/// Give strscpy() and strscpy_pad() the size argument that kernels before
/// 6.8 require: strscpy(dst, src) becomes strscpy(dst, src, sizeof(dst)).
///
// Kernel: 6.8, "string: Allow 2-argument strscpy()" (and strscpy_pad()).
// Probe: probes/strscpy_two_args.c (feature strscpy_two_args)
// Direction: backport, applied when the probe says "no".
// Confidence: High
// Comments: The two-argument form exists only for an array destination
//   (the kernel checks that with __must_be_array()), and then means
//   sizeof(dst), so the rewrite is exact. strlcpy() is not involved: code
//   for 6.12 cannot use it (removed in 6.8) and strscpy() with three
//   arguments exists on both kernels. A three-argument call does not match,
//   so the rule is idempotent.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

@depends on patch@
expression dst, src;
identifier copy = {strscpy, strscpy_pad};
@@
  copy(dst, src
+ , sizeof(dst)
  )
