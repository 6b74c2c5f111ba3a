// SPDX-License-Identifier: GPL-2.0
/*
 * The firing path: dtrace_probe() and everything it calls.
 *
 * Big Theory Statement
 * --------------------
 * This file is the probe-context tier. Its functions may run on any CPU in
 * any context (process, atomic, hardirq, NMI, and nested inside another
 * firing on the same CPU), so they obey these rules, which the 2011 port
 * learned one panic at a time:
 *   - no allocation, no lock of any kind, no sleeping, no cross-call;
 *   - no call to anything traceable: every function here is PROBE_CONTEXT
 *     (not instrumented) and PROBE_CONTEXT_SYMBOL (no kprobe may be put
 *     on it: a probe there would recurse), and the only calls leaving
 *     the file go to the solcompat entry points in
 *     probes/probe_context.allow (interrupt disable/enable, probe
 *     enter/exit, CPU id, gethrtime, pid, comm), which solcompat.ko marks
 *     notrace and NOKPROBE. Atomics and fences are inline single
 *     instructions (sys/atomic.h);
 *   - everything read here (the probe table, probes, ECBs, consumers,
 *     buffers, aggregations) is freed by process context only after
 *     dtrace_sync(), which waits for every CPU to leave the
 *     solcompat_probe_enter()/exit() bracket this path runs in.
 *
 * Firing, step by step:
 *   1. dtrace_interrupt_disable(): a timer cannot interrupt the firing
 *      (CONTRACTS.md 2.6: an fbt probe arrives with interrupts on). The
 *      cookie nests, so a firing inside a hardirq or NMI leaves them off.
 *   2. solcompat_probe_enter(): dtrace_sync() now waits for us.
 *   3. Re-entrancy guard: dtrace_cpu[cpu].dtcpu_depth counts the firings in
 *      progress on this CPU. Only an NMI (or a probe placed in code this
 *      path calls, which the rules above exclude) can interrupt a firing
 *      once interrupts are off, and it runs to completion before the
 *      interrupted firing resumes, so a plain per-CPU counter is exact:
 *      each level saves the value it saw and restores it. A firing at
 *      depth >= DTRACE_MAX_NESTING is dropped and counted (dtcpu_nested_
 *      drops); below that, a nested firing is processed in full.
 *   4. For each ECB on the probe whose consumer is ACTIVE, run the
 *      enabling's actions: a trace record into this CPU's principal
 *      buffer of that consumer, or an aggregation update in this CPU's
 *      table of that aggregation.
 *   5. Undo 3, 2, 1.
 *
 * Why nesting never corrupts and never loses the outer firing's data: a
 * nested firing shares no scratch space with the one it interrupted (all
 * temporaries are on the stack); buffer space is reserved with one
 * compare-and-swap on a cursor (dtrace_buffer_reserve), so the outer and
 * the nested firing get disjoint records, whichever reserves first; and
 * aggregation values change only through atomic read-modify-write
 * instructions, so an update interrupted half-way cannot lose the nested
 * one or vice versa. Aggregation slots are claimed with a compare-and-swap
 * and published when complete (see dtrace_aggregate.c for the slot states
 * and why a nested firing may create a duplicate slot for a key, which
 * the merge folds).
 *
 * Memory ordering: process context publishes an object before linking it
 * (membar_producer), so a firing that reads the link sees the contents;
 * a consumer's buffers are set before its activity becomes ACTIVE. All
 * other sharing is within one CPU (NMI nesting), where only compiler
 * ordering matters; the volatile accesses provide it.
 *
 * Context: every function in this file: Any context.
 */
#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/cpuvar.h>
#include <sys/debug.h>
#include <sys/dtrace_subr.h>
#include <sys/sunddi.h>
#include <sys/time.h>
#include <sys/x_call.h>
#include <sys/dtrace_impl.h>

dtrace_cpu_t dtrace_cpu[NCPU];

/* dtrace_trace clears comm with two 8-byte stores. */
CTASSERT(__builtin_offsetof(dtrace_ioc_trace_rec_t, comm) % 8 == 0);

/* Reserve len bytes in the principal buffer; see dtrace_buffer.c. */
PROBE_CONTEXT void *dtrace_buffer_reserve(dtrace_buffer_t *buf, uint64_t len)
{
	uint64_t cur, off;

	for (;;) {
		cur = buf->dtb_cursor;
		off = cur & DTRACE_CURSOR_OFFSET;
		if (off + len > buf->dtb_size) {
			atomic_inc_64(&buf->dtb_drops);
			return NULL;
		}
		/* Fails only if a nested firing reserved in between. */
		if (atomic_cas_64(&buf->dtb_cursor, cur, cur + len) == cur)
			return buf->dtb_data[cur >> 63] + off;
	}
}
PROBE_CONTEXT_SYMBOL(dtrace_buffer_reserve);

PROBE_CONTEXT uint32_t dtrace_quantize_bucket(int64_t value)
{
	uint64_t mag;
	uint32_t log2;

	if (value == 0)
		return DTRACE_IOC_QUANTIZE_ZERO;
	if (value > 0) {
		log2 = 63 - __builtin_clzll((uint64_t)value);
		return DTRACE_IOC_QUANTIZE_ZERO + 1 + log2;
	}
	mag = -(uint64_t)value;
	log2 = 63 - __builtin_clzll(mag);
	return log2 >= 62 ? 0 : 62 - log2;
}
PROBE_CONTEXT_SYMBOL(dtrace_quantize_bucket);

PROBE_CONTEXT uint32_t dtrace_lquantize_bucket(const dtrace_aggregation_t *agg,
					       int64_t value)
{
	uint64_t level;

	if (value < agg->dtag_lq_base)
		return 0;
	/* value - base fits in 64 unsigned bits whenever value >= base. */
	level = ((uint64_t)value - (uint64_t)agg->dtag_lq_base) /
		(uint64_t)agg->dtag_lq_step;
	if (level >= agg->dtag_lq_levels)
		return agg->dtag_lq_levels + 1;
	return (uint32_t)level + 1;
}
PROBE_CONTEXT_SYMBOL(dtrace_lquantize_bucket);

static PROBE_CONTEXT_INLINE uint64_t dtrace_agg_hash(dtrace_id_t probe,
						     const int64_t *key)
{
	uint64_t h = (uint64_t)probe * 0x9e3779b97f4a7c15ULL ^ (uint64_t)key[0];

	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= (uint64_t)key[1];

	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 29;
	return h;
}

static PROBE_CONTEXT_INLINE dtrace_aggent_t *
dtrace_agg_slot(const dtrace_aggregation_t *agg, const char *slots, uint32_t i)
{
	return (dtrace_aggent_t *)(slots + (uint64_t)i * agg->dtag_entsize);
}

/* Initial values of a fresh slot. */
static PROBE_CONTEXT_INLINE void
dtrace_aggent_init(const dtrace_aggregation_t *agg, dtrace_aggent_t *ent)
{
	uint32_t i;
	int64_t init = 0;

	if (agg->dtag_kind == DTRACE_IOC_ACT_MIN)
		init = (int64_t)(~0ULL >> 1);
	else if (agg->dtag_kind == DTRACE_IOC_ACT_MAX)
		init = -(int64_t)(~0ULL >> 1) - 1;
	for (i = 0; i < agg->dtag_nvals; i++)
		ent->dtae_vals[i] = init;
}

/* Find or claim this CPU's slot for (probe, key); NULL when full. */
PROBE_CONTEXT dtrace_aggent_t *dtrace_aggent_lookup(dtrace_aggregation_t *agg,
						    processorid_t cpu,
						    dtrace_id_t probe,
						    const int64_t *key)
{
	const char *slots = agg->dtag_cpu[cpu];
	uint32_t mask = agg->dtag_nslots - 1;
	uint32_t start = (uint32_t)dtrace_agg_hash(probe, key) & mask;
	uint32_t n;

	for (n = 0; n <= mask; n++) {
		dtrace_aggent_t *ent =
			dtrace_agg_slot(agg, slots, (start + n) & mask);
		uint32_t st = ent->dtae_state;

		if (st == DTRACE_AGGENT_FREE &&
		    atomic_cas_32(&ent->dtae_state, DTRACE_AGGENT_FREE,
				  DTRACE_AGGENT_CLAIMED) ==
			    DTRACE_AGGENT_FREE) {
			ent->dtae_probe = probe;
			ent->dtae_key[0] = key[0];
			ent->dtae_key[1] = key[1];
			dtrace_aggent_init(agg, ent);
			membar_producer();
			ent->dtae_state = DTRACE_AGGENT_READY;
			return ent;
		}
		/*
		 * A failed claim means a nested firing claimed the slot and
		 * has already published it: look at it again.
		 */
		st = ent->dtae_state;
		if (st == DTRACE_AGGENT_READY && ent->dtae_probe == probe &&
		    ent->dtae_key[0] == key[0] && ent->dtae_key[1] == key[1])
			return ent;
		/* CLAIMED: the firing we interrupted is filling it; move on. */
	}
	atomic_inc_64(&agg->dtag_drops[cpu]);
	return NULL;
}
PROBE_CONTEXT_SYMBOL(dtrace_aggent_lookup);

PROBE_CONTEXT void dtrace_aggregate(dtrace_aggregation_t *agg,
				    processorid_t cpu, dtrace_id_t probe,
				    const int64_t *key, int64_t value)
{
	dtrace_aggent_t *ent;
	volatile uint64_t *v;
	int64_t cur;

	ent = dtrace_aggent_lookup(agg, cpu, probe, key);
	if (ent == NULL)
		return;
	v = (volatile uint64_t *)ent->dtae_vals;
	switch (agg->dtag_kind) {
	case DTRACE_IOC_ACT_COUNT:
		atomic_inc_64(&v[0]);
		break;
	case DTRACE_IOC_ACT_SUM:
		atomic_add_64(&v[0], value);
		break;
	case DTRACE_IOC_ACT_AVG:
		atomic_inc_64(&v[0]);
		atomic_add_64(&v[1], value);
		break;
	case DTRACE_IOC_ACT_MIN:
		cur = (int64_t)v[0];
		while (value < cur) {
			uint64_t seen = atomic_cas_64(&v[0], (uint64_t)cur,
						      (uint64_t)value);
			if (seen == (uint64_t)cur)
				break;
			cur = (int64_t)seen;
		}
		break;
	case DTRACE_IOC_ACT_MAX:
		cur = (int64_t)v[0];
		while (value > cur) {
			uint64_t seen = atomic_cas_64(&v[0], (uint64_t)cur,
						      (uint64_t)value);
			if (seen == (uint64_t)cur)
				break;
			cur = (int64_t)seen;
		}
		break;
	case DTRACE_IOC_ACT_QUANTIZE:
		atomic_inc_64(&v[dtrace_quantize_bucket(value)]);
		break;
	case DTRACE_IOC_ACT_LQUANTIZE:
		atomic_inc_64(&v[dtrace_lquantize_bucket(agg, value)]);
		break;
	default:
		break;
	}
}
PROBE_CONTEXT_SYMBOL(dtrace_aggregate);

PROBE_CONTEXT int dtrace_aggregation_peek(const dtrace_aggregation_t *agg,
					  dtrace_id_t probe, const int64_t *key,
					  int64_t *vals)
{
	uint32_t mask = agg->dtag_nslots - 1;
	uint32_t start = (uint32_t)dtrace_agg_hash(probe, key) & mask;
	uint32_t cpu, n, i;
	int found = 0;

	for (cpu = 0; cpu < agg->dtag_ncpu; cpu++) {
		const char *slots = agg->dtag_cpu[cpu];

		/* A key never sits past a FREE slot of its probe sequence. */
		for (n = 0; n <= mask; n++) {
			const dtrace_aggent_t *ent =
				dtrace_agg_slot(agg, slots, (start + n) & mask);
			uint32_t st = ent->dtae_state;

			if (st == DTRACE_AGGENT_FREE)
				break;
			if (st != DTRACE_AGGENT_READY ||
			    ent->dtae_probe != probe ||
			    ent->dtae_key[0] != key[0] ||
			    ent->dtae_key[1] != key[1])
				continue;
			membar_consumer();
			for (i = 0; i < agg->dtag_nvals; i++) {
				int64_t x = ent->dtae_vals[i];

				if (!found)
					vals[i] = x;
				else if (agg->dtag_kind == DTRACE_IOC_ACT_MIN)
					vals[i] = x < vals[i] ? x : vals[i];
				else if (agg->dtag_kind == DTRACE_IOC_ACT_MAX)
					vals[i] = x > vals[i] ? x : vals[i];
				else
					vals[i] += x;
			}
			found = 1;
		}
	}
	return found;
}
PROBE_CONTEXT_SYMBOL(dtrace_aggregation_peek);

PROBE_CONTEXT int dtrace_state_aggpeek(dtrace_state_t *state,
				       uint32_t enabling_id, uint32_t action,
				       dtrace_id_t probe, int64_t key,
				       int64_t *vals, uint32_t nvals)
{
	dtrace_enabling_t *en;
	dtrace_aggregation_t *agg;
	int64_t keys[2];

	if (enabling_id == 0 || enabling_id > DTRACE_IOC_MAXENABLINGS)
		return -1;
	en = state->dts_enablings[enabling_id - 1];
	if (en == NULL || action >= en->den_nactions)
		return -1;
	agg = en->den_actions[action].dta_agg;
	if (agg == NULL || nvals < agg->dtag_nvals)
		return -1;
	keys[0] = key;
	keys[1] = 0;
	return dtrace_aggregation_peek(agg, probe, keys, vals);
}
PROBE_CONTEXT_SYMBOL(dtrace_state_aggpeek);

PROBE_CONTEXT uint64_t dtrace_nested_drops(void)
{
	uint64_t total = 0;
	int cpu;

	for (cpu = 0; cpu < NCPU; cpu++)
		total += dtrace_cpu[cpu].dtcpu_nested_drops;
	return total;
}
PROBE_CONTEXT_SYMBOL(dtrace_nested_drops);

/*
 * The value of a variable (DTRACE_IOC_VAR_*, validated at ENABLE; not
 * EXECNAME) in this firing. The timestamp is read once per firing.
 */
static PROBE_CONTEXT_INLINE int64_t dtrace_var(uint32_t var, processorid_t cpu,
					       const uintptr_t *args,
					       hrtime_t *now)
{
	if (var < DTRACE_IOC_NARGS)
		return (int64_t)args[var];
	switch (var) {
	case DTRACE_IOC_VAR_CPU:
		return cpu;
	case DTRACE_IOC_VAR_PID:
		return ddi_get_pid();
	case DTRACE_IOC_VAR_TIMESTAMP:
		if (*now == 0)
			*now = gethrtime();
		return *now;
	default:
		return 0;
	}
}

/* The current comm as two key words, NUL-padded (no stale bytes). */
static PROBE_CONTEXT_INLINE void dtrace_execname(int64_t *key)
{
	key[0] = 0;
	key[1] = 0;
	solcompat_getcomm((char *)key, 2 * sizeof(int64_t));
}

/* Write one trace record into this CPU's principal buffer of state. */
PROBE_CONTEXT void dtrace_trace_record(dtrace_state_t *state, processorid_t cpu,
				       const dtrace_ecb_t *ecb, dtrace_id_t id,
				       const uintptr_t *args, uint32_t depth,
				       hrtime_t *now)
{
	dtrace_buffer_t *bufs = state->dts_buffers;
	dtrace_ioc_trace_rec_t *rec;
	int i;

	if (bufs == NULL)
		return;
	rec = dtrace_buffer_reserve(&bufs[cpu], sizeof(*rec));
	if (rec == NULL)
		return;
	if (*now == 0)
		*now = gethrtime();
	/* Field by field: a struct copy could become a memcpy call. */
	rec->timestamp = *now;
	rec->enabling_id = ecb->dte_enabling->den_id;
	rec->probe_id = id;
	rec->cpu = (uint32_t)cpu;
	rec->pid = ddi_get_pid();
	for (i = 0; i < DTRACE_IOC_NARGS; i++)
		rec->args[i] = args[i];
	/* getcomm stops at the NUL: clear the rest (no stale bytes out). */
	((volatile uint64_t *)rec->comm)[0] = 0;
	((volatile uint64_t *)rec->comm)[1] = 0;
	solcompat_getcomm(rec->comm, sizeof(rec->comm));
	rec->depth = depth;
	rec->reserved0 = 0;
}
PROBE_CONTEXT_SYMBOL(dtrace_trace_record);

PROBE_CONTEXT void dtrace_probe(dtrace_id_t id, uintptr_t arg0, uintptr_t arg1,
				uintptr_t arg2, uintptr_t arg3, uintptr_t arg4)
{
	uintptr_t args[DTRACE_IOC_NARGS];
	dtrace_icookie_t cookie;
	dtrace_probetab_t *tab;
	dtrace_probe_impl_t *probe;
	dtrace_ecb_t *ecb;
	dtrace_cpu_t *dc;
	processorid_t cpu;
	uint32_t depth, i;
	hrtime_t now = 0;

	cookie = dtrace_interrupt_disable();
	solcompat_probe_enter();
	cpu = CPU->cpu_id;
	dc = &dtrace_cpu[cpu];
	depth = dc->dtcpu_depth;
	if (depth >= DTRACE_MAX_NESTING) {
		atomic_inc_64(&dc->dtcpu_nested_drops);
		goto out;
	}
	dc->dtcpu_depth = depth + 1;
	if (depth + 1 > dc->dtcpu_max_depth)
		dc->dtcpu_max_depth = depth + 1;

	tab = dtrace_probetab;
	if (tab == NULL || id == DTRACE_IDNONE || id > tab->dtpt_size)
		goto done;
	probe = tab->dtpt_probes[id - 1];
	if (probe == NULL)
		goto done;
	args[0] = arg0;
	args[1] = arg1;
	args[2] = arg2;
	args[3] = arg3;
	args[4] = arg4;

	for (ecb = probe->dtpr_ecb; ecb != NULL; ecb = ecb->dte_next) {
		dtrace_state_t *state = ecb->dte_state;
		dtrace_enabling_t *en = ecb->dte_enabling;

		if (state->dts_activity != DTRACE_IOC_STATE_ACTIVE ||
		    (uint32_t)cpu >= state->dts_ncpu)
			continue;
		membar_consumer();
		atomic_inc_64(&state->dts_cpu[cpu].dtsc_fired);
		if (depth > 0)
			atomic_inc_64(&state->dts_cpu[cpu].dtsc_nested);
		for (i = 0; i < en->den_nactions; i++) {
			const dtrace_action_t *act = &en->den_actions[i];
			const dtrace_ioc_action_t *d = &act->dta_desc;
			int64_t key[2] = {0, 0};

			if (d->kind == DTRACE_IOC_ACT_TRACE) {
				dtrace_trace_record(state, cpu, ecb, id, args,
						    depth, &now);
				continue;
			}
			if (d->key ==
			    DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_EXECNAME)) {
				dtrace_execname(key);
			} else if (d->key != DTRACE_IOC_KEY_NONE) {
				key[0] =
					dtrace_var(d->key - 1, cpu, args, &now);
				if (d->key2 != DTRACE_IOC_KEY_NONE)
					key[1] = dtrace_var(d->key2 - 1, cpu,
							    args, &now);
			}
			dtrace_aggregate(act->dta_agg, cpu, id, key,
					 dtrace_var(d->value, cpu, args, &now));
		}
	}
done:
	dc->dtcpu_depth = depth;
out:
	solcompat_probe_exit();
	dtrace_interrupt_enable(cookie);
}
PROBE_CONTEXT_SYMBOL(dtrace_probe);
