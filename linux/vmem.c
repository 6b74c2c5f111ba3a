// SPDX-License-Identifier: GPL-2.0
/*
 * Resource arenas (vmem_create, vmem_alloc, vmem_xalloc, vmem_free, ...) on
 * Linux.
 *
 * Big Theory Statement
 * --------------------
 * A vmem arena hands out ranges of an integer space: kernel addresses on
 * illumos, but just as often identifiers (VMC_IDENTIFIER: probe ids, minor
 * numbers). Linux has nothing like it (its IDA/IDR allocate single ids, with
 * no ranges, alignment or import), and OpenZFS's SPL has no arenas at all.
 * This is a real arena, built from the model of the illumos design (Bonwick
 * and Adams, 2001), written fresh:
 *
 *   span      a range added by vmem_create, vmem_add or an import from the
 *             source arena; spans never merge, so an imported span can go
 *             back to its source whole.
 *   segment   a piece of a span, FREE or ALLOC. All spans and segments are
 *             on one list in address order (each span marker precedes its
 *             segments), so a segment's neighbours are found in O(1) and
 *             coalescing never crosses a span boundary.
 *   freelists FREE segments, by size class: list k holds sizes in
 *             [2^k, 2^(k+1)).
 *   allocated ALLOC segments in an rbtree by address, for vmem_free.
 *
 * Invariants (under the arena lock): segments tile each span exactly; no
 * two FREE segments are adjacent within a span (frees coalesce); every
 * boundary is a multiple of the quantum; size_alloc and size_free are the
 * sums of the ALLOC and FREE segment sizes.
 *
 * Policies: instant fit (the default) takes the first segment of the
 * smallest class whose every member fits, in O(1); VM_BESTFIT takes a
 * smallest fitting segment (classes are ordered, so the first class with a
 * fit holds the answer; an exact-size fit ends the search); VM_FIRSTFIT the
 * lowest-addressed fit; VM_NEXTFIT the first fit at or after a rotor that
 * follows the previous allocation, wrapping (so a freed id is not reused at
 * once). vmem_xalloc: the address is phase modulo align (a power of two, a
 * multiple of the quantum), the range does not cross a multiple of nocross
 * (a power of two), and it lies in [minaddr, maxaddr); instant fit is then
 * best fit.
 *
 * An identifier arena, vmem_create("ids", (void *)1, UINT32_MAX, 1, NULL,
 * NULL, NULL, 0, VM_SLEEP | VMC_IDENTIFIER), starts as one FREE segment;
 * vmem_alloc(arena, 1, VM_BESTFIT | VM_SLEEP) carves the lowest id off it,
 * vmem_free puts it back and coalesces, and the next best fit reuses the
 * hole. Base 1 keeps 0 out of the arena: an arena that contains 0 can hand
 * out 0, which callers cannot tell from failure.
 *
 * Import: an arena with a source calls afunc(source, size, vmflag) outside
 * its lock when nothing fits, adds the result as an imported span and
 * retries; a free that leaves an imported span wholly free gives it back
 * with ffunc(source, addr, size). The size asked for covers the request's
 * alignment beyond the source's quantum, so a source with a finer quantum
 * than the arena's (whose spans may start off the arena's quantum) still
 * returns a span that holds the aligned request.
 *
 * Segment structures come from kmem_alloc outside the lock: before taking
 * the lock an operation tops up a per-arena stash of spare segments (an
 * allocation needs at most two, a new span two), so nothing is allocated
 * under it. With VM_NOSLEEP they are KM_NOSLEEP allocations, which on
 * PREEMPT_RT in atomic context come from kmem's reserve.
 *
 * Locking and contexts: one raw spinlock per arena, taken with interrupts
 * off: usable in hardirq context on PREEMPT_RT too. NMI and probe context
 * are refused with a report (nothing here is lock-free, and the rbtree
 * functions are traceable Linux code). VM_SLEEP waits for a free in process
 * context: the waiter records the arena's free generation under the lock,
 * then sleeps on a wait queue until the generation moves; vmem_free bumps
 * it under the lock and wakes waiters after dropping it. The order closes
 * the lost-wakeup window: a waiter that counted itself in before the free
 * took the lock is seen by that free; a free that came earlier changed
 * what the waiter's search saw. Waking takes the wait queue's lock, a
 * sleeping lock on PREEMPT_RT, so a free in RT hard-irq or irqs-off context
 * hands the wake-up to an irq_work (run by the irq_work thread there).
 * VM_SLEEP where the caller may not sleep is reported and served as
 * VM_NOSLEEP. A VM_SLEEP request waits for a free only when one could
 * serve it: something is allocated and some span, wholly free, would hold
 * it (size, alignment, nocross, address bounds); otherwise, once imports
 * (if any) gave nothing, it is reported and fails instead of waiting
 * forever. Each wake-up allows the imports again.
 *
 * Memory ordering: every arena field is under the lock except `waiters`
 * (atomic; read by a free after it released the lock, which orders it
 * after any waiter's increment made under the lock before that).
 *
 * Designs rejected:
 *   - Linux IDA/IDR for identifier arenas: single ids only, and the
 *     arena's other users (ranges, xalloc, import) would need a second
 *     implementation anyway.
 *   - A segment hash table (illumos): fixed buckets degrade to lists with
 *     tens of thousands of probe ids; an rbtree stays O(log n) without
 *     rehashing.
 *   - Allocating segment structures under the lock (GFP_ATOMIC): wrong on
 *     PREEMPT_RT, and fails where the stash would have succeeded.
 *
 * Contexts:
 *   function                       process atomic hardirq nmi probe
 *   vmem_create/destroy            yes     rep    rep     rep rep  (rep:
 * reported, refused) vmem_alloc/xalloc VM_NOSLEEP   yes     yes    yes     rep
 * rep vmem_alloc/xalloc VM_SLEEP     yes     rep    rep     rep rep  (served as
 * VM_NOSLEEP) vmem_free/xfree, vmem_add      yes     yes    yes     rep rep
 *   vmem_contains, vmem_size       yes     yes    yes     rep rep
 *
 * Not supported: quantum caches (qcache_max is accepted and ignored),
 * VM_ENDALLOC (ignored), vmem_walk, vmem_xcreate, populator arenas
 * (VMC_POPULATOR ignored), importing for vmem_xalloc requests with nocross
 * or address bounds (they are served from existing spans only). VM_ABORT
 * means "do not wait".
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/irq_work.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/panic.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include <impl/debug.h>
#include <impl/kmem.h>
#include <impl/vmem.h>
#include "solcompat_init.h"

enum vmem_seg_type { VMEM_SEG_SPAN = 1, VMEM_SEG_FREE, VMEM_SEG_ALLOC };

struct vmem_seg {
	uintptr_t start, end;		/* [start, end) */
	struct list_head all;		/* arena->segs, address order */
	struct list_head link;		/* freelist, or the spare list */
	struct rb_node node;		/* ALLOC: arena->allocated */
	u8 type;
	u8 imported;			/* SPAN from the source arena */
};

#define VMEM_FREELISTS 64
#define VMEM_SPARE_MIN 4
#define VMEM_SPARE_MAX 16
#define VMEM_IMPORT_TRIES 2

struct solcompat_vmem {
	char name[32];
	uintptr_t quantum;
	solcompat_vmem_alloc_t *afunc;
	solcompat_vmem_free_t *ffunc;
	struct solcompat_vmem *source;
	int cflags;
	raw_spinlock_t lock;
	struct list_head segs;
	struct list_head freelist[VMEM_FREELISTS];
	struct rb_root allocated;
	struct list_head spare;
	unsigned int nspare;
	uintptr_t rotor;		/* VM_NEXTFIT: next search from here */
	size_t size_alloc, size_free, size_total;
	unsigned long generation;	/* bumped by every free */
	atomic_t waiters;
	wait_queue_head_t wait;
	struct irq_work wake_work;
};

struct vmem_request {
	uintptr_t size, align, phase, nocross, minaddr, maxaddr;
	int vmflag;
	bool simple;			/* no constraint but the quantum */
};

static __always_inline uintptr_t seg_size(const struct vmem_seg *seg)
{
	return seg->end - seg->start;
}

static __always_inline unsigned int vmem_class(uintptr_t size)
{
	return fls64(size) - 1;
}

/* Entry checks */

/* false: refused (NMI/probe). May turn VM_SLEEP into VM_NOSLEEP. */
static bool vmem_enter(const char *api, int *vmflag, const void *caller)
{
	enum solcompat_mem_context ctx = solcompat_mem_context();

	if (ctx == SOLCOMPAT_MEM_NMI) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, api,
				 "not usable in NMI or probe context; refused",
				 caller);
		return false;
	}
	if (vmflag && !(*vmflag & SOLCOMPAT_VM_NOSLEEP) &&
	    ctx != SOLCOMPAT_MEM_SLEEP) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, api,
				 "VM_SLEEP where the caller may not sleep; served as VM_NOSLEEP",
				 caller);
		*vmflag |= SOLCOMPAT_VM_NOSLEEP;
	}
	return true;
}

static bool vmem_process_only(const char *api, const void *caller)
{
	if (solcompat_mem_context() == SOLCOMPAT_MEM_SLEEP)
		return true;
	solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, api,
			 "may only be called from process context; refused",
			 caller);
	return false;
}

/* Segment structures */

static int vmem_kmflag(int vmflag)
{
	return vmflag & SOLCOMPAT_VM_KMFLAGS & ~SOLCOMPAT_KM_PANIC;
}

/* Top up the spare stash, outside the lock. */
static bool vmem_refill(struct solcompat_vmem *vmp, int vmflag)
{
	unsigned long flags;
	struct vmem_seg *seg;

	for (;;) {
		if (READ_ONCE(vmp->nspare) >= VMEM_SPARE_MIN)
			return true;
		seg = solcompat_kmem_alloc(sizeof(*seg), vmem_kmflag(vmflag));
		if (!seg)
			return false;
		raw_spin_lock_irqsave(&vmp->lock, flags);
		list_add(&seg->link, &vmp->spare);
		vmp->nspare++;
		raw_spin_unlock_irqrestore(&vmp->lock, flags);
	}
}

/* Give surplus spares back, outside the lock. */
static void vmem_trim(struct solcompat_vmem *vmp)
{
	struct vmem_seg *seg;
	unsigned long flags;

	while (READ_ONCE(vmp->nspare) > VMEM_SPARE_MAX) {
		raw_spin_lock_irqsave(&vmp->lock, flags);
		seg = NULL;
		if (vmp->nspare > VMEM_SPARE_MAX) {
			seg = list_first_entry(&vmp->spare, struct vmem_seg,
					       link);
			list_del(&seg->link);
			vmp->nspare--;
		}
		raw_spin_unlock_irqrestore(&vmp->lock, flags);
		if (seg)
			solcompat_kmem_free(seg, sizeof(*seg));
	}
}

/* Under the lock; the caller made sure there is one. */
static struct vmem_seg *vmem_spare_take(struct solcompat_vmem *vmp)
{
	struct vmem_seg *seg = list_first_entry(&vmp->spare, struct vmem_seg,
						 link);

	list_del(&seg->link);
	vmp->nspare--;
	return seg;
}

static void vmem_spare_put(struct solcompat_vmem *vmp, struct vmem_seg *seg)
{
	list_add(&seg->link, &vmp->spare);
	vmp->nspare++;
}

/* Freelists and the allocated tree (under the lock) */

static void vmem_freelist_add(struct solcompat_vmem *vmp, struct vmem_seg *seg)
{
	seg->type = VMEM_SEG_FREE;
	list_add(&seg->link, &vmp->freelist[vmem_class(seg_size(seg))]);
	vmp->size_free += seg_size(seg);
}

static void vmem_freelist_del(struct solcompat_vmem *vmp, struct vmem_seg *seg)
{
	list_del(&seg->link);
	vmp->size_free -= seg_size(seg);
}

static void vmem_tree_insert(struct solcompat_vmem *vmp, struct vmem_seg *seg)
{
	struct rb_node **link = &vmp->allocated.rb_node, *parent = NULL;

	while (*link) {
		struct vmem_seg *s = rb_entry(*link, struct vmem_seg, node);

		parent = *link;
		link = seg->start < s->start ? &parent->rb_left :
					       &parent->rb_right;
	}
	rb_link_node(&seg->node, parent, link);
	rb_insert_color(&seg->node, &vmp->allocated);
}

static struct vmem_seg *vmem_tree_find(struct solcompat_vmem *vmp,
				       uintptr_t addr)
{
	struct rb_node *n = vmp->allocated.rb_node;

	while (n) {
		struct vmem_seg *s = rb_entry(n, struct vmem_seg, node);

		if (addr == s->start)
			return s;
		n = addr < s->start ? n->rb_left : n->rb_right;
	}
	return NULL;
}

/* Fitting */

/* The lowest address in seg that satisfies r, if any. */
static bool vmem_fit(const struct vmem_seg *seg, const struct vmem_request *r,
		     uintptr_t *addrp)
{
	uintptr_t lo = max(seg->start, r->minaddr);
	uintptr_t hi = min(seg->end, r->maxaddr);
	uintptr_t addr, boundary;

	if (lo >= hi || hi - lo < r->size)
		return false;
	addr = lo + ((r->phase - lo) & (r->align - 1));
	if (addr < lo)
		return false;
	if (r->nocross && ((addr ^ (addr + r->size - 1)) & ~(r->nocross - 1))) {
		boundary = (addr | (r->nocross - 1)) + 1;
		if (boundary == 0)
			return false;
		addr = boundary + ((r->phase - boundary) & (r->align - 1));
		if (addr < boundary ||
		    ((addr ^ (addr + r->size - 1)) & ~(r->nocross - 1)))
			return false;
	}
	if (addr > hi || hi - addr < r->size)
		return false;
	*addrp = addr;
	return true;
}

static struct vmem_seg *vmem_find_best(struct solcompat_vmem *vmp,
				       const struct vmem_request *r,
				       uintptr_t *addrp)
{
	unsigned int k;

	for (k = vmem_class(r->size); k < VMEM_FREELISTS; k++) {
		struct vmem_seg *seg, *best = NULL;
		uintptr_t addr, best_addr = 0;

		list_for_each_entry(seg, &vmp->freelist[k], link) {
			if (!vmem_fit(seg, r, &addr))
				continue;
			if (!best || seg_size(seg) < seg_size(best)) {
				best = seg;
				best_addr = addr;
				if (seg_size(seg) == r->size)
					break;
			}
		}
		if (best) {
			*addrp = best_addr;
			return best;
		}
	}
	return NULL;
}

/* Address order from the start, or from the rotor and wrapping. */
static struct vmem_seg *vmem_find_ordered(struct solcompat_vmem *vmp,
					  const struct vmem_request *r,
					  uintptr_t from, uintptr_t *addrp)
{
	struct vmem_request bounded = *r;
	struct vmem_seg *seg;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		bounded.minaddr = pass == 0 ? max(r->minaddr, from) :
					      r->minaddr;
		list_for_each_entry(seg, &vmp->segs, all)
			if (seg->type == VMEM_SEG_FREE &&
			    vmem_fit(seg, &bounded, addrp))
				return seg;
		if (from <= r->minaddr)
			break;
	}
	return NULL;
}

static struct vmem_seg *vmem_find(struct solcompat_vmem *vmp,
				  const struct vmem_request *r,
				  uintptr_t *addrp)
{
	int policy = r->vmflag & (SOLCOMPAT_VM_BESTFIT | SOLCOMPAT_VM_FIRSTFIT |
				  SOLCOMPAT_VM_NEXTFIT);
	unsigned int k;

	if (policy == SOLCOMPAT_VM_NEXTFIT)
		return vmem_find_ordered(vmp, r, vmp->rotor, addrp);
	if (policy == SOLCOMPAT_VM_FIRSTFIT)
		return vmem_find_ordered(vmp, r, 0, addrp);
	if (policy == 0 && r->simple) {
		/* Every segment in class k >= ceil(log2(size)) fits. */
		for (k = order_base_2(r->size); k < VMEM_FREELISTS; k++) {
			struct vmem_seg *seg;

			seg = list_first_entry_or_null(&vmp->freelist[k],
						       struct vmem_seg, link);
			if (seg && vmem_fit(seg, r, addrp))
				return seg;
		}
	}
	return vmem_find_best(vmp, r, addrp);
}

/* Turn [addr, addr + size) of FREE seg into an ALLOC segment. */
static void vmem_carve(struct solcompat_vmem *vmp, struct vmem_seg *seg,
		       uintptr_t addr, uintptr_t size)
{
	struct vmem_seg *piece;

	vmem_freelist_del(vmp, seg);
	if (addr > seg->start) {
		piece = vmem_spare_take(vmp);
		piece->start = seg->start;
		piece->end = addr;
		list_add_tail(&piece->all, &seg->all);
		vmem_freelist_add(vmp, piece);
	}
	if (addr + size < seg->end) {
		piece = vmem_spare_take(vmp);
		piece->start = addr + size;
		piece->end = seg->end;
		list_add(&piece->all, &seg->all);
		vmem_freelist_add(vmp, piece);
	}
	seg->start = addr;
	seg->end = addr + size;
	seg->type = VMEM_SEG_ALLOC;
	vmem_tree_insert(vmp, seg);
	vmp->size_alloc += size;
}

/* Spans (under the lock; two spares needed) */

static bool vmem_span_add(struct solcompat_vmem *vmp, uintptr_t start,
			  uintptr_t size, bool imported)
{
	struct vmem_seg *pos, *span, *seg;
	struct list_head *before = &vmp->segs;
	uintptr_t end = start + size;

	list_for_each_entry(pos, &vmp->segs, all) {
		if (pos->type != VMEM_SEG_SPAN)
			continue;
		if (start < pos->end && pos->start < end)
			return false; /* overlaps */
		if (pos->start >= end) {
			before = &pos->all;
			break;
		}
	}
	span = vmem_spare_take(vmp);
	seg = vmem_spare_take(vmp);
	span->type = VMEM_SEG_SPAN;
	span->imported = imported;
	span->start = start;
	span->end = end;
	seg->start = start;
	seg->end = end;
	list_add_tail(&span->all, before);
	list_add(&seg->all, &span->all);
	vmem_freelist_add(vmp, seg);
	vmp->size_total += size;
	return true;
}

/* Waking VM_SLEEP waiters */

static void vmem_wake_run(struct irq_work *work)
{
	struct solcompat_vmem *vmp = container_of(work, struct solcompat_vmem,
						  wake_work);

	wake_up_all(&vmp->wait);
}

static void vmem_wake(struct solcompat_vmem *vmp)
{
	enum solcompat_mem_context ctx;

	if (!atomic_read(&vmp->waiters))
		return;
	ctx = solcompat_mem_context();
	if (ctx == SOLCOMPAT_MEM_SLEEP || ctx == SOLCOMPAT_MEM_ATOMIC)
		wake_up_all(&vmp->wait);
	else
		irq_work_queue(&vmp->wake_work);
}

/* Allocation */

/*
 * Could r ever be served here by frees alone: does some span, wholly free,
 * hold it (size, alignment, phase, nocross, address bounds)? Lock held.
 */
static bool vmem_could_fit(struct solcompat_vmem *vmp,
			   const struct vmem_request *r)
{
	struct vmem_seg *seg;
	uintptr_t addr;

	list_for_each_entry(seg, &vmp->segs, all)
		if (seg->type == VMEM_SEG_SPAN && vmem_fit(seg, r, &addr))
			return true;
	return false;
}

/* Import a span that fits r from the source arena; outside the lock. */
static void vmem_import(struct solcompat_vmem *vmp,
			const struct vmem_request *r)
{
	/*
	 * The span starts on a multiple of the source's quantum, the request
	 * (with its phase) on a multiple of ours: up to r->align minus the
	 * finer of the two lies before the span's first fitting address.
	 */
	uintptr_t squantum = vmp->source->quantum;
	uintptr_t q = min(vmp->quantum, squantum);
	uintptr_t slack = r->align > q ? r->align - q : 0;
	uintptr_t size = ALIGN(r->size + slack, squantum);
	unsigned long flags;
	bool added = false;
	void *span;

	/* A request near the address space's end: nothing could hold it. */
	if (r->size + slack < r->size || size < r->size + slack)
		return;
	span = vmp->afunc(vmp->source, size, r->vmflag & ~SOLCOMPAT_VM_PANIC);
	if (!span)
		return;
	if (vmem_refill(vmp, r->vmflag)) {
		raw_spin_lock_irqsave(&vmp->lock, flags);
		if (vmp->nspare >= 2)
			added = vmem_span_add(vmp, (uintptr_t)span, size, true);
		raw_spin_unlock_irqrestore(&vmp->lock, flags);
	}
	if (!added)
		vmp->ffunc(vmp->source, span, size);
}

static void *vmem_alloc_common(struct solcompat_vmem *vmp,
			       struct vmem_request *r, const char *api,
			       const void *caller)
{
	unsigned long flags, generation;
	struct vmem_seg *seg;
	uintptr_t addr = 0;
	int imports = 0;
	bool free_may_serve;

	if (!vmem_enter(api, &r->vmflag, caller))
		return NULL;
	for (;;) {
		if (!vmem_refill(vmp, r->vmflag))
			goto failed;
		raw_spin_lock_irqsave(&vmp->lock, flags);
		if (vmp->nspare < 2) {
			raw_spin_unlock_irqrestore(&vmp->lock, flags);
			continue;
		}
		seg = vmem_find(vmp, r, &addr);
		if (seg) {
			vmem_carve(vmp, seg, addr, r->size);
			if ((r->vmflag & SOLCOMPAT_VM_NEXTFIT) ==
			    SOLCOMPAT_VM_NEXTFIT)
				vmp->rotor = addr + r->size;
			raw_spin_unlock_irqrestore(&vmp->lock, flags);
			vmem_trim(vmp);
			return (void *)addr;
		}
		generation = vmp->generation;
		/* Only a sleeper needs it: the walk is over every span. */
		free_may_serve = !(r->vmflag & (SOLCOMPAT_VM_NOSLEEP |
						SOLCOMPAT_VM_ABORT)) &&
				 vmp->size_alloc && vmem_could_fit(vmp, r);
		if (!(r->vmflag & SOLCOMPAT_VM_NOSLEEP))
			atomic_inc(&vmp->waiters);
		raw_spin_unlock_irqrestore(&vmp->lock, flags);

		if (vmp->source && imports < VMEM_IMPORT_TRIES && !r->nocross &&
		    !r->minaddr && r->maxaddr == UINTPTR_MAX) {
			imports++;
			vmem_import(vmp, r);
			if (!(r->vmflag & SOLCOMPAT_VM_NOSLEEP))
				atomic_dec(&vmp->waiters);
			continue;
		}
		if (r->vmflag & (SOLCOMPAT_VM_NOSLEEP | SOLCOMPAT_VM_ABORT)) {
			if (!(r->vmflag & SOLCOMPAT_VM_NOSLEEP))
				atomic_dec(&vmp->waiters);
			goto failed;
		}
		if (!free_may_serve) {
			atomic_dec(&vmp->waiters);
			solcompat_misuse(
				SOLCOMPAT_MISUSE_MEMORY, api,
				"VM_SLEEP request that no free in this arena could ever serve (no span could hold it, or nothing is allocated) and no import did: it would wait forever; failed",
				caller);
			goto failed;
		}
		wait_event(vmp->wait, READ_ONCE(vmp->generation) != generation);
		atomic_dec(&vmp->waiters);
		/* Something was freed: the source may have room again too. */
		imports = 0;
	}
failed:
	vmem_trim(vmp);
	if (r->vmflag & SOLCOMPAT_VM_PANIC)
		panic("%s: arena %s: cannot allocate %lu (caller %pS)\n", api,
		      vmp->name, (unsigned long)r->size, caller);
	return NULL;
}

void *solcompat_vmem_xalloc(solcompat_vmem_t *vmp, solcompat_size_t size,
			    solcompat_size_t align, solcompat_size_t phase,
			    solcompat_size_t nocross, void *minaddr,
			    void *maxaddr, int vmflag)
{
	const void *caller = __builtin_return_address(0);
	struct vmem_request r = {
		.size = ALIGN(size, vmp->quantum),
		.align = align ? align : vmp->quantum,
		.phase = phase,
		.nocross = nocross,
		.minaddr = (uintptr_t)minaddr,
		.maxaddr = maxaddr ? (uintptr_t)maxaddr : UINTPTR_MAX,
		.vmflag = vmflag,
	};

	if (size == 0 || r.size < size || !is_power_of_2(r.align) ||
	    (r.align & (vmp->quantum - 1)) || phase >= r.align ||
	    (phase & (vmp->quantum - 1)) ||
	    (nocross && (!is_power_of_2(nocross) || nocross < r.size ||
			 nocross < r.align)) ||
	    r.minaddr >= r.maxaddr) {
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, "vmem_xalloc",
				 "bad size, alignment, phase, nocross or address range",
				 caller);
		return NULL;
	}
	r.simple = r.align == vmp->quantum && !phase && !nocross &&
		   !r.minaddr && r.maxaddr == UINTPTR_MAX;
	return vmem_alloc_common(vmp, &r, "vmem_xalloc", caller);
}
EXPORT_SYMBOL_GPL(solcompat_vmem_xalloc);

void *solcompat_vmem_alloc(solcompat_vmem_t *vmp, solcompat_size_t size,
			   int vmflag)
{
	const void *caller = __builtin_return_address(0);
	struct vmem_request r = {
		.size = ALIGN(size, vmp->quantum),
		.align = vmp->quantum,
		.maxaddr = UINTPTR_MAX,
		.vmflag = vmflag,
		.simple = true,
	};

	if (size == 0 || r.size < size) {
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, "vmem_alloc",
				 "size 0 or too large", caller);
		return NULL;
	}
	return vmem_alloc_common(vmp, &r, "vmem_alloc", caller);
}
EXPORT_SYMBOL_GPL(solcompat_vmem_alloc);

/* Free */

void solcompat_vmem_free(solcompat_vmem_t *vmp, void *vaddr,
			 solcompat_size_t size)
{
	const void *caller = __builtin_return_address(0);
	uintptr_t addr = (uintptr_t)vaddr, rstart = 0, rsize = 0;
	struct vmem_seg *seg, *prev, *next, *span;
	bool wrong_size, release = false;
	unsigned long flags;

	if (!vmem_enter("vmem_free", NULL, caller))
		return;
	raw_spin_lock_irqsave(&vmp->lock, flags);
	seg = vmem_tree_find(vmp, addr);
	if (!seg) {
		raw_spin_unlock_irqrestore(&vmp->lock, flags);
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, "vmem_free",
				 "address is not allocated in this arena (double free?)",
				 caller);
		return;
	}
	wrong_size = seg_size(seg) != ALIGN(size, vmp->quantum);
	rb_erase(&seg->node, &vmp->allocated);
	vmp->size_alloc -= seg_size(seg);

	prev = list_prev_entry(seg, all);
	if (&prev->all != &vmp->segs && prev->type == VMEM_SEG_FREE) {
		vmem_freelist_del(vmp, prev);
		seg->start = prev->start;
		list_del(&prev->all);
		vmem_spare_put(vmp, prev);
	}
	next = list_next_entry(seg, all);
	if (&next->all != &vmp->segs && next->type == VMEM_SEG_FREE) {
		vmem_freelist_del(vmp, next);
		seg->end = next->end;
		list_del(&next->all);
		vmem_spare_put(vmp, next);
	}
	span = list_prev_entry(seg, all);
	if (span->type == VMEM_SEG_SPAN && span->imported &&
	    span->start == seg->start && span->end == seg->end) {
		rstart = span->start;
		rsize = seg_size(span);
		release = true;
		list_del(&seg->all);
		list_del(&span->all);
		vmp->size_total -= rsize;
		vmem_spare_put(vmp, seg);
		vmem_spare_put(vmp, span);
	} else {
		vmem_freelist_add(vmp, seg);
	}
	vmp->generation++;
	raw_spin_unlock_irqrestore(&vmp->lock, flags);

	if (wrong_size)
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, "vmem_free",
				 "size differs from the allocated size; freed with the allocated size",
				 caller);
	if (release)
		vmp->ffunc(vmp->source, (void *)rstart, rsize);
	vmem_wake(vmp);
	vmem_trim(vmp);
}
EXPORT_SYMBOL_GPL(solcompat_vmem_free);

/* Spans, queries */

void *solcompat_vmem_add(solcompat_vmem_t *vmp, void *vaddr,
			 solcompat_size_t size, int vmflag)
{
	const void *caller = __builtin_return_address(0);
	uintptr_t start = (uintptr_t)vaddr;
	unsigned long flags;
	bool added = false;

	if (!vmem_enter("vmem_add", &vmflag, caller))
		return NULL;
	if (size == 0 || start + size < start ||
	    ((start | size) & (vmp->quantum - 1))) {
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, "vmem_add",
				 "span empty, wrapping, or not quantum-aligned",
				 caller);
		return NULL;
	}
	while (!added && vmem_refill(vmp, vmflag)) {
		raw_spin_lock_irqsave(&vmp->lock, flags);
		if (vmp->nspare >= 2) {
			if (!vmem_span_add(vmp, start, size, false)) {
				raw_spin_unlock_irqrestore(&vmp->lock, flags);
				solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, "vmem_add",
						 "span overlaps a span of the arena",
						 caller);
				return NULL;
			}
			added = true;
			vmp->generation++;
		}
		raw_spin_unlock_irqrestore(&vmp->lock, flags);
	}
	if (!added)
		return NULL;
	vmem_wake(vmp);
	return vaddr;
}
EXPORT_SYMBOL_GPL(solcompat_vmem_add);

int solcompat_vmem_contains(solcompat_vmem_t *vmp, void *vaddr,
			    solcompat_size_t size)
{
	uintptr_t start = (uintptr_t)vaddr, end = start + size;
	struct vmem_seg *seg;
	unsigned long flags;
	int found = 0;

	if (!vmem_enter("vmem_contains", NULL, __builtin_return_address(0)) ||
	    end < start)
		return 0;
	raw_spin_lock_irqsave(&vmp->lock, flags);
	list_for_each_entry(seg, &vmp->segs, all)
		if (seg->type == VMEM_SEG_SPAN && start >= seg->start &&
		    end <= seg->end) {
			found = 1;
			break;
		}
	raw_spin_unlock_irqrestore(&vmp->lock, flags);
	return found;
}
EXPORT_SYMBOL_GPL(solcompat_vmem_contains);

solcompat_size_t solcompat_vmem_size(solcompat_vmem_t *vmp, int typemask)
{
	solcompat_size_t size = 0;
	unsigned long flags;

	if (!vmem_enter("vmem_size", NULL, __builtin_return_address(0)))
		return 0;
	raw_spin_lock_irqsave(&vmp->lock, flags);
	if (typemask & SOLCOMPAT_VMEM_ALLOC)
		size += vmp->size_alloc;
	if (typemask & SOLCOMPAT_VMEM_FREE)
		size += vmp->size_free;
	raw_spin_unlock_irqrestore(&vmp->lock, flags);
	return size;
}
EXPORT_SYMBOL_GPL(solcompat_vmem_size);

/* Create, destroy */

solcompat_vmem_t *solcompat_vmem_create(const char *name, void *base,
					solcompat_size_t size,
					solcompat_size_t quantum,
					solcompat_vmem_alloc_t *afunc,
					solcompat_vmem_free_t *ffunc,
					solcompat_vmem_t *source,
					solcompat_size_t qcache_max, int vmflag)
{
	const void *caller = __builtin_return_address(0);
	uintptr_t start = (uintptr_t)base;
	struct solcompat_vmem *vmp;
	unsigned int k;

	if (!vmem_process_only("vmem_create", caller))
		return NULL;
	if (!is_power_of_2(quantum) || ((start | size) & (quantum - 1)) ||
	    start + size < start || (!source != !afunc) ||
	    (afunc && !ffunc)) {
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, "vmem_create",
				 "bad quantum, span, or source functions",
				 caller);
		return NULL;
	}
	vmp = kzalloc(sizeof(*vmp), GFP_KERNEL);
	if (!vmp)
		return NULL;
	strscpy(vmp->name, name ? name : "");
	vmp->quantum = quantum;
	vmp->afunc = afunc;
	vmp->ffunc = ffunc;
	vmp->source = source;
	vmp->cflags = vmflag & SOLCOMPAT_VMC_FLAGS;
	raw_spin_lock_init(&vmp->lock);
	INIT_LIST_HEAD(&vmp->segs);
	for (k = 0; k < VMEM_FREELISTS; k++)
		INIT_LIST_HEAD(&vmp->freelist[k]);
	vmp->allocated = RB_ROOT;
	INIT_LIST_HEAD(&vmp->spare);
	atomic_set(&vmp->waiters, 0);
	init_waitqueue_head(&vmp->wait);
	init_irq_work(&vmp->wake_work, vmem_wake_run);
	(void)qcache_max; /* no quantum caches: see "Not supported" */
	if (size && !solcompat_vmem_add(vmp, base, size, SOLCOMPAT_VM_SLEEP)) {
		solcompat_vmem_destroy(vmp);
		return NULL;
	}
	return vmp;
}
EXPORT_SYMBOL_GPL(solcompat_vmem_create);

void solcompat_vmem_destroy(solcompat_vmem_t *vmp)
{
	const void *caller = __builtin_return_address(0);
	struct vmem_seg *seg, *tmp, *span = NULL;
	unsigned long flags;
	size_t allocated;

	if (!vmp || !vmem_process_only("vmem_destroy", caller))
		return;
	/*
	 * Segments still allocated: illumos warns and frees the arena, and
	 * their later vmem_free would write to freed memory. Here the arena
	 * is left as it was: its segments can still be freed, and a
	 * vmem_destroy once they are frees it.
	 */
	raw_spin_lock_irqsave(&vmp->lock, flags);
	allocated = vmp->size_alloc;
	raw_spin_unlock_irqrestore(&vmp->lock, flags);
	if (allocated) {
		solcompat_misuse(
			SOLCOMPAT_MISUSE_MEMORY, "vmem_destroy",
			"segments still allocated: the arena is left in place, not destroyed",
			caller);
		return;
	}
	irq_work_sync(&vmp->wake_work);
	/* Wholly free imported spans go back to the source. */
	list_for_each_entry_safe(seg, tmp, &vmp->segs, all) {
		if (seg->type == VMEM_SEG_SPAN) {
			span = seg;
			continue;
		}
		if (span && span->imported && seg->start == span->start &&
		    seg->end == span->end)
			vmp->ffunc(vmp->source, (void *)span->start,
				   seg_size(span));
	}
	list_for_each_entry_safe(seg, tmp, &vmp->segs, all)
		solcompat_kmem_free(seg, sizeof(*seg));
	list_for_each_entry_safe(seg, tmp, &vmp->spare, link)
		solcompat_kmem_free(seg, sizeof(*seg));
	kfree(vmp);
}
EXPORT_SYMBOL_GPL(solcompat_vmem_destroy);
