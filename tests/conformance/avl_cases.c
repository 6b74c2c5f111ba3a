// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/avl.h (avl(3AVL)). Nothing allocates: objects
 * come from a static array (the runners never run two cases at once), so
 * every case runs in every context. NMI handlers should be short, so in NMI
 * context the trees have AVL_ITEMS_NMI objects instead of AVL_ITEMS: each
 * case then stays well under 2 ms under QEMU TCG (about 0.5 ms for the
 * heaviest, measured on 6.1), where the 2000-object runs take tens of ms.
 *
 * Keys are the even numbers 0, 2, ..., 2(n - 1), inserted in an order
 * shuffled by a fixed-seed LCG, so odd numbers are known misses whose
 * neighbours are known. solcompat_avl_check verifies the whole tree (links,
 * balance factors, AVL balance, order, count) and returns its height.
 */
#include <sys/avl.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <impl/avl.h>
#include <impl/debug.h>

#include "sctest.h"

#define AVL_ITEMS 2000
#define AVL_ITEMS_NMI 128

struct avl_item {
	int key;
	int visits;		/* avl_destroy_nodes returned it this often */
	avl_node_t node;	/* mid-object: offset arithmetic is exercised */
	uint64_t guard;		/* must survive: the tree writes only its node */
};

#define AVL_GUARD(key) (0x5a5a000000000000ull | (uint32_t)(key))

/* Twice AVL_ITEMS: the odd keys can go in too. */
static struct avl_item avl_items[2 * AVL_ITEMS];
static int avl_order[AVL_ITEMS];

static int avl_item_compare(const void *a, const void *b)
{
	const struct avl_item *x = a, *y = b;

	return AVL_CMP(x->key, y->key);
}

/* Returns differences, not -1/0/1: illegal, and must be reported. */
static int avl_item_compare_sloppy(const void *a, const void *b)
{
	const struct avl_item *x = a, *y = b;

	return x->key - y->key;
}

static int avl_case_items(const struct sctest_result *sctest_r)
{
	return SCTEST_CONTEXT() == SCTEST_NMI ? AVL_ITEMS_NMI : AVL_ITEMS;
}

static void avl_item_init(struct avl_item *it, int key)
{
	it->key = key;
	it->visits = 0;
	it->guard = AVL_GUARD(key);
}

/* Items 0..n-1 get keys 0, 2, ...; avl_order[] a fixed pseudo-random order. */
static void avl_items_reset(int n)
{
	uint64_t lcg = 0x2545f4914f6cdd1dull;
	int i;

	for (i = 0; i < n; i++) {
		avl_item_init(&avl_items[i], 2 * i);
		avl_order[i] = i;
	}
	for (i = n - 1; i > 0; i--) {
		int j, t;

		lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
		j = (int)((uint32_t)(lcg >> 33) % (uint32_t)(i + 1));
		t = avl_order[i];
		avl_order[i] = avl_order[j];
		avl_order[j] = t;
	}
}

static void avl_make(avl_tree_t *tree)
{
	avl_create(tree, avl_item_compare, sizeof(struct avl_item),
		   offsetof(struct avl_item, node));
}

/* A tree of items 0..n-1 added in the shuffled order. */
static void avl_build(avl_tree_t *tree, int n)
{
	int i;

	avl_items_reset(n);
	avl_make(tree);
	for (i = 0; i < n; i++)
		avl_add(tree, &avl_items[avl_order[i]]);
}

/* The greatest height an AVL tree of n nodes can have. */
static int avl_max_height(unsigned long n)
{
	/* The fewest nodes a tree of height h, and of height h - 1, can have. */
	unsigned long fewest = 1, fewest_before = 0;
	int h = 1;

	if (n == 0)
		return 0;
	for (;;) {
		unsigned long next = fewest + fewest_before + 1;

		if (next > n)
			return h;
		fewest_before = fewest;
		fewest = next;
		h++;
	}
}

/*
 * Walk forwards and backwards; return -1 if the keys are exactly
 * first, first + step, ... (count of them) both ways with guards intact,
 * otherwise the position where they are not.
 */
static int avl_walk_differs(avl_tree_t *tree, int first, int step, int count)
{
	struct avl_item *it;
	int i = 0;

	for (it = avl_first(tree); it != NULL; it = AVL_NEXT(tree, it), i++)
		if (i >= count || it->key != first + i * step ||
		    it->guard != AVL_GUARD(it->key))
			return i;
	if (i != count)
		return i;
	for (it = avl_last(tree); it != NULL; it = AVL_PREV(tree, it))
		if (--i < 0 || it->key != first + i * step)
			return 100000 + i;
	return i == 0 ? -1 : 200000;
}

static void avl_teardown(avl_tree_t *tree)
{
	void *cookie = NULL;

	while (avl_destroy_nodes(tree, &cookie) != NULL)
		;
	avl_destroy(tree);
}

static unsigned long container_misuses(void)
{
	return solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTAINER);
}

SCTEST_CASE(avl, layout_is_fixed)
{
	SCT_EQ(sizeof(avl_node_t), 24);
	SCT_EQ(sizeof(avl_tree_t), 40);
	SCT_EQ(sizeof(avl_index_t), 8);
	SCT_EQ(AVL_BEFORE, 0);
	SCT_EQ(AVL_AFTER, 1);
}

SCTEST_CASE(avl, empty_tree)
{
	unsigned long misuses = container_misuses();
	struct avl_item probe;
	avl_index_t where = 1234;
	avl_tree_t tree;

	avl_items_reset(1);
	avl_make(&tree);
	SCT_EQ(avl_numnodes(&tree), 0);
	SCT_CHECK(avl_is_empty(&tree));
	SCT_CHECK(avl_first(&tree) == NULL);
	SCT_CHECK(avl_last(&tree) == NULL);
	SCT_EQ(solcompat_avl_check(&tree), 0);
	avl_item_init(&probe, 0);
	SCT_CHECK(avl_find(&tree, &probe, &where) == NULL);
	SCT_CHECK(avl_nearest(&tree, where, AVL_BEFORE) == NULL);
	SCT_CHECK(avl_nearest(&tree, where, AVL_AFTER) == NULL);
	avl_insert(&tree, &avl_items[0], where);
	SCT_EQ(avl_numnodes(&tree), 1);
	SCT_CHECK(!avl_is_empty(&tree));
	SCT_CHECK(avl_first(&tree) == &avl_items[0]);
	SCT_CHECK(avl_last(&tree) == &avl_items[0]);
	SCT_CHECK(AVL_NEXT(&tree, &avl_items[0]) == NULL);
	SCT_CHECK(AVL_PREV(&tree, &avl_items[0]) == NULL);
	SCT_EQ(solcompat_avl_check(&tree), 1);
	avl_remove(&tree, &avl_items[0]);
	SCT_CHECK(avl_is_empty(&tree));
	SCT_EQ(solcompat_avl_check(&tree), 0);
	avl_destroy(&tree);
	SCT_EQ(container_misuses(), misuses);
}

/* Shuffled insertion: in-order traversal sorted, count right, balanced. */
SCTEST_CASE(avl, shuffled_inserts_sorted_and_balanced)
{
	int n = avl_case_items(sctest_r);
	unsigned long misuses = container_misuses();
	avl_tree_t tree;
	int height, lowest = 0;

	avl_build(&tree, n);
	SCT_EQ(avl_numnodes(&tree), n);
	height = solcompat_avl_check(&tree);
	while ((1L << lowest) - 1 < n)
		lowest++;
	SCT_GE(height, lowest);
	SCT_LE(height, avl_max_height(n));
	SCT_EQ(avl_walk_differs(&tree, 0, 2, n), -1);
	SCT_CHECK(avl_next(&tree, avl_last(&tree)) == NULL);
	SCT_CHECK(avl_prev(&tree, avl_first(&tree)) == NULL);
	avl_teardown(&tree);
	SCT_EQ(container_misuses(), misuses);
}

/*
 * Every key is found; every odd key misses with a where whose nearest
 * neighbours are the even keys either side, and avl_insert at that where
 * puts the new object exactly there.
 */
SCTEST_CASE(avl, find_hits_misses_and_where)
{
	int n = avl_case_items(sctest_r);
	unsigned long misuses = container_misuses();
	struct avl_item probe, *before, *after;
	avl_index_t where;
	avl_tree_t tree;
	int i;

	avl_build(&tree, n);
	for (i = 0; i < n; i++) {
		avl_item_init(&probe, 2 * i);
		SCT_CHECK(avl_find(&tree, &probe, NULL) == &avl_items[i]);
		SCT_CHECK(avl_find(&tree, &probe, &where) == &avl_items[i]);
	}
	for (i = -1; i < 2 * n; i += 2) {
		avl_item_init(&probe, i);
		where = 0;
		SCT_CHECK(avl_find(&tree, &probe, &where) == NULL);
		SCT_NE(where, 0);
		before = avl_nearest(&tree, where, AVL_BEFORE);
		after = avl_nearest(&tree, where, AVL_AFTER);
		if (i < 0)
			SCT_CHECK(before == NULL);
		else
			SCT_CHECK(before == &avl_items[(i - 1) / 2]);
		if (i == 2 * n - 1)
			SCT_CHECK(after == NULL);
		else
			SCT_CHECK(after == &avl_items[(i + 1) / 2]);
	}
	/* Odd keys 1, 5, 9, ... go in at the points their misses gave. */
	for (i = 1; i < 2 * n; i += 4) {
		struct avl_item *odd = &avl_items[n + i / 2];

		avl_item_init(odd, i);
		SCT_CHECK(avl_find(&tree, odd, &where) == NULL);
		avl_insert(&tree, odd, where);
		SCT_CHECK(AVL_PREV(&tree, odd) == &avl_items[i / 2]);
		SCT_CHECK(i + 1 >= 2 * n ||
			  AVL_NEXT(&tree, odd) == &avl_items[i / 2 + 1]);
		SCT_CHECK(avl_find(&tree, odd, NULL) == odd);
	}
	SCT_EQ(avl_numnodes(&tree), n + (n + 1) / 2);
	SCT_GT(solcompat_avl_check(&tree), 0);
	avl_teardown(&tree);
	SCT_EQ(container_misuses(), misuses);
}

/* Remove every other object, re-check, then empty the tree at random. */
SCTEST_CASE(avl, remove_every_other_then_all)
{
	int n = avl_case_items(sctest_r);
	unsigned long misuses = container_misuses();
	struct avl_item probe;
	avl_tree_t tree;
	int i, height;

	avl_build(&tree, n);
	for (i = 0; i < n; i += 2)
		avl_remove(&tree, &avl_items[i]);
	SCT_EQ(avl_numnodes(&tree), n / 2);
	height = solcompat_avl_check(&tree);
	SCT_GT(height, 0);
	SCT_LE(height, avl_max_height(n / 2));
	SCT_EQ(avl_walk_differs(&tree, 2, 4, n / 2), -1);
	for (i = 0; i < n; i++) {
		avl_item_init(&probe, 2 * i);
		SCT_CHECK(avl_find(&tree, &probe, NULL) ==
			  (i % 2 ? &avl_items[i] : NULL));
	}
	for (i = 0; i < n; i++) {
		struct avl_item *it = &avl_items[avl_order[i]];

		if (it->key % 4 == 0)
			continue;
		avl_remove(&tree, it);
		if (i % 64 == 0)
			SCT_GE(solcompat_avl_check(&tree), 0);
	}
	SCT_CHECK(avl_is_empty(&tree));
	SCT_CHECK(avl_first(&tree) == NULL);
	SCT_EQ(solcompat_avl_check(&tree), 0);
	avl_destroy(&tree);
	SCT_EQ(container_misuses(), misuses);
}

/* avl_destroy_nodes returns each object exactly once, then NULL. */
SCTEST_CASE(avl, destroy_nodes_visits_each_once)
{
	int n = avl_case_items(sctest_r);
	unsigned long misuses = container_misuses();
	struct avl_item *it;
	void *cookie = NULL;
	avl_tree_t tree;
	int i, returned = 0;

	avl_build(&tree, n);
	while ((it = avl_destroy_nodes(&tree, &cookie)) != NULL) {
		it->visits++;
		returned++;
		SCT_EQ(avl_numnodes(&tree), n - returned);
		/* The caller may reuse or free it at once. */
		it->node.an_child[0] = (avl_node_t *)0x1;
		it->key = -1;
	}
	SCT_EQ(returned, n);
	for (i = 0; i < n; i++)
		SCT_EQ(avl_items[i].visits, 1);
	SCT_CHECK(avl_destroy_nodes(&tree, &cookie) == NULL);
	SCT_CHECK(avl_is_empty(&tree));
	avl_destroy(&tree);
	SCT_EQ(container_misuses(), misuses);
}

/*
 * Sorted input, the classic worst case for unbalanced trees: ascending by
 * avl_insert_here, descending by avl_add; then drain from the front.
 */
SCTEST_CASE(avl, sorted_inserts_stay_balanced)
{
	int n = avl_case_items(sctest_r);
	unsigned long misuses = container_misuses();
	avl_tree_t tree;
	int i;

	avl_items_reset(n);
	avl_make(&tree);
	avl_insert_here(&tree, &avl_items[0], NULL, AVL_AFTER);
	for (i = 1; i < n; i++)
		avl_insert_here(&tree, &avl_items[i], &avl_items[i - 1],
				AVL_AFTER);
	SCT_LE(solcompat_avl_check(&tree), avl_max_height(n));
	SCT_GT(solcompat_avl_check(&tree), 0);
	SCT_EQ(avl_walk_differs(&tree, 0, 2, n), -1);
	/* Drain from the front: removals rebalance toward the right. */
	for (i = 0; i < n; i++) {
		SCT_CHECK(avl_first(&tree) == &avl_items[i]);
		avl_remove(&tree, &avl_items[i]);
	}
	SCT_EQ(solcompat_avl_check(&tree), 0);

	avl_insert_here(&tree, &avl_items[n - 1], NULL, AVL_BEFORE);
	for (i = n - 2; i >= 0; i--) {
		if (i % 2)
			avl_insert_here(&tree, &avl_items[i],
					&avl_items[i + 1], AVL_BEFORE);
		else
			avl_add(&tree, &avl_items[i]);
	}
	SCT_LE(solcompat_avl_check(&tree), avl_max_height(n));
	SCT_GT(solcompat_avl_check(&tree), 0);
	SCT_EQ(avl_walk_differs(&tree, 0, 2, n), -1);
	for (i = n - 1; i >= 0; i--) {
		SCT_CHECK(avl_last(&tree) == &avl_items[i]);
		avl_remove(&tree, &avl_items[i]);
	}
	SCT_EQ(solcompat_avl_check(&tree), 0);
	avl_destroy(&tree);
	SCT_EQ(container_misuses(), misuses);
}

SCTEST_CASE(avl, update_and_swap)
{
	unsigned long misuses = container_misuses();
	avl_tree_t tree, other;
	struct avl_item *it = &avl_items[10]; /* key 20 */

	avl_build(&tree, 64);
	SCT_CHECK(!avl_update(&tree, it)); /* unchanged key: stays */
	it->key = 21;
	SCT_CHECK(!avl_update(&tree, it)); /* still between 18 and 22 */
	it->key = 101;
	SCT_CHECK(!avl_update_lt(&tree, it)); /* grew: only gt sees it */
	SCT_CHECK(avl_update_gt(&tree, it));
	SCT_CHECK(AVL_PREV(&tree, it) == &avl_items[50]);
	SCT_CHECK(AVL_NEXT(&tree, it) == &avl_items[51]);
	it->key = -3;
	SCT_CHECK(avl_update(&tree, it));
	SCT_CHECK(avl_first(&tree) == it);
	it->key = 20;
	SCT_CHECK(avl_update_gt(&tree, it));
	SCT_EQ(avl_walk_differs(&tree, 0, 2, 64), -1);
	SCT_GT(solcompat_avl_check(&tree), 0);

	avl_make(&other);
	avl_swap(&tree, &other);
	SCT_CHECK(avl_is_empty(&tree));
	SCT_EQ(avl_numnodes(&other), 64);
	SCT_EQ(avl_walk_differs(&other, 0, 2, 64), -1);
	SCT_CHECK(avl_first(&tree) == NULL);
	avl_destroy(&tree);
	avl_teardown(&other);
	SCT_EQ(container_misuses(), misuses);
}

/* Misuse is reported and the tree left intact. */
SCTEST_CASE(avl, misuse_reported)
{
	unsigned long misuses = container_misuses(), now;
	struct avl_item twin, small[3];
	avl_index_t where;
	avl_tree_t tree, sloppy;
	int i;

	avl_build(&tree, 32);
	avl_item_init(&twin, 10);
	avl_add(&tree, &twin); /* duplicate key */
	SCT_EQ(container_misuses(), misuses + 1);
	SCT_EQ(avl_numnodes(&tree), 32);
	avl_remove(&tree, &twin); /* not in the tree */
	SCT_EQ(container_misuses(), misuses + 2);
	avl_remove(&tree, &avl_items[3]);
	avl_remove(&tree, &avl_items[3]); /* twice */
	SCT_EQ(container_misuses(), misuses + 3);
	SCT_EQ(avl_numnodes(&tree), 31);

	avl_add(&tree, &avl_items[3]);
	avl_item_init(&twin, 8);
	SCT_CHECK(avl_find(&tree, &twin, &where) == &avl_items[4]);
	avl_insert(&tree, &twin, where); /* a hit's where: no insertion point */
	SCT_EQ(container_misuses(), misuses + 4);
	avl_item_init(&twin, 99);
	avl_insert_here(&tree, &twin, &avl_items[0], AVL_AFTER); /* 0 < 99 > 2 */
	SCT_EQ(container_misuses(), misuses + 5);
	avl_insert_here(&tree, &twin, &avl_items[31], AVL_BEFORE); /* 99 > 62 */
	SCT_EQ(container_misuses(), misuses + 6);
	SCT_EQ(avl_numnodes(&tree), 32);
	SCT_GT(solcompat_avl_check(&tree), 0);
	SCT_EQ(avl_walk_differs(&tree, 0, 2, 32), -1);

	avl_destroy(&tree); /* not empty */
	SCT_EQ(container_misuses(), misuses + 7);
	avl_item_init(&twin, 7);
	SCT_CHECK(avl_find(&tree, &twin, NULL) == NULL); /* destroyed */
	SCT_EQ(container_misuses(), misuses + 8);

	/* A where gone stale: its slot was filled after the find. */
	avl_make(&tree);
	avl_item_init(&small[0], 8);
	avl_item_init(&small[1], 6);
	avl_item_init(&small[2], 7);
	avl_add(&tree, &small[0]);
	SCT_CHECK(avl_find(&tree, &small[2], &where) == NULL);
	avl_add(&tree, &small[1]); /* takes 8's left slot, no rotation */
	avl_insert(&tree, &small[2], where);
	SCT_EQ(container_misuses(), misuses + 9);
	SCT_EQ(avl_numnodes(&tree), 2);
	SCT_EQ(solcompat_avl_check(&tree), 2);
	avl_teardown(&tree);

	/* A comparator returning differences: reported, but the tree works. */
	avl_items_reset(32);
	avl_create(&sloppy, avl_item_compare_sloppy, sizeof(struct avl_item),
		   offsetof(struct avl_item, node));
	now = container_misuses();
	for (i = 0; i < 32; i++)
		avl_add(&sloppy, &avl_items[avl_order[i]]);
	SCT_GT(container_misuses(), now);
	SCT_EQ(avl_numnodes(&sloppy), 32);
	SCT_GT(solcompat_avl_check(&sloppy), 0);
	SCT_EQ(avl_walk_differs(&sloppy, 0, 2, 32), -1);
	avl_item_init(&twin, 62);
	SCT_CHECK(avl_find(&sloppy, &twin, NULL) == &avl_items[31]);
	avl_teardown(&sloppy);
}

/*
 * The checker the other cases rely on does notice damage: a wrong balance
 * factor, a wrong parent link, objects out of order.
 */
SCTEST_CASE(avl, check_detects_corruption)
{
	avl_tree_t tree;
	struct avl_item *root, *leaf;
	uintptr_t saved;
	int key;

	avl_build(&tree, 32);
	SCT_GT(solcompat_avl_check(&tree), 0);
	root = (struct avl_item *)((uintptr_t)tree.at_root -
				   offsetof(struct avl_item, node));
	leaf = avl_first(&tree);

	saved = root->node.an_parent_balance;
	root->node.an_parent_balance ^= 1; /* another balance factor */
	SCT_EQ(solcompat_avl_check(&tree), -1);
	root->node.an_parent_balance = saved;

	saved = leaf->node.an_parent_balance;
	leaf->node.an_parent_balance = (uintptr_t)&root->node |
				       (saved & 3); /* another parent */
	SCT_EQ(solcompat_avl_check(&tree), -1);
	leaf->node.an_parent_balance = saved;

	key = root->key;
	root->key = -1; /* out of order */
	SCT_EQ(solcompat_avl_check(&tree), -1);
	root->key = key;

	tree.at_numnodes++; /* count disagrees */
	SCT_EQ(solcompat_avl_check(&tree), -1);
	tree.at_numnodes--;

	SCT_GT(solcompat_avl_check(&tree), 0);
	avl_teardown(&tree);
}

SCTEST_FAMILY(avl,
	      SCTEST_ENTRY(avl, layout_is_fixed, SCTEST_PROCESS),
	      SCTEST_ENTRY(avl, empty_tree, SCTEST_ANY),
	      SCTEST_ENTRY(avl, shuffled_inserts_sorted_and_balanced, SCTEST_ANY),
	      SCTEST_ENTRY(avl, find_hits_misses_and_where, SCTEST_ANY),
	      SCTEST_ENTRY(avl, remove_every_other_then_all, SCTEST_ANY),
	      SCTEST_ENTRY(avl, destroy_nodes_visits_each_once, SCTEST_ANY),
	      SCTEST_ENTRY(avl, sorted_inserts_stay_balanced, SCTEST_ANY),
	      SCTEST_ENTRY(avl, update_and_swap, SCTEST_ANY),
	      SCTEST_ENTRY(avl, misuse_reported, SCTEST_ANY),
	      SCTEST_ENTRY(avl, check_detects_corruption, SCTEST_ANY));
