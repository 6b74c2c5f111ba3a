/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/list.h: the intrusive doubly linked list (prefixed ABI). Solaris
 * names in sys/list.h; design in linux/list.c.
 *
 * Layouts are fixed (ABI.md): a node is two pointers (16 bytes) embedded in
 * the caller's object at the offset given to solcompat_list_create; a list
 * is the object size, that offset and a sentinel node (32 bytes). No
 * function allocates or locks: the caller serialises all access to a list.
 */
#ifndef _SOLCOMPAT_IMPL_LIST_H
#define _SOLCOMPAT_IMPL_LIST_H

#include <impl/types.h>

/* A link. NULL pointers mean "on no list" (solcompat_list_link_init). */
typedef struct solcompat_list_node {
	struct solcompat_list_node *ln_next;
	struct solcompat_list_node *ln_prev;
} solcompat_list_node_t;

/*
 * A list: a circle through the sentinel ln_head. A created list never has a
 * NULL ln_head.ln_next; a destroyed or never-created one has, and every
 * operation reports it instead of following the pointer.
 */
typedef struct solcompat_list {
	solcompat_size_t l_size;	/* size of one object */
	solcompat_size_t l_offset;	/* offset of its solcompat_list_node_t */
	solcompat_list_node_t l_head;	/* sentinel */
} solcompat_list_t;

/*
 * Make list an empty list of objects of the given size whose link is at
 * offset. A link that does not fit in the object, or is not pointer-aligned,
 * is reported (the list is still created).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_list_create(solcompat_list_t *list,
					      solcompat_size_t size,
					      solcompat_size_t offset);

/*
 * End the life of a list. A non-empty list is reported; its objects are not
 * touched. Afterwards every operation on the list is reported.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_list_destroy(solcompat_list_t *list);

/*
 * Insert object first. Its link need not be initialised.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_list_insert_head(solcompat_list_t *list,
						   void *object);

/*
 * Insert object last. Its link need not be initialised.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_list_insert_tail(solcompat_list_t *list,
						   void *object);

/*
 * Insert object right before reference, which must be on the list; a NULL
 * reference means "before the end": object goes last (as illumos).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_list_insert_before(solcompat_list_t *list,
						     void *reference,
						     void *object);

/*
 * Insert object right after reference, which must be on the list; a NULL
 * reference means "after the start": object goes first (as illumos).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_list_insert_after(solcompat_list_t *list,
						    void *reference,
						    void *object);

/*
 * Unlink object and clear its link. An object whose link is not active is
 * reported and left alone.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_list_remove(solcompat_list_t *list,
					      void *object);

/*
 * Unlink and return the first / last object; NULL if the list is empty.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_list_remove_head(solcompat_list_t *list);
SOLCOMPAT_EXTERN_C void *solcompat_list_remove_tail(solcompat_list_t *list);

/*
 * The first / last object; NULL if the list is empty.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_list_head(const solcompat_list_t *list);
SOLCOMPAT_EXTERN_C void *solcompat_list_tail(const solcompat_list_t *list);

/*
 * The object after object; NULL after the last.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_list_next(const solcompat_list_t *list,
					     const void *object);

/*
 * The object before object; NULL before the first.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_list_prev(const solcompat_list_t *list,
					     const void *object);

/*
 * Non-zero if the list has no object.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_list_is_empty(const solcompat_list_t *list);

/*
 * Mark a link as on no list.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_list_link_init(solcompat_list_node_t *node);

/*
 * Non-zero if the link is on a list (was inserted and not removed since
 * solcompat_list_link_init or the last removal).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int
solcompat_list_link_active(const solcompat_list_node_t *node);

/*
 * Append every object of src to dst, in order, leaving src empty. Lists of
 * different link offsets are reported and left alone.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_list_move_tail(solcompat_list_t *dst,
						 solcompat_list_t *src);

/*
 * Put the link replacement where the active link old is, in whatever list
 * old is on; old becomes inactive. An inactive old is reported.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void
solcompat_list_link_replace(solcompat_list_node_t *old,
			    solcompat_list_node_t *replacement);

#endif /* _SOLCOMPAT_IMPL_LIST_H */
