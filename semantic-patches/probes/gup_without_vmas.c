// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe: gup_without_vmas
 *
 * Kernel:   6.5, "mm/gup: remove unused vmas parameter from
 *           get_user_pages()" and its siblings for pin_user_pages() and the
 *           *_remote() variants: the struct vm_area_struct ** argument is
 *           gone from all four.
 * Yes:      get_user_pages() and get_user_pages_remote() take no vmas.
 * Selects:  backport/gup_vmas_arg when "no".
 */
#include <linux/mm.h>

long solcompat_probe_gup_without_vmas(struct mm_struct *mm, unsigned long start,
				      struct page **pages);
long solcompat_probe_gup_without_vmas(struct mm_struct *mm, unsigned long start,
				      struct page **pages)
{
	long n = get_user_pages(start, 1, 0, pages);

	if (n < 0)
		return n;
	return get_user_pages_remote(mm, start, 1, 0, pages, NULL);
}
