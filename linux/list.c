// SPDX-License-Identifier: GPL-2.0
/*
 * The intrusive doubly linked list (sys/list.h, list_create(9F)).
 *
 * Big Theory Statement
 * --------------------
 * Model. Each object embeds a solcompat_list_node_t at the offset given to
 * list_create; the list keeps that offset and a sentinel node, l_head. The
 * links form a circle through the sentinel: l_head.ln_next is the first
 * object's link, l_head.ln_prev the last's, and an empty list's sentinel
 * points at itself. Converting between an object and its link is adding or
 * subtracting l_offset; reaching the sentinel is what "NULL" means to the
 * Solaris API (list_next of the last object, list_head of an empty list).
 *
 * Invariants.
 *   - In a created list every link on the circle has non-NULL ln_next and
 *     ln_prev, and n->ln_next->ln_prev == n.
 *   - A link on no list has both pointers NULL once list_link_init or a
 *     removal has run on it; that is what list_link_active tests. A link
 *     never initialised holds garbage, which the insert functions accept
 *     (illumos does too: objects fresh from kmem_alloc are inserted as
 *     they come).
 *   - A destroyed or never-created list has a NULL l_head.ln_next.
 *
 * Misuse is reported (SOLCOMPAT_MISUSE_CONTAINER) and the operation
 * skipped, never followed into a NULL or stale pointer:
 *   - any operation on a list with a NULL sentinel (not created, destroyed);
 *   - removing, or inserting next to, an object whose link is inactive;
 *   - removing a link whose neighbours do not point back at it (the object
 *     was inserted twice, or its memory reused while linked);
 *   - destroying a non-empty list; list_create with a link that does not
 *     fit in the object or is misaligned (the list is still created);
 *   - list_move_tail between lists whose links sit at different offsets;
 *   - list_link_replace of an inactive link.
 * Checks cost a load and a branch; they stay on in every build, since a
 * corrupted list otherwise surfaces later as an oops far from the bug.
 *
 * Designs rejected.
 *   - Wrapping Linux's struct list_head: the Solaris API is object based
 *     (list_next returns the next object or NULL, list_head of an empty list
 *     is NULL), so every wrapper would translate anyway, and the node layout
 *     would then depend on a Linux header.
 *   - Static inline functions in sys/list.h: they would be as fast, but a
 *     misuse report names the caller, which one out-of-line entry point per
 *     operation gives for free; and the functions stay probe-safe in one
 *     place (notrace, NOKPROBE) instead of in every ported file.
 *   - NULL-terminated lists with head and tail pointers: every insert and
 *     remove then needs end-of-list branches, and the sentinel circle makes
 *     "active" a single test of ln_next.
 *
 * Nothing here allocates, sleeps or locks, and nothing calls outside this
 * file except the misuse reporter: all of it is probe-context code.
 * No Linux API is used: the only Linux headers are <linux/module.h> for
 * EXPORT_SYMBOL_GPL and <linux/kprobes.h> for NOKPROBE_SYMBOL, which keeps
 * kprobes (and so probes built on them) off these functions.
 *
 * Contexts:
 *   function                         process atomic hardirq nmi probe
 *   every list_* function            yes     yes    yes     yes yes
 * The caller serialises access to one list (a lock, or per-CPU ownership
 * with interrupts off); two contexts on one list at once corrupt it, as on
 * illumos.
 */
#include <linux/kprobes.h>
#include <linux/module.h>

#include <impl/debug.h>
#include <impl/list.h>

_Static_assert(sizeof(solcompat_list_node_t) == 16, "list_node_t is ABI");
_Static_assert(sizeof(solcompat_list_t) == 32, "list_t is ABI");

/* Report from an exported function on behalf of its caller. */
#define LIST_MISUSE(api, problem)                                              \
	solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER, (api), (problem),         \
			 __builtin_return_address(0))

static __always_inline solcompat_list_node_t *
obj_to_link(const solcompat_list_t *list, const void *object)
{
	return (solcompat_list_node_t *)((solcompat_uintptr_t)object +
					 list->l_offset);
}

/* The object of a link; NULL for the sentinel (the end of the list). */
static __always_inline void *link_to_obj(const solcompat_list_t *list,
					 const solcompat_list_node_t *link)
{
	if (link == &list->l_head)
		return NULL;
	return (void *)((solcompat_uintptr_t)link - list->l_offset);
}

static __always_inline int list_created(const solcompat_list_t *list)
{
	return list->l_head.ln_next != NULL;
}

static __always_inline void link_between(solcompat_list_node_t *link,
					 solcompat_list_node_t *prev,
					 solcompat_list_node_t *next)
{
	link->ln_prev = prev;
	link->ln_next = next;
	prev->ln_next = link;
	next->ln_prev = link;
}

static __always_inline void link_unlink(solcompat_list_node_t *link)
{
	link->ln_prev->ln_next = link->ln_next;
	link->ln_next->ln_prev = link->ln_prev;
	link->ln_next = NULL;
	link->ln_prev = NULL;
}

static __always_inline int link_consistent(const solcompat_list_node_t *link)
{
	return link->ln_next->ln_prev == link && link->ln_prev->ln_next == link;
}

notrace void solcompat_list_create(solcompat_list_t *list,
				   solcompat_size_t size,
				   solcompat_size_t offset)
{
	if (offset > size || size - offset < sizeof(solcompat_list_node_t))
		LIST_MISUSE("list_create",
			    "the list_node_t does not fit in the object");
	if (offset % _Alignof(solcompat_list_node_t) != 0)
		LIST_MISUSE("list_create",
			    "the list_node_t is not pointer-aligned");
	list->l_size = size;
	list->l_offset = offset;
	list->l_head.ln_next = &list->l_head;
	list->l_head.ln_prev = &list->l_head;
}
EXPORT_SYMBOL_GPL(solcompat_list_create);
NOKPROBE_SYMBOL(solcompat_list_create);

notrace void solcompat_list_destroy(solcompat_list_t *list)
{
	if (!list_created(list))
		LIST_MISUSE("list_destroy",
			    "list not created or already destroyed");
	else if (list->l_head.ln_next != &list->l_head)
		LIST_MISUSE("list_destroy", "the list is not empty");
	/* Later use of the list is then caught, not followed. */
	list->l_head.ln_next = NULL;
	list->l_head.ln_prev = NULL;
}
EXPORT_SYMBOL_GPL(solcompat_list_destroy);
NOKPROBE_SYMBOL(solcompat_list_destroy);

notrace void solcompat_list_insert_head(solcompat_list_t *list, void *object)
{
	if (unlikely(!list_created(list))) {
		LIST_MISUSE("list_insert_head",
			    "list not created or already destroyed");
		return;
	}
	link_between(obj_to_link(list, object), &list->l_head,
		     list->l_head.ln_next);
}
EXPORT_SYMBOL_GPL(solcompat_list_insert_head);
NOKPROBE_SYMBOL(solcompat_list_insert_head);

notrace void solcompat_list_insert_tail(solcompat_list_t *list, void *object)
{
	if (unlikely(!list_created(list))) {
		LIST_MISUSE("list_insert_tail",
			    "list not created or already destroyed");
		return;
	}
	link_between(obj_to_link(list, object), list->l_head.ln_prev,
		     &list->l_head);
}
EXPORT_SYMBOL_GPL(solcompat_list_insert_tail);
NOKPROBE_SYMBOL(solcompat_list_insert_tail);

notrace void solcompat_list_insert_before(solcompat_list_t *list,
					  void *reference, void *object)
{
	solcompat_list_node_t *at;

	if (unlikely(!list_created(list))) {
		LIST_MISUSE("list_insert_before",
			    "list not created or already destroyed");
		return;
	}
	at = reference ? obj_to_link(list, reference) : &list->l_head;
	if (unlikely(at->ln_next == NULL)) {
		LIST_MISUSE("list_insert_before",
			    "the reference object is on no list");
		return;
	}
	link_between(obj_to_link(list, object), at->ln_prev, at);
}
EXPORT_SYMBOL_GPL(solcompat_list_insert_before);
NOKPROBE_SYMBOL(solcompat_list_insert_before);

notrace void solcompat_list_insert_after(solcompat_list_t *list,
					 void *reference, void *object)
{
	solcompat_list_node_t *at;

	if (unlikely(!list_created(list))) {
		LIST_MISUSE("list_insert_after",
			    "list not created or already destroyed");
		return;
	}
	at = reference ? obj_to_link(list, reference) : &list->l_head;
	if (unlikely(at->ln_next == NULL)) {
		LIST_MISUSE("list_insert_after",
			    "the reference object is on no list");
		return;
	}
	link_between(obj_to_link(list, object), at, at->ln_next);
}
EXPORT_SYMBOL_GPL(solcompat_list_insert_after);
NOKPROBE_SYMBOL(solcompat_list_insert_after);

notrace void solcompat_list_remove(solcompat_list_t *list, void *object)
{
	solcompat_list_node_t *link;

	if (unlikely(!list_created(list))) {
		LIST_MISUSE("list_remove",
			    "list not created or already destroyed");
		return;
	}
	link = obj_to_link(list, object);
	if (unlikely(link->ln_next == NULL || link->ln_prev == NULL)) {
		LIST_MISUSE("list_remove", "the object is on no list");
		return;
	}
	if (unlikely(!link_consistent(link))) {
		LIST_MISUSE("list_remove",
			    "the neighbours do not link back to the object "
			    "(inserted twice, or reused while linked?)");
		return;
	}
	link_unlink(link);
}
EXPORT_SYMBOL_GPL(solcompat_list_remove);
NOKPROBE_SYMBOL(solcompat_list_remove);

notrace void *solcompat_list_remove_head(solcompat_list_t *list)
{
	solcompat_list_node_t *link;

	if (unlikely(!list_created(list))) {
		LIST_MISUSE("list_remove_head",
			    "list not created or already destroyed");
		return NULL;
	}
	link = list->l_head.ln_next;
	if (link == &list->l_head)
		return NULL;
	link_unlink(link);
	return link_to_obj(list, link);
}
EXPORT_SYMBOL_GPL(solcompat_list_remove_head);
NOKPROBE_SYMBOL(solcompat_list_remove_head);

notrace void *solcompat_list_remove_tail(solcompat_list_t *list)
{
	solcompat_list_node_t *link;

	if (unlikely(!list_created(list))) {
		LIST_MISUSE("list_remove_tail",
			    "list not created or already destroyed");
		return NULL;
	}
	link = list->l_head.ln_prev;
	if (link == &list->l_head)
		return NULL;
	link_unlink(link);
	return link_to_obj(list, link);
}
EXPORT_SYMBOL_GPL(solcompat_list_remove_tail);
NOKPROBE_SYMBOL(solcompat_list_remove_tail);

notrace void *solcompat_list_head(const solcompat_list_t *list)
{
	if (unlikely(!list_created(list))) {
		LIST_MISUSE("list_head",
			    "list not created or already destroyed");
		return NULL;
	}
	return link_to_obj(list, list->l_head.ln_next);
}
EXPORT_SYMBOL_GPL(solcompat_list_head);
NOKPROBE_SYMBOL(solcompat_list_head);

notrace void *solcompat_list_tail(const solcompat_list_t *list)
{
	if (unlikely(!list_created(list))) {
		LIST_MISUSE("list_tail",
			    "list not created or already destroyed");
		return NULL;
	}
	return link_to_obj(list, list->l_head.ln_prev);
}
EXPORT_SYMBOL_GPL(solcompat_list_tail);
NOKPROBE_SYMBOL(solcompat_list_tail);

notrace void *solcompat_list_next(const solcompat_list_t *list,
				  const void *object)
{
	const solcompat_list_node_t *link = obj_to_link(list, object);

	if (unlikely(link->ln_next == NULL)) {
		LIST_MISUSE("list_next", "the object is on no list");
		return NULL;
	}
	return link_to_obj(list, link->ln_next);
}
EXPORT_SYMBOL_GPL(solcompat_list_next);
NOKPROBE_SYMBOL(solcompat_list_next);

notrace void *solcompat_list_prev(const solcompat_list_t *list,
				  const void *object)
{
	const solcompat_list_node_t *link = obj_to_link(list, object);

	if (unlikely(link->ln_prev == NULL)) {
		LIST_MISUSE("list_prev", "the object is on no list");
		return NULL;
	}
	return link_to_obj(list, link->ln_prev);
}
EXPORT_SYMBOL_GPL(solcompat_list_prev);
NOKPROBE_SYMBOL(solcompat_list_prev);

notrace int solcompat_list_is_empty(const solcompat_list_t *list)
{
	if (unlikely(!list_created(list))) {
		LIST_MISUSE("list_is_empty",
			    "list not created or already destroyed");
		return 1;
	}
	return list->l_head.ln_next == &list->l_head;
}
EXPORT_SYMBOL_GPL(solcompat_list_is_empty);
NOKPROBE_SYMBOL(solcompat_list_is_empty);

notrace void solcompat_list_link_init(solcompat_list_node_t *node)
{
	node->ln_next = NULL;
	node->ln_prev = NULL;
}
EXPORT_SYMBOL_GPL(solcompat_list_link_init);
NOKPROBE_SYMBOL(solcompat_list_link_init);

notrace int solcompat_list_link_active(const solcompat_list_node_t *node)
{
	return node->ln_next != NULL;
}
EXPORT_SYMBOL_GPL(solcompat_list_link_active);
NOKPROBE_SYMBOL(solcompat_list_link_active);

notrace void solcompat_list_move_tail(solcompat_list_t *dst,
				      solcompat_list_t *src)
{
	solcompat_list_node_t *first, *last;

	if (unlikely(!list_created(dst) || !list_created(src))) {
		LIST_MISUSE("list_move_tail",
			    "list not created or already destroyed");
		return;
	}
	if (unlikely(dst->l_offset != src->l_offset)) {
		LIST_MISUSE(
			"list_move_tail",
			"the lists link their objects at different offsets");
		return;
	}
	if (src->l_head.ln_next == &src->l_head)
		return;
	first = src->l_head.ln_next;
	last = src->l_head.ln_prev;
	first->ln_prev = dst->l_head.ln_prev;
	dst->l_head.ln_prev->ln_next = first;
	last->ln_next = &dst->l_head;
	dst->l_head.ln_prev = last;
	src->l_head.ln_next = &src->l_head;
	src->l_head.ln_prev = &src->l_head;
}
EXPORT_SYMBOL_GPL(solcompat_list_move_tail);
NOKPROBE_SYMBOL(solcompat_list_move_tail);

notrace void solcompat_list_link_replace(solcompat_list_node_t *old,
					 solcompat_list_node_t *replacement)
{
	if (unlikely(old->ln_next == NULL)) {
		LIST_MISUSE("list_link_replace",
			    "the link to replace is on no list");
		return;
	}
	replacement->ln_next = old->ln_next;
	replacement->ln_prev = old->ln_prev;
	replacement->ln_next->ln_prev = replacement;
	replacement->ln_prev->ln_next = replacement;
	old->ln_next = NULL;
	old->ln_prev = NULL;
}
EXPORT_SYMBOL_GPL(solcompat_list_link_replace);
NOKPROBE_SYMBOL(solcompat_list_link_replace);
