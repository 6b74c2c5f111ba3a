/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/rbtree.h, the part linux/ uses: callers
 * descend the tree themselves (rb_left/rb_right), link a node where the
 * descent ended (rb_link_node) and call rb_insert_color; rb_erase removes.
 *
 * The model keeps the tree a valid binary search tree but does not balance
 * it (rb_insert_color does nothing): the kernel's lib/rbtree.c is not
 * modelled, and what the model checks is behaviour (which node a descent
 * finds), not depth. The parent pointer is kept in __rb_parent_color with
 * the colour bits always 0.
 */
#ifndef _MODEL_LINUX_RBTREE_H
#define _MODEL_LINUX_RBTREE_H

#include <linux/kernel.h>
#include <linux/stddef.h>

struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT ((struct rb_root){NULL})
#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define rb_parent(r) ((struct rb_node *)((r)->__rb_parent_color & ~3UL))

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **rb_link)
{
	node->__rb_parent_color = (unsigned long)parent;
	node->rb_left = node->rb_right = NULL;
	*rb_link = node;
}

static inline void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	(void)node;
	(void)root;
}

/* Point whatever pointed at old (its parent's link, or the root) at new. */
static inline void model_rb_replace_link(struct rb_node *old,
					 struct rb_node *new,
					 struct rb_root *root)
{
	struct rb_node *parent = rb_parent(old);

	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
	if (new)
		new->__rb_parent_color = (unsigned long)parent;
}

static inline void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *next;

	if (!node->rb_left) {
		model_rb_replace_link(node, node->rb_right, root);
		return;
	}
	if (!node->rb_right) {
		model_rb_replace_link(node, node->rb_left, root);
		return;
	}
	/* Two children: the in-order successor takes node's place. */
	next = node->rb_right;
	while (next->rb_left)
		next = next->rb_left;
	if (rb_parent(next) != node) {
		model_rb_replace_link(next, next->rb_right, root);
		next->rb_right = node->rb_right;
		next->rb_right->__rb_parent_color = (unsigned long)next;
	}
	model_rb_replace_link(node, next, root);
	next->rb_left = node->rb_left;
	next->rb_left->__rb_parent_color = (unsigned long)next;
}

#endif /* _MODEL_LINUX_RBTREE_H */
