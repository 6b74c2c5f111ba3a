/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/list.h: the circular doubly linked list
 * with a head node, the part of its API linux/ uses. A deleted entry's
 * links are poisoned, so a use after list_del faults in the model.
 */
#ifndef _MODEL_LINUX_LIST_H
#define _MODEL_LINUX_LIST_H

#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/stddef.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_POISON1 ((struct list_head *)0xdead000000000100UL)
#define LIST_POISON2 ((struct list_head *)0xdead000000000122UL)

#define LIST_HEAD_INIT(name)                                                   \
	{                                                                      \
		&(name), &(name)                                               \
	}
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	WRITE_ONCE(list->next, list);
	list->prev = list;
}

static inline void model_list_link(struct list_head *entry,
				   struct list_head *prev,
				   struct list_head *next)
{
	next->prev = entry;
	entry->next = next;
	entry->prev = prev;
	WRITE_ONCE(prev->next, entry);
}

/* After head (a stack). */
static inline void list_add(struct list_head *entry, struct list_head *head)
{
	model_list_link(entry, head, head->next);
}

/* Before head (a queue). */
static inline void list_add_tail(struct list_head *entry,
				 struct list_head *head)
{
	model_list_link(entry, head->prev, head);
}

static inline void list_del(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	WRITE_ONCE(entry->prev->next, entry->next);
	entry->next = LIST_POISON1;
	entry->prev = LIST_POISON2;
}

static inline void list_del_init(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	WRITE_ONCE(entry->prev->next, entry->next);
	INIT_LIST_HEAD(entry);
}

static inline int list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member)                                    \
	list_entry((ptr)->next, type, member)
#define list_last_entry(ptr, type, member) list_entry((ptr)->prev, type, member)
#define list_first_entry_or_null(ptr, type, member)                            \
	(list_empty(ptr) ? NULL : list_first_entry(ptr, type, member))
#define list_next_entry(pos, member)                                           \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_prev_entry(pos, member)                                           \
	list_entry((pos)->member.prev, __typeof__(*(pos)), member)
#define list_entry_is_head(pos, head, member) (&(pos)->member == (head))

#define list_for_each_entry(pos, head, member)                                 \
	for (pos = list_first_entry(head, __typeof__(*pos), member);           \
	     !list_entry_is_head(pos, head, member);                           \
	     pos = list_next_entry(pos, member))

#define list_for_each_entry_safe(pos, n, head, member)                         \
	for (pos = list_first_entry(head, __typeof__(*pos), member),           \
	    n = list_next_entry(pos, member);                                  \
	     !list_entry_is_head(pos, head, member);                           \
	     pos = n, n = list_next_entry(n, member))

#define hlist_entry(ptr, type, member) container_of(ptr, type, member)

#endif /* _MODEL_LINUX_LIST_H */
