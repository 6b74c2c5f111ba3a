// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/list.h (list_create(9F)). Nothing allocates:
 * objects come from a static array (the runners never run two cases at
 * once), so every case runs in every context.
 */
#include <sys/list.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <impl/debug.h>

#include "sctest.h"

/* The link sits mid-object, so offset arithmetic is exercised. */
struct list_item {
	int value;
	list_node_t link;
	int tail;
};

/* Another object type, linked at offset 0. */
struct list_item_front {
	list_node_t link;
	int value;
};

#define LIST_ITEMS 256
static struct list_item items[LIST_ITEMS];
static struct list_item_front front_item;

static void items_reset(void)
{
	int i;

	for (i = 0; i < LIST_ITEMS; i++) {
		items[i].value = i;
		list_link_init(&items[i].link);
		items[i].tail = ~i;
	}
}

static void list_make(list_t *list)
{
	list_create(list, sizeof(struct list_item),
		    offsetof(struct list_item, link));
}

/*
 * Do the values of the list, walked forwards with list_next and backwards
 * with list_prev, equal expect[0..n)? Returns the first index that differs,
 * or -1 if they all agree.
 */
static int list_differs(list_t *list, const int *expect, int n)
{
	struct list_item *it;
	int i = 0;

	for (it = list_head(list); it != NULL; it = list_next(list, it), i++)
		if (i >= n || it->value != expect[i] || it->tail != ~it->value)
			return i;
	if (i != n)
		return i;
	for (it = list_tail(list); it != NULL; it = list_prev(list, it))
		if (--i < 0 || it->value != expect[i])
			return 1000 + i;
	return i == 0 ? -1 : 2000;
}

static unsigned long container_misuses(void)
{
	return solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTAINER);
}

SCTEST_CASE(list, layout_is_fixed)
{
	SCT_EQ(sizeof(list_node_t), 16);
	SCT_EQ(sizeof(list_t), 32);
}

SCTEST_CASE(list, create_empty_destroy)
{
	unsigned long misuses = container_misuses();
	list_t list;

	list_make(&list);
	SCT_CHECK(list_is_empty(&list));
	SCT_CHECK(list_head(&list) == NULL);
	SCT_CHECK(list_tail(&list) == NULL);
	SCT_CHECK(list_remove_head(&list) == NULL);
	SCT_CHECK(list_remove_tail(&list) == NULL);
	list_destroy(&list);
	SCT_EQ(container_misuses(), misuses);
}

/* Every insertion form puts the object where list_create(9F) says. */
SCTEST_CASE(list, inserts_keep_order)
{
	static const int expect[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	static const int expect_more[] = { 8, 0, 1, 2, 3, 4, 5, 6, 7, 9 };
	list_t list;

	items_reset();
	list_make(&list);
	list_insert_tail(&list, &items[2]);
	list_insert_tail(&list, &items[4]);
	list_insert_head(&list, &items[1]);
	list_insert_head(&list, &items[0]);
	list_insert_after(&list, &items[2], &items[3]);
	list_insert_before(&list, NULL, &items[7]); /* NULL: at the tail */
	list_insert_before(&list, &items[7], &items[6]);
	list_insert_after(&list, &items[4], &items[5]);
	SCT_EQ(list_differs(&list, expect, 8), -1);
	SCT_CHECK(!list_is_empty(&list));
	SCT_CHECK(list_head(&list) == &items[0]);
	SCT_CHECK(list_tail(&list) == &items[7]);
	SCT_CHECK(list_next(&list, &items[7]) == NULL);
	SCT_CHECK(list_prev(&list, &items[0]) == NULL);

	list_insert_after(&list, NULL, &items[8]); /* NULL: at the head */
	list_insert_before(&list, NULL, &items[9]);
	SCT_EQ(list_differs(&list, expect_more, 10), -1);
	while (list_remove_head(&list) != NULL)
		;
	list_destroy(&list);
}

SCTEST_CASE(list, removal_and_link_state)
{
	static const int after_removes[] = { 1, 3, 4 };
	unsigned long misuses = container_misuses();
	list_t list;
	int i;

	items_reset();
	list_make(&list);
	SCT_CHECK(!list_link_active(&items[0].link));
	for (i = 0; i < 6; i++)
		list_insert_tail(&list, &items[i]);
	for (i = 0; i < 6; i++)
		SCT_CHECK(list_link_active(&items[i].link));
	list_remove(&list, &items[2]);
	SCT_CHECK(!list_link_active(&items[2].link));
	SCT_CHECK(list_remove_head(&list) == &items[0]);
	SCT_CHECK(list_remove_tail(&list) == &items[5]);
	SCT_CHECK(!list_link_active(&items[0].link));
	SCT_CHECK(!list_link_active(&items[5].link));
	SCT_EQ(list_differs(&list, after_removes, 3), -1);
	/* A removed object can go back in. */
	list_insert_head(&list, &items[2]);
	SCT_CHECK(list_head(&list) == &items[2]);
	list_remove(&list, &items[2]);
	list_remove(&list, &items[1]);
	list_remove(&list, &items[4]);
	list_remove(&list, &items[3]);
	SCT_CHECK(list_is_empty(&list));
	list_destroy(&list);
	SCT_EQ(container_misuses(), misuses);
}

SCTEST_CASE(list, move_tail_appends_and_empties)
{
	static const int all[] = { 0, 1, 2, 3, 4 };
	list_t a, b;
	int i;

	items_reset();
	list_make(&a);
	list_make(&b);
	for (i = 0; i < 3; i++)
		list_insert_tail(&a, &items[i]);
	for (i = 3; i < 5; i++)
		list_insert_tail(&b, &items[i]);
	list_move_tail(&a, &b);
	SCT_EQ(list_differs(&a, all, 5), -1);
	SCT_CHECK(list_is_empty(&b));
	list_move_tail(&a, &b); /* empty source: no change */
	SCT_EQ(list_differs(&a, all, 5), -1);
	list_move_tail(&b, &a); /* into an empty list */
	SCT_EQ(list_differs(&b, all, 5), -1);
	SCT_CHECK(list_is_empty(&a));
	while (list_remove_tail(&b) != NULL)
		;
	list_destroy(&a);
	list_destroy(&b);
}

SCTEST_CASE(list, link_replace_takes_the_place)
{
	static const int replaced[] = { 0, 1, 9, 3 };
	list_t list;
	int i;

	items_reset();
	list_make(&list);
	for (i = 0; i < 4; i++)
		list_insert_tail(&list, &items[i]);
	list_link_replace(&items[2].link, &items[9].link);
	SCT_CHECK(!list_link_active(&items[2].link));
	SCT_CHECK(list_link_active(&items[9].link));
	SCT_EQ(list_differs(&list, replaced, 4), -1);
	while (list_remove_head(&list) != NULL)
		;
	list_destroy(&list);
}

/* Remove every other object while walking, from a list of LIST_ITEMS. */
SCTEST_CASE(list, walk_and_remove_many)
{
	struct list_item *it, *next;
	list_t list;
	int i, n = 0, expect = 1;

	items_reset();
	list_make(&list);
	for (i = 0; i < LIST_ITEMS; i++) {
		if (i % 2)
			list_insert_tail(&list, &items[i]);
		else
			list_insert_head(&list, &items[LIST_ITEMS - 2 - i]);
	}
	/* Now 0, 2, ..., 254 then 1, 3, ..., 255. */
	for (it = list_head(&list); it != NULL; it = next) {
		next = list_next(&list, it);
		if (it->value % 2 == 0)
			list_remove(&list, it);
	}
	for (it = list_head(&list); it != NULL; it = list_next(&list, it)) {
		SCT_EQ(it->value, expect);
		expect += 2;
		n++;
	}
	SCT_EQ(n, LIST_ITEMS / 2);
	while (list_remove_head(&list) != NULL)
		;
	list_destroy(&list);
}

/* Misuse is reported and skipped, never followed into a bad pointer. */
SCTEST_CASE(list, misuse_reported)
{
	static const int two[] = { 0, 1 };
	unsigned long misuses = container_misuses();
	list_t list, other;

	items_reset();
	list_make(&list);
	list_insert_tail(&list, &items[0]);
	list_insert_tail(&list, &items[1]);

	list_remove(&list, &items[5]); /* on no list */
	SCT_EQ(container_misuses(), misuses + 1);
	list_insert_before(&list, &items[6], &items[7]); /* reference on no list */
	SCT_EQ(container_misuses(), misuses + 2);
	SCT_EQ(list_differs(&list, two, 2), -1);
	list_link_replace(&items[5].link, &items[6].link);
	SCT_EQ(container_misuses(), misuses + 3);

	list_create(&other, sizeof(struct list_item_front), 0);
	list_insert_tail(&other, &front_item);
	list_move_tail(&list, &other); /* different offsets */
	SCT_EQ(container_misuses(), misuses + 4);
	SCT_EQ(list_differs(&list, two, 2), -1);
	list_remove_head(&other);

	list_destroy(&list); /* not empty */
	SCT_EQ(container_misuses(), misuses + 5);
	SCT_CHECK(list_head(&list) == NULL); /* destroyed */
	SCT_EQ(container_misuses(), misuses + 6);
	list_insert_tail(&list, &items[8]);
	SCT_EQ(container_misuses(), misuses + 7);
	SCT_CHECK(!list_link_active(&items[8].link));

	list_create(&other, sizeof(struct list_item), sizeof(struct list_item) - 8);
	SCT_EQ(container_misuses(), misuses + 8); /* the link does not fit */
	list_destroy(&other);
}

SCTEST_FAMILY(list,
	      SCTEST_ENTRY(list, layout_is_fixed, SCTEST_PROCESS),
	      SCTEST_ENTRY(list, create_empty_destroy, SCTEST_ANY),
	      SCTEST_ENTRY(list, inserts_keep_order, SCTEST_ANY),
	      SCTEST_ENTRY(list, removal_and_link_state, SCTEST_ANY),
	      SCTEST_ENTRY(list, move_tail_appends_and_empties, SCTEST_ANY),
	      SCTEST_ENTRY(list, link_replace_takes_the_place, SCTEST_ANY),
	      SCTEST_ENTRY(list, walk_and_remove_many, SCTEST_ANY),
	      SCTEST_ENTRY(list, misuse_reported, SCTEST_ANY));
