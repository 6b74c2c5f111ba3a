// SPDX-License-Identifier: GPL-2.0
/*
 * Aggregations: count, sum, min, max, avg, quantize and lquantize, kept
 * per CPU and merged for the consumer.
 *
 * Big Theory Statement
 * --------------------
 * An aggregation belongs to one action of one enabling. Its key is the
 * probe id and two words: the action's key and key2 variables (0 when
 * unused; an execname key fills both with the 16 bytes of comm).
 * Each CPU id has its own open-addressing table of dtag_nslots slots; a
 * slot is a header (state, probe, key) and dtag_nvals 64-bit values. The
 * firing path (dtrace_probe_ctx.c) updates only its own CPU's table, so
 * CPUs never contend; the only concurrency on a table is a firing nested
 * in another on the same CPU (an NMI), and the consumer reading.
 *
 * Slot states (dtae_state), and who moves them:
 *   FREE -> CLAIMED    a firing, by compare-and-swap: it alone owns the
 *                      slot and fills in probe, key and initial values.
 *   CLAIMED -> READY   the same firing, after membar_producer(): the
 *                      contents are complete. Values change from here on
 *                      only by atomic instructions.
 *   READY -> (none)    slots are never freed while the aggregation lives;
 *                      the whole table goes with the enabling's consumer.
 * A lookup walks the probe sequence from the key's hash: READY with the
 * key: use it; FREE: claim it; CLAIMED: skip it. That last case is a
 * nested firing finding the slot its interrupted firing is filling; it
 * cannot wait (the owner cannot run until it returns), so it goes on and
 * may claim a second slot for the same key. Duplicates are harmless: every
 * reader (peek, merge) folds all READY slots with a key, and since slots
 * only ever leave FREE, a key is never found beyond a FREE slot, so a
 * reader may stop there. A full table drops the update and counts it
 * (dtag_drops, per CPU).
 *
 * Values: count [n]; sum [s]; avg [n, s]; min/max [m] starting at the
 * identity (INT64_MAX / INT64_MIN); quantize 127 power-of-two buckets,
 * lquantize levels + 2 linear buckets (layouts in sys/dtrace_ioctl.h).
 * Merging sums every value except min/max, which take the min/max.
 *
 * Reading while firing: the merge reads READY slots with plain 64-bit
 * loads (atomic on the supported 64-bit CPUs); it is a snapshot, not a
 * consistent cut (an avg's count and sum may be one firing apart).
 * illumos switches aggregation buffers for a consistent view; a live read
 * is enough for this consumer and keeps the firing path one atomic add.
 *
 * Sizing: slots per CPU scale with the number of probes the enabling
 * matched (twice that, a power of two), at least 256 and at most 65536,
 * and at most 4 MiB of slots per CPU.
 *
 * Contexts: create/free/walk: process context; peek, update, buckets and
 * drops: any context (dtrace_probe_ctx.c, or plain loads here).
 */
#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/debug.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/dtrace_impl.h>

#define DTRACE_AGG_MINSLOTS 256
#define DTRACE_AGG_MAXSLOTS 65536
#define DTRACE_AGG_MAXBYTES (4 * 1024 * 1024)

uint32_t dtrace_aggregation_nvals(const dtrace_ioc_action_t *act)
{
	switch (act->kind) {
	case DTRACE_IOC_ACT_COUNT:
	case DTRACE_IOC_ACT_SUM:
	case DTRACE_IOC_ACT_MIN:
	case DTRACE_IOC_ACT_MAX:
		return 1;
	case DTRACE_IOC_ACT_AVG:
		return 2;
	case DTRACE_IOC_ACT_QUANTIZE:
		return DTRACE_IOC_QUANTIZE_BUCKETS;
	case DTRACE_IOC_ACT_LQUANTIZE:
		return (uint32_t)(((uint64_t)act->lq_limit -
				   (uint64_t)act->lq_base) /
				  (uint64_t)act->lq_step) +
		       2;
	default:
		return 0;
	}
}

dtrace_aggregation_t *dtrace_aggregation_create(const dtrace_ioc_action_t *act,
						uint32_t ncpu, uint32_t nprobes)
{
	dtrace_aggregation_t *agg;
	uint32_t nslots = DTRACE_AGG_MINSLOTS, cpu;
	uint64_t want = (uint64_t)nprobes * 2;

	agg = kmem_zalloc(sizeof(*agg), KM_SLEEP);
	agg->dtag_kind = act->kind;
	agg->dtag_nvals = dtrace_aggregation_nvals(act);
	agg->dtag_entsize =
		sizeof(dtrace_aggent_t) + agg->dtag_nvals * sizeof(int64_t);
	if (act->kind == DTRACE_IOC_ACT_LQUANTIZE) {
		agg->dtag_lq_base = act->lq_base;
		agg->dtag_lq_step = act->lq_step;
		agg->dtag_lq_levels = agg->dtag_nvals - 2;
	}
	while (nslots < want && nslots < DTRACE_AGG_MAXSLOTS)
		nslots *= 2;
	while (nslots > 64 &&
	       (uint64_t)nslots * agg->dtag_entsize > DTRACE_AGG_MAXBYTES)
		nslots /= 2;
	agg->dtag_nslots = nslots;
	agg->dtag_ncpu = ncpu;
	agg->dtag_cpu = kmem_zalloc(ncpu * sizeof(char *), KM_SLEEP);
	agg->dtag_drops = kmem_zalloc(ncpu * sizeof(uint64_t), KM_SLEEP);
	for (cpu = 0; cpu < ncpu; cpu++)
		agg->dtag_cpu[cpu] = kmem_zalloc(
			(size_t)nslots * agg->dtag_entsize, KM_SLEEP);
	return agg;
}

void dtrace_aggregation_free(dtrace_aggregation_t *agg)
{
	uint32_t cpu;

	if (agg == NULL)
		return;
	for (cpu = 0; cpu < agg->dtag_ncpu; cpu++)
		kmem_free(agg->dtag_cpu[cpu],
			  (size_t)agg->dtag_nslots * agg->dtag_entsize);
	kmem_free(agg->dtag_cpu, agg->dtag_ncpu * sizeof(char *));
	kmem_free((void *)agg->dtag_drops, agg->dtag_ncpu * sizeof(uint64_t));
	kmem_free(agg, sizeof(*agg));
}

uint64_t dtrace_aggregation_drops(const dtrace_aggregation_t *agg)
{
	uint64_t total = 0;
	uint32_t cpu;

	for (cpu = 0; cpu < agg->dtag_ncpu; cpu++)
		total += agg->dtag_drops[cpu];
	return total;
}

static int dtrace_aggent_cmp(const dtrace_aggent_t *a, const dtrace_aggent_t *b)
{
	if (a->dtae_probe != b->dtae_probe)
		return a->dtae_probe < b->dtae_probe ? -1 : 1;
	if (a->dtae_key[0] != b->dtae_key[0])
		return a->dtae_key[0] < b->dtae_key[0] ? -1 : 1;
	if (a->dtae_key[1] != b->dtae_key[1])
		return a->dtae_key[1] < b->dtae_key[1] ? -1 : 1;
	return 0;
}

/* Shell sort (no libc here); n is at most a few hundred thousand. */
static void dtrace_aggent_sort(const dtrace_aggent_t **v, size_t n)
{
	size_t gap, i, j;

	for (gap = 1; gap < n / 3; gap = gap * 3 + 1)
		;
	for (; gap > 0; gap /= 3) {
		for (i = gap; i < n; i++) {
			const dtrace_aggent_t *x = v[i];

			for (j = i;
			     j >= gap && dtrace_aggent_cmp(v[j - gap], x) > 0;
			     j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
	}
}

int dtrace_aggregation_walk(const dtrace_aggregation_t *agg,
			    dtrace_aggwalk_fn_t fn, void *arg)
{
	const dtrace_aggent_t **v;
	int64_t *vals;
	size_t n = 0, cap = 0, i, j;
	uint32_t cpu, s, k;
	int err = 0;

	/* Count first; slots only become READY, so a second pass finds >= n. */
	for (cpu = 0; cpu < agg->dtag_ncpu; cpu++)
		for (s = 0; s < agg->dtag_nslots; s++) {
			const dtrace_aggent_t *e =
				(const dtrace_aggent_t
					 *)(agg->dtag_cpu[cpu] +
					    (size_t)s * agg->dtag_entsize);

			if (e->dtae_state == DTRACE_AGGENT_READY)
				cap++;
		}
	if (cap == 0)
		return 0;
	v = kmem_alloc(cap * sizeof(*v), KM_SLEEP);
	vals = kmem_alloc(agg->dtag_nvals * sizeof(int64_t), KM_SLEEP);
	for (cpu = 0; cpu < agg->dtag_ncpu && n < cap; cpu++)
		for (s = 0; s < agg->dtag_nslots && n < cap; s++) {
			const dtrace_aggent_t *e =
				(const dtrace_aggent_t
					 *)(agg->dtag_cpu[cpu] +
					    (size_t)s * agg->dtag_entsize);

			if (e->dtae_state == DTRACE_AGGENT_READY)
				v[n++] = e;
		}
	membar_consumer();
	dtrace_aggent_sort(v, n);
	for (i = 0; i < n && err == 0; i = j) {
		for (k = 0; k < agg->dtag_nvals; k++)
			vals[k] = v[i]->dtae_vals[k];
		for (j = i + 1; j < n && dtrace_aggent_cmp(v[i], v[j]) == 0;
		     j++) {
			for (k = 0; k < agg->dtag_nvals; k++) {
				int64_t x = v[j]->dtae_vals[k];

				if (agg->dtag_kind == DTRACE_IOC_ACT_MIN)
					vals[k] = x < vals[k] ? x : vals[k];
				else if (agg->dtag_kind == DTRACE_IOC_ACT_MAX)
					vals[k] = x > vals[k] ? x : vals[k];
				else
					vals[k] += x;
			}
		}
		err = fn(arg, v[i]->dtae_probe, v[i]->dtae_key, vals,
			 agg->dtag_nvals);
	}
	kmem_free(vals, agg->dtag_nvals * sizeof(int64_t));
	kmem_free(v, cap * sizeof(*v));
	return err;
}
