// SPDX-License-Identifier: GPL-2.0
/// Give get_user_pages(), pin_user_pages() and their *_remote() variants the
/// struct vm_area_struct **vmas argument that kernels before 6.5 take, as
/// NULL (no VMAs wanted), in front of the pages array's successor.
///
// Kernel: 6.5, "mm/gup: remove unused vmas parameter from get_user_pages()",
//   and the same change to pin_user_pages(), get_user_pages_remote() and
//   pin_user_pages_remote().
// Probe: probes/gup_without_vmas.c (feature gup_without_vmas)
// Direction: backport, applied when the probe says "no".
// Confidence: High
// Comments: NULL was the only value callers could still pass when the
//   argument went away, so the calls mean the same on both sides. The
//   argument counts differ before and after (4 -> 5, 6 -> 7), so the rule
//   is idempotent. get_user_page_vma_remote(), new in 6.5, has no pre-6.5
//   counterpart and is not handled: a call to it fails to build loudly.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

@depends on patch@
expression start, nr_pages, gup_flags, pages;
identifier gup = {get_user_pages, pin_user_pages};
@@
  gup(start, nr_pages, gup_flags, pages
+ , NULL
  )

@depends on patch@
expression mm, start, nr_pages, gup_flags, pages, locked;
identifier gup = {get_user_pages_remote, pin_user_pages_remote};
@@
  gup(mm, start, nr_pages, gup_flags, pages
+ , NULL
  , locked)
