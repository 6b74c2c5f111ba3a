// SPDX-License-Identifier: GPL-2.0
/* Fixture for semantic-patches/backport/gup_vmas_arg.cocci. */
#include <linux/mm.h>

long fixture_gup_local(unsigned long start, struct page **pages);
long fixture_gup_local(unsigned long start, struct page **pages)
{
	long got = get_user_pages(start, 1, FOLL_WRITE, pages);

	if (got < 0)
		return got;
	unpin_user_pages(pages, 0);
	return pin_user_pages(start, 1, FOLL_WRITE | FOLL_LONGTERM, pages);
}

long fixture_gup_remote(struct mm_struct *mm, unsigned long start,
			struct page **pages, int *locked);
long fixture_gup_remote(struct mm_struct *mm, unsigned long start,
			struct page **pages, int *locked)
{
	if (get_user_pages_remote(mm, start, 1, 0, pages, NULL) < 0)
		return -EFAULT;
	return pin_user_pages_remote(mm, start, 1, FOLL_LONGTERM, pages, locked);
}
