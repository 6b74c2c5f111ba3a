/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/avl.h: the illumos AVL tree (avl(3AVL)): an intrusive height-balanced
 * binary search tree ordered by a comparator that returns -1, 0 or 1.
 *
 * The caller embeds an avl_node_t in each object and serialises all access
 * to a tree; nothing here allocates or locks, so every function is usable in
 * any context, provided the comparator is too (it runs in the caller's
 * context).
 */
#ifndef _SOLCOMPAT_SYS_AVL_H
#define _SOLCOMPAT_SYS_AVL_H

#include <sys/types.h>
#include <impl/avl.h>

typedef solcompat_avl_tree_t avl_tree_t;
typedef solcompat_avl_node_t avl_node_t;
typedef solcompat_avl_index_t avl_index_t;

#define AVL_BEFORE SOLCOMPAT_AVL_BEFORE
#define AVL_AFTER SOLCOMPAT_AVL_AFTER

#define AVL_NEXT(tree, object) avl_walk((tree), (object), AVL_AFTER)
#define AVL_PREV(tree, object) avl_walk((tree), (object), AVL_BEFORE)

/* For comparators: -1, 0 or 1 by the sign of a, or by how a compares with b. */
#define AVL_ISIGN(a) (((a) > 0) - ((a) < 0))
#define AVL_CMP(a, b) (((a) > (b)) - ((a) < (b)))

/*
 * Initialise an empty tree of objects of size bytes with an avl_node_t at
 * offset, ordered by compar.
 * Context: Any context.
 */
static inline void avl_create(avl_tree_t *tree,
			      int (*compar)(const void *, const void *),
			      size_t size, size_t offset)
{
	solcompat_avl_create(tree, compar, size, offset);
}

/*
 * End the life of an empty tree.
 * Context: Any context.
 */
static inline void avl_destroy(avl_tree_t *tree)
{
	solcompat_avl_destroy(tree);
}

/*
 * The object equal to value, or NULL and the insertion point in *where.
 * Context: Any context.
 */
static inline void *avl_find(avl_tree_t *tree, const void *value,
			     avl_index_t *where)
{
	return solcompat_avl_find(tree, value, where);
}

/*
 * Insert object at the point a missed avl_find returned.
 * Context: Any context.
 */
static inline void avl_insert(avl_tree_t *tree, void *object, avl_index_t where)
{
	solcompat_avl_insert(tree, object, where);
}

/*
 * Insert object next to here, in direction AVL_BEFORE or AVL_AFTER.
 * Context: Any context.
 */
static inline void avl_insert_here(avl_tree_t *tree, void *object, void *here,
				   int direction)
{
	solcompat_avl_insert_here(tree, object, here, direction);
}

/*
 * Insert object at its place; it must not compare equal to any object in the
 * tree.
 * Context: Any context.
 */
static inline void avl_add(avl_tree_t *tree, void *object)
{
	solcompat_avl_add(tree, object);
}

/*
 * Remove object from the tree.
 * Context: Any context.
 */
static inline void avl_remove(avl_tree_t *tree, void *object)
{
	solcompat_avl_remove(tree, object);
}

/*
 * Re-place object after its key changed either way; B_TRUE if it moved.
 * Context: Any context.
 */
static inline boolean_t avl_update(avl_tree_t *tree, void *object)
{
	return solcompat_avl_update(tree, object,
				    SOLCOMPAT_AVL_UPDATE_LT |
					    SOLCOMPAT_AVL_UPDATE_GT);
}

/*
 * Re-place object after its key decreased; B_TRUE if it moved.
 * Context: Any context.
 */
static inline boolean_t avl_update_lt(avl_tree_t *tree, void *object)
{
	return solcompat_avl_update(tree, object, SOLCOMPAT_AVL_UPDATE_LT);
}

/*
 * Re-place object after its key increased; B_TRUE if it moved.
 * Context: Any context.
 */
static inline boolean_t avl_update_gt(avl_tree_t *tree, void *object)
{
	return solcompat_avl_update(tree, object, SOLCOMPAT_AVL_UPDATE_GT);
}

/*
 * Exchange the contents of two trees.
 * Context: Any context.
 */
static inline void avl_swap(avl_tree_t *tree1, avl_tree_t *tree2)
{
	solcompat_avl_swap(tree1, tree2);
}

/*
 * The smallest object, or NULL.
 * Context: Any context.
 */
static inline void *avl_first(avl_tree_t *tree)
{
	return solcompat_avl_first(tree);
}

/*
 * The largest object, or NULL.
 * Context: Any context.
 */
static inline void *avl_last(avl_tree_t *tree)
{
	return solcompat_avl_last(tree);
}

/*
 * The neighbour of object in direction AVL_BEFORE or AVL_AFTER, or NULL.
 * Context: Any context.
 */
static inline void *avl_walk(avl_tree_t *tree, void *object, int direction)
{
	return solcompat_avl_walk(tree, object, direction);
}

/*
 * The object after object, or NULL (AVL_NEXT).
 * Context: Any context.
 */
static inline void *avl_next(avl_tree_t *tree, void *object)
{
	return solcompat_avl_walk(tree, object, SOLCOMPAT_AVL_AFTER);
}

/*
 * The object before object, or NULL (AVL_PREV).
 * Context: Any context.
 */
static inline void *avl_prev(avl_tree_t *tree, void *object)
{
	return solcompat_avl_walk(tree, object, SOLCOMPAT_AVL_BEFORE);
}

/*
 * The object before (AVL_BEFORE) or after (AVL_AFTER) an insertion point.
 * Context: Any context.
 */
static inline void *avl_nearest(avl_tree_t *tree, avl_index_t where,
				int direction)
{
	return solcompat_avl_nearest(tree, where, direction);
}

/*
 * Number of objects in the tree.
 * Context: Any context.
 */
static inline ulong_t avl_numnodes(avl_tree_t *tree)
{
	return solcompat_avl_numnodes(tree);
}

/*
 * B_TRUE if the tree is empty.
 * Context: Any context.
 */
static inline boolean_t avl_is_empty(avl_tree_t *tree)
{
	return solcompat_avl_is_empty(tree);
}

/*
 * Unlink and return one object per call (NULL when none is left), for
 * tearing a tree down in O(n); *cookie starts NULL.
 * Context: Any context.
 */
static inline void *avl_destroy_nodes(avl_tree_t *tree, void **cookie)
{
	return solcompat_avl_destroy_nodes(tree, cookie);
}

#endif /* _SOLCOMPAT_SYS_AVL_H */
