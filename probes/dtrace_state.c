// SPDX-License-Identifier: GPL-2.0
/*
 * Consumers: their enablings, actions, buffers and aggregations, and the
 * operations behind the device's ioctls.
 *
 * Big Theory Statement
 * --------------------
 * A consumer (dtrace_state_t) is one open of /dev/dtrace. It owns up to
 * DTRACE_IOC_MAXENABLINGS enablings; an enabling is a probe description
 * plus up to DTRACE_IOC_MAXACTIONS actions (trace, or an aggregation), and
 * becomes one ECB per matching probe, linked on the probe's chain.
 *
 * The consumer's activity, as a transition table (dts_activity, changed
 * under dts_lock, read by the firing path):
 *   from      event            to        effect
 *   IDLE      GO               ACTIVE    buffers allocated (first GO), then
 *                                        ACTIVE published after them
 *   ACTIVE    GO               ACTIVE    EBUSY
 *   ACTIVE    STOP             STOPPED   dtrace_sync(): no firing of ours
 *                                        is in flight when STOP returns
 *   STOPPED   GO               ACTIVE    the same buffers, new start time
 *   IDLE,
 *   STOPPED   STOP             same      nothing (idempotent)
 *   any       close            (freed)   STOPPED, ECBs unlinked,
 *                                        dtrace_sync(), everything freed
 * ENABLE and DISABLE are allowed in every state: an enabling made while
 * ACTIVE records from the moment its ECBs are linked.
 *
 * Enabling: validate the request completely first (nothing allocated on a
 * bad request); let the providers create the probes the description names
 * (dtrace_provide_all, e.g. profile-1234); then, under dtrace_lock, count
 * the matching probes (ENOENT for none), build the enabling and its
 * aggregations, and link an ECB per probe (the first on a probe calls
 * dtps_enable), then let the providers commit (dtrace_commit); a refusal
 * of either unwinds the whole enabling. The enabling is
 * then retained, as in illumos: it stays on a list of active enablings
 * (dtrace_retained, under dtrace_lock) until it is disabled or its
 * consumer closes, and dtrace_enabling_matchall() links it onto probes
 * created after the ENABLE that its description matches (sdt probes of a
 * module loaded later). Leaving the list happens in the same dtrace_lock
 * section that unlinks the ECBs, so a match never adds an ECB to an
 * enabling that is on its way out.
 *
 * Disabling unlinks the ECBs, waits with dtrace_sync(), and frees them.
 * The enabling and its aggregations stay until close, so the consumer can
 * still read the final aggregations.
 *
 * Lock order: dts_lock -> dtrace_provider_lock -> dtrace_lock (see
 * dtrace.c). Copies to user space happen under dts_lock only.
 *
 * Contexts: process context throughout (KM_SLEEP, mutexes, dtrace_sync,
 * cross-calls, user copies); dtrace_state_count: any context.
 */
#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/cmn_err.h>
#include <sys/cpuvar.h>
#include <sys/debug.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/sunddi.h>
#include <sys/time.h>
#include <sys/x_call.h>
#include <sys/sdt.h>
#include <sys/dtrace_impl.h>

static volatile uint32_t dtrace_nstates;
static dtrace_enabling_t *dtrace_retained; /* under dtrace_lock */

SDT_PROBE_DECLARE(dtrace_state_go);
SDT_PROBE_DECLARE(dtrace_state_stop);
SDT_PROBE_DECLARE(dtrace_buffer_switch);

uint32_t dtrace_state_count(void)
{
	return dtrace_nstates;
}

dtrace_state_t *dtrace_state_create(minor_t minor)
{
	dtrace_state_t *state;
	int ncpu = max_ncpus;

	if (ncpu < 1)
		ncpu = 1;
	if (ncpu > NCPU)
		ncpu = NCPU;
	state = kmem_zalloc(sizeof(*state), KM_SLEEP);
	mutex_init(&state->dts_lock, "dtrace_state", MUTEX_DEFAULT, NULL);
	state->dts_minor = minor;
	state->dts_ncpu = (uint32_t)ncpu;
	state->dts_cpu =
		kmem_zalloc(ncpu * sizeof(dtrace_state_cpu_t), KM_SLEEP);
	state->dts_activity = DTRACE_IOC_STATE_IDLE;
	atomic_inc_32(&dtrace_nstates);
	return state;
}

/*
 * Under dtrace_lock: take the enabling's ECBs off their probes, and the
 * enabling off the retained list (if it is on it).
 */
static void dtrace_enabling_unlink(dtrace_enabling_t *en)
{
	dtrace_enabling_t **pp;
	dtrace_ecb_t *ecb;

	ASSERT(MUTEX_HELD(&dtrace_lock));
	for (pp = &dtrace_retained; *pp != NULL;
	     pp = &(*pp)->den_retained_next) {
		if (*pp == en) {
			*pp = en->den_retained_next;
			en->den_retained_next = NULL;
			break;
		}
	}
	for (ecb = en->den_ecbs; ecb != NULL; ecb = ecb->dte_enabling_next)
		dtrace_ecb_unlink(ecb);
	/* Disarming is never refused (fbt: trap_probe_commit). */
	(void)dtrace_commit();
}

/* Under dtrace_lock: is the enabling already on this probe? */
static int dtrace_enabling_on(const dtrace_enabling_t *en,
			      const dtrace_probe_impl_t *probe)
{
	const dtrace_ecb_t *ecb;

	for (ecb = probe->dtpr_ecb; ecb != NULL; ecb = ecb->dte_next)
		if (ecb->dte_enabling == en)
			return 1;
	return 0;
}

uint32_t dtrace_enabling_matchall(void)
{
	dtrace_enabling_t *en;
	dtrace_ecb_t *ecb;
	dtrace_id_t id, maxid;
	uint32_t linked = 0;

	mutex_enter(&dtrace_lock);
	maxid = dtrace_probe_maxid();
	for (en = dtrace_retained; en != NULL; en = en->den_retained_next) {
		for (id = 1; id <= maxid; id++) {
			dtrace_probe_impl_t *p = dtrace_probe_get(id);

			if (p == NULL ||
			    !dtrace_probe_matches(p, &en->den_desc) ||
			    dtrace_enabling_on(en, p))
				continue;
			ecb = kmem_zalloc(sizeof(*ecb), KM_SLEEP);
			ecb->dte_state = en->den_state;
			ecb->dte_enabling = en;
			ecb->dte_probe = p;
			if (dtrace_ecb_link(ecb) != 0) {
				/* Refused, never linked: no firing saw it */
				kmem_free(ecb, sizeof(*ecb));
				continue;
			}
			ecb->dte_enabling_next = en->den_ecbs;
			en->den_ecbs = ecb;
			en->den_nprobes++;
			linked++;
		}
	}
	if (dtrace_commit() != 0)
		cmn_err(CE_WARN,
			"dtrace: probes of a later match (a module loaded after the enabling) are not armed yet; the provider retries at its next commit (the next enable or disable)");
	mutex_exit(&dtrace_lock);
	return linked;
}

/* After dtrace_sync(): free the (unlinked) ECBs. */
static void dtrace_enabling_free_ecbs(dtrace_enabling_t *en)
{
	dtrace_ecb_t *ecb, *next;

	for (ecb = en->den_ecbs; ecb != NULL; ecb = next) {
		next = ecb->dte_enabling_next;
		ASSERT(!ecb->dte_linked);
		kmem_free(ecb, sizeof(*ecb));
	}
	en->den_ecbs = NULL;
}

static void dtrace_enabling_free(dtrace_enabling_t *en)
{
	uint32_t i;

	dtrace_enabling_free_ecbs(en);
	for (i = 0; i < en->den_nactions; i++)
		dtrace_aggregation_free(en->den_actions[i].dta_agg);
	kmem_free(en, sizeof(*en));
}

void dtrace_state_destroy(dtrace_state_t *state)
{
	uint32_t i;

	mutex_enter(&state->dts_lock);
	state->dts_activity = DTRACE_IOC_STATE_STOPPED;
	mutex_enter(&dtrace_lock);
	for (i = 0; i < DTRACE_IOC_MAXENABLINGS; i++)
		if (state->dts_enablings[i] != NULL)
			dtrace_enabling_unlink(state->dts_enablings[i]);
	mutex_exit(&dtrace_lock);
	dtrace_sync();
	for (i = 0; i < DTRACE_IOC_MAXENABLINGS; i++) {
		if (state->dts_enablings[i] != NULL) {
			dtrace_enabling_free(state->dts_enablings[i]);
			state->dts_enablings[i] = NULL;
		}
	}
	dtrace_buffer_free(state->dts_buffers, state->dts_ncpu);
	state->dts_buffers = NULL;
	kmem_free(state->dts_cpu, state->dts_ncpu * sizeof(dtrace_state_cpu_t));
	mutex_exit(&state->dts_lock);
	mutex_destroy(&state->dts_lock);
	kmem_free(state, sizeof(*state));
	atomic_dec_32(&dtrace_nstates);
}

static int dtrace_action_validate(const dtrace_ioc_action_t *a)
{
	uint64_t levels;

	const uint32_t execname = DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_EXECNAME);

	if (a->kind < DTRACE_IOC_ACT_TRACE ||
	    a->kind > DTRACE_IOC_ACT_LQUANTIZE ||
	    a->value >= DTRACE_IOC_NVARS ||
	    a->value == DTRACE_IOC_VAR_EXECNAME ||
	    a->key > DTRACE_IOC_KEY_VAR(DTRACE_IOC_NVARS - 1) ||
	    a->key2 > DTRACE_IOC_KEY_VAR(DTRACE_IOC_NVARS - 1))
		return EINVAL;
	/* key2 needs key; execname takes both words. */
	if ((a->key2 != DTRACE_IOC_KEY_NONE &&
	     (a->key == DTRACE_IOC_KEY_NONE || a->key == execname)) ||
	    a->key2 == execname)
		return EINVAL;
	switch (a->kind) {
	case DTRACE_IOC_ACT_TRACE:
		if (a->value != 0 || a->key != 0 || a->key2 != 0)
			return EINVAL;
		break;
	case DTRACE_IOC_ACT_COUNT:
		if (a->value != 0)
			return EINVAL;
		break;
	case DTRACE_IOC_ACT_LQUANTIZE:
		if (a->lq_step <= 0 || a->lq_limit <= a->lq_base)
			return EINVAL;
		levels = ((uint64_t)a->lq_limit - (uint64_t)a->lq_base) /
			 (uint64_t)a->lq_step;
		if (levels == 0)
			return EINVAL;
		if (levels > DTRACE_IOC_LQUANTIZE_MAXLEVELS)
			return E2BIG;
		return 0;
	default:
		break;
	}
	if (a->lq_base != 0 || a->lq_limit != 0 || a->lq_step != 0)
		return EINVAL;
	return 0;
}

int dtrace_state_enable(dtrace_state_t *state, dtrace_ioc_enable_t *req)
{
	dtrace_probedesc_t desc;
	dtrace_enabling_t *en;
	dtrace_ecb_t *ecb;
	dtrace_id_t id, maxid;
	uint32_t i, slot, nprobes = 0;
	int err;

	err = dtrace_ioc_desc_convert(&req->desc, &desc);
	if (err != 0)
		return err;
	if (req->flags != 0 || req->nactions == 0)
		return EINVAL;
	if (req->nactions > DTRACE_IOC_MAXACTIONS)
		return E2BIG;
	for (i = 0; i < req->nactions; i++) {
		err = dtrace_action_validate(&req->actions[i]);
		if (err != 0)
			return err;
	}

	mutex_enter(&state->dts_lock);
	for (slot = 0; slot < DTRACE_IOC_MAXENABLINGS; slot++)
		if (state->dts_enablings[slot] == NULL)
			break;
	if (slot == DTRACE_IOC_MAXENABLINGS) {
		mutex_exit(&state->dts_lock);
		return ENOSPC;
	}
	dtrace_provide_all(&desc);

	mutex_enter(&dtrace_lock);
	maxid = dtrace_probe_maxid();
	for (id = 1; id <= maxid; id++) {
		dtrace_probe_impl_t *p = dtrace_probe_get(id);

		if (p != NULL && dtrace_probe_matches(p, &desc))
			nprobes++;
	}
	if (nprobes == 0) {
		mutex_exit(&dtrace_lock);
		mutex_exit(&state->dts_lock);
		return ENOENT;
	}

	en = kmem_zalloc(sizeof(*en), KM_SLEEP);
	en->den_id = slot + 1;
	en->den_state = state;
	en->den_nactions = req->nactions;
	for (i = 0; i < req->nactions; i++) {
		dtrace_action_t *act = &en->den_actions[i];

		act->dta_desc = req->actions[i];
		if (act->dta_desc.kind != DTRACE_IOC_ACT_TRACE)
			act->dta_agg = dtrace_aggregation_create(
				&act->dta_desc, state->dts_ncpu, nprobes);
	}
	for (id = 1; id <= maxid && err == 0; id++) {
		dtrace_probe_impl_t *p = dtrace_probe_get(id);

		if (p == NULL || !dtrace_probe_matches(p, &desc))
			continue;
		ecb = kmem_zalloc(sizeof(*ecb), KM_SLEEP);
		ecb->dte_state = state;
		ecb->dte_enabling = en;
		ecb->dte_probe = p;
		ecb->dte_enabling_next = en->den_ecbs;
		en->den_ecbs = ecb;
		err = dtrace_ecb_link(ecb);
	}
	if (err == 0)
		err = dtrace_commit();
	if (err != 0) {
		/* A provider refused: undo the probes enabled so far. */
		dtrace_enabling_unlink(en);
		mutex_exit(&dtrace_lock);
		dtrace_sync();
		dtrace_enabling_free(en);
		mutex_exit(&state->dts_lock);
		return err;
	}
	en->den_nprobes = nprobes;
	en->den_active = 1;
	en->den_desc = desc;
	en->den_retained_next = dtrace_retained;
	dtrace_retained = en;
	state->dts_enablings[slot] = en;
	state->dts_nenablings++;
	mutex_exit(&dtrace_lock);
	mutex_exit(&state->dts_lock);
	req->enabling_id = en->den_id;
	req->nprobes = nprobes;
	return 0;
}

int dtrace_state_disable(dtrace_state_t *state, uint32_t enabling_id)
{
	dtrace_enabling_t *en;

	if (enabling_id == 0 || enabling_id > DTRACE_IOC_MAXENABLINGS)
		return ENOENT;
	mutex_enter(&state->dts_lock);
	en = state->dts_enablings[enabling_id - 1];
	if (en == NULL) {
		mutex_exit(&state->dts_lock);
		return ENOENT;
	}
	if (en->den_active) {
		mutex_enter(&dtrace_lock);
		dtrace_enabling_unlink(en);
		mutex_exit(&dtrace_lock);
		dtrace_sync();
		dtrace_enabling_free_ecbs(en);
		en->den_active = 0;
		state->dts_nenablings--;
	}
	mutex_exit(&state->dts_lock);
	return 0;
}

int dtrace_state_go(dtrace_state_t *state, dtrace_ioc_go_t *req)
{
	uint64_t size =
		req->bufsize != 0 ? req->bufsize : DTRACE_IOC_BUFSIZE_DEFAULT;

	if (size > DTRACE_IOC_BUFSIZE_MAX)
		return E2BIG;
	if (size < DTRACE_IOC_BUFSIZE_MIN || (size & 7) != 0)
		return EINVAL;
	mutex_enter(&state->dts_lock);
	if (state->dts_activity == DTRACE_IOC_STATE_ACTIVE) {
		mutex_exit(&state->dts_lock);
		return EBUSY;
	}
	if (state->dts_buffers == NULL) {
		dtrace_buffer_t *bufs =
			dtrace_buffer_alloc(state->dts_ncpu, size);

		state->dts_bufsize = size;
		membar_producer();
		state->dts_buffers = bufs;
	}
	state->dts_start = gethrtime();
	state->dts_stop = 0;
	membar_producer(); /* buffers and times before ACTIVE */
	state->dts_activity = DTRACE_IOC_STATE_ACTIVE;
	req->bufsize = state->dts_bufsize;
	req->start_time = state->dts_start;
	mutex_exit(&state->dts_lock);
	DTRACE_PROBE2(dtrace_state_go, minor_t, state->dts_minor, uint64_t,
		      req->bufsize);
	return 0;
}

int dtrace_state_stop(dtrace_state_t *state, dtrace_ioc_stop_t *req)
{
	int was_active;

	mutex_enter(&state->dts_lock);
	was_active = state->dts_activity == DTRACE_IOC_STATE_ACTIVE;
	if (was_active) {
		state->dts_activity = DTRACE_IOC_STATE_STOPPED;
		state->dts_stop = gethrtime();
		/* Let firings that saw ACTIVE finish their records. */
		dtrace_sync();
	}
	req->stop_time = state->dts_stop;
	mutex_exit(&state->dts_lock);
	if (was_active)
		DTRACE_PROBE1(dtrace_state_stop, minor_t, state->dts_minor);
	return 0;
}

int dtrace_state_bufsnap(dtrace_state_t *state, dtrace_ioc_bufsnap_t *req,
			 int mode)
{
	dtrace_buffer_t *buf;
	const char *data;
	uint64_t len;

	if (req->reserved0 != 0)
		return EINVAL;
	mutex_enter(&state->dts_lock);
	if (req->cpu >= state->dts_ncpu) {
		mutex_exit(&state->dts_lock);
		return EINVAL;
	}
	if (state->dts_buffers == NULL) {
		mutex_exit(&state->dts_lock);
		return ENOENT;
	}
	if (req->size < state->dts_bufsize) {
		mutex_exit(&state->dts_lock);
		return EINVAL;
	}
	buf = &state->dts_buffers[req->cpu];
	data = dtrace_buffer_switch(buf, (processorid_t)req->cpu, &len);
	if (len > 0 && ddi_copyout(data, (void *)(uintptr_t)req->buf,
				   (size_t)len, mode) != 0) {
		/* Switched out and not delivered: lost, and counted so. */
		atomic_add_64(&buf->dtb_drops,
			      len / sizeof(dtrace_ioc_trace_rec_t));
		mutex_exit(&state->dts_lock);
		return EFAULT;
	}
	req->bytes = len;
	req->nrecs = len / sizeof(dtrace_ioc_trace_rec_t);
	req->drops = buf->dtb_drops;
	mutex_exit(&state->dts_lock);
	DTRACE_PROBE2(dtrace_buffer_switch, uint32_t, req->cpu, uint64_t, len);
	return 0;
}

typedef struct dtrace_aggsnap_ctx {
	const dtrace_enabling_t *dac_en;
	uint32_t dac_action;
	int dac_mode;
	uint64_t dac_buf;
	uint64_t dac_size;
	uint64_t dac_bytes;
	uint64_t dac_needed;
	uint32_t dac_nrecs;
	int dac_full; /* a record did not fit: stop writing */
} dtrace_aggsnap_ctx_t;

static int dtrace_aggsnap_rec(void *arg, dtrace_id_t probe, const int64_t *key,
			      const int64_t *vals, uint32_t nvals)
{
	dtrace_aggsnap_ctx_t *ctx = arg;
	const dtrace_ioc_action_t *act =
		&ctx->dac_en->den_actions[ctx->dac_action].dta_desc;
	dtrace_ioc_aggrec_t rec;
	uint64_t size = sizeof(rec) + (uint64_t)nvals * sizeof(int64_t);
	char *dst;

	ctx->dac_needed += size;
	if (ctx->dac_full || ctx->dac_bytes + size > ctx->dac_size) {
		ctx->dac_full = 1;
		return 0;
	}
	__builtin_memset(&rec, 0, sizeof(rec));
	rec.size = (uint32_t)size;
	rec.enabling_id = ctx->dac_en->den_id;
	rec.action = ctx->dac_action;
	rec.kind = act->kind;
	rec.probe_id = probe;
	rec.key_kind = act->key;
	rec.key = key[0];
	rec.key2_kind = act->key2;
	rec.key2 = key[1];
	if (act->kind == DTRACE_IOC_ACT_LQUANTIZE) {
		rec.lq_base = act->lq_base;
		rec.lq_step = act->lq_step;
	}
	rec.nvals = nvals;
	dst = (char *)(uintptr_t)(ctx->dac_buf + ctx->dac_bytes);
	if (ddi_copyout(&rec, dst, sizeof(rec), ctx->dac_mode) != 0 ||
	    ddi_copyout(vals, dst + sizeof(rec), nvals * sizeof(int64_t),
			ctx->dac_mode) != 0)
		return EFAULT;
	ctx->dac_bytes += size;
	ctx->dac_nrecs++;
	return 0;
}

int dtrace_state_aggsnap(dtrace_state_t *state, dtrace_ioc_aggsnap_t *req,
			 int mode)
{
	dtrace_aggsnap_ctx_t ctx;
	uint32_t first = 0, last = DTRACE_IOC_MAXENABLINGS, e, a;
	int err = 0;

	if (req->reserved0 != 0 || req->reserved1 != 0)
		return EINVAL;
	if (req->size > DTRACE_IOC_AGGSNAP_MAX)
		return E2BIG;
	if (req->enabling_id > DTRACE_IOC_MAXENABLINGS)
		return ENOENT;
	__builtin_memset(&ctx, 0, sizeof(ctx));
	ctx.dac_mode = mode;
	ctx.dac_buf = req->buf;
	ctx.dac_size = req->size;
	mutex_enter(&state->dts_lock);
	if (req->enabling_id != 0) {
		first = req->enabling_id - 1;
		last = req->enabling_id;
		if (state->dts_enablings[first] == NULL) {
			mutex_exit(&state->dts_lock);
			return ENOENT;
		}
	}
	for (e = first; e < last && err == 0; e++) {
		const dtrace_enabling_t *en = state->dts_enablings[e];

		if (en == NULL)
			continue;
		ctx.dac_en = en;
		for (a = 0; a < en->den_nactions && err == 0; a++) {
			if (en->den_actions[a].dta_agg == NULL)
				continue;
			ctx.dac_action = a;
			err = dtrace_aggregation_walk(
				en->den_actions[a].dta_agg, dtrace_aggsnap_rec,
				&ctx);
		}
	}
	mutex_exit(&state->dts_lock);
	if (err != 0)
		return err;
	req->bytes = ctx.dac_bytes;
	req->needed = ctx.dac_needed;
	req->nrecs = ctx.dac_nrecs;
	return 0;
}

void dtrace_state_status(dtrace_state_t *state, dtrace_ioc_status_t *st)
{
	uint32_t cpu, e, a;

	__builtin_memset(st, 0, sizeof(*st));
	mutex_enter(&state->dts_lock);
	st->state = state->dts_activity;
	st->nenablings = state->dts_nenablings;
	st->bufsize = state->dts_bufsize;
	for (cpu = 0; cpu < state->dts_ncpu; cpu++) {
		if (state->dts_buffers != NULL)
			st->buf_drops += state->dts_buffers[cpu].dtb_drops;
		st->fired += state->dts_cpu[cpu].dtsc_fired;
		st->nested += state->dts_cpu[cpu].dtsc_nested;
	}
	for (e = 0; e < DTRACE_IOC_MAXENABLINGS; e++) {
		const dtrace_enabling_t *en = state->dts_enablings[e];

		if (en == NULL)
			continue;
		for (a = 0; a < en->den_nactions; a++)
			if (en->den_actions[a].dta_agg != NULL)
				st->agg_drops += dtrace_aggregation_drops(
					en->den_actions[a].dta_agg);
	}
	st->nested_drops = dtrace_nested_drops();
	st->start_time = state->dts_start;
	st->stop_time = state->dts_stop;
	st->cpus_online = (uint32_t)ncpus;
	mutex_exit(&state->dts_lock);
}
