// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel memory (kmem_alloc, kmem_zalloc, kmem_free) and object caches
 * (kmem_cache_*) on Linux.
 *
 * Big Theory Statement
 * --------------------
 * Solaris code allocates from anywhere: KM_NOSLEEP from interrupt handlers,
 * and a DTrace-style core from places Linux's allocator must never be
 * entered (an NMI that interrupted the allocator on this CPU would deadlock
 * on its locks or corrupt its per-CPU freelists; a probe may sit on the
 * allocator itself). So the question "may I call kmalloc here?" is asked
 * on every call, by solcompat_mem_context(), and answered by the table
 * below. OpenZFS's SPL simply calls kmalloc(GFP_ATOMIC) and is wrong in
 * NMI context and on PREEMPT_RT.
 *
 *   context (solcompat_mem_context)    allocation           free
 *   SLEEP: process, may sleep          GFP_KERNEL/kvmalloc  kvfree now
 *   ATOMIC: atomic, softirq, hardirq   GFP_ATOMIC           kfree now; vmalloc'd
 *     (non-RT kernels)                                      memory deferred
 *   RAW: PREEMPT_RT with preemption    reserve              deferred
 *     or interrupts off, or hardirq
 *   NMI: NMI, or probe context         reserve              deferred
 *     (solcompat_probe_enter depth)
 *
 * PREEMPT_RT: slab locks are sleeping locks there, so kmalloc and kfree
 * must not be called from true hardirq context, with interrupts disabled,
 * or with preemption disabled. IS_ENABLED(CONFIG_PREEMPT_RT) is a
 * configuration test, not a version test: the same source is right for
 * both flavours of each kernel, and the RT rows above are taken only there.
 *
 * Buffers. Without the debug setting (the default) a buffer is the block
 * the source returned, nothing added: kmem_alloc is kmalloc plus the context
 * rules, and kmem_free finds the source from the address (inside the
 * reserve's regions, a vmalloc address, or else kmalloc). The size argument
 * is not needed then, and a wrong one goes unseen, as on illumos without
 * kmem_flags. With solcompat's module parameter kmem_debug=1 (read at load
 * and fixed from then on, as illumos reads kmem_flags at boot: every free
 * must know whether its buffer has a header), every buffer is preceded by
 * a 16-byte header: a magic word (LIVE or FREE), the origin (kmalloc,
 * vmalloc, reserve) and the size the caller asked for. kmem_free then moves
 * the magic LIVE -> FREE with cmpxchg, so of two racing frees exactly one
 * proceeds; the other, like any free of a FREE or foreign header, is
 * reported (SOLCOMPAT_MISUSE_MEMORY) and touches nothing. A size that
 * differs from the recorded one is reported and the buffer is freed with
 * the recorded size (the header is trustworthy, the argument is not). In
 * both settings a misaligned pointer, a pointer into the reserve that is
 * not a chunk, and a second free of a reserve chunk (its busy bit is
 * already clear) are reported. The header costs 16 bytes, the power-of-two
 * rounding below, and a cmpxchg per free: the bench (tools/bench.sh) showed
 * kmem_alloc+kmem_free at 2.6-3.1 times kmalloc+kfree with it, 1.3 without.
 *
 * Alignment: 16 bytes in both settings. Heap blocks up to two pages are
 * requested with a power-of-two size of at least 16 (header included),
 * which kmalloc aligns naturally (a documented guarantee, unlike the
 * alignment of its 96- and 192-byte classes); larger blocks come whole
 * pages from the page allocator or vmalloc; reserve chunks are multiples of
 * 16 bytes from a page-aligned region.
 *
 * The reserve. Per CPU and per size class, a fixed set of chunks carved at
 * module load, and one word of "busy" bits. A chunk is claimed with
 * test_and_set_bit on a bit found clear (lock-free; and ABA-free, since the
 * state of a chunk is its own bit and never a pointer that could be
 * recycled under a nested NMI), and released with test_and_clear_bit
 * from any CPU (a bit already clear is a double free). A claim tries this
 * CPU's pools from the smallest fitting class up, then the other CPUs'
 * pools. Sizing (RESERVE_CLASSES below): 64 chunks of 128 bytes, 16 of 512
 * and 4 of 4096 per CPU, about 33 KiB per CPU. The probe path itself never
 * allocates (ARCHITECTURE.md), so the reserve serves the rare NMI or
 * RT-atomic caller (a vmem segment, a small record); 84 chunks per CPU
 * cover every context class nesting on one CPU many times over. Requests
 * larger than 4096 bytes in those contexts return NULL.
 *
 * Deferred frees. Heap memory freed where Linux cannot free it is pushed
 * on a lock-free stack (the freed block itself holds the link, in its
 * first user bytes: every heap block is at least 16 bytes) and an irq_work
 * is queued; its callback takes the whole stack with one xchg and kvfrees
 * it. irq_work_queue is NMI-safe by design; on non-RT kernels the callback
 * runs in hard interrupt context right after the NMI or probe returns (where
 * vfree defers vmalloc memory by itself), on PREEMPT_RT in the per-CPU
 * irq_work thread, where freeing is allowed.
 *
 * The fast path (kmem_alloc_fast, and the head of kmem_free): without the
 * debug header, with no injected failure pending, a block of at most two
 * pages in a context that may call kmalloc with the caller's flags is
 * kmalloc of the rounded size (with __GFP_ZERO for kmem_zalloc); a block
 * in the direct map, freed where kfree may be called, is kfree'd. The
 * reserve is one vzalloc'd region, so an address in the direct map is a
 * kmalloc block (or a foreign pointer into the heap, which only kmem_debug's
 * header tells apart). "No header, no injection pending" is one word,
 * kmem_alloc_gate, and "in the direct map, no header" one comparison
 * (kmem_free_fast_ok). Every other address takes the general path, which
 * reports and leaks one that is neither in the direct map nor in vmalloc
 * space (a module's static buffer, a user address: kfree would have taken
 * a page that is not the slab's), before it reads a header or asks the
 * reserve. Each test asks only what its call needs:
 * KM_SLEEP whether the caller may sleep (solcompat_mem_may_sleep),
 * KM_NOSLEEP and the free whether the slab allocator may be called
 * (solcompat_mem_slab_ok: on a stock kernel, anywhere but NMI or probe
 * context). kmalloc gets a constant size in each of its calls there
 * (kmem_kmalloc_small), so its cache is found at compile time; when the
 * caller's size is a constant too, sys/kmem.h calls the entry for its
 * power-of-two class (solcompat_kmem_alloc_64, ...), and the class is not
 * computed at run time either, as for kmalloc(sizeof(...)) in Linux code.
 * Both kmalloc and kfree are their function's last call (KM_SLEEP asks
 * for __GFP_NOFAIL so its result needs no check), so a KM_SLEEP
 * kmem_alloc+kmem_free pair adds two context tests and two counter bumps
 * to kmalloc+kfree, and no return of its own. KM_NOSLEEP checks for NULL
 * and keeps a return, but nothing across the call: its NULL is the
 * answer. Everything else (KM_PUSHPAGE, KM_PANIC with KM_NOSLEEP, KM_SLEEP
 * where the caller may not sleep) takes the general path below.
 *
 * KM_SLEEP never returns NULL: a failed attempt sleeps a tick (cond_resched
 * after an injected failure) and retries. Requests above INT_MAX bytes
 * (kvmalloc's limit) can never succeed: they are reported and return NULL
 * rather than hang. KM_SLEEP where the caller may not sleep is reported,
 * naming the caller, and then served as KM_NOSLEEP; it never sleeps.
 * Flags: KM_NOSLEEP -> GFP_ATOMIC, with KM_NORMALPRI (KM_NOSLEEP_LAZY)
 * GFP_NOWAIT (no emergency reserves); KM_PUSHPAGE -> GFP_NOIO with
 * __GFP_HIGH (may block, may use reserves, no I/O recursion; for kvmalloc,
 * GFP_KERNEL inside a memalloc_noio scope, the form it accepts); KM_PANIC
 * panics instead of returning NULL. All requests carry __GFP_NOWARN: a
 * failed KM_NOSLEEP allocation is an expected result.
 *
 * Fault injection: solcompat_kmem_inject_failures(n) makes the next n
 * allocation attempts fail, in any context (KM_NOSLEEP returns NULL, KM_SLEEP
 * retries through them). Counters are per CPU (solcompat_kmem_stats), bumped
 * with this_cpu_inc, a single instruction that an NMI cannot tear.
 *
 * Memory ordering.
 *   - Reserve: test_and_set_bit is fully ordered, so the claimer's header
 *     and data writes follow its claim; test_and_clear_bit is too, so
 *     the next claimer sees the chunk only after the freer is done with it.
 *   - Deferral: the header's FREE transition (cmpxchg) and the push
 *     (try_cmpxchg) are fully ordered; the consumer's xchg sees whole nodes.
 *     A push followed by irq_work_queue always gets a later run of the
 *     callback: the irq_work core clears PENDING before calling it.
 *   - Counters are read without synchronisation: exact on a quiet CPU,
 *     approximate under concurrency.
 *
 * Object caches. illumos semantics: an object is built by the constructor
 * once, when the cache creates it, and is handed out and taken back in
 * constructed state; the destructor runs when the object goes back to the
 * system (kmem_cache_reap_now, kmem_cache_destroy). Each object lives in a
 * kmem buffer: [object | tag], the tag (free-list link, owning buffer,
 * cache, state magic) after the object, so the link never overwrites
 * constructed state. Free constructed objects sit on a LIFO list under a
 * per-cache lock of our own: an atomic word taken with interrupts off and
 * held for a push or a pop (no Linux lock function, so nothing traceable on
 * the probe path, and usable in hardirq on PREEMPT_RT). NMI and probe
 * callers only try the lock; a cache alloc there returns a cached object or
 * NULL and never runs a constructor (client code, not written for NMI); a
 * cache free there pushes the object on a lock-free pending stack that the
 * next locked operation merges. New objects get their memory through the
 * kmem path above, so every context is covered by one set of rules. One
 * exception to "freed objects stay cached": an object whose memory is a
 * reserve chunk (built where the slab allocator may not be called, which
 * on PREEMPT_RT is any atomic or hardirq caller) is destructed and its
 * chunk given back at its free, so caches do not keep the reserve from
 * the NMI and probe callers it is for. The destructor then runs in the
 * freeing context, as illumos's does when a free bypasses the magazines;
 * an NMI or probe-context free still queues the object (no client code
 * runs there), and a reap gives such objects back.
 *
 * Designs rejected.
 *   - Linux kmem_cache constructors: they run when a slab page is populated,
 *     for every object on it, take no private argument and no kmflag, cannot
 *     fail, and Linux has no destructor; illumos clients rely on all four.
 *   - One Linux kmem_cache under each solcompat cache: duplicate names make
 *     sysfs warn (fatal with panic_on_warn), destroying a cache with objects
 *     outstanding warns, and neither NMI nor RT-atomic callers may use it, so
 *     the reserve path would be needed anyway.
 *   - A lock-free free list of constructed objects: popping a pointer-linked
 *     stack is ABA-prone under nested NMIs; the lock is held for a few
 *     instructions with interrupts off.
 *   - A global lock plus per-CPU magazines: not needed at this layer's
 *     scale; can be added behind the same interface.
 *   - Reserve chunks linked in a free list: the same ABA problem; bitmaps
 *     have none and need no per-chunk metadata.
 *
 * Contexts:
 *   function                         process atomic hardirq nmi probe
 *   kmem_alloc/zalloc KM_NOSLEEP     yes     yes    yes     res res  (res: reserve or NULL)
 *   kmem_alloc/zalloc KM_SLEEP       yes     rep    rep     rep rep  (rep: reported, as KM_NOSLEEP)
 *   kmem_free                        yes     yes    yes     yes yes  (deferred where needed)
 *   kmem_cache_alloc KM_NOSLEEP      yes     yes    yes     cached objects only
 *   kmem_cache_free                  yes     yes    yes     yes yes
 *   kmem_cache_create/destroy/reap   yes     rep    rep     rep rep  (rep: reported, refused)
 *   kmem_cache_stat                  yes     yes    yes     no  no
 *   inject_failures, stats           yes     yes    yes     yes yes
 *
 * Probe context is what solcompat_probe_enter/exit bracket (the probe
 * core's firing path). A bare kprobe handler that does not use them is seen
 * as atomic context: Linux does not export current_kprobe.
 *
 * Not supported: cache reclaim callbacks (never called: no shrinker hook;
 * Linux's shrinker API changed in 6.7 and would need a semantic patch),
 * kmem_cache_set_move, a vmp other than NULL (refused), cache debugging
 * (redzones, audit logs; the KMC_* flags are accepted and ignored).
 * Double-free detection is reliable for reserve chunks, and with
 * kmem_debug=1 for heap blocks not yet reused by another kmem_alloc; a
 * block already handed out again cannot be told from a live one. Without
 * kmem_debug, a double free or a foreign pointer outside the reserve
 * reaches Linux's kfree (whose own debugging, slub_debug, may catch it);
 * with it, kmem_free of a pointer kmem never handed out reads the 16 bytes
 * before it.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/irq_work.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/llist.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/panic.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <impl/debug.h>
#include <impl/kmem.h>
#include "solcompat_init.h"

/* Buffers */

#define KMEM_MAGIC_LIVE 0x4b4d4c56u /* "KMLV" */
#define KMEM_MAGIC_FREE 0x4b4d4652u /* "KMFR" */

enum kmem_origin {
	KMEM_ORIGIN_KMALLOC = 1,
	KMEM_ORIGIN_VMALLOC = 2,
	KMEM_ORIGIN_RESERVE = 3,
};

struct kmem_header {
	u32 magic;
	u32 origin;
	u64 size;		/* what the caller asked for */
};
static_assert(sizeof(struct kmem_header) == SOLCOMPAT_KMEM_ALIGN);

/* kvmalloc refuses more than INT_MAX bytes. */
#define KMEM_MAX_SIZE ((size_t)INT_MAX - sizeof(struct kmem_header))

/*
 * Buffer headers (wrong-size and double-free checks): chosen at load, like
 * illumos's kmem_flags, and fixed from then on, since every free must know
 * whether its buffer has one.
 */
static bool kmem_debug __read_mostly;
module_param(kmem_debug, bool, 0444);
MODULE_PARM_DESC(kmem_debug,
		 "Give every kmem buffer a header: wrong-size frees and double frees are reported (default 0: no header)");

static __always_inline size_t kmem_header_size(void)
{
	return kmem_debug ? sizeof(struct kmem_header) : 0;
}
/* Up to this block size, kmalloc with a power-of-two size. */
#define KMEM_SMALL_MAX (2 * PAGE_SIZE)

/* Counters */

struct kmem_counters {
	unsigned long allocs, frees, heap_allocs, reserve_hits;
	unsigned long reserve_exhausted, deferred_frees, deferred_done;
	unsigned long injected_failures, failures, sleep_retries;
	unsigned long fast_allocs, fast_failures; /* kmem_alloc_fast */
};
static DEFINE_PER_CPU(struct kmem_counters, kmem_counters);
#define KMEM_COUNT(field) this_cpu_inc(kmem_counters.field)

static atomic_long_t kmem_inject_remaining = ATOMIC_LONG_INIT(0);

/*
 * The fast paths' gates, so that each asks one word. kmem_alloc_gate is
 * non-zero while the allocation fast path is off: KMEM_GATE_DEBUG with
 * kmem_debug (set at load), KMEM_GATE_INJECT while injected failures are
 * pending (set by solcompat_kmem_inject_failures, cleared by the attempt
 * that takes the last one). kmem_free_base and kmem_free_span bound the
 * free fast path: a block p with p - base < span lies in the direct map
 * (PAGE_OFFSET up to high_memory); the span is 0 (nothing qualifies) with
 * kmem_debug. high_memory only grows (memory hot-add): blocks above the
 * copy taken at load take the general path, which asks where they lie.
 */
#define KMEM_GATE_DEBUG 0
#define KMEM_GATE_INJECT 1
static unsigned long kmem_alloc_gate __read_mostly;
static unsigned long kmem_free_base __read_mostly;
static unsigned long kmem_free_span __read_mostly;

/*
 * The attempt that took the last injected failure closes the gate's
 * injection bit, unless a new injection came meanwhile: that one set the
 * count before the bit, so the count read after the clear sees it.
 */
static __always_inline void kmem_inject_drained(void)
{
	clear_bit(KMEM_GATE_INJECT, &kmem_alloc_gate);
	smp_mb__after_atomic();
	if (atomic_long_read(&kmem_inject_remaining) > 0)
		set_bit(KMEM_GATE_INJECT, &kmem_alloc_gate);
}

/* The reserve */

struct reserve_class {
	unsigned int chunk;	/* header included */
	unsigned int count;	/* per CPU, at most BITS_PER_LONG */
};

#define RESERVE_SMALL_COUNT 64
#define RESERVE_MEDIUM_COUNT 16
#define RESERVE_LARGE_COUNT 4
static_assert(RESERVE_SMALL_COUNT <= BITS_PER_LONG);

static const struct reserve_class reserve_classes[] = {
	{ 128 + sizeof(struct kmem_header), RESERVE_SMALL_COUNT },
	{ 512 + sizeof(struct kmem_header), RESERVE_MEDIUM_COUNT },
	{ 4096 + sizeof(struct kmem_header), RESERVE_LARGE_COUNT },
};
#define RESERVE_CLASSES ARRAY_SIZE(reserve_classes)

struct reserve_cpu {
	unsigned long busy[RESERVE_CLASSES];
};
static DEFINE_PER_CPU(struct reserve_cpu, reserve_cpu);
/* Per class: nr_cpu_ids * count chunks, CPU-major. */
static char *reserve_base[RESERVE_CLASSES];
/*
 * The classes share one allocation, [reserve_lo, reserve_hi): a free tests
 * that range first, and nothing but the reserve lies inside it. (With one
 * allocation per class, the range from the lowest to the highest could
 * span other kmalloc memory, whose frees then took the general path.)
 */
static char *reserve_region;
static const char *reserve_lo, *reserve_hi;

static __always_inline unsigned long reserve_full(unsigned int c)
{
	unsigned int n = reserve_classes[c].count;

	return n >= BITS_PER_LONG ? ~0UL : (1UL << n) - 1;
}

static __always_inline size_t reserve_span(unsigned int c)
{
	return (size_t)nr_cpu_ids * reserve_classes[c].count *
	       reserve_classes[c].chunk;
}

static __always_inline void *reserve_chunk(unsigned int c, unsigned int cpu,
					   unsigned int bit)
{
	size_t index = (size_t)cpu * reserve_classes[c].count + bit;

	return reserve_base[c] + index * reserve_classes[c].chunk;
}

static __always_inline void *reserve_claim(size_t total)
{
	unsigned int self = raw_smp_processor_id(), i, c;

	for (i = 0; i < nr_cpu_ids; i++) {
		unsigned int cpu = (self + i) % nr_cpu_ids;
		struct reserve_cpu *rc;

		if (!cpu_possible(cpu))
			continue;
		rc = per_cpu_ptr(&reserve_cpu, cpu);
		for (c = 0; c < RESERVE_CLASSES; c++) {
			unsigned long full = reserve_full(c), seen;
			unsigned int bit;

			if (total > reserve_classes[c].chunk ||
			    !reserve_base[c])
				continue;
			for (;;) {
				seen = READ_ONCE(rc->busy[c]);
				if ((seen & full) == full)
					break;
				bit = ffz(seen);
				if (!test_and_set_bit(bit, &rc->busy[c]))
					return reserve_chunk(c, cpu, bit);
			}
		}
	}
	return NULL;
}

/*
 * Find the pool and bit of the reserve chunk that starts at block: 1 if it
 * is one, 0 if block lies outside the reserve, -1 if inside but not at the
 * start of a chunk.
 */
static __always_inline int reserve_locate(const void *block,
					  unsigned int *class,
					  unsigned int *cpu, unsigned int *bit)
{
	unsigned int c;

	if ((const char *)block < reserve_lo ||
	    (const char *)block >= reserve_hi)
		return 0;
	for (c = 0; c < RESERVE_CLASSES; c++) {
		const char *base = reserve_base[c];
		size_t offset, index;

		if (!base || (const char *)block < base ||
		    (const char *)block >= base + reserve_span(c))
			continue;
		offset = (const char *)block - base;
		if (offset % reserve_classes[c].chunk)
			return -1;
		index = offset / reserve_classes[c].chunk;
		*class = c;
		*cpu = index / reserve_classes[c].count;
		*bit = index % reserve_classes[c].count;
		return 1;
	}
	return 0;
}

/* Deferred frees */

static struct llist_head kmem_deferred;
static struct irq_work kmem_deferred_work;

/* The link is the buffer's first bytes; the block starts before them. */
static void kmem_deferred_run(struct irq_work *work)
{
	struct llist_node *node = llist_del_all(&kmem_deferred), *next;

	while (node) {
		next = node->next;
		kvfree((char *)node - kmem_header_size());
		KMEM_COUNT(deferred_done);
		node = next;
	}
}

static __always_inline void kmem_defer(void *buf)
{
	struct llist_node *node = buf;
	struct llist_node *first = READ_ONCE(kmem_deferred.first);

	KMEM_COUNT(deferred_frees);
	do {
		node->next = first;
	} while (!try_cmpxchg(&kmem_deferred.first, &first, node));
	irq_work_queue(&kmem_deferred_work);
}

/* Allocation */

static __always_inline gfp_t kmem_gfp(int kmflag)
{
	if (kmflag & SOLCOMPAT_KM_NOSLEEP)
		return ((kmflag & SOLCOMPAT_KM_NORMALPRI) ? GFP_NOWAIT :
							    GFP_ATOMIC) |
		       __GFP_NOWARN;
	if (kmflag & SOLCOMPAT_KM_PUSHPAGE)
		return GFP_NOIO | __GFP_HIGH | __GFP_NOWARN;
	return GFP_KERNEL | __GFP_NOWARN;
}

/* What kmalloc is asked for a heap block of up to KMEM_SMALL_MAX bytes. */
static __always_inline size_t kmem_small_block(size_t total)
{
	/* Most sizes asked for are powers of two: no rounding to compute. */
	if (likely(total >= SOLCOMPAT_KMEM_ALIGN && is_power_of_2(total)))
		return total;
	return roundup_pow_of_two(max_t(size_t, total, SOLCOMPAT_KMEM_ALIGN));
}

/*
 * kmalloc of a block kmem_small_block() sized, the size a constant in each
 * call: kmalloc's size-class lookup then happens at compile time, as for
 * kmalloc(sizeof(...)) in Linux code, not in __kmalloc at run time.
 */
static __always_inline void *kmem_kmalloc_small(size_t block, gfp_t gfp)
{
	static_assert(KMEM_SMALL_MAX == 8192);
	switch (block) {
	case 16:
		return kmalloc(16, gfp);
	case 32:
		return kmalloc(32, gfp);
	case 64:
		return kmalloc(64, gfp);
	case 128:
		return kmalloc(128, gfp);
	case 256:
		return kmalloc(256, gfp);
	case 512:
		return kmalloc(512, gfp);
	case 1024:
		return kmalloc(1024, gfp);
	case 2048:
		return kmalloc(2048, gfp);
	case 4096:
		return kmalloc(4096, gfp);
	default:
		return kmalloc(8192, gfp);
	}
}

/*
 * The Linux allocator, and the other calls out of the probe-context tier
 * (the sleeping retry, the heap free): out of line and outside the tier,
 * and reached only in SLEEP or ATOMIC context, never in RAW, NMI or probe
 * context (tools/tiercheck/probe-tier.allow names them with that reason,
 * and names kmalloc and kfree themselves for the fast path).
 */
static noinline void *kmem_heap_alloc(size_t total, int kmflag, bool may_sleep)
{
	gfp_t gfp = kmem_gfp(kmflag);
	unsigned int noio = 0;
	void *block;

	if (total <= KMEM_SMALL_MAX)
		return kmalloc(kmem_small_block(total), gfp);
	if (!may_sleep)
		return kmalloc(total, gfp);
	/*
	 * kvmalloc falls back to vmalloc only for GFP_KERNEL-compatible
	 * flags: KM_PUSHPAGE's GFP_NOIO becomes a memalloc_noio scope here.
	 */
	if (kmflag & SOLCOMPAT_KM_PUSHPAGE) {
		noio = memalloc_noio_save();
		gfp |= GFP_KERNEL;
	}
	block = kvmalloc(total, gfp);
	if (kmflag & SOLCOMPAT_KM_PUSHPAGE)
		memalloc_noio_restore(noio);
	return block;
}

/* KM_PANIC's panic, in any context (nmi_panic in NMI context). */
static noinline notrace __printf(1, 2) __noreturn
	void kmem_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	solcompat_vpanic_any(fmt, ap);
}
NOKPROBE_SYMBOL(kmem_panic);

static noinline u32 kmem_heap_origin(const void *block)
{
	return is_vmalloc_addr(block) ? KMEM_ORIGIN_VMALLOC :
					KMEM_ORIGIN_KMALLOC;
}

static noinline void kmem_heap_free(void *block)
{
	kvfree(block);
}

/*
 * KM_SLEEP could not be served yet: wait a little (SLEEP context only).
 * Never silent: from the 1024th try on, say so at every power of two.
 */
static noinline void kmem_sleep_wait(bool injected, unsigned long tries,
				     const char *api, size_t size,
				     const void *caller)
{
	if (tries >= 1024 && is_power_of_2(tries))
		pr_warn("solcompat: %s(%zu, KM_SLEEP) from %pS still waiting "
			"for memory after %lu tries\n",
			api, size, caller, tries);
	if (injected)
		cond_resched();
	else
		schedule_timeout_uninterruptible(1);
}

/* One attempt: the caller's buffer, or NULL (*injected says why). */
static __always_inline void *kmem_attempt(size_t size, int kmflag,
					  enum solcompat_mem_context ctx,
					  bool *injected)
{
	size_t total = size + kmem_header_size();
	struct kmem_header *h;
	u32 origin;
	long left;

	if (unlikely(atomic_long_read(&kmem_inject_remaining) > 0)) {
		left = atomic_long_dec_if_positive(&kmem_inject_remaining);
		if (left == 0)
			kmem_inject_drained();
		if (left >= 0) {
			KMEM_COUNT(injected_failures);
			*injected = true;
			return NULL;
		}
	}
	if (ctx == SOLCOMPAT_MEM_NMI || ctx == SOLCOMPAT_MEM_RAW) {
		h = reserve_claim(total);
		if (!h) {
			KMEM_COUNT(reserve_exhausted);
			return NULL;
		}
		KMEM_COUNT(reserve_hits);
		origin = KMEM_ORIGIN_RESERVE;
	} else {
		KMEM_COUNT(heap_allocs);
		h = kmem_heap_alloc(total, kmflag, ctx == SOLCOMPAT_MEM_SLEEP);
		if (!h)
			return NULL;
		if (!kmem_debug)
			return h;
		origin = kmem_heap_origin(h);
	}
	if (!kmem_debug)
		return h;
	h->origin = origin;
	h->size = size;
	WRITE_ONCE(h->magic, KMEM_MAGIC_LIVE);
	return h + 1;
}

static notrace void *kmem_alloc_common(size_t size, int kmflag, bool zero,
				       const char *api, const void *caller)
{
	enum solcompat_mem_context ctx;
	unsigned long retries = 0;
	void *buf = NULL;
	bool injected;

	if (unlikely(size == 0))
		return NULL;
	ctx = solcompat_mem_context();
	if (!(kmflag & SOLCOMPAT_KM_NOSLEEP) && ctx != SOLCOMPAT_MEM_SLEEP) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, api,
				 "KM_SLEEP where the caller may not sleep; served as KM_NOSLEEP",
				 caller);
		kmflag |= SOLCOMPAT_KM_NOSLEEP;
	}
	if (unlikely(size > KMEM_MAX_SIZE)) {
		if (!(kmflag & SOLCOMPAT_KM_NOSLEEP))
			solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, api,
					 "size above INT_MAX can never be allocated",
					 caller);
		goto failed;
	}
	for (;;) {
		injected = false;
		buf = kmem_attempt(size, kmflag, ctx, &injected);
		if (buf || (kmflag & SOLCOMPAT_KM_NOSLEEP))
			break;
		/* KM_SLEEP, so ctx is SLEEP: waiting is allowed. */
		KMEM_COUNT(sleep_retries);
		kmem_sleep_wait(injected, ++retries, api, size, caller);
	}
	if (!buf)
		goto failed;
	KMEM_COUNT(allocs);
	if (zero)
		memset(buf, 0, size);
	return buf;
failed:
	KMEM_COUNT(failures);
	if (kmflag & SOLCOMPAT_KM_PANIC)
		kmem_panic("%s: cannot allocate %zu bytes (caller %pS)\n", api,
			   size, caller);
	return NULL;
}
NOKPROBE_SYMBOL(kmem_alloc_common);

/*
 * The common case: a block of at most KMEM_SMALL_MAX bytes straight from
 * kmalloc (zeroed by it for kmem_zalloc), in a context that may call
 * kmalloc with these flags, without the debug header and with no injected
 * failure pending. Anything else takes kmem_alloc_common.
 *
 * KM_SLEEP here adds __GFP_NOFAIL, so the result needs no check and the
 * call to kmalloc is the function's last act (a tail call: no second
 * return, no stack frame). A small GFP_KERNEL kmalloc retries inside the
 * page allocator anyway; __GFP_NOFAIL only rules out its rare NULL (an
 * OOM-killed caller), which KM_SLEEP may not return. The counter is
 * bumped first for the same reason.
 *
 * KM_NOSLEEP (and KM_NOSLEEP_LAZY) without KM_PANIC: kmalloc's NULL is
 * the answer (in a context where the slab allocator may be called the
 * general path would only try kmalloc again), so after the call only a
 * counter is touched and nothing has to be kept across it.
 *
 * One counter per outcome, bumped on the CPU that saw it: fast_allocs
 * counts the buffers handed out here (KM_SLEEP's before the call, which
 * cannot fail) and fast_failures kmalloc's NULLs; solcompat_kmem_stats
 * adds them (never subtracts) into allocs, heap_allocs and failures.
 *
 * block is the size class: a constant for the class entries
 * (solcompat_kmem_alloc_N, which take sizes 1..N here), 0 for the general
 * entries (sizes up to KMEM_SMALL_MAX, the class computed).
 */
static __always_inline void *kmem_alloc_fast(size_t size, int kmflag, bool zero,
					     size_t block, const char *api)
{
	gfp_t zgfp = zero ? __GFP_ZERO : 0;
	void *buf;

	if (unlikely(size - 1 >= (block ? block : KMEM_SMALL_MAX) ||
		     READ_ONCE(kmem_alloc_gate)))
		goto general;
	if (!block)
		block = kmem_small_block(size);
	/* KM_SLEEP with or without KM_PANIC or KM_NORMALPRI: GFP_KERNEL. */
	if (likely(!(kmflag & (SOLCOMPAT_KM_NOSLEEP | SOLCOMPAT_KM_PUSHPAGE)) &&
		   solcompat_mem_may_sleep())) {
		KMEM_COUNT(fast_allocs);
		return kmem_kmalloc_small(block, kmem_gfp(SOLCOMPAT_KM_SLEEP) |
							 zgfp | __GFP_NOFAIL);
	}
	if ((kmflag & ~SOLCOMPAT_KM_NORMALPRI) == SOLCOMPAT_KM_NOSLEEP &&
	    solcompat_mem_slab_ok()) {
		buf = kmem_kmalloc_small(
			block, kmem_gfp(SOLCOMPAT_KM_NOSLEEP |
					(kmflag & SOLCOMPAT_KM_NORMALPRI)) |
				       zgfp);
		if (likely(buf))
			KMEM_COUNT(fast_allocs);
		else
			KMEM_COUNT(fast_failures);
		return buf;
	}
general:
	return kmem_alloc_common(size, kmflag, zero, api,
				 __builtin_return_address(0));
}

notrace void *solcompat_kmem_alloc(solcompat_size_t size, int kmflag)
{
	return kmem_alloc_fast(size, kmflag, false, 0, "kmem_alloc");
}
EXPORT_SYMBOL_GPL(solcompat_kmem_alloc);
NOKPROBE_SYMBOL(solcompat_kmem_alloc);

notrace void *solcompat_kmem_zalloc(solcompat_size_t size, int kmflag)
{
	return kmem_alloc_fast(size, kmflag, true, 0, "kmem_zalloc");
}
EXPORT_SYMBOL_GPL(solcompat_kmem_zalloc);
NOKPROBE_SYMBOL(solcompat_kmem_zalloc);

/*
 * The class entries (sys/kmem.h's kmem_alloc with a constant size): the
 * fast path above with its size class a constant, so the size test is one
 * comparison and kmalloc's cache is chosen by the compiler.
 */
#define KMEM_CLASS_ENTRIES(n)                                                  \
	notrace void *solcompat_kmem_alloc_##n(solcompat_size_t size,          \
					       int kmflag)                     \
	{                                                                      \
		return kmem_alloc_fast(size, kmflag, false, n, "kmem_alloc");  \
	}                                                                      \
	EXPORT_SYMBOL_GPL(solcompat_kmem_alloc_##n);                           \
	NOKPROBE_SYMBOL(solcompat_kmem_alloc_##n);                             \
	notrace void *solcompat_kmem_zalloc_##n(solcompat_size_t size,         \
						int kmflag)                    \
	{                                                                      \
		return kmem_alloc_fast(size, kmflag, true, n, "kmem_zalloc");  \
	}                                                                      \
	EXPORT_SYMBOL_GPL(solcompat_kmem_zalloc_##n);                          \
	NOKPROBE_SYMBOL(solcompat_kmem_zalloc_##n)

KMEM_CLASS_ENTRIES(16);
KMEM_CLASS_ENTRIES(32);
KMEM_CLASS_ENTRIES(64);
KMEM_CLASS_ENTRIES(128);
KMEM_CLASS_ENTRIES(256);
KMEM_CLASS_ENTRIES(512);
KMEM_CLASS_ENTRIES(1024);
KMEM_CLASS_ENTRIES(2048);
KMEM_CLASS_ENTRIES(4096);

/* Free */

/*
 * Claim a block's header for freeing: LIVE becomes FREE, and the old magic
 * says whether it was live. On a double free the header lies in memory
 * that was already freed, and reading it is the whole point of the check,
 * so this one access is exempt from KASAN (and from the kernel model's
 * AddressSanitizer build, which reported it as a use after poison).
 */
static noinline notrace __no_sanitize_address u32
kmem_claim_header(struct kmem_header *h)
{
	/* Read first: a locked cmpxchg writes even when it fails. */
	u32 magic = READ_ONCE(h->magic);

	if (magic != KMEM_MAGIC_LIVE)
		return magic;
	return cmpxchg(&h->magic, KMEM_MAGIC_LIVE, KMEM_MAGIC_FREE);
}
NOKPROBE_SYMBOL(kmem_claim_header);

/* Does a header's origin agree with where the block lies? */
static __always_inline bool kmem_origin_matches(u32 origin, int reserve)
{
	if (reserve)
		return origin == KMEM_ORIGIN_RESERVE;
	return origin == KMEM_ORIGIN_KMALLOC || origin == KMEM_ORIGIN_VMALLOC;
}

/*
 * Could buf have come from kmem_alloc: is it in the direct map (kmalloc)
 * or in vmalloc space (kvmalloc's big blocks, the reserve)? A module's
 * static or a user address is neither, and kfree would take its page for a
 * slab's, or the deferred free would write its first word. Two range
 * comparisons, inline: the free's general path runs in NMI and probe
 * context too, where is_vmalloc_addr and virt_addr_valid (traceable calls)
 * may not be made. Not a proof: a foreign pointer into the heap, or into
 * vmalloc space (a task's stack), passes, and only kmem_debug's header
 * tells it apart.
 */
static __always_inline bool kmem_in_direct_map(const void *buf)
{
	return (unsigned long)buf - PAGE_OFFSET <
	       (unsigned long)high_memory - PAGE_OFFSET;
}

static __always_inline bool kmem_heap_address(const void *buf)
{
	unsigned long p = (unsigned long)buf;

	return kmem_in_direct_map(buf) ||
	       (p >= VMALLOC_START && p < VMALLOC_END);
}

static notrace void kmem_free_common(void *buf, size_t size, const char *api,
				     const void *caller)
{
	unsigned int class, cpu, bit;
	struct kmem_header *h;
	u32 magic, origin = 0;
	void *block = buf;
	int reserve;

	if (!buf)
		return;
	if (unlikely((uintptr_t)buf & (SOLCOMPAT_KMEM_ALIGN - 1))) {
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, api,
				 "pointer was not returned by kmem_alloc (misaligned)",
				 caller);
		return;
	}
	if (unlikely(!kmem_heap_address(buf))) {
		solcompat_misuse(
			SOLCOMPAT_MISUSE_MEMORY, api,
			"pointer was not returned by kmem_alloc (neither in the heap nor in vmalloc space); buffer leaked",
			caller);
		return;
	}
	if (kmem_debug) {
		h = (struct kmem_header *)buf - 1;
		/*
		 * In vmalloc space (outside the direct map, after
		 * kmem_heap_address) a header never starts a page: a buffer
		 * there at a page offset below the header's size is foreign,
		 * and the header's place may be the guard page of the area
		 * below. Not touched.
		 */
		if (!kmem_in_direct_map(buf) &&
		    ((unsigned long)buf & (PAGE_SIZE - 1)) < sizeof(*h))
			magic = 0;
		else
			magic = kmem_claim_header(h);
		if (unlikely(magic != KMEM_MAGIC_LIVE)) {
			solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, api,
					 magic == KMEM_MAGIC_FREE ?
						 "double free" :
						 "pointer was not returned by kmem_alloc (bad header)",
					 caller);
			return;
		}
		if (unlikely(h->size != size))
			solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, api,
					 "size differs from the allocated size; freed with the allocated size",
					 caller);
		origin = h->origin;
		block = h;
	}
	reserve = reserve_locate(block, &class, &cpu, &bit);
	if (unlikely(reserve < 0 ||
		     (kmem_debug && !kmem_origin_matches(origin, reserve)))) {
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, api,
				 "pointer was not returned by kmem_alloc (not a reserve chunk, or header origin corrupt); buffer leaked",
				 caller);
		return;
	}
	if (reserve) {
		if (unlikely(!test_and_clear_bit(
			    bit, &per_cpu_ptr(&reserve_cpu, cpu)->busy[class]))) {
			solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, api,
					 "double free", caller);
			return;
		}
		KMEM_COUNT(frees);
		return;
	}
	KMEM_COUNT(frees);
	switch (solcompat_mem_context()) {
	case SOLCOMPAT_MEM_SLEEP:
		kmem_heap_free(block);
		return;
	case SOLCOMPAT_MEM_ATOMIC:
		if (!kmem_debug)
			origin = kmem_heap_origin(block);
		if (origin == KMEM_ORIGIN_KMALLOC) {
			kmem_heap_free(block);
			return;
		}
		break;
	default:
		break;
	}
	kmem_defer(buf);
}
NOKPROBE_SYMBOL(kmem_free_common);

/*
 * Is p in the direct map, from PAGE_OFFSET to high_memory (and no
 * kmem_debug)? kmalloc's blocks are; NULL, user addresses, the kernel's
 * and modules' images and vmalloc space (the reserve included) are not.
 * kmem_free's fast path asks only this, one subtraction and comparison:
 * is_vmalloc_addr, a call on 6.12, would cost it a stack frame, so every
 * other address takes the general path, which asks where the block lies.
 * (The kernel model's direct map is its slab pools.)
 */
static __always_inline bool kmem_free_fast_ok(const void *p)
{
	return (unsigned long)p - kmem_free_base < kmem_free_span;
}

notrace void solcompat_kmem_free(void *buf, solcompat_size_t size)
{
	/*
	 * The common case: a kmalloc'd block without header, freed where
	 * kfree may be called, straight to kfree (exempt from the
	 * probe-context tier like the allocator:
	 * tools/tiercheck/probe-tier.allow). A block in the direct map
	 * came from kmalloc (the reserve lies in vmalloc space,
	 * solcompat_kmem_init); any other takes the general path.
	 */
	if (likely(kmem_free_fast_ok(buf) &&
		   !((uintptr_t)buf & (SOLCOMPAT_KMEM_ALIGN - 1)) &&
		   solcompat_mem_slab_ok())) {
		KMEM_COUNT(frees);
		kfree(buf); /* a tail call */
		return;
	}
	kmem_free_common(buf, size, "kmem_free", __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(solcompat_kmem_free);
NOKPROBE_SYMBOL(solcompat_kmem_free);

/* Injection, counters and the debug setting */

notrace int solcompat_kmem_debug(void)
{
	return kmem_debug;
}
EXPORT_SYMBOL_GPL(solcompat_kmem_debug);
NOKPROBE_SYMBOL(solcompat_kmem_debug);

notrace void solcompat_kmem_inject_failures(unsigned long n)
{
	atomic_long_set(&kmem_inject_remaining,
			(long)min_t(unsigned long, n, LONG_MAX));
	/*
	 * The count first: see kmem_inject_drained. Then the bit; if other
	 * CPUs took all n meanwhile, the last of them may have cleared the
	 * bit before it was set here: look at the count again, or the gate
	 * would stay shut (every allocation slow) with nothing pending.
	 */
	smp_mb__before_atomic();
	if (n) {
		set_bit(KMEM_GATE_INJECT, &kmem_alloc_gate);
		smp_mb__after_atomic();
		if (atomic_long_read(&kmem_inject_remaining) > 0)
			return;
	}
	kmem_inject_drained();
}
EXPORT_SYMBOL_GPL(solcompat_kmem_inject_failures);
NOKPROBE_SYMBOL(solcompat_kmem_inject_failures);

static __always_inline void kmem_stats_add(solcompat_kmem_stats_t *st,
					   const struct kmem_counters *k)
{
	unsigned long fast_failures = READ_ONCE(k->fast_failures);
	unsigned long fast_allocs = READ_ONCE(k->fast_allocs);

	st->allocs += READ_ONCE(k->allocs) + fast_allocs;
	st->frees += READ_ONCE(k->frees);
	st->heap_allocs +=
		READ_ONCE(k->heap_allocs) + fast_allocs + fast_failures;
	st->reserve_hits += READ_ONCE(k->reserve_hits);
	st->reserve_exhausted += READ_ONCE(k->reserve_exhausted);
	st->deferred_frees += READ_ONCE(k->deferred_frees);
	st->deferred_done += READ_ONCE(k->deferred_done);
	st->injected_failures += READ_ONCE(k->injected_failures);
	st->failures += READ_ONCE(k->failures) + fast_failures;
	st->sleep_retries += READ_ONCE(k->sleep_retries);
}

notrace void solcompat_kmem_stats(int cpu, solcompat_kmem_stats_t *stats)
{
	unsigned int c;

	memset(stats, 0, sizeof(*stats));
	if (cpu >= 0) {
		if (cpu < nr_cpu_ids && cpu_possible(cpu))
			kmem_stats_add(stats, per_cpu_ptr(&kmem_counters, cpu));
		return;
	}
	for (c = 0; c < nr_cpu_ids; c++)
		if (cpu_possible(c))
			kmem_stats_add(stats, per_cpu_ptr(&kmem_counters, c));
}
EXPORT_SYMBOL_GPL(solcompat_kmem_stats);
NOKPROBE_SYMBOL(solcompat_kmem_stats);

/* Object caches */

#define KMC_MAGIC_INUSE 0x4b434155u /* "KCAU" */
#define KMC_MAGIC_FREE 0x4b434646u /* "KCFF" */

struct kmc_tag {
	struct kmc_tag *next;		/* free list or pending stack */
	void *block;			/* the kmem buffer of the object */
	struct solcompat_kmem_cache *cache;
	u32 magic;
};

struct solcompat_kmem_cache {
	char name[32];
	size_t bufsize, align;
	size_t tag_offset;		/* object + tag_offset: its tag */
	size_t block_size;		/* kmem buffer size per object */
	solcompat_kmem_ctor_t ctor;
	solcompat_kmem_dtor_t dtor;
	void *private_arg;
	int cflags;
	atomic_t lock;			/* 1: held, interrupts off */
	struct kmc_tag *free_list;	/* constructed, free; under lock */
	unsigned long nfree;		/* under lock */
	struct kmc_tag *pending;	/* lock-free: frees from NMI/probe */
	atomic_long_t inuse, allocs, alloc_fail;
};

static __always_inline void *kmc_object(const struct solcompat_kmem_cache *cp,
					struct kmc_tag *t)
{
	return (char *)t - cp->tag_offset;
}

static __always_inline struct kmc_tag *
kmc_tag_of(const struct solcompat_kmem_cache *cp, void *obj)
{
	return (struct kmc_tag *)((char *)obj + cp->tag_offset);
}

static __always_inline void kmc_lock(struct solcompat_kmem_cache *cp,
				     unsigned long *flags)
{
	for (;;) {
		raw_local_irq_save(*flags);
		if (atomic_cmpxchg_acquire(&cp->lock, 0, 1) == 0)
			return;
		raw_local_irq_restore(*flags);
		while (atomic_read(&cp->lock))
			cpu_relax();
	}
}

static __always_inline bool kmc_trylock(struct solcompat_kmem_cache *cp,
					unsigned long *flags)
{
	raw_local_irq_save(*flags);
	if (atomic_cmpxchg_acquire(&cp->lock, 0, 1) == 0)
		return true;
	raw_local_irq_restore(*flags);
	return false;
}

static __always_inline void kmc_unlock(struct solcompat_kmem_cache *cp,
				       unsigned long flags)
{
	atomic_set_release(&cp->lock, 0);
	raw_local_irq_restore(flags);
}

/* An object's way back to the system: destructor, then its buffer. */
static notrace void kmc_release(struct solcompat_kmem_cache *cp,
				struct kmc_tag *t, const char *api,
				const void *caller)
{
	if (cp->dtor)
		cp->dtor(kmc_object(cp, t), cp->private_arg);
	t->cache = NULL;
	kmem_free_common(t->block, cp->block_size, api, caller);
}
NOKPROBE_SYMBOL(kmc_release);

/* Is the object's buffer a reserve chunk? */
static __always_inline bool kmc_reserve_backed(const struct kmc_tag *t)
{
	return (const char *)t->block >= reserve_lo &&
	       (const char *)t->block < reserve_hi;
}

/* Under the lock: merge the pending stack into the free list. */
static __always_inline void kmc_merge_pending(struct solcompat_kmem_cache *cp)
{
	struct kmc_tag *t = xchg(&cp->pending, NULL), *next;

	while (t) {
		next = t->next;
		t->next = cp->free_list;
		cp->free_list = t;
		cp->nfree++;
		t = next;
	}
}

/* Under the lock. */
static __always_inline struct kmc_tag *kmc_pop(struct solcompat_kmem_cache *cp)
{
	struct kmc_tag *t;

	kmc_merge_pending(cp);
	t = cp->free_list;
	if (t) {
		cp->free_list = t->next;
		cp->nfree--;
	}
	return t;
}

notrace void *solcompat_kmem_cache_alloc(solcompat_kmem_cache_t *cp, int kmflag)
{
	const void *caller = __builtin_return_address(0);
	enum solcompat_mem_context ctx = solcompat_mem_context();
	struct kmc_tag *t = NULL;
	unsigned long flags;
	void *block, *obj;

	if (!(kmflag & SOLCOMPAT_KM_NOSLEEP) && ctx != SOLCOMPAT_MEM_SLEEP) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "kmem_cache_alloc",
				 "KM_SLEEP where the caller may not sleep; served as KM_NOSLEEP",
				 caller);
		kmflag |= SOLCOMPAT_KM_NOSLEEP;
	}
	if (ctx == SOLCOMPAT_MEM_NMI) {
		if (kmc_trylock(cp, &flags)) {
			t = kmc_pop(cp);
			kmc_unlock(cp, flags);
		}
	} else {
		kmc_lock(cp, &flags);
		t = kmc_pop(cp);
		kmc_unlock(cp, flags);
	}
	if (t) {
		WRITE_ONCE(t->magic, KMC_MAGIC_INUSE);
		obj = kmc_object(cp, t);
		goto done;
	}
	if (ctx == SOLCOMPAT_MEM_NMI)
		goto failed;
	block = kmem_alloc_common(cp->block_size, kmflag, false,
				  "kmem_cache_alloc", caller);
	if (!block)
		goto failed;
	obj = PTR_ALIGN(block, cp->align);
	t = kmc_tag_of(cp, obj);
	t->next = NULL;
	t->block = block;
	t->cache = cp;
	if (cp->ctor && cp->ctor(obj, cp->private_arg, kmflag) != 0) {
		kmem_free_common(block, cp->block_size, "kmem_cache_alloc",
				 caller);
		goto failed;
	}
	WRITE_ONCE(t->magic, KMC_MAGIC_INUSE);
done:
	atomic_long_inc(&cp->inuse);
	atomic_long_inc(&cp->allocs);
	return obj;
failed:
	atomic_long_inc(&cp->alloc_fail);
	if (kmflag & SOLCOMPAT_KM_PANIC)
		kmem_panic(
			"kmem_cache_alloc: %s: cannot allocate (caller %pS)\n",
			cp->name, caller);
	return NULL;
}
EXPORT_SYMBOL_GPL(solcompat_kmem_cache_alloc);
NOKPROBE_SYMBOL(solcompat_kmem_cache_alloc);

notrace void solcompat_kmem_cache_free(solcompat_kmem_cache_t *cp, void *buf)
{
	const void *caller = __builtin_return_address(0);
	struct kmc_tag *t, *first;
	bool lockfree;
	unsigned long flags;

	if (unlikely(!buf)) {
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, "kmem_cache_free",
				 "NULL object", caller);
		return;
	}
	t = kmc_tag_of(cp, buf);
	if (unlikely(READ_ONCE(t->cache) != cp)) {
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, "kmem_cache_free",
				 "object does not belong to this cache",
				 caller);
		return;
	}
	if (unlikely(cmpxchg(&t->magic, KMC_MAGIC_INUSE, KMC_MAGIC_FREE) !=
		     KMC_MAGIC_INUSE)) {
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, "kmem_cache_free",
				 "double free", caller);
		return;
	}
	/*
	 * inuse drops only once the object is back on a list (or gone), the
	 * last touch of cp here: a kmem_cache_destroy that then sees 0 does
	 * not free the cache under this push.
	 */
	/*
	 * Lock-free where the lock may not be taken: NMI or probe context (at
	 * any level: an interrupt inside a probe's bracket queues too, which
	 * is as correct and one compare cheaper than asking the level).
	 */
	lockfree = in_nmi() || solcompat_probe_any();
	if (unlikely(kmc_reserve_backed(t)) && !lockfree) {
		/* Built in RT-atomic context: give the chunk back now. */
		kmc_release(cp, t, "kmem_cache_free", caller);
		atomic_long_dec(&cp->inuse);
		return;
	}
	if (lockfree) {
		first = READ_ONCE(cp->pending);
		do {
			t->next = first;
		} while (!try_cmpxchg(&cp->pending, &first, t));
		atomic_long_dec(&cp->inuse);
		return;
	}
	kmc_lock(cp, &flags);
	t->next = cp->free_list;
	cp->free_list = t;
	cp->nfree++;
	kmc_unlock(cp, flags);
	atomic_long_dec(&cp->inuse);
}
EXPORT_SYMBOL_GPL(solcompat_kmem_cache_free);
NOKPROBE_SYMBOL(solcompat_kmem_cache_free);

static bool kmc_process_only(const char *api, const void *caller)
{
	if (solcompat_mem_context() == SOLCOMPAT_MEM_SLEEP)
		return true;
	solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, api,
			 "may only be called from process context; refused",
			 caller);
	return false;
}

solcompat_kmem_cache_t *
solcompat_kmem_cache_create(const char *name, solcompat_size_t bufsize,
			    solcompat_size_t align, solcompat_kmem_ctor_t ctor,
			    solcompat_kmem_dtor_t dtor,
			    solcompat_kmem_reclaim_t reclaim, void *private_arg,
			    solcompat_vmem_t *vmp, int cflags)
{
	const void *caller = __builtin_return_address(0);
	struct solcompat_kmem_cache *cp;

	if (!kmc_process_only("kmem_cache_create", caller))
		return NULL;
	if (align == 0)
		align = SOLCOMPAT_KMEM_ALIGN;
	if (bufsize == 0 || bufsize > KMEM_MAX_SIZE / 2 ||
	    !is_power_of_2(align) || align > PAGE_SIZE || vmp) {
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, "kmem_cache_create",
				 "bad size or alignment, or a vmem source (unsupported)",
				 caller);
		return NULL;
	}
	cp = kzalloc(sizeof(*cp), GFP_KERNEL);
	if (!cp)
		return NULL;
	strscpy(cp->name, name ? name : "");
	cp->bufsize = bufsize;
	cp->align = max_t(size_t, align, SOLCOMPAT_KMEM_ALIGN);
	cp->tag_offset = ALIGN(bufsize, sizeof(void *));
	cp->block_size = cp->tag_offset + sizeof(struct kmc_tag) +
			 (cp->align - SOLCOMPAT_KMEM_ALIGN);
	cp->ctor = ctor;
	cp->dtor = dtor;
	cp->private_arg = private_arg;
	cp->cflags = cflags;
	atomic_set(&cp->lock, 0);
	atomic_long_set(&cp->inuse, 0);
	atomic_long_set(&cp->allocs, 0);
	atomic_long_set(&cp->alloc_fail, 0);
	(void)reclaim; /* never called: see "Not supported" above */
	return cp;
}
EXPORT_SYMBOL_GPL(solcompat_kmem_cache_create);

/* Destruct and free every cached object. */
static void kmc_reap(struct solcompat_kmem_cache *cp, const void *caller)
{
	struct kmc_tag *t, *next;
	unsigned long flags;

	kmc_lock(cp, &flags);
	kmc_merge_pending(cp);
	t = cp->free_list;
	cp->free_list = NULL;
	cp->nfree = 0;
	kmc_unlock(cp, flags);
	for (; t; t = next) {
		next = t->next;
		kmc_release(cp, t, "kmem_cache_reap", caller);
	}
}

void solcompat_kmem_cache_reap_now(solcompat_kmem_cache_t *cp)
{
	const void *caller = __builtin_return_address(0);

	if (kmc_process_only("kmem_cache_reap_now", caller))
		kmc_reap(cp, caller);
}
EXPORT_SYMBOL_GPL(solcompat_kmem_cache_reap_now);

void solcompat_kmem_cache_destroy(solcompat_kmem_cache_t *cp)
{
	const void *caller = __builtin_return_address(0);

	if (!cp || !kmc_process_only("kmem_cache_destroy", caller))
		return;
	/*
	 * inuse first, then the reap: a free lowers inuse after its object
	 * is on a list, so once it reads 0 the reap finds every object.
	 */
	if (atomic_long_read(&cp->inuse)) {
		kmc_reap(cp, caller);
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, "kmem_cache_destroy",
				 "objects still allocated; cache kept so their frees stay safe",
				 caller);
		return;
	}
	kmc_reap(cp, caller);
	kfree(cp);
}
EXPORT_SYMBOL_GPL(solcompat_kmem_cache_destroy);

solcompat_uint64_t solcompat_kmem_cache_stat(solcompat_kmem_cache_t *cp,
					     const char *name)
{
	unsigned long nfree = READ_ONCE(cp->nfree);
	long inuse = atomic_long_read(&cp->inuse);

	if (!strcmp(name, "buf_size"))
		return cp->bufsize;
	if (!strcmp(name, "align"))
		return cp->align;
	if (!strcmp(name, "buf_inuse"))
		return inuse;
	if (!strcmp(name, "buf_constructed"))
		return nfree;
	if (!strcmp(name, "buf_total"))
		return inuse + nfree;
	if (!strcmp(name, "alloc"))
		return atomic_long_read(&cp->allocs);
	if (!strcmp(name, "alloc_fail"))
		return atomic_long_read(&cp->alloc_fail);
	return 0;
}
EXPORT_SYMBOL_GPL(solcompat_kmem_cache_stat);

/* Set-up and tear-down */

int solcompat_kmem_init(void)
{
	size_t total = 0;
	unsigned int c;
	char *p;

	for (c = 0; c < RESERVE_CLASSES; c++)
		total += reserve_span(c);
	/*
	 * vzalloc, not kvzalloc: kmem_free's fast path relies on the
	 * reserve lying in vmalloc space, where no kmalloc block can.
	 */
	reserve_region = vzalloc(total);
	if (!reserve_region)
		return -ENOMEM;
	/* Chunk sizes are multiples of SOLCOMPAT_KMEM_ALIGN: so is each base. */
	p = reserve_region;
	for (c = 0; c < RESERVE_CLASSES; c++) {
		reserve_base[c] = p;
		p += reserve_span(c);
	}
	reserve_lo = reserve_region;
	reserve_hi = p;
	init_irq_work(&kmem_deferred_work, kmem_deferred_run);
	if (kmem_debug)
		set_bit(KMEM_GATE_DEBUG, &kmem_alloc_gate);
	else
		kmem_free_span = (unsigned long)high_memory - PAGE_OFFSET;
	kmem_free_base = PAGE_OFFSET;
	return 0;
}

void solcompat_kmem_fini(void)
{
	unsigned long busy = 0;
	unsigned int c, cpu;
	struct reserve_cpu *rc;

	irq_work_sync(&kmem_deferred_work);
	kmem_deferred_run(&kmem_deferred_work);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (!cpu_possible(cpu))
			continue;
		rc = per_cpu_ptr(&reserve_cpu, cpu);
		for (c = 0; c < RESERVE_CLASSES; c++)
			busy += hweight_long(rc->busy[c]);
	}
	if (busy) {
		/* Leaked by a client: keep the memory rather than free it. */
		pr_err("solcompat: kmem: %lu reserve chunks still allocated at unload\n",
		       busy);
		return;
	}
	reserve_lo = NULL;
	reserve_hi = NULL;
	for (c = 0; c < RESERVE_CLASSES; c++)
		reserve_base[c] = NULL;
	vfree(reserve_region);
	reserve_region = NULL;
}
