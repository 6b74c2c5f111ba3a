// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/kmem.h (CONTRACTS.md "Memory", 2.10).
 *
 * Probe class: the cases run inside the bracket the probe core's firing
 * path uses (interrupts off, solcompat_probe_enter/exit), which is how this
 * layer recognises probe context (linux/kmem.c).
 *
 * Some cases hand state from their process run to their later runs (both
 * runners run a case's classes in the order process, atomic, hardirq, nmi,
 * probe; cases in file order): heap buffers to free in NMI, the object
 * caches. A run that finds no state skips.
 *
 * Counters: in process context the task may migrate, so deltas are taken
 * over all CPUs and only bounded from below; elsewhere the case stays on one
 * CPU and the per-CPU deltas are exact.
 */
#include <sys/atomic.h>
#include <sys/dtrace_subr.h>
#include <sys/kmem.h>
#include <sys/sunddi.h>
#include <sys/types.h>
#include <sys/x_call.h>
#include <impl/debug.h>

#include "sctest.h"

/* Run body in the probe core's firing-path bracket when the class is probe. */
#define KMEM_RUN(body)                                                         \
	do {                                                                   \
		dtrace_icookie_t kmem_cookie_ = 0;                             \
		int kmem_probe_ = SCTEST_CONTEXT() == SCTEST_PROBE;            \
		if (kmem_probe_) {                                             \
			kmem_cookie_ = dtrace_interrupt_disable();             \
			solcompat_probe_enter();                               \
		}                                                              \
		body(sctest_r);                                                \
		if (kmem_probe_) {                                             \
			solcompat_probe_exit();                                \
			dtrace_interrupt_enable(kmem_cookie_);                 \
		}                                                              \
	} while (0)

static int reserve_only(struct sctest_result *sctest_r)
{
	return SCTEST_CONTEXT() == SCTEST_NMI ||
	       SCTEST_CONTEXT() == SCTEST_PROBE;
}

static void stats(struct sctest_result *sctest_r, solcompat_kmem_stats_t *st)
{
	solcompat_kmem_stats(SCTEST_CONTEXT() == SCTEST_PROCESS ? -1 :
				     sctest_cpu_id(), st);
}

static void fill(void *p, size_t n, uchar_t v)
{
	volatile uchar_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = v;
}

/* Index of the first byte of p[0..n) that is not v, or n. */
static size_t check_fill(const void *p, size_t n, uchar_t v)
{
	const volatile uchar_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != v)
			return i;
	return n;
}

/* kmem_alloc(0) -> NULL; kmem_free(NULL, n) -> no-op. */
static void zero_and_null_body(struct sctest_result *sctest_r)
{
	unsigned long m = solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY);

	SCT_EQ(kmem_alloc(0, KM_NOSLEEP), NULL);
	SCT_EQ(kmem_zalloc(0, KM_NOSLEEP), NULL);
	if (SCTEST_CONTEXT() == SCTEST_PROCESS) {
		SCT_EQ(kmem_alloc(0, KM_SLEEP), NULL);
		SCT_EQ(kmem_zalloc(0, KM_SLEEP), NULL);
	}
	kmem_free(NULL, 0);
	kmem_free(NULL, 64);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m);
}

SCTEST_CASE(kmem, alloc_zero_and_free_null)
{
	KMEM_RUN(zero_and_null_body);
}

/*
 * KM_NOSLEEP in every context. In NMI and probe context the buffer comes
 * from the reserve and the Linux allocator is never called.
 */
static void nosleep_body(struct sctest_result *sctest_r)
{
	static const size_t sizes[] = { 1, 8, 100, 500, 4000 };
	solcompat_kmem_stats_t before, after;
	unsigned int i;
	uchar_t *p;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		stats(sctest_r, &before);
		p = kmem_alloc(sizes[i], KM_NOSLEEP);
		stats(sctest_r, &after);
		SCT_NE(p, NULL);
		fill(p, sizes[i], 0x5a);
		SCT_EQ(check_fill(p, sizes[i], 0x5a), sizes[i]);
		kmem_free(p, sizes[i]);
		SCT_GE(after.allocs, before.allocs + 1);
		if (reserve_only(sctest_r)) {
			SCT_EQ(after.heap_allocs, before.heap_allocs);
			SCT_EQ(after.reserve_hits, before.reserve_hits + 1);
		} else {
			SCT_GE(after.heap_allocs + after.reserve_hits,
			       before.heap_allocs + before.reserve_hits + 1);
		}
	}
}

SCTEST_CASE(kmem, nosleep_any_context)
{
	KMEM_RUN(nosleep_body);
}

/* Larger than any reserve chunk: NULL in NMI, still no Linux allocator. */
static void nmi_large_body(struct sctest_result *sctest_r)
{
	solcompat_kmem_stats_t before, after;

	stats(sctest_r, &before);
	SCT_EQ(kmem_alloc(8192, KM_NOSLEEP), NULL);
	stats(sctest_r, &after);
	SCT_EQ(after.heap_allocs, before.heap_allocs);
	SCT_EQ(after.reserve_exhausted, before.reserve_exhausted + 1);
	SCT_EQ(after.failures, before.failures + 1);
}

SCTEST_CASE(kmem, nmi_large_request_is_null)
{
	KMEM_RUN(nmi_large_body);
}

/* KM_SLEEP never returns NULL, large sizes included (kvmalloc). */
SCTEST_CASE(kmem, sleep_never_null)
{
	static const size_t sizes[] = { 1, 100, 4096, 3 * 4096, 65536,
					1 << 20 };
	unsigned int i;
	uchar_t *p;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = kmem_alloc(sizes[i], KM_SLEEP);
		SCT_NE(p, NULL);
		SCT_EQ((uintptr_t)p % SOLCOMPAT_KMEM_ALIGN, 0);
		fill(p, sizes[i], 0xc3);
		kmem_free(p, sizes[i]);
		p = kmem_zalloc(sizes[i], KM_SLEEP);
		SCT_NE(p, NULL);
		SCT_EQ(check_fill(p, sizes[i], 0), sizes[i]);
		kmem_free(p, sizes[i]);
	}
	p = kmem_alloc(256, KM_PUSHPAGE);
	SCT_NE(p, NULL);
	kmem_free(p, 256);
	p = kmem_alloc(1 << 20, KM_PUSHPAGE);
	SCT_NE(p, NULL);
	kmem_free(p, 1 << 20);
	p = kmem_alloc(256, KM_SLEEP | KM_PANIC);
	SCT_NE(p, NULL);
	kmem_free(p, 256);
}

/* KM_SLEEP where sleeping is not allowed: reported, served as KM_NOSLEEP. */
static void sleep_refused_body(struct sctest_result *sctest_r)
{
	unsigned long n = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	uchar_t *p;

	p = kmem_alloc(64, KM_SLEEP);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 1);
	SCT_NE(p, NULL);
	kmem_free(p, 64);
	p = kmem_zalloc(64, KM_SLEEP);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 2);
	SCT_NE(p, NULL);
	SCT_EQ(check_fill(p, 64, 0), 64);
	kmem_free(p, 64);
}

SCTEST_CASE(kmem, sleep_refused_outside_process)
{
	KMEM_RUN(sleep_refused_body);
}

/* Injected failures make KM_NOSLEEP fail, in every context. */
static void inject_nosleep_body(struct sctest_result *sctest_r)
{
	solcompat_kmem_stats_t before, after;
	void *p;

	stats(sctest_r, &before);
	solcompat_kmem_inject_failures(1);
	p = kmem_alloc(32, KM_NOSLEEP);
	stats(sctest_r, &after);
	solcompat_kmem_inject_failures(0);
	SCT_EQ(p, NULL);
	SCT_GE(after.injected_failures, before.injected_failures + 1);
	p = kmem_alloc(32, KM_NOSLEEP);
	SCT_NE(p, NULL);
	kmem_free(p, 32);
}

SCTEST_CASE(kmem, injection_fails_nosleep)
{
	KMEM_RUN(inject_nosleep_body);
}

/* ... but KM_SLEEP retries through them and succeeds. */
SCTEST_CASE(kmem, injection_does_not_fail_sleep)
{
	solcompat_kmem_stats_t before, after;
	void *p, *q;

	solcompat_kmem_stats(-1, &before);
	solcompat_kmem_inject_failures(3);
	p = kmem_alloc(32, KM_SLEEP);
	solcompat_kmem_inject_failures(2);
	q = kmem_zalloc(100000, KM_PUSHPAGE);
	solcompat_kmem_inject_failures(0);
	solcompat_kmem_stats(-1, &after);
	SCT_NE(p, NULL);
	SCT_NE(q, NULL);
	SCT_EQ(check_fill(q, 100000, 0), 100000);
	SCT_GE(after.injected_failures, before.injected_failures + 5);
	SCT_GE(after.sleep_retries, before.sleep_retries + 5);
	kmem_free(p, 32);
	kmem_free(q, 100000);
}

/* kmem_zalloc memory is zeroed, also when the memory was just dirtied. */
static void zalloc_body(struct sctest_result *sctest_r)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 100, 128, 500, 512,
					4000 };
	unsigned int i;
	uchar_t *p;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = kmem_alloc(sizes[i], KM_NOSLEEP);
		SCT_NE(p, NULL);
		fill(p, sizes[i], 0xa5);
		kmem_free(p, sizes[i]);
		p = kmem_zalloc(sizes[i], KM_NOSLEEP);
		SCT_NE(p, NULL);
		SCT_EQ(check_fill(p, sizes[i], 0), sizes[i]);
		kmem_free(p, sizes[i]);
	}
}

SCTEST_CASE(kmem, zalloc_zeroes)
{
	KMEM_RUN(zalloc_body);
}

/* Alignment: at least 8 for all sizes (this layer gives 16). */
static void alignment_body(struct sctest_result *sctest_r)
{
	size_t size;
	uchar_t *p;

	for (size = 1; size <= 4096; size++) {
		p = kmem_alloc(size, KM_NOSLEEP);
		SCT_NE(p, NULL);
		SCT_EQ((uintptr_t)p % 8, 0);
		SCT_EQ((uintptr_t)p % SOLCOMPAT_KMEM_ALIGN, 0);
		p[0] = 1;
		p[size - 1] = 2;
		kmem_free(p, size);
	}
}

SCTEST_CASE(kmem, alignment_sizes_1_to_4096)
{
	KMEM_RUN(alignment_body);
}

/*
 * The class entries, which kmem_alloc and kmem_zalloc of a constant size
 * call (solcompat_kmem_alloc_sized): entry N serves sizes 1..N on its fast
 * path and hands any other to the general one. Each is called directly
 * here with sizes inside and outside its class, so a class too small for
 * its sizes is a buffer overrun (AddressSanitizer in the model, KASAN
 * where enabled) and a wrong fallback a NULL or a misaligned buffer.
 */
typedef void *(*kmem_entry_t)(size_t, int);
static const kmem_entry_t class_entries[][2] = {
	{solcompat_kmem_alloc_16, solcompat_kmem_zalloc_16},
	{solcompat_kmem_alloc_32, solcompat_kmem_zalloc_32},
	{solcompat_kmem_alloc_64, solcompat_kmem_zalloc_64},
	{solcompat_kmem_alloc_128, solcompat_kmem_zalloc_128},
	{solcompat_kmem_alloc_256, solcompat_kmem_zalloc_256},
	{solcompat_kmem_alloc_512, solcompat_kmem_zalloc_512},
	{solcompat_kmem_alloc_1024, solcompat_kmem_zalloc_1024},
	{solcompat_kmem_alloc_2048, solcompat_kmem_zalloc_2048},
	{solcompat_kmem_alloc_4096, solcompat_kmem_zalloc_4096},
};
#define CLASS_ENTRIES (sizeof(class_entries) / sizeof(class_entries[0]))

static void class_entries_body(struct sctest_result *sctest_r)
{
	solcompat_kmem_stats_t before, after;
	unsigned int k, i, zero;
	size_t n, sizes[4];
	uchar_t *p;

	for (k = 0; k < CLASS_ENTRIES; k++) {
		n = (size_t)16 << k;
		sizes[0] = 1;
		sizes[1] = n / 2 + 1;
		sizes[2] = n;
		sizes[3] = n + 1;
		for (zero = 0; zero < 2; zero++) {
			SCT_EQ(class_entries[k][zero](0, KM_NOSLEEP), NULL);
			for (i = 0; i < 4; i++) {
				/*
				 * Above the reserve's largest chunk: NULL
				 * where the reserve serves (NMI, probe;
				 * atomic and hardirq on PREEMPT_RT).
				 */
				if (SCTEST_CONTEXT() != SCTEST_PROCESS &&
				    sizes[i] > 4096)
					continue;
				stats(sctest_r, &before);
				p = class_entries[k][zero](sizes[i],
							   KM_NOSLEEP);
				stats(sctest_r, &after);
				SCT_NE(p, NULL);
				if (!p)
					return;
				SCT_EQ((uintptr_t)p % SOLCOMPAT_KMEM_ALIGN, 0);
				SCT_GE(after.allocs, before.allocs + 1);
				if (zero)
					SCT_EQ(check_fill(p, sizes[i], 0),
					       sizes[i]);
				fill(p, sizes[i], 0x77);
				kmem_free(p, sizes[i]);
			}
		}
		if (SCTEST_CONTEXT() != SCTEST_PROCESS)
			continue;
		p = class_entries[k][1](n, KM_SLEEP);
		SCT_NE(p, NULL);
		SCT_EQ(check_fill(p, n, 0), n);
		kmem_free(p, n);
	}
}

SCTEST_CASE(kmem, class_entries_take_their_sizes)
{
	KMEM_RUN(class_entries_body);
}

/*
 * kmalloc's NULL under KM_NOSLEEP, through a class entry (a constant
 * size) and the general entry (a size in a variable): NULL, counted as a
 * failure and not as an allocation. NMI and probe context take the reserve,
 * which does not fail. Only where the runner can make the Linux allocator fail
 * (the model).
 */
static void heap_null_body(struct sctest_result *sctest_r)
{
	static volatile size_t var_size = 100;
	solcompat_kmem_stats_t before, after;
	int reserve = reserve_only(sctest_r);
	void *p, *q;

	stats(sctest_r, &before);
	if (sctest_heap_fail(1) != 0)
		SCT_SKIP("this runner cannot make the Linux allocator fail");
	p = kmem_zalloc(64, KM_NOSLEEP);
	q = kmem_alloc(var_size, KM_NOSLEEP_LAZY);
	sctest_heap_fail(0);
	stats(sctest_r, &after);
	if (reserve) {
		SCT_NE(p, NULL);
		SCT_NE(q, NULL);
		SCT_EQ(after.heap_allocs, before.heap_allocs);
	} else {
		SCT_EQ(p, NULL);
		SCT_EQ(q, NULL);
		SCT_GE(after.failures, before.failures + 2);
		SCT_GE(after.heap_allocs, before.heap_allocs + 2);
		if (SCTEST_CONTEXT() != SCTEST_PROCESS) {
			SCT_EQ(after.failures, before.failures + 2);
			SCT_EQ(after.allocs, before.allocs);
		}
	}
	kmem_free(p, 64);
	kmem_free(q, var_size);
}

SCTEST_CASE(kmem, nosleep_heap_failure_is_null)
{
	KMEM_RUN(heap_null_body);
}

/*
 * A wrong size is reported with the debug header (kmem_debug=1) and goes
 * unseen without it; either way the buffer is freed, its neighbour
 * untouched.
 */
static void wrong_size_body(struct sctest_result *sctest_r)
{
	unsigned long reported = solcompat_kmem_debug() ? 1 : 0;
	solcompat_kmem_stats_t before, after;
	unsigned long m;
	uchar_t *a, *b;

	a = kmem_alloc(48, KM_NOSLEEP);
	b = kmem_alloc(48, KM_NOSLEEP);
	SCT_NE(a, NULL);
	SCT_NE(b, NULL);
	fill(b, 48, 0x3c);
	m = solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY);
	stats(sctest_r, &before);
	kmem_free(a, 4096);
	stats(sctest_r, &after);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + reported);
	SCT_GE(after.frees, before.frees + 1);
	SCT_EQ(check_fill(b, 48, 0x3c), 48);
	kmem_free(b, 48);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + reported);
	a = kmem_alloc(48, KM_NOSLEEP);
	SCT_NE(a, NULL);
	kmem_free(a, 48);
}

SCTEST_CASE(kmem, wrong_size_free_reported)
{
	KMEM_RUN(wrong_size_body);
}

/*
 * A double free is reported and frees nothing: always for a reserve chunk
 * (NMI and probe context), for heap memory only with the debug header.
 */
static void double_free_body(struct sctest_result *sctest_r)
{
	solcompat_kmem_stats_t before, after;
	unsigned long m;
	uchar_t *p, *q;

	if (!solcompat_kmem_debug() && !reserve_only(sctest_r))
		SCT_SKIP("heap double free is caught only with kmem_debug=1 "
			 "(without the header it would reach Linux's kfree)");

	p = kmem_alloc(48, KM_NOSLEEP);
	SCT_NE(p, NULL);
	kmem_free(p, 48);
	m = solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY);
	stats(sctest_r, &before);
	kmem_free(p, 48);
	stats(sctest_r, &after);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 1);
	if (SCTEST_CONTEXT() != SCTEST_PROCESS)
		SCT_EQ(after.frees, before.frees);
	q = kmem_alloc(48, KM_NOSLEEP);
	SCT_NE(q, NULL);
	fill(q, 48, 0x11);
	SCT_EQ(check_fill(q, 48, 0x11), 48);
	kmem_free(q, 48);
}

SCTEST_CASE(kmem, double_free_reported)
{
	KMEM_RUN(double_free_body);
}

/*
 * A pointer that lies neither in the heap nor in vmalloc space (here a
 * static buffer of the test's own image: a module's in the kernel, the
 * executable's in the model) is reported and left alone, with or without
 * the debug header: kfree would have taken its page for a slab's.
 */
static uint64_t foreign_buf[8] __attribute__((__aligned__(64)));

static void foreign_free_body(struct sctest_result *sctest_r)
{
	solcompat_kmem_stats_t before, after;
	unsigned long m = solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY);

	foreign_buf[0] = 0x5eed;
	stats(sctest_r, &before);
	kmem_free(&foreign_buf[2], 32);
	kmem_free(&foreign_buf[0], sizeof(foreign_buf));
	stats(sctest_r, &after);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 2);
	SCT_EQ(after.frees, before.frees);
	SCT_EQ(foreign_buf[0], 0x5eed);
}

SCTEST_CASE(kmem, foreign_free_reported)
{
	KMEM_RUN(foreign_free_body);
}

/*
 * kmem_debug: a pointer into a big buffer, at the start of its mapping (16
 * bytes before the address kmem_alloc returned), is not a kmem buffer: its
 * header's place lies before the mapping (in the kernel, before the block).
 * Reported as a bad header, nothing freed or written; the buffer itself is
 * freed normally after.
 */
static void inner_pointer_body(struct sctest_result *sctest_r)
{
	unsigned long m = solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY);
	uchar_t *p;

	if (!solcompat_kmem_debug())
		SCT_SKIP("without the debug header such a pointer reaches "
			 "Linux's kfree");
	p = kmem_alloc(65536, KM_SLEEP);
	fill(p, 64, 0x5a);
	kmem_free(p - 16, 65536);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 1);
	SCT_EQ(check_fill(p, 64, 0x5a), 64);
	kmem_free(p, 65536);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 1);
}

SCTEST_CASE(kmem, debug_pointer_before_a_big_buffer_reported)
{
	inner_pointer_body(sctest_r);
}

/*
 * Heap memory freed in any context; in NMI and probe context the free is
 * deferred. The process run allocates the buffers the later runs free.
 */
#define HEAP_STASH_RUNS 4 /* atomic, hardirq, nmi, probe */
static void *heap_stash[HEAP_STASH_RUNS][2];
static const size_t heap_stash_sizes[2] = { 64, 65536 };

static int stash_index(unsigned int context)
{
	switch (context) {
	case SCTEST_ATOMIC: return 0;
	case SCTEST_HARDIRQ: return 1;
	case SCTEST_NMI: return 2;
	case SCTEST_PROBE: return 3;
	default: return -1;
	}
}

static void heap_free_body(struct sctest_result *sctest_r)
{
	solcompat_kmem_stats_t before, after;
	int run = stash_index(SCTEST_CONTEXT()), i;
	void *p;

	if (run < 0) {
		for (run = 0; run < HEAP_STASH_RUNS; run++)
			for (i = 0; i < 2; i++) {
				p = heap_stash[run][i];
				if (!p)
					p = kmem_alloc(heap_stash_sizes[i],
						       KM_SLEEP);
				heap_stash[run][i] = p;
				SCT_NE(p, NULL);
			}
		/* Process context frees at once. */
		p = kmem_alloc(64, KM_SLEEP);
		stats(sctest_r, &before);
		kmem_free(p, 64);
		stats(sctest_r, &after);
		SCT_GE(after.frees, before.frees + 1);
		return;
	}
	if (!heap_stash[run][0] || !heap_stash[run][1])
		SCT_SKIP("the process run of this case did not run");
	stats(sctest_r, &before);
	for (i = 0; i < 2; i++) {
		kmem_free(heap_stash[run][i], heap_stash_sizes[i]);
		heap_stash[run][i] = NULL;
	}
	stats(sctest_r, &after);
	SCT_EQ(after.frees, before.frees + 2);
	if (reserve_only(sctest_r))
		SCT_EQ(after.deferred_frees, before.deferred_frees + 2);
	else
		SCT_LE(after.deferred_frees, before.deferred_frees + 2);
}

SCTEST_CASE(kmem, heap_free_any_context)
{
	KMEM_RUN(heap_free_body);
}

/* Deferred frees complete: the deferred counter drains. */
SCTEST_CASE(kmem, deferred_frees_complete)
{
	solcompat_kmem_stats_t st;
	int tick;

	for (tick = 0; tick < 2 * hz; tick++) {
		solcompat_kmem_stats(-1, &st);
		if (st.deferred_done == st.deferred_frees)
			break;
		delay(1);
	}
	solcompat_kmem_stats(-1, &st);
	SCT_GT(st.deferred_frees, 0);
	SCT_EQ(st.deferred_done, st.deferred_frees);
}

/* The reserve runs out, says so, and recovers when chunks come back. */
#define RESERVE_HOLD_MAX 4096
static void *reserve_held[RESERVE_HOLD_MAX];

static void reserve_exhaustion_body(struct sctest_result *sctest_r)
{
	solcompat_kmem_stats_t before, after;
	int n = 0, i;
	void *p;

	stats(sctest_r, &before);
	while (n < RESERVE_HOLD_MAX && (p = kmem_alloc(100, KM_NOSLEEP)))
		reserve_held[n++] = p;
	stats(sctest_r, &after);
	for (i = 0; i < n; i++)
		kmem_free(reserve_held[i], 100);
	if (n == RESERVE_HOLD_MAX)
		SCT_SKIP("more CPUs than this case can exhaust");
	SCT_GE(n, 64); /* at least this CPU's small chunks */
	SCT_EQ(after.heap_allocs, before.heap_allocs);
	SCT_EQ(after.reserve_exhausted, before.reserve_exhausted + 1);
	SCT_EQ(after.reserve_hits, before.reserve_hits + n);
	p = kmem_alloc(100, KM_NOSLEEP);
	SCT_NE(p, NULL);
	kmem_free(p, 100);
}

SCTEST_CASE(kmem, reserve_exhaustion_and_recovery)
{
	KMEM_RUN(reserve_exhaustion_body);
}

/* KM_NOSLEEP_LAZY (KM_NOSLEEP | KM_NORMALPRI) in every context. */
static void lazy_body(struct sctest_result *sctest_r)
{
	void *p = kmem_alloc(64, KM_NOSLEEP_LAZY);

	SCT_NE(p, NULL);
	kmem_free(p, 64);
}

SCTEST_CASE(kmem, nosleep_lazy_any_context)
{
	KMEM_RUN(lazy_body);
}

/* Object caches */

#define OBJ_MAGIC 0x0bec7ed0c0ffee11ULL

struct obj {
	uint64_t magic;
	uint64_t serial;
	uint64_t state;
	char pad[40];
};

static kmem_cache_t *obj_cache;
static kmem_cache_t *fail_cache;
static int cache_private;
static volatile uint32_t ctor_calls, dtor_calls, bad_calls, fail_ctor_calls;
static volatile int ctor_last_flag = -1;

static int obj_ctor(void *buf, void *private_arg, int kmflag)
{
	struct obj *o = buf;

	if (private_arg != &cache_private)
		atomic_inc_32(&bad_calls);
	o->magic = OBJ_MAGIC;
	o->serial = atomic_inc_32_nv(&ctor_calls);
	o->state = 0;
	ctor_last_flag = kmflag;
	return 0;
}

static void obj_dtor(void *buf, void *private_arg)
{
	struct obj *o = buf;

	if (private_arg != &cache_private || o->magic != OBJ_MAGIC)
		atomic_inc_32(&bad_calls);
	o->magic = 0;
	atomic_inc_32(&dtor_calls);
}

static int failing_ctor(void *buf, void *private_arg, int kmflag)
{
	atomic_inc_32(&fail_ctor_calls);
	return -1;
}

/* Constructed state: the constructor runs once per object, not per alloc. */
SCTEST_CASE(kmem, cache_constructed_state)
{
	struct obj *o[8];
	uint32_t seen = 0;
	int i;

	if (!obj_cache)
		obj_cache = kmem_cache_create("sctest_obj", sizeof(struct obj),
					      64, obj_ctor, obj_dtor, NULL,
					      &cache_private, NULL, 0);
	SCT_NE(obj_cache, NULL);
	for (i = 0; i < 8; i++) {
		o[i] = kmem_cache_alloc(obj_cache, KM_SLEEP);
		SCT_NE(o[i], NULL);
		SCT_EQ((uintptr_t)o[i] % 64, 0);
		SCT_EQ(o[i]->magic, OBJ_MAGIC);
		o[i]->state = 1000 + i;
	}
	SCT_EQ(ctor_calls, 8);
	SCT_EQ(ctor_last_flag, KM_SLEEP);
	for (i = 0; i < 8; i++)
		kmem_cache_free(obj_cache, o[i]);
	SCT_EQ(kmem_cache_stat(obj_cache, "buf_constructed"), 8);
	SCT_EQ(kmem_cache_stat(obj_cache, "buf_inuse"), 0);
	SCT_EQ(kmem_cache_stat(obj_cache, "buf_size"), sizeof(struct obj));
	for (i = 0; i < 8; i++) {
		o[i] = kmem_cache_alloc(obj_cache, KM_SLEEP);
		SCT_NE(o[i], NULL);
		SCT_EQ(o[i]->magic, OBJ_MAGIC);
		SCT_GE(o[i]->state, 1000);
		SCT_LT(o[i]->state, 1008);
		seen |= 1u << (o[i]->state - 1000);
	}
	SCT_EQ(seen, 0xff); /* the same eight objects, as they were freed */
	SCT_EQ(ctor_calls, 8);
	SCT_EQ(dtor_calls, 0);
	for (i = 0; i < 8; i++)
		kmem_cache_free(obj_cache, o[i]);
	SCT_EQ(bad_calls, 0);
}

/* alloc(KM_NOSLEEP)/free in every context; objects arrive constructed. */
static void cache_any_body(struct sctest_result *sctest_r)
{
	uint32_t calls = ctor_calls;
	struct obj *a, *b;

	if (!obj_cache)
		SCT_SKIP("cache_constructed_state did not create the cache");
	a = kmem_cache_alloc(obj_cache, KM_NOSLEEP);
	b = kmem_cache_alloc(obj_cache, KM_NOSLEEP);
	SCT_NE(a, NULL);
	SCT_NE(b, NULL);
	SCT_NE(a, b);
	SCT_EQ(a->magic, OBJ_MAGIC);
	SCT_EQ(b->magic, OBJ_MAGIC);
	SCT_EQ((uintptr_t)a % 64, 0);
	kmem_cache_free(obj_cache, a);
	kmem_cache_free(obj_cache, b);
	SCT_EQ(ctor_calls, calls); /* cached objects: no constructor */
}

SCTEST_CASE(kmem, cache_alloc_free_any_context)
{
	KMEM_RUN(cache_any_body);
}

/*
 * A failing constructor fails the KM_NOSLEEP allocation. In NMI and probe
 * context no constructor runs: the empty cache just returns NULL.
 */
static void ctor_failure_body(struct sctest_result *sctest_r)
{
	uint32_t calls;

	if (SCTEST_CONTEXT() == SCTEST_PROCESS && !fail_cache)
		fail_cache = kmem_cache_create("sctest_fail", 32, 0,
					       failing_ctor, NULL, NULL, NULL,
					       NULL, 0);
	if (!fail_cache)
		SCT_SKIP("the process run of this case did not run");
	calls = fail_ctor_calls;
	SCT_EQ(kmem_cache_alloc(fail_cache, KM_NOSLEEP), NULL);
	if (reserve_only(sctest_r)) {
		SCT_EQ(fail_ctor_calls, calls);
	} else {
		SCT_EQ(fail_ctor_calls, calls + 1);
		SCT_EQ(kmem_cache_stat(fail_cache, "buf_total"), 0);
	}
}

SCTEST_CASE(kmem, cache_ctor_failure_fails_alloc)
{
	KMEM_RUN(ctor_failure_body);
}

/* create/destroy/reap outside process context: reported and refused. */
static void cache_refused_body(struct sctest_result *sctest_r)
{
	unsigned long n = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	struct obj *o;

	if (!obj_cache)
		SCT_SKIP("cache_constructed_state did not create the cache");
	SCT_EQ(kmem_cache_create("sctest_no", 32, 0, NULL, NULL, NULL, NULL,
				 NULL, 0), NULL);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 1);
	kmem_cache_destroy(obj_cache);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 2);
	kmem_cache_reap_now(obj_cache);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 3);
	/* Still usable; KM_SLEEP is reported and served as KM_NOSLEEP. */
	o = kmem_cache_alloc(obj_cache, KM_SLEEP);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 4);
	SCT_NE(o, NULL);
	SCT_EQ(o->magic, OBJ_MAGIC);
	kmem_cache_free(obj_cache, o);
}

SCTEST_CASE(kmem, cache_create_destroy_process_only)
{
	KMEM_RUN(cache_refused_body);
}

/* Double free and a free to the wrong cache are reported. */
static void cache_bad_free_body(struct sctest_result *sctest_r)
{
	unsigned long m = solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY);
	struct obj *o;

	if (!obj_cache || !fail_cache)
		SCT_SKIP("the caches were not created");
	o = kmem_cache_alloc(obj_cache, KM_NOSLEEP);
	SCT_NE(o, NULL);
	kmem_cache_free(fail_cache, o);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 1);
	kmem_cache_free(obj_cache, o);
	kmem_cache_free(obj_cache, o);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 2);
	o = kmem_cache_alloc(obj_cache, KM_NOSLEEP);
	SCT_NE(o, NULL);
	SCT_EQ(o->magic, OBJ_MAGIC);
	kmem_cache_free(obj_cache, o);
}

SCTEST_CASE(kmem, cache_bad_free_reported)
{
	KMEM_RUN(cache_bad_free_body);
}

/*
 * Where the cache may not call the slab allocator and has no free object
 * (PREEMPT_RT's atomic and hardirq context), it builds objects in reserve
 * chunks. Their free destructs them and gives the chunk back at once, so a
 * cache never sits on the reserve that NMI and probe callers need. Where
 * the object came from the slab allocator instead (a kernel without
 * PREEMPT_RT, the model), its free keeps it constructed on the cache.
 */
static kmem_cache_t *rsv_cache;
static volatile uint32_t rsv_ctors, rsv_dtors;

static int rsv_ctor(void *buf, void *private_arg, int kmflag)
{
	atomic_inc_32(&rsv_ctors);
	return 0;
}

static void rsv_dtor(void *buf, void *private_arg)
{
	atomic_inc_32(&rsv_dtors);
}

SCTEST_CASE(kmem, cache_gives_reserve_chunks_back)
{
	solcompat_kmem_stats_t before, after;
	uint32_t dtors;
	int n = 0, i;
	void *p;

	if (SCTEST_CONTEXT() == SCTEST_PROCESS) {
		if (!rsv_cache)
			rsv_cache = kmem_cache_create("sctest_rsv", 64, 0,
						      rsv_ctor, rsv_dtor, NULL,
						      NULL, NULL, 0);
		SCT_NE(rsv_cache, NULL);
		return;
	}
	if (!rsv_cache)
		SCT_SKIP("the process run of this case did not run");
	stats(sctest_r, &before);
	p = kmem_cache_alloc(rsv_cache, KM_NOSLEEP);
	stats(sctest_r, &after);
	SCT_NE(p, NULL);
	if (after.reserve_hits == before.reserve_hits) {
		/* A heap object (or a cached one): it stays constructed. */
		dtors = rsv_dtors;
		kmem_cache_free(rsv_cache, p);
		SCT_EQ(rsv_dtors, dtors);
		SCT_GE(kmem_cache_stat(rsv_cache, "buf_constructed"), 1);
		return;
	}
	reserve_held[n++] = p;
	while (n < RESERVE_HOLD_MAX &&
	       (p = kmem_cache_alloc(rsv_cache, KM_NOSLEEP)))
		reserve_held[n++] = p;
	for (i = 0; i < n; i++)
		kmem_cache_free(rsv_cache, reserve_held[i]);
	SCT_EQ(rsv_dtors, rsv_ctors);
	SCT_EQ(kmem_cache_stat(rsv_cache, "buf_constructed"), 0);
	p = kmem_alloc(100, KM_NOSLEEP);
	SCT_NE(p, NULL);
	kmem_free(p, 100);
}

/* Destructors run when objects go back to the system, once per object. */
SCTEST_CASE(kmem, cache_destroy_runs_destructors)
{
	unsigned long m = solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY);
	uint32_t ctors, dtors;
	kmem_cache_t *cp;
	struct obj *o[4];
	int i;

	if (!obj_cache || !fail_cache)
		SCT_SKIP("the caches were not created");
	/* reap_now destructs the cached objects; the cache stays usable. */
	kmem_cache_reap_now(obj_cache);
	SCT_EQ(dtor_calls, ctor_calls);
	SCT_EQ(kmem_cache_stat(obj_cache, "buf_constructed"), 0);
	for (i = 0; i < 4; i++) {
		o[i] = kmem_cache_alloc(obj_cache, KM_SLEEP);
		SCT_NE(o[i], NULL);
		SCT_EQ(o[i]->magic, OBJ_MAGIC);
	}
	for (i = 0; i < 4; i++)
		kmem_cache_free(obj_cache, o[i]);
	ctors = ctor_calls;
	dtors = dtor_calls;
	SCT_EQ(ctors - dtors, 4);
	kmem_cache_destroy(obj_cache);
	obj_cache = NULL;
	SCT_EQ(dtor_calls, ctors);
	kmem_cache_destroy(fail_cache);
	fail_cache = NULL;
	SCT_EQ(bad_calls, 0);
	if (rsv_cache) {
		kmem_cache_destroy(rsv_cache);
		rsv_cache = NULL;
		SCT_EQ(rsv_dtors, rsv_ctors);
	}
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m);

	/* Destroying with an object out is reported; its free stays safe. */
	cp = kmem_cache_create("sctest_leak", 24, 0, NULL, NULL, NULL, NULL,
			       NULL, 0);
	SCT_NE(cp, NULL);
	o[0] = kmem_cache_alloc(cp, KM_SLEEP);
	SCT_NE(o[0], NULL);
	kmem_cache_destroy(cp);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 1);
	kmem_cache_free(cp, o[0]);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 1);
	kmem_cache_destroy(cp);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 1);
}

SCTEST_FAMILY(kmem,
	      SCTEST_ENTRY(kmem, alloc_zero_and_free_null, SCTEST_ANY),
	      SCTEST_ENTRY(kmem, nosleep_any_context, SCTEST_ANY),
	      SCTEST_ENTRY(kmem, nmi_large_request_is_null,
			   SCTEST_NMI | SCTEST_PROBE),
	      SCTEST_ENTRY(kmem, sleep_never_null, SCTEST_PROCESS),
	      SCTEST_ENTRY(kmem, sleep_refused_outside_process, SCTEST_NOSLEEP),
	      SCTEST_ENTRY(kmem, injection_fails_nosleep, SCTEST_ANY),
	      SCTEST_ENTRY(kmem, injection_does_not_fail_sleep, SCTEST_PROCESS),
	      SCTEST_ENTRY(kmem, zalloc_zeroes, SCTEST_ANY),
	      SCTEST_ENTRY(kmem, alignment_sizes_1_to_4096, SCTEST_ANY),
	      SCTEST_ENTRY(kmem, class_entries_take_their_sizes, SCTEST_ANY),
	      SCTEST_ENTRY(kmem, nosleep_heap_failure_is_null, SCTEST_ANY),
	      SCTEST_ENTRY(kmem, wrong_size_free_reported, SCTEST_ANY),
	      SCTEST_ENTRY(kmem, double_free_reported, SCTEST_ANY),
	      SCTEST_ENTRY(kmem, foreign_free_reported, SCTEST_ANY),
	      SCTEST_ENTRY(kmem, debug_pointer_before_a_big_buffer_reported,
			   SCTEST_PROCESS),
	      SCTEST_ENTRY_ORDERED(kmem, heap_free_any_context, SCTEST_ANY),
	      SCTEST_ENTRY_ORDERED(kmem, deferred_frees_complete, SCTEST_PROCESS),
	      SCTEST_ENTRY(kmem, reserve_exhaustion_and_recovery,
			   SCTEST_NMI | SCTEST_PROBE),
	      SCTEST_ENTRY(kmem, nosleep_lazy_any_context, SCTEST_ANY),
	      SCTEST_ENTRY_ORDERED(kmem, cache_constructed_state, SCTEST_PROCESS),
	      SCTEST_ENTRY_ORDERED(kmem, cache_alloc_free_any_context, SCTEST_ANY),
	      SCTEST_ENTRY_ORDERED(kmem, cache_ctor_failure_fails_alloc, SCTEST_ANY),
	      SCTEST_ENTRY_ORDERED(kmem, cache_create_destroy_process_only,
			   SCTEST_NOSLEEP),
	      SCTEST_ENTRY_ORDERED(kmem, cache_bad_free_reported, SCTEST_ANY),
	      SCTEST_ENTRY_ORDERED(kmem, cache_gives_reserve_chunks_back,
			   SCTEST_PROCESS | SCTEST_ATOMIC | SCTEST_HARDIRQ),
	      SCTEST_ENTRY_ORDERED(kmem, cache_destroy_runs_destructors,
			   SCTEST_PROCESS));
