// SPDX-License-Identifier: GPL-2.0
/*
 * The AVL tree (sys/avl.h, avl(3AVL)).
 *
 * Big Theory Statement
 * --------------------
 * Model. An intrusive binary search tree: each object embeds a
 * solcompat_avl_node_t at the offset given to avl_create; the tree holds the
 * root, the comparator and the count. Objects are ordered by the comparator,
 * which takes (value, object-in-tree) and returns -1, 0 or 1; an object's
 * left subtree holds only smaller objects, its right only larger ones, and
 * no two objects compare equal. Only the comparator knows the key: the tree
 * never looks inside an object.
 *
 * Node layout (24 bytes, ABI.md): two child pointers and one word holding
 * the parent's address with the balance factor in its two low bits. Parent
 * pointers are what make the API's shape cheap: avl_next/avl_prev step
 * from any object without a search (O(log n) worst case, O(1) amortised
 * over a walk, since a full walk crosses each edge twice), avl_remove needs
 * no comparison, and insertion and removal retrace upwards without a stack,
 * so stack use is a few words whatever the tree's size. That matters in
 * NMI context, whose stack is 4 KB.
 *
 * Invariants (solcompat_avl_check verifies all of them):
 *   1. In-order traversal is strictly increasing under the comparator.
 *   2. balance(n) = height(right subtree) - height(left subtree), and it is
 *      -1, 0 or +1 at every node (AVL balance), so the height of a tree of
 *      n nodes is below 1.44 log2(n + 2): a lookup costs ~log2(n) comparisons.
 *   3. parent(child(n)) == n; the root's parent is NULL.
 *   4. at_numnodes counts the nodes.
 *
 * Insertion attaches a leaf at the point a search found and walks up: at
 * each ancestor the side it came from grew by one level. A node that was
 * balanced becomes tilted and its subtree grew, so the walk goes on; a node
 * tilted the other way becomes balanced and its subtree's height is
 * unchanged, so the walk stops; a node already tilted that way would reach
 * +-2, and one rotation (single, or double if the taller grandchild is on
 * the inner side) restores the subtree to its height before the insertion,
 * so the walk stops. At most one rotation per insertion, O(log n) steps.
 *
 * Removal of a node with two children first puts its in-order successor in
 * its place (relinking nodes, never copying objects: the caller's pointers
 * to objects must stay valid), so the node actually unlinked has at most one
 * child. The walk up is the mirror of insertion: the side it came from lost
 * a level. A balanced node becomes tilted with unchanged height (stop); a
 * node tilted toward that side becomes balanced and shorter (go on); a node
 * tilted away reaches +-2 and is rotated; the rotated subtree is shorter
 * unless the taller child was balanced (then stop). Up to O(log n)
 * rotations per removal.
 *
 * avl_destroy_nodes takes the tree apart bottom up without rebalancing: each
 * call descends from the cookie (the parent of the node returned last; the
 * root at first) to a leaf, unlinks that leaf from its parent and returns
 * it. Each edge is descended once, so the whole teardown is O(n), and the
 * caller may free each object as soon as it is returned: the tree never
 * touches it again.
 *
 * Comparator results. avl(3AVL) requires -1, 0 or 1; code ported from
 * elsewhere often returns a difference instead. Every result is checked (one
 * compare and a predictable branch, so always on, not only in debug
 * builds); one outside -1..1 is reported (SOLCOMPAT_MISUSE_CONTAINER, which
 * names the API and the caller) and its sign used, so the tree stays
 * correct.
 *
 * Other misuse is reported the same way and the operation skipped rather
 * than followed into corruption: a duplicate avl_add (illumos panics), an
 * insertion point whose slot is already taken or whose neighbour the new
 * object does not fit beside, removal of an object that is not in a tree
 * (its node is cleared on removal, so a double removal is caught),
 * destroying a non-empty tree, and avl_create with a node that does not fit
 * in the object, is misaligned, or has no comparator. A destroyed tree has
 * no comparator, so a search in it is reported, not a call through NULL.
 *
 * Designs rejected.
 *   - Linux's rbtree: red-black trees are less strictly balanced (height up
 *     to 2 log2 n, more comparisons per lookup), the node layout (and the
 *     rb_node's size) would then come from a Linux header, and the Solaris
 *     API's insertion points and comparator-driven find would be rebuilt on
 *     top anyway.
 *   - Children and parent in separate fields with the balance in its own
 *     byte (32 bytes): clearer, but 8 more bytes in every object of ported
 *     code whose structures were sized for illumos's 24-byte node.
 *   - Recursive insertion, removal or checking: stack use would grow with
 *     the tree's height, and in NMI context a deep (corrupted) tree would
 *     overflow the 4 KB stack. Everything here is iterative; the checker
 *     keeps subtree heights in a bounded array on the stack.
 *
 * The comparator is the only call out of this file besides the misuse
 * reporter; it runs in the caller's context, so a tree used from probe
 * context needs a comparator that is itself safe there.
 * No Linux API is used: the only Linux headers are <linux/module.h> for
 * EXPORT_SYMBOL_GPL and <linux/kprobes.h> for NOKPROBE_SYMBOL, which keeps
 * kprobes (and so probes built on them) off these functions.
 *
 * Contexts:
 *   function                         process atomic hardirq nmi probe
 *   every avl_* function             yes     yes    yes     yes yes
 * The caller serialises access to one tree, as on illumos.
 */
#include <linux/kprobes.h>
#include <linux/module.h>

#include <impl/avl.h>
#include <impl/debug.h>

_Static_assert(sizeof(solcompat_avl_node_t) == 24, "avl_node_t is ABI");
_Static_assert(sizeof(solcompat_avl_tree_t) == 40, "avl_tree_t is ABI");
_Static_assert(sizeof(solcompat_avl_index_t) == 8, "avl_index_t is ABI");
_Static_assert(SOLCOMPAT_AVL_BEFORE == 0 && SOLCOMPAT_AVL_AFTER == 1,
	       "directions double as child indices");

typedef solcompat_avl_node_t node_t;
typedef solcompat_avl_tree_t tree_t;

#define AVL_LEFT 0
#define AVL_RIGHT 1
#define AVL_PARENT_MASK (~(solcompat_uintptr_t)7)
#define AVL_BALANCE_MASK ((solcompat_uintptr_t)3)

/*
 * Deeper than any AVL tree that fits in memory (height 64 needs more than
 * 10^13 nodes); solcompat_avl_check gives up on anything deeper.
 */
#define AVL_CHECK_MAX_DEPTH 64

static __always_inline node_t *avl_parent(const node_t *node)
{
	return (node_t *)(node->an_parent_balance & AVL_PARENT_MASK);
}

static __always_inline int avl_balance(const node_t *node)
{
	return (int)(node->an_parent_balance & AVL_BALANCE_MASK) - 1;
}

static __always_inline void avl_set_parent(node_t *node, node_t *parent)
{
	node->an_parent_balance = (solcompat_uintptr_t)parent |
				  (node->an_parent_balance & AVL_BALANCE_MASK);
}

static __always_inline void avl_set_balance(node_t *node, int balance)
{
	node->an_parent_balance = (node->an_parent_balance & AVL_PARENT_MASK) |
				  (solcompat_uintptr_t)(balance + 1);
}

static __always_inline void avl_set_parent_balance(node_t *node, node_t *parent,
						   int balance)
{
	node->an_parent_balance = (solcompat_uintptr_t)parent |
				  (solcompat_uintptr_t)(balance + 1);
}

/* Which child of parent node is. */
static __always_inline int avl_side(const node_t *parent, const node_t *node)
{
	return parent->an_child[AVL_RIGHT] == node;
}

static __always_inline node_t *avl_node_of(const tree_t *tree,
					   const void *object)
{
	return (node_t *)((solcompat_uintptr_t)object + tree->at_offset);
}

static __always_inline void *avl_object_of(const tree_t *tree,
					   const node_t *node)
{
	if (node == NULL)
		return NULL;
	return (void *)((solcompat_uintptr_t)node - tree->at_offset);
}

/* A node on no tree: what removal leaves, and what removal looks for. */
static __always_inline void avl_node_clear(node_t *node)
{
	node->an_child[AVL_LEFT] = NULL;
	node->an_child[AVL_RIGHT] = NULL;
	node->an_parent_balance = 0;
}

/* Point whatever pointed at old (its parent's child slot, or the root) at new.
 */
static __always_inline void avl_replace_child(tree_t *tree, node_t *parent,
					      const node_t *old, node_t *new)
{
	if (parent == NULL)
		tree->at_root = new;
	else
		parent->an_child[avl_side(parent, old)] = new;
}

/* The extreme node of a subtree in direction dir. */
static __always_inline node_t *avl_subtree_end(node_t *node, int dir)
{
	while (node->an_child[dir] != NULL)
		node = node->an_child[dir];
	return node;
}

/*
 * The comparator's verdict, -1, 0 or 1. Anything else is reported once per
 * call and replaced by its sign.
 */
static __always_inline int avl_compare(const tree_t *tree, const void *value,
				       const node_t *node, const char *api,
				       const void *caller)
{
	int c = tree->at_compar(value, avl_object_of(tree, node));

	if (unlikely(c < -1 || c > 1)) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER, api,
				 "the comparator returned a value other than "
				 "-1, 0 or 1 (its sign is used)",
				 caller);
		c = c < 0 ? -1 : 1;
	}
	return c;
}

/*
 * Search for value: the node equal to it, or NULL and the insertion point
 * in *where.
 */
static notrace node_t *avl_search(const tree_t *tree, const void *value,
				  solcompat_avl_index_t *where, const char *api,
				  const void *caller)
{
	node_t *node = tree->at_root, *parent = NULL;
	int side = AVL_LEFT;

	while (node != NULL) {
		int c = avl_compare(tree, value, node, api, caller);

		if (c == 0) {
			*where = 0;
			return node;
		}
		parent = node;
		side = c > 0 ? AVL_RIGHT : AVL_LEFT;
		node = node->an_child[side];
	}
	*where = (solcompat_uintptr_t)parent | (solcompat_uintptr_t)side;
	return NULL;
}
NOKPROBE_SYMBOL(avl_search);

/*
 * The neighbour of node in direction dir (AVL_LEFT: previous, AVL_RIGHT:
 * next), or NULL: the extreme of the subtree on that side if there is one,
 * otherwise the first ancestor reached from its other side.
 */
static __always_inline node_t *avl_step(const node_t *node, int dir)
{
	node_t *parent;

	if (node->an_child[dir] != NULL)
		return avl_subtree_end(node->an_child[dir], !dir);
	for (;;) {
		parent = avl_parent(node);
		if (parent == NULL || parent->an_child[dir] != node)
			return parent;
		node = parent;
	}
}

/*
 * Does object belong in parent's empty side slot, that is between parent
 * and parent's neighbour on that side? (The slot is empty, so avl_step() finds
 * that neighbour among the ancestors.)
 */
static __always_inline int avl_fits_at(const tree_t *tree, const void *object,
				       const node_t *parent, int side,
				       const char *api, const void *caller)
{
	const int sign = side == AVL_RIGHT ? 1 : -1;
	const node_t *beyond;

	if (avl_compare(tree, object, parent, api, caller) != sign)
		return 0;
	beyond = avl_step(parent, side);
	return beyond == NULL ||
	       avl_compare(tree, object, beyond, api, caller) == -sign;
}

/*
 * x's subtree on side heavy is two levels taller than the other (x's stored
 * balance still says one): rotate so that the subtree rooted where x was is
 * balanced again. Returns 1 if that subtree is now one level shorter than x's
 * was, 0 if its height is unchanged (possible only when the taller child was
 * balanced, which only a removal produces).
 */
static notrace int avl_rotate(tree_t *tree, node_t *x, int heavy)
{
	const int light = !heavy;
	/* The balance factor that means "taller on the heavy side". */
	const int tilt = heavy == AVL_RIGHT ? 1 : -1;
	node_t *parent = avl_parent(x);
	node_t *y = x->an_child[heavy];
	const int y_balance = avl_balance(y);
	node_t *top;
	int shorter;

	if (y_balance != -tilt) {
		/* Single rotation: y rises, x becomes its light child. */
		node_t *inner = y->an_child[light];

		x->an_child[heavy] = inner;
		if (inner != NULL)
			avl_set_parent(inner, x);
		y->an_child[light] = x;
		if (y_balance == 0) {
			avl_set_parent_balance(x, y, tilt);
			avl_set_balance(y, -tilt);
			shorter = 0;
		} else {
			avl_set_parent_balance(x, y, 0);
			avl_set_balance(y, 0);
			shorter = 1;
		}
		top = y;
	} else {
		/* Double rotation: z, y's inner child, rises above both. */
		node_t *z = y->an_child[light];
		const int z_balance = avl_balance(z);
		node_t *z_light = z->an_child[light];
		node_t *z_heavy = z->an_child[heavy];

		x->an_child[heavy] = z_light;
		if (z_light != NULL)
			avl_set_parent(z_light, x);
		y->an_child[light] = z_heavy;
		if (z_heavy != NULL)
			avl_set_parent(z_heavy, y);
		z->an_child[light] = x;
		z->an_child[heavy] = y;
		avl_set_parent_balance(x, z, z_balance == tilt ? -tilt : 0);
		avl_set_parent_balance(y, z, z_balance == -tilt ? tilt : 0);
		avl_set_balance(z, 0);
		top = z;
		shorter = 1;
	}
	/* parent's child slot still points at x: fix it last. */
	avl_set_parent(top, parent);
	avl_replace_child(tree, parent, x, top);
	return shorter;
}
NOKPROBE_SYMBOL(avl_rotate);

/* node's subtree on side grew by one level: restore balance upwards. */
static notrace void avl_retrace_insert(tree_t *tree, node_t *node, int side)
{
	for (;;) {
		int balance = avl_balance(node) + (side == AVL_RIGHT ? 1 : -1);
		node_t *parent;

		if (balance == 0) {
			avl_set_balance(node, 0);
			return;
		}
		if (balance == 2 || balance == -2) {
			avl_rotate(tree, node, side);
			return;
		}
		avl_set_balance(node, balance);
		parent = avl_parent(node);
		if (parent == NULL)
			return;
		side = avl_side(parent, node);
		node = parent;
	}
}
NOKPROBE_SYMBOL(avl_retrace_insert);

/* node's subtree on side lost one level: restore balance upwards. */
static notrace void avl_retrace_remove(tree_t *tree, node_t *node, int side)
{
	for (;;) {
		int balance = avl_balance(node) + (side == AVL_RIGHT ? -1 : 1);
		node_t *parent = avl_parent(node);
		int parent_side = parent != NULL ? avl_side(parent, node) : 0;

		if (balance == 1 || balance == -1) {
			avl_set_balance(node, balance);
			return; /* was balanced: height unchanged */
		}
		if (balance == 0)
			avl_set_balance(node, 0); /* the taller side shrank */
		else if (!avl_rotate(tree, node, !side))
			return;
		if (parent == NULL)
			return;
		node = parent;
		side = parent_side;
	}
}
NOKPROBE_SYMBOL(avl_retrace_remove);

/* Attach node as the side child of parent (the root if parent is NULL). */
static notrace void avl_link_at(tree_t *tree, node_t *node, node_t *parent,
				int side)
{
	node->an_child[AVL_LEFT] = NULL;
	node->an_child[AVL_RIGHT] = NULL;
	avl_set_parent_balance(node, parent, 0);
	tree->at_numnodes++;
	if (parent == NULL) {
		tree->at_root = node;
		return;
	}
	parent->an_child[side] = node;
	avl_retrace_insert(tree, parent, side);
}
NOKPROBE_SYMBOL(avl_link_at);

/* Is node linked into tree, as far as its neighbours can tell? */
static __always_inline int avl_linked(const tree_t *tree, const node_t *node)
{
	const node_t *parent = avl_parent(node);

	if (parent == NULL)
		return tree->at_root == node;
	return parent->an_child[AVL_LEFT] == node ||
	       parent->an_child[AVL_RIGHT] == node;
}

static notrace void avl_unlink(tree_t *tree, node_t *node)
{
	node_t *parent = avl_parent(node);
	node_t *left = node->an_child[AVL_LEFT];
	node_t *right = node->an_child[AVL_RIGHT];
	node_t *gap_parent; /* whose subtree on gap_side lost a level */
	int gap_side;

	if (left != NULL && right != NULL) {
		/*
		 * The successor (leftmost of the right subtree, so it has no
		 * left child) takes node's place, children and balance; the
		 * retrace starts where the successor left a gap.
		 */
		node_t *successor = avl_subtree_end(right, AVL_LEFT);

		if (successor == right) {
			gap_parent = successor;
			gap_side = AVL_RIGHT;
		} else {
			node_t *successor_right =
				successor->an_child[AVL_RIGHT];

			gap_parent = avl_parent(successor);
			gap_side = AVL_LEFT;
			gap_parent->an_child[AVL_LEFT] = successor_right;
			if (successor_right != NULL)
				avl_set_parent(successor_right, gap_parent);
			successor->an_child[AVL_RIGHT] = right;
			avl_set_parent(right, successor);
		}
		successor->an_child[AVL_LEFT] = left;
		avl_set_parent(left, successor);
		avl_set_parent_balance(successor, parent, avl_balance(node));
		avl_replace_child(tree, parent, node, successor);
	} else {
		node_t *child = left != NULL ? left : right;

		if (child != NULL)
			avl_set_parent(child, parent);
		gap_parent = parent;
		gap_side = parent != NULL ? avl_side(parent, node) : AVL_LEFT;
		avl_replace_child(tree, parent, node, child);
	}
	tree->at_numnodes--;
	avl_node_clear(node);
	if (gap_parent != NULL)
		avl_retrace_remove(tree, gap_parent, gap_side);
}
NOKPROBE_SYMBOL(avl_unlink);

notrace void solcompat_avl_create(solcompat_avl_tree_t *tree,
				  int (*compar)(const void *, const void *),
				  solcompat_size_t size,
				  solcompat_size_t offset)
{
	const void *caller = __builtin_return_address(0);

	if (compar == NULL)
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER, "avl_create",
				 "no comparator", caller);
	if (offset > size || size - offset < sizeof(node_t))
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER, "avl_create",
				 "the avl_node_t does not fit in the object",
				 caller);
	if (offset % 8 != 0)
		solcompat_misuse(
			SOLCOMPAT_MISUSE_CONTAINER, "avl_create",
			"the avl_node_t is not 8-byte aligned in the object",
			caller);
	tree->at_root = NULL;
	tree->at_compar = compar;
	tree->at_offset = offset;
	tree->at_numnodes = 0;
	tree->at_size = size;
}
EXPORT_SYMBOL_GPL(solcompat_avl_create);
NOKPROBE_SYMBOL(solcompat_avl_create);

notrace void solcompat_avl_destroy(solcompat_avl_tree_t *tree)
{
	if (tree->at_root != NULL || tree->at_numnodes != 0)
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER, "avl_destroy",
				 "the tree is not empty",
				 __builtin_return_address(0));
	tree->at_root = NULL;
	tree->at_numnodes = 0;
	tree->at_compar = NULL;
}
EXPORT_SYMBOL_GPL(solcompat_avl_destroy);
NOKPROBE_SYMBOL(solcompat_avl_destroy);

notrace void *solcompat_avl_find(solcompat_avl_tree_t *tree, const void *value,
				 solcompat_avl_index_t *where)
{
	solcompat_avl_index_t ignored;

	if (unlikely(tree->at_compar == NULL)) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER, "avl_find",
				 "tree not created or already destroyed",
				 __builtin_return_address(0));
		if (where != NULL)
			*where = 0;
		return NULL;
	}
	return avl_object_of(
		tree, avl_search(tree, value, where ? where : &ignored,
				 "avl_find", __builtin_return_address(0)));
}
EXPORT_SYMBOL_GPL(solcompat_avl_find);
NOKPROBE_SYMBOL(solcompat_avl_find);

notrace void solcompat_avl_insert(solcompat_avl_tree_t *tree, void *object,
				  solcompat_avl_index_t where)
{
	const void *caller = __builtin_return_address(0);
	node_t *parent = (node_t *)(where & AVL_PARENT_MASK);
	int side = (int)(where & 1);

	if (unlikely(tree->at_compar == NULL)) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER, "avl_insert",
				 "tree not created or already destroyed",
				 caller);
		return;
	}
	if (parent == NULL) {
		if (unlikely(tree->at_root != NULL)) {
			solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER,
					 "avl_insert",
					 "insertion point 0 (empty tree) but "
					 "the tree is not empty",
					 caller);
			return;
		}
	} else {
		if (unlikely(parent->an_child[side] != NULL)) {
			solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER,
					 "avl_insert",
					 "the insertion point is taken (tree "
					 "changed since avl_find?)",
					 caller);
			return;
		}
		if (unlikely(!avl_fits_at(tree, object, parent, side,
					  "avl_insert", caller))) {
			solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER,
					 "avl_insert",
					 "the object does not belong at this "
					 "insertion point",
					 caller);
			return;
		}
	}
	avl_link_at(tree, avl_node_of(tree, object), parent, side);
}
EXPORT_SYMBOL_GPL(solcompat_avl_insert);
NOKPROBE_SYMBOL(solcompat_avl_insert);

notrace void solcompat_avl_insert_here(solcompat_avl_tree_t *tree, void *object,
				       void *here, int direction)
{
	const void *caller = __builtin_return_address(0);
	node_t *parent;
	int dir = direction == SOLCOMPAT_AVL_AFTER ? AVL_RIGHT : AVL_LEFT;
	int side;

	if (unlikely(tree->at_compar == NULL)) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER, "avl_insert_here",
				 "tree not created or already destroyed",
				 caller);
		return;
	}
	if (here == NULL) {
		if (unlikely(tree->at_root != NULL)) {
			solcompat_misuse(
				SOLCOMPAT_MISUSE_CONTAINER, "avl_insert_here",
				"no reference object in a non-empty tree",
				caller);
			return;
		}
		avl_link_at(tree, avl_node_of(tree, object), NULL, AVL_LEFT);
		return;
	}
	/*
	 * Right after here is here's empty right slot, or else the leftmost
	 * slot of its right subtree; before is the mirror.
	 */
	parent = avl_node_of(tree, here);
	side = dir;
	if (parent->an_child[dir] != NULL) {
		parent = avl_subtree_end(parent->an_child[dir], !dir);
		side = !dir;
	}
	if (unlikely(!avl_fits_at(tree, object, parent, side, "avl_insert_here",
				  caller))) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER, "avl_insert_here",
				 "the object does not belong on that side of "
				 "the reference",
				 caller);
		return;
	}
	avl_link_at(tree, avl_node_of(tree, object), parent, side);
}
EXPORT_SYMBOL_GPL(solcompat_avl_insert_here);
NOKPROBE_SYMBOL(solcompat_avl_insert_here);

/* Search and insert; a duplicate is reported and its node cleared. */
static notrace void avl_add_node(tree_t *tree, node_t *node, const char *api,
				 const void *caller)
{
	solcompat_avl_index_t where;

	if (unlikely(tree->at_compar == NULL)) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER, api,
				 "tree not created or already destroyed",
				 caller);
		avl_node_clear(node);
		return;
	}
	if (unlikely(avl_search(tree, avl_object_of(tree, node), &where, api,
				caller) != NULL)) {
		solcompat_misuse(
			SOLCOMPAT_MISUSE_CONTAINER, api,
			"an equal object is already in the tree; not added",
			caller);
		avl_node_clear(node);
		return;
	}
	avl_link_at(tree, node, (node_t *)(where & AVL_PARENT_MASK),
		    (int)(where & 1));
}
NOKPROBE_SYMBOL(avl_add_node);

notrace void solcompat_avl_add(solcompat_avl_tree_t *tree, void *object)
{
	avl_add_node(tree, avl_node_of(tree, object), "avl_add",
		     __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(solcompat_avl_add);
NOKPROBE_SYMBOL(solcompat_avl_add);

notrace void solcompat_avl_remove(solcompat_avl_tree_t *tree, void *object)
{
	node_t *node = avl_node_of(tree, object);

	if (unlikely(!avl_linked(tree, node))) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER, "avl_remove",
				 "the object is not in this tree",
				 __builtin_return_address(0));
		return;
	}
	avl_unlink(tree, node);
}
EXPORT_SYMBOL_GPL(solcompat_avl_remove);
NOKPROBE_SYMBOL(solcompat_avl_remove);

notrace solcompat_boolean_t solcompat_avl_update(solcompat_avl_tree_t *tree,
						 void *object, int flags)
{
	const void *caller = __builtin_return_address(0);
	node_t *node = avl_node_of(tree, object);
	node_t *neighbour;
	int misplaced = 0;

	if (unlikely(tree->at_compar == NULL || !avl_linked(tree, node))) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER, "avl_update",
				 "the object is not in this tree", caller);
		return SOLCOMPAT_B_FALSE;
	}
	if (flags & SOLCOMPAT_AVL_UPDATE_LT) {
		neighbour = avl_step(node, AVL_LEFT);
		if (neighbour != NULL && avl_compare(tree, object, neighbour,
						     "avl_update", caller) <= 0)
			misplaced = 1;
	}
	if (!misplaced && (flags & SOLCOMPAT_AVL_UPDATE_GT)) {
		neighbour = avl_step(node, AVL_RIGHT);
		if (neighbour != NULL && avl_compare(tree, object, neighbour,
						     "avl_update", caller) >= 0)
			misplaced = 1;
	}
	if (!misplaced)
		return SOLCOMPAT_B_FALSE;
	avl_unlink(tree, node);
	avl_add_node(tree, node, "avl_update", caller);
	return SOLCOMPAT_B_TRUE;
}
EXPORT_SYMBOL_GPL(solcompat_avl_update);
NOKPROBE_SYMBOL(solcompat_avl_update);

notrace void solcompat_avl_swap(solcompat_avl_tree_t *tree1,
				solcompat_avl_tree_t *tree2)
{
	node_t *root = tree1->at_root;
	solcompat_size_t numnodes = tree1->at_numnodes;

	if (unlikely(tree1->at_compar != tree2->at_compar ||
		     tree1->at_offset != tree2->at_offset)) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTAINER, "avl_swap",
				 "the trees differ in comparator or node "
				 "offset; not swapped",
				 __builtin_return_address(0));
		return;
	}
	tree1->at_root = tree2->at_root;
	tree1->at_numnodes = tree2->at_numnodes;
	tree2->at_root = root;
	tree2->at_numnodes = numnodes;
}
EXPORT_SYMBOL_GPL(solcompat_avl_swap);
NOKPROBE_SYMBOL(solcompat_avl_swap);

notrace void *solcompat_avl_first(const solcompat_avl_tree_t *tree)
{
	if (tree->at_root == NULL)
		return NULL;
	return avl_object_of(tree, avl_subtree_end(tree->at_root, AVL_LEFT));
}
EXPORT_SYMBOL_GPL(solcompat_avl_first);
NOKPROBE_SYMBOL(solcompat_avl_first);

notrace void *solcompat_avl_last(const solcompat_avl_tree_t *tree)
{
	if (tree->at_root == NULL)
		return NULL;
	return avl_object_of(tree, avl_subtree_end(tree->at_root, AVL_RIGHT));
}
EXPORT_SYMBOL_GPL(solcompat_avl_last);
NOKPROBE_SYMBOL(solcompat_avl_last);

notrace void *solcompat_avl_walk(const solcompat_avl_tree_t *tree,
				 const void *object, int direction)
{
	if (object == NULL)
		return NULL;
	return avl_object_of(tree, avl_step(avl_node_of(tree, object),
					    direction == SOLCOMPAT_AVL_AFTER
						    ? AVL_RIGHT
						    : AVL_LEFT));
}
EXPORT_SYMBOL_GPL(solcompat_avl_walk);
NOKPROBE_SYMBOL(solcompat_avl_walk);

notrace void *solcompat_avl_nearest(const solcompat_avl_tree_t *tree,
				    solcompat_avl_index_t where, int direction)
{
	node_t *parent = (node_t *)(where & AVL_PARENT_MASK);
	int side = (int)(where & 1);
	int dir = direction == SOLCOMPAT_AVL_AFTER ? AVL_RIGHT : AVL_LEFT;

	if (parent == NULL)
		return NULL;
	/*
	 * The point is parent's empty side slot: parent itself is the
	 * neighbour on the other side, and on this side it is parent's own
	 * neighbour (the slot is empty, so avl_step() goes up).
	 */
	if (side != dir)
		return avl_object_of(tree, parent);
	return avl_object_of(tree, avl_step(parent, dir));
}
EXPORT_SYMBOL_GPL(solcompat_avl_nearest);
NOKPROBE_SYMBOL(solcompat_avl_nearest);

notrace unsigned long solcompat_avl_numnodes(const solcompat_avl_tree_t *tree)
{
	return tree->at_numnodes;
}
EXPORT_SYMBOL_GPL(solcompat_avl_numnodes);
NOKPROBE_SYMBOL(solcompat_avl_numnodes);

notrace solcompat_boolean_t
solcompat_avl_is_empty(const solcompat_avl_tree_t *tree)
{
	return tree->at_numnodes == 0 ? SOLCOMPAT_B_TRUE : SOLCOMPAT_B_FALSE;
}
EXPORT_SYMBOL_GPL(solcompat_avl_is_empty);
NOKPROBE_SYMBOL(solcompat_avl_is_empty);

notrace void *solcompat_avl_destroy_nodes(solcompat_avl_tree_t *tree,
					  void **cookie)
{
	node_t *node = *cookie != NULL ? (node_t *)*cookie : tree->at_root;
	node_t *parent;

	if (node == NULL)
		return NULL;
	/* Down to a leaf of what is left below the cookie. */
	for (;;) {
		if (node->an_child[AVL_LEFT] != NULL)
			node = node->an_child[AVL_LEFT];
		else if (node->an_child[AVL_RIGHT] != NULL)
			node = node->an_child[AVL_RIGHT];
		else
			break;
	}
	parent = avl_parent(node);
	avl_replace_child(tree, parent, node, NULL);
	tree->at_numnodes--;
	*cookie = parent;
	avl_node_clear(node);
	return avl_object_of(tree, node);
}
EXPORT_SYMBOL_GPL(solcompat_avl_destroy_nodes);
NOKPROBE_SYMBOL(solcompat_avl_destroy_nodes);

/*
 * Post-order walk with parent pointers: completed subtrees' heights wait on
 * a stack until their parent is visited, at which point its children's
 * heights are on top (right above left). The walk checks each link before
 * following it, so a corrupted tree ends the check rather than the kernel.
 */
static notrace int avl_check_shape(const tree_t *tree)
{
	unsigned char heights[AVL_CHECK_MAX_DEPTH];
	int depth = 0; /* entries used in heights[] */
	solcompat_size_t visited = 0;
	const node_t *node = tree->at_root;
	const node_t *parent;

	if (node == NULL)
		return 0;
	if (avl_parent(node) != NULL)
		return -1;
	for (;;) {
		const node_t *left, *right;
		int height_left, height_right, height;

		/* Descend to the first node in post-order below node. */
		for (;;) {
			const node_t *child = node->an_child[AVL_LEFT];

			if (child == NULL)
				child = node->an_child[AVL_RIGHT];
			if (child == NULL)
				break;
			if (avl_parent(child) != node)
				return -1;
			node = child;
		}
		/* Visit node and go up while node is a right child (or alone).
		 */
		for (;;) {
			if (++visited > tree->at_numnodes)
				return -1;
			left = node->an_child[AVL_LEFT];
			right = node->an_child[AVL_RIGHT];
			if ((left != NULL && avl_parent(left) != node) ||
			    (right != NULL && avl_parent(right) != node))
				return -1;
			if ((node->an_parent_balance & 4) != 0 ||
			    (node->an_parent_balance & AVL_BALANCE_MASK) == 3)
				return -1;
			height_right = height_left = 0;
			if (right != NULL) {
				if (depth == 0)
					return -1;
				height_right = heights[--depth];
			}
			if (left != NULL) {
				if (depth == 0)
					return -1;
				height_left = heights[--depth];
			}
			if (height_right - height_left != avl_balance(node))
				return -1;
			height =
				1 + (height_left > height_right ? height_left
								: height_right);
			parent = avl_parent(node);
			if (parent == NULL)
				return visited == tree->at_numnodes ? height
								    : -1;
			if (depth >= AVL_CHECK_MAX_DEPTH)
				return -1;
			heights[depth++] = (unsigned char)height;
			if (parent->an_child[AVL_LEFT] == node &&
			    parent->an_child[AVL_RIGHT] != NULL) {
				node = parent->an_child[AVL_RIGHT];
				if (avl_parent(node) != parent)
					return -1;
				break; /* descend into the right sibling */
			}
			node = parent;
		}
	}
}
NOKPROBE_SYMBOL(avl_check_shape);

notrace int solcompat_avl_check(const solcompat_avl_tree_t *tree)
{
	const void *caller = __builtin_return_address(0);
	const node_t *node, *next;
	solcompat_size_t seen = 0;
	int height = avl_check_shape(tree);

	if (height < 0)
		return -1;
	/* The shape is sound, so an in-order walk terminates. */
	for (node = tree->at_root ? avl_subtree_end(tree->at_root, AVL_LEFT)
				  : NULL;
	     node != NULL; node = next) {
		seen++;
		next = avl_step(node, AVL_RIGHT);
		if (next != NULL &&
		    avl_compare(tree, avl_object_of(tree, node), next,
				"avl_check", caller) != -1)
			return -1;
	}
	return seen == tree->at_numnodes ? height : -1;
}
EXPORT_SYMBOL_GPL(solcompat_avl_check);
NOKPROBE_SYMBOL(solcompat_avl_check);
