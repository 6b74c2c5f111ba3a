/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/avl.h: the intrusive AVL tree (prefixed ABI). Solaris names in
 * sys/avl.h; design in linux/avl.c.
 *
 * Layouts are fixed (ABI.md). Nothing here allocates or locks: the caller
 * serialises all access to one tree, and every function is usable in any
 * context as long as the tree's comparator is.
 */
#ifndef _SOLCOMPAT_IMPL_AVL_H
#define _SOLCOMPAT_IMPL_AVL_H

#include <impl/types.h>

/* Directions for nearest, insert_here and walk; also child indices. */
#define SOLCOMPAT_AVL_BEFORE 0
#define SOLCOMPAT_AVL_AFTER 1

/* Which neighbours solcompat_avl_update compares against. */
#define SOLCOMPAT_AVL_UPDATE_LT 0x1	/* the key may have decreased */
#define SOLCOMPAT_AVL_UPDATE_GT 0x2	/* the key may have increased */

/*
 * Embedded in each object, 8-byte aligned; 24 bytes. an_parent_balance
 * holds the parent's address (8-aligned, so bits 0-2 are free) ORed with
 * the balance factor plus one in bits 0-1 (0: left subtree one level
 * taller, 1: equal, 2: right taller); bit 2 is zero. Private to linux/avl.c.
 */
typedef struct solcompat_avl_node {
	struct solcompat_avl_node *an_child[2];	/* [0] smaller, [1] larger */
	solcompat_uintptr_t an_parent_balance;
} solcompat_avl_node_t;

/*
 * An insertion point, from a failed solcompat_avl_find: the address of the
 * node that would become the new node's parent, ORed with the side (bit 0:
 * SOLCOMPAT_AVL_BEFORE for its left, SOLCOMPAT_AVL_AFTER for its right).
 * 0 means "the root of an empty tree".
 */
typedef solcompat_uintptr_t solcompat_avl_index_t;

/* 40 bytes. */
typedef struct solcompat_avl_tree {
	solcompat_avl_node_t *at_root;
	int (*at_compar)(const void *, const void *);
	solcompat_size_t at_offset;	/* of the solcompat_avl_node_t in an object */
	solcompat_size_t at_numnodes;
	solcompat_size_t at_size;	/* of one object */
} solcompat_avl_tree_t;

/*
 * Make tree an empty tree ordered by compar (which returns -1, 0 or 1 as
 * its first argument sorts before, with, or after its second), of objects
 * of size bytes with a solcompat_avl_node_t at offset. A node that does not
 * fit or is misaligned, or a NULL compar, is reported.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void
solcompat_avl_create(solcompat_avl_tree_t *tree,
		     int (*compar)(const void *, const void *),
		     solcompat_size_t size, solcompat_size_t offset);

/*
 * End the life of an empty tree; a non-empty one is reported.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_avl_destroy(solcompat_avl_tree_t *tree);

/*
 * The object comparing equal to value, or NULL; then, if where is not NULL,
 * *where is the insertion point for solcompat_avl_insert and
 * solcompat_avl_nearest (on a hit *where is 0). O(log n) comparisons.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_avl_find(solcompat_avl_tree_t *tree,
					    const void *value,
					    solcompat_avl_index_t *where);

/*
 * Insert object at where, from a solcompat_avl_find that missed with no
 * change to the tree since. A where whose slot is taken, or where object
 * would break the order, is reported and object not inserted.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_avl_insert(solcompat_avl_tree_t *tree,
					     void *object,
					     solcompat_avl_index_t where);

/*
 * Insert object right before or after here (SOLCOMPAT_AVL_BEFORE/AFTER)
 * in the order, without searching. An object that would break the order is
 * reported and not inserted.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_avl_insert_here(solcompat_avl_tree_t *tree,
						  void *object, void *here,
						  int direction);

/*
 * Find the place of object and insert it. An object comparing equal to one
 * already in the tree is reported and not inserted (illumos panics).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_avl_add(solcompat_avl_tree_t *tree,
					  void *object);

/*
 * Remove object from the tree; O(log n), no comparison. An object that is
 * not in a tree is reported and left alone.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_avl_remove(solcompat_avl_tree_t *tree,
					     void *object);

/*
 * Re-place object after its key changed (flags SOLCOMPAT_AVL_UPDATE_LT/GT
 * say which neighbours to compare with); B_TRUE if it moved. A new key
 * equal to another object's is reported, and the object left out of the
 * tree, as solcompat_avl_add does.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C solcompat_boolean_t
solcompat_avl_update(solcompat_avl_tree_t *tree, void *object, int flags);

/*
 * Exchange the contents of two trees of the same object type.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_avl_swap(solcompat_avl_tree_t *tree1,
					   solcompat_avl_tree_t *tree2);

/*
 * The smallest object, or NULL if the tree is empty.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_avl_first(const solcompat_avl_tree_t *tree);

/*
 * The largest object, or NULL if the tree is empty.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_avl_last(const solcompat_avl_tree_t *tree);

/*
 * The object after (SOLCOMPAT_AVL_AFTER) or before (SOLCOMPAT_AVL_BEFORE)
 * object in the order, or NULL. O(log n) worst case, O(1) amortised over a
 * whole walk; no comparison.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_avl_walk(const solcompat_avl_tree_t *tree,
					    const void *object, int direction);

/*
 * The object just before or after an insertion point from
 * solcompat_avl_find, or NULL.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_avl_nearest(const solcompat_avl_tree_t *tree,
					       solcompat_avl_index_t where,
					       int direction);

/*
 * Number of objects in the tree.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C unsigned long
solcompat_avl_numnodes(const solcompat_avl_tree_t *tree);

/*
 * B_TRUE if the tree has no object.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C solcompat_boolean_t
solcompat_avl_is_empty(const solcompat_avl_tree_t *tree);

/*
 * Tear the tree down: each call unlinks and returns one object, NULL when
 * none is left; *cookie starts NULL. O(n) for the whole tree, no
 * rebalancing; meanwhile only this and solcompat_avl_destroy may be used
 * on the tree.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_avl_destroy_nodes(solcompat_avl_tree_t *tree,
						     void **cookie);

/*
 * For tests only: verify the whole tree (parent links, balance factors,
 * AVL balance, strict order by the comparator, node count) and return its
 * height (0 when empty), or -1 if any of it is wrong. O(n).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_avl_check(const solcompat_avl_tree_t *tree);

#endif /* _SOLCOMPAT_IMPL_AVL_H */
