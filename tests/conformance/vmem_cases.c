// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/vmem.h (CONTRACTS.md "Memory": identifier
 * arenas), plus the arena behaviour the probe core and ported code rely on:
 * quantum, vmem_xalloc constraints, fit policies, import, VM_SLEEP waiting,
 * misuse reports.
 *
 * Probe class: run inside the probe core's firing-path bracket (interrupts
 * off, solcompat_probe_enter/exit), as in kmem_cases.c. The shared
 * identifier arena is created by the process run of the first case that
 * needs it and destroyed by the last case.
 */
#include <sys/atomic.h>
#include <sys/dtrace_subr.h>
#include <sys/sunddi.h>
#include <sys/taskq.h>
#include <sys/types.h>
#include <sys/vmem.h>
#include <sys/x_call.h>
#include <impl/debug.h>

#include "sctest.h"

#define VMEM_RUN(body)                                                         \
	do {                                                                   \
		dtrace_icookie_t vmem_cookie_ = 0;                             \
		int vmem_probe_ = SCTEST_CONTEXT() == SCTEST_PROBE;            \
		if (vmem_probe_) {                                             \
			vmem_cookie_ = dtrace_interrupt_disable();             \
			solcompat_probe_enter();                               \
		}                                                              \
		body(sctest_r);                                                \
		if (vmem_probe_) {                                             \
			solcompat_probe_exit();                                \
			dtrace_interrupt_enable(vmem_cookie_);                 \
		}                                                              \
	} while (0)

#define UINT32_MAX_ 0xffffffffu

static vmem_t *ids;

static vmem_t *identifier_arena(const char *name)
{
	return vmem_create(name, (void *)1, UINT32_MAX_, 1, NULL, NULL, NULL, 0,
			   VM_SLEEP | VMC_IDENTIFIER);
}

/* The probe core's use: unique ids from 1 up, reused after vmem_free. */
#define ID_COUNT 1000
static uint8_t id_seen[ID_COUNT + 1];
static uintptr_t id_all[ID_COUNT];

SCTEST_CASE(vmem, identifier_arena_unique_and_reused)
{
	vmem_t *arena = identifier_arena("sctest_ids_unique");
	uintptr_t id, *all = id_all;
	int i;

	SCT_NE(arena, NULL);
	for (i = 0; i <= ID_COUNT; i++)
		id_seen[i] = 0;
	for (i = 0; i < ID_COUNT; i++) {
		id = (uintptr_t)vmem_alloc(arena, 1, VM_BESTFIT | VM_SLEEP);
		SCT_GE(id, 1);
		SCT_LE(id, ID_COUNT); /* best fit packs them from the bottom */
		SCT_EQ(id_seen[id], 0);
		id_seen[id] = 1;
		all[i] = id;
	}
	SCT_EQ(vmem_size(arena, VMEM_ALLOC), ID_COUNT);
	SCT_EQ(vmem_size(arena, VMEM_ALLOC | VMEM_FREE), UINT32_MAX_);
	/* A freed id is the best fit for the next request. */
	vmem_free(arena, (void *)all[499], 1);
	id = (uintptr_t)vmem_alloc(arena, 1, VM_BESTFIT | VM_SLEEP);
	SCT_EQ(id, all[499]);
	vmem_free(arena, (void *)all[10], 1);
	vmem_free(arena, (void *)all[20], 1);
	id = (uintptr_t)vmem_alloc(arena, 1, VM_BESTFIT | VM_SLEEP);
	SCT_CHECK(id == all[10] || id == all[20]);
	all[id == all[10] ? 20 : 10] = 0; /* the one still free */
	for (i = 0; i < ID_COUNT; i++)
		if (all[i])
			vmem_free(arena, (void *)all[i], 1);
	SCT_EQ(vmem_size(arena, VMEM_ALLOC), 0);
	SCT_EQ(vmem_size(arena, VMEM_FREE), UINT32_MAX_);
	vmem_destroy(arena);
}

/* VM_NOSLEEP allocations and frees in the non-sleeping contexts. */
SCTEST_CASE(vmem, identifier_alloc_free_nonsleeping)
{
	uintptr_t got[16];
	size_t before;
	int i, j;

	if (SCTEST_CONTEXT() == SCTEST_PROCESS && !ids)
		ids = identifier_arena("sctest_ids");
	if (!ids)
		SCT_SKIP("the process run of this case did not run");
	before = vmem_size(ids, VMEM_ALLOC);
	for (i = 0; i < 16; i++) {
		got[i] = (uintptr_t)vmem_alloc(ids, 1, VM_BESTFIT | VM_NOSLEEP);
		SCT_GE(got[i], 1);
		for (j = 0; j < i; j++)
			SCT_NE(got[j], got[i]);
	}
	SCT_EQ(vmem_size(ids, VMEM_ALLOC), before + 16);
	for (i = 0; i < 16; i++)
		vmem_free(ids, (void *)got[i], 1);
	SCT_EQ(vmem_size(ids, VMEM_ALLOC), before);
}

/* NMI and probe context: refused with a report, nothing changes. */
static void refused_body(struct sctest_result *sctest_r)
{
	unsigned long n = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	unsigned long m = solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY);

	if (!ids)
		SCT_SKIP("the identifier arena was not created");
	SCT_EQ(vmem_alloc(ids, 1, VM_BESTFIT | VM_NOSLEEP), NULL);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 1);
	vmem_free(ids, (void *)12345, 1);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 2);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m);
}

SCTEST_CASE(vmem, refused_in_nmi_and_probe)
{
	VMEM_RUN(refused_body);
}

/* VM_SLEEP where sleeping is not allowed: reported, served as VM_NOSLEEP. */
SCTEST_CASE(vmem, sleep_refused_outside_process)
{
	unsigned long n = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	void *id;

	if (!ids)
		SCT_SKIP("the identifier arena was not created");
	id = vmem_alloc(ids, 1, VM_BESTFIT | VM_SLEEP);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 1);
	SCT_NE(id, NULL);
	vmem_free(ids, id, 1);
}

/* Quantum rounding and every vmem_xalloc constraint. */
SCTEST_CASE(vmem, quantum_and_xalloc_constraints)
{
	vmem_t *a = vmem_create("sctest_x", (void *)0x10000, 0x100000, 0x10,
				NULL, NULL, NULL, 0, VM_SLEEP);
	uintptr_t p, q, r;

	SCT_NE(a, NULL);
	p = (uintptr_t)vmem_alloc(a, 0x11, VM_SLEEP);
	SCT_NE(p, 0);
	SCT_EQ(p % 0x10, 0);
	SCT_EQ(vmem_size(a, VMEM_ALLOC), 0x20);
	/* align and phase */
	q = (uintptr_t)vmem_xalloc(a, 0x40, 0x1000, 0x10, 0, NULL, NULL,
				   VM_SLEEP);
	SCT_NE(q, 0);
	SCT_EQ((q - 0x10) % 0x1000, 0);
	/* nocross */
	r = (uintptr_t)vmem_xalloc(a, 0x800, 0x10, 0, 0x1000, NULL, NULL,
				   VM_SLEEP);
	SCT_NE(r, 0);
	SCT_EQ(r / 0x1000, (r + 0x7ff) / 0x1000);
	vmem_xfree(a, (void *)r, 0x800);
	/* minaddr / maxaddr */
	r = (uintptr_t)vmem_xalloc(a, 0x100, 0, 0, 0, (void *)0x80000,
				   (void *)0x90000, VM_SLEEP);
	SCT_GE(r, 0x80000);
	SCT_LE(r + 0x100, 0x90000);
	vmem_xfree(a, (void *)r, 0x100);
	/* impossible: a range too small for the size */
	SCT_EQ(vmem_xalloc(a, 0x1000, 0, 0, 0, (void *)0x80000,
			   (void *)0x80800, VM_NOSLEEP), NULL);
	/* all of it, then nothing is left */
	vmem_free(a, (void *)p, 0x11);
	vmem_xfree(a, (void *)q, 0x40);
	p = (uintptr_t)vmem_alloc(a, 0x100000, VM_NOSLEEP);
	SCT_EQ(p, 0x10000);
	SCT_EQ(vmem_alloc(a, 0x10, VM_NOSLEEP), NULL);
	vmem_free(a, (void *)p, 0x100000);
	SCT_EQ(vmem_size(a, VMEM_FREE), 0x100000);
	vmem_destroy(a);
}

/* VM_FIRSTFIT, VM_BESTFIT and VM_NEXTFIT choose as documented. */
SCTEST_CASE(vmem, fit_policies)
{
	vmem_t *a = vmem_create("sctest_fit", (void *)0x1000, 0x1000, 1, NULL,
				NULL, NULL, 0, VM_SLEEP);
	uintptr_t s[5], p, q;

	SCT_NE(a, NULL);
	/* [0x1000: A 0x100][B 0x20][C 0x100][D 0x10][rest] */
	s[0] = (uintptr_t)vmem_alloc(a, 0x100, VM_FIRSTFIT | VM_SLEEP);
	s[1] = (uintptr_t)vmem_alloc(a, 0x20, VM_FIRSTFIT | VM_SLEEP);
	s[2] = (uintptr_t)vmem_alloc(a, 0x100, VM_FIRSTFIT | VM_SLEEP);
	s[3] = (uintptr_t)vmem_alloc(a, 0x10, VM_FIRSTFIT | VM_SLEEP);
	s[4] = (uintptr_t)vmem_alloc(a, 0x100, VM_FIRSTFIT | VM_SLEEP);
	SCT_EQ(s[0], 0x1000);
	SCT_EQ(s[1], 0x1100);
	SCT_EQ(s[3], 0x1220);
	/* Holes: 0x20 at 0x1100 (lower), 0x10 at 0x1220 (smaller). */
	vmem_free(a, (void *)s[1], 0x20);
	vmem_free(a, (void *)s[3], 0x10);
	p = (uintptr_t)vmem_alloc(a, 0x10, VM_FIRSTFIT | VM_SLEEP);
	SCT_EQ(p, 0x1100);
	vmem_free(a, (void *)p, 0x10);
	p = (uintptr_t)vmem_alloc(a, 0x10, VM_BESTFIT | VM_SLEEP);
	SCT_EQ(p, 0x1220);
	vmem_free(a, (void *)p, 0x10);
	/* Next fit moves on instead of reusing what was just freed. */
	p = (uintptr_t)vmem_alloc(a, 0x10, VM_NEXTFIT | VM_SLEEP);
	vmem_free(a, (void *)p, 0x10);
	q = (uintptr_t)vmem_alloc(a, 0x10, VM_NEXTFIT | VM_SLEEP);
	SCT_GT(q, p);
	vmem_free(a, (void *)q, 0x10);
	vmem_free(a, (void *)s[0], 0x100);
	vmem_free(a, (void *)s[2], 0x100);
	vmem_free(a, (void *)s[4], 0x100);
	SCT_EQ(vmem_size(a, VMEM_ALLOC), 0);
	SCT_EQ(vmem_size(a, VMEM_FREE), 0x1000);
	vmem_destroy(a);
}

/* An arena imports spans from its source and gives free ones back. */
SCTEST_CASE(vmem, import_from_source)
{
	vmem_t *src = vmem_create("sctest_src", (void *)0x100000, 0x100000,
				  0x1000, NULL, NULL, NULL, 0, VM_SLEEP);
	vmem_t *child;
	uintptr_t p, q;

	SCT_NE(src, NULL);
	child = vmem_create("sctest_child", NULL, 0, 0x10, vmem_alloc,
			    vmem_free, src, 0, VM_SLEEP);
	SCT_NE(child, NULL);
	p = (uintptr_t)vmem_alloc(child, 0x100, VM_SLEEP);
	SCT_GE(p, 0x100000);
	SCT_LT(p, 0x200000);
	SCT_GE(vmem_size(src, VMEM_ALLOC), 0x1000);
	SCT_CHECK(vmem_contains(child, (void *)p, 0x100));
	q = (uintptr_t)vmem_alloc(child, 0x3000, VM_SLEEP);
	SCT_NE(q, 0);
	vmem_free(child, (void *)p, 0x100);
	vmem_free(child, (void *)q, 0x3000);
	SCT_EQ(vmem_size(src, VMEM_ALLOC), 0);
	SCT_CHECK(!vmem_contains(child, (void *)p, 0x100));
	vmem_destroy(child);
	vmem_destroy(src);
}

/*
 * One block from an arena of quantum q that imports from a source span
 * [base, base + span) of quantum sq: it must come (aligned and phased as
 * asked) from the first import, and go back with it. vmem_alloc when
 * there is no phase, vmem_xalloc otherwise.
 */
static void import_one(struct sctest_result *sctest_r, uintptr_t base,
		       size_t span, size_t sq, size_t q, size_t size,
		       size_t align, size_t phase)
{
	vmem_t *src = vmem_create("sctest_import_src", (void *)base, span, sq,
				  NULL, NULL, NULL, 0, VM_SLEEP);
	vmem_t *child;
	uintptr_t p;

	SCT_NE(src, NULL);
	child = vmem_create("sctest_import_child", NULL, 0, q, vmem_alloc,
			    vmem_free, src, 0, VM_SLEEP);
	SCT_NE(child, NULL);
	if (phase)
		p = (uintptr_t)vmem_xalloc(child, size, align, phase, 0, NULL,
					   NULL, VM_NOSLEEP);
	else
		p = (uintptr_t)vmem_alloc(child, size, VM_NOSLEEP);
	SCT_NE(p, 0);
	SCT_EQ(p & (align - 1), phase);
	SCT_GE(p, base);
	SCT_LE(p + size, base + span);
	if (phase)
		vmem_xfree(child, (void *)p, size);
	else
		vmem_free(child, (void *)p, size);
	SCT_EQ(vmem_size(child, VMEM_ALLOC), 0);
	SCT_EQ(vmem_size(src, VMEM_ALLOC), 0);
	vmem_destroy(child);
	vmem_destroy(src);
}

/*
 * A source whose quantum is finer than the arena's hands out spans that
 * need not start on the arena's quantum: the import asks for enough more
 * that an aligned block still fits, and the span goes back whole.
 */
SCTEST_CASE(vmem, import_from_finer_source)
{
	import_one(sctest_r, 0x100008, 0x10000, 0x8, 0x1000, 0x1000, 0x1000, 0);
}

/*
 * A source with a coarser quantum, and a phase it does not share: the
 * import still covers the request's alignment beyond the arena's quantum.
 */
SCTEST_CASE(vmem, import_from_coarser_source_with_phase)
{
	import_one(sctest_r, 0x200000, 0x100000, 0x2000, 0x1000, 0x2000, 0x2000,
		   0x1000);
}

/* VM_SLEEP waits for a free (made by a task queue thread here). */
static vmem_t *wait_arena;
static volatile uint32_t wait_freed;

static void free_later(void *arg)
{
	delay(2);
	atomic_inc_32(&wait_freed);
	vmem_free(wait_arena, arg, 1);
}

SCTEST_CASE(vmem, sleep_waits_for_free)
{
	taskq_t *tq;
	uintptr_t got[4], id;
	uint32_t freed;
	int i;

	wait_arena = vmem_create("sctest_wait", (void *)1, 4, 1, NULL, NULL,
				 NULL, 0, VM_SLEEP);
	SCT_NE(wait_arena, NULL);
	for (i = 0; i < 4; i++)
		got[i] = (uintptr_t)vmem_alloc(wait_arena, 1, VM_SLEEP);
	SCT_EQ(vmem_alloc(wait_arena, 1, VM_NOSLEEP), NULL);
	tq = taskq_create("sctest_vmem", 1, 0, 1, 4, 0);
	SCT_NE(tq, NULL);
	wait_freed = 0;
	if (taskq_dispatch(tq, free_later, (void *)got[2], TQ_SLEEP) == 0) {
		taskq_destroy(tq);
		SCT_CHECK(!"taskq_dispatch refused the freeing task");
	}
	id = (uintptr_t)vmem_alloc(wait_arena, 1, VM_SLEEP);
	freed = wait_freed;
	/* The task is done with the arena before any check can return. */
	taskq_wait(tq);
	taskq_destroy(tq);
	SCT_EQ(freed, 1);
	SCT_EQ(id, got[2]);
	for (i = 0; i < 4; i++)
		vmem_free(wait_arena, (void *)got[i], 1);
	vmem_destroy(wait_arena);
	wait_arena = NULL;
}

/*
 * A VM_SLEEP request that no free could ever serve, with memory allocated
 * (so that a free is possible): larger than each of two adjacent spans
 * (they never merge), or bounded to addresses outside every span; and one
 * whose source refuses every import, in an arena with nothing allocated.
 * Each is reported and fails, not a wait for ever (the source's own
 * refusals of the child's two imports are reported too).
 */
SCTEST_CASE(vmem, sleep_that_no_free_could_serve_fails)
{
	unsigned long m = solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY);
	vmem_t *a = vmem_create("sctest_never", (void *)0x1000, 0x100, 0x10,
				NULL, NULL, NULL, 0, VM_SLEEP);
	vmem_t *src, *child;
	void *p, *big, *far, *imported;

	SCT_NE(a, NULL);
	SCT_EQ(vmem_add(a, (void *)0x1100, 0x100, VM_SLEEP), (void *)0x1100);
	p = vmem_alloc(a, 0x10, VM_SLEEP);
	big = vmem_alloc(a, 0x180, VM_SLEEP);
	far = vmem_xalloc(a, 0x10, 0, 0, 0, (void *)0x10000, NULL, VM_SLEEP);
	vmem_free(a, p, 0x10);
	vmem_destroy(a);
	SCT_NE(p, NULL);
	SCT_EQ(big, NULL);
	SCT_EQ(far, NULL);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 2);

	src = vmem_create("sctest_small", (void *)0x100000, 0x1000, 0x1000,
			  NULL, NULL, NULL, 0, VM_SLEEP);
	SCT_NE(src, NULL);
	child = vmem_create("sctest_big", NULL, 0, 0x10, vmem_alloc, vmem_free,
			    src, 0, VM_SLEEP);
	SCT_NE(child, NULL);
	imported = vmem_alloc(child, 0x2000, VM_SLEEP);
	vmem_destroy(child);
	vmem_destroy(src);
	SCT_EQ(imported, NULL);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 5);
}

/* Bad frees, an overlapping span and a leaky destroy are reported. */
SCTEST_CASE(vmem, misuse_reported)
{
	unsigned long m = solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY);
	vmem_t *a = vmem_create("sctest_bad", (void *)0x1000, 0x1000, 0x10,
				NULL, NULL, NULL, 0, VM_SLEEP);
	uintptr_t p;

	SCT_NE(a, NULL);
	p = (uintptr_t)vmem_alloc(a, 0x40, VM_SLEEP);
	SCT_NE(p, 0);
	vmem_free(a, (void *)(p + 0x10), 0x30); /* not an allocation */
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 1);
	vmem_free(a, (void *)p, 0x20); /* wrong size: freed whole */
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 2);
	vmem_free(a, (void *)p, 0x40); /* double free */
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 3);
	SCT_EQ(vmem_size(a, VMEM_ALLOC), 0);
	SCT_EQ(vmem_add(a, (void *)0x1800, 0x1000, VM_SLEEP), NULL);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 4);
	SCT_EQ(vmem_add(a, (void *)0x4000, 0x1000, VM_SLEEP), (void *)0x4000);
	SCT_CHECK(vmem_contains(a, (void *)0x4800, 0x100));
	SCT_CHECK(!vmem_contains(a, (void *)0x2800, 0x100));
	SCT_EQ(vmem_size(a, VMEM_FREE), 0x2000);
	p = (uintptr_t)vmem_alloc(a, 0x10, VM_SLEEP);
	SCT_NE(p, 0);
	vmem_destroy(a); /* p still allocated: the arena stays */
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 5);
	SCT_EQ(vmem_size(a, VMEM_ALLOC), 0x10);
	vmem_free(a, (void *)p, 0x10);
	SCT_EQ(vmem_size(a, VMEM_ALLOC), 0);
	vmem_destroy(a); /* now it goes */
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 5);
	SCT_EQ(vmem_create("sctest_q", NULL, 0, 3, NULL, NULL, NULL, 0,
			   VM_SLEEP), NULL);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m + 6);
}

/* The last case: the shared identifier arena goes away with nothing out. */
SCTEST_CASE(vmem, identifier_arena_destroyed)
{
	unsigned long m = solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY);

	if (!ids)
		SCT_SKIP("the identifier arena was not created");
	SCT_EQ(vmem_size(ids, VMEM_ALLOC), 0);
	vmem_destroy(ids);
	ids = NULL;
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), m);
}

/*
 * The cases on the shared identifier arena `ids` depend on each other's
 * state (created by the process run of the second, destroyed by the
 * last): ordered, so runner 1 runs them together, in this order.
 */
SCTEST_FAMILY(
	vmem,
	SCTEST_ENTRY(vmem, identifier_arena_unique_and_reused, SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(vmem, identifier_alloc_free_nonsleeping,
			     SCTEST_PROCESS | SCTEST_ATOMIC | SCTEST_HARDIRQ),
	SCTEST_ENTRY_ORDERED(vmem, refused_in_nmi_and_probe,
			     SCTEST_NMI | SCTEST_PROBE),
	SCTEST_ENTRY_ORDERED(vmem, sleep_refused_outside_process,
			     SCTEST_ATOMIC | SCTEST_HARDIRQ),
	SCTEST_ENTRY(vmem, quantum_and_xalloc_constraints, SCTEST_PROCESS),
	SCTEST_ENTRY(vmem, fit_policies, SCTEST_PROCESS),
	SCTEST_ENTRY(vmem, import_from_source, SCTEST_PROCESS),
	SCTEST_ENTRY(vmem, import_from_finer_source, SCTEST_PROCESS),
	SCTEST_ENTRY(vmem, import_from_coarser_source_with_phase,
		     SCTEST_PROCESS),
	SCTEST_ENTRY(vmem, sleep_waits_for_free, SCTEST_PROCESS),
	SCTEST_ENTRY(vmem, misuse_reported, SCTEST_PROCESS),
	SCTEST_ENTRY(vmem, sleep_that_no_free_could_serve_fails,
		     SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(vmem, identifier_arena_destroyed, SCTEST_PROCESS));
