/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/list.h: the illumos intrusive doubly linked list (list_create(9F)).
 *
 * The caller embeds a list_node_t in each object and serialises all access
 * to a list; nothing here allocates or locks, so every function is usable in
 * any context, probe context included.
 */
#ifndef _SOLCOMPAT_SYS_LIST_H
#define _SOLCOMPAT_SYS_LIST_H

#include <sys/types.h>
#include <impl/list.h>

typedef solcompat_list_t list_t;
typedef solcompat_list_node_t list_node_t;

/*
 * Initialise an empty list of objects of size bytes with a list_node_t at
 * offset.
 * Context: Any context.
 */
static inline void list_create(list_t *list, size_t size, size_t offset)
{
	solcompat_list_create(list, size, offset);
}

/*
 * End the life of an empty list.
 * Context: Any context.
 */
static inline void list_destroy(list_t *list)
{
	solcompat_list_destroy(list);
}

/*
 * Insert object at the head.
 * Context: Any context.
 */
static inline void list_insert_head(list_t *list, void *object)
{
	solcompat_list_insert_head(list, object);
}

/*
 * Insert object at the tail.
 * Context: Any context.
 */
static inline void list_insert_tail(list_t *list, void *object)
{
	solcompat_list_insert_tail(list, object);
}

/*
 * Insert object before reference (NULL: at the tail).
 * Context: Any context.
 */
static inline void list_insert_before(list_t *list, void *reference,
				      void *object)
{
	solcompat_list_insert_before(list, reference, object);
}

/*
 * Insert object after reference (NULL: at the head).
 * Context: Any context.
 */
static inline void list_insert_after(list_t *list, void *reference,
				     void *object)
{
	solcompat_list_insert_after(list, reference, object);
}

/*
 * Unlink object from the list.
 * Context: Any context.
 */
static inline void list_remove(list_t *list, void *object)
{
	solcompat_list_remove(list, object);
}

/*
 * Unlink and return the head, or NULL.
 * Context: Any context.
 */
static inline void *list_remove_head(list_t *list)
{
	return solcompat_list_remove_head(list);
}

/*
 * Unlink and return the tail, or NULL.
 * Context: Any context.
 */
static inline void *list_remove_tail(list_t *list)
{
	return solcompat_list_remove_tail(list);
}

/*
 * The head, or NULL.
 * Context: Any context.
 */
static inline void *list_head(list_t *list)
{
	return solcompat_list_head(list);
}

/*
 * The tail, or NULL.
 * Context: Any context.
 */
static inline void *list_tail(list_t *list)
{
	return solcompat_list_tail(list);
}

/*
 * The object after object, or NULL.
 * Context: Any context.
 */
static inline void *list_next(list_t *list, void *object)
{
	return solcompat_list_next(list, object);
}

/*
 * The object before object, or NULL.
 * Context: Any context.
 */
static inline void *list_prev(list_t *list, void *object)
{
	return solcompat_list_prev(list, object);
}

/*
 * Non-zero if the list is empty.
 * Context: Any context.
 */
static inline int list_is_empty(list_t *list)
{
	return solcompat_list_is_empty(list);
}

/*
 * Mark a link as on no list.
 * Context: Any context.
 */
static inline void list_link_init(list_node_t *node)
{
	solcompat_list_link_init(node);
}

/*
 * Non-zero if the link is on a list.
 * Context: Any context.
 */
static inline int list_link_active(list_node_t *node)
{
	return solcompat_list_link_active(node);
}

/*
 * Append all of src to dst; src ends up empty.
 * Context: Any context.
 */
static inline void list_move_tail(list_t *dst, list_t *src)
{
	solcompat_list_move_tail(dst, src);
}

/*
 * Put link replacement in the place of the active link old.
 * Context: Any context.
 */
static inline void list_link_replace(list_node_t *old,
				     list_node_t *replacement)
{
	solcompat_list_link_replace(old, replacement);
}

#endif /* _SOLCOMPAT_SYS_LIST_H */
