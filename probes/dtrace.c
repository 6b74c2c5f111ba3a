// SPDX-License-Identifier: GPL-2.0
/*
 * The probe core: providers, probes, the probe table, and linking
 * enablings (ECBs) onto probes.
 *
 * Big Theory Statement
 * --------------------
 * The model is the DTrace provider model: a provider registers operations
 * (dtrace_register); when a consumer asks, the core lets it create probes
 * (dtps_provide -> dtrace_probe_create); a consumer's enabling is matched
 * against the probes by provider:module:function:name; the first enabling
 * of a probe makes the core call dtps_enable, after which the provider
 * calls dtrace_probe(id, ...) from wherever the probe point is; the last
 * disabling calls dtps_disable. A provider may defer the work of those two
 * calls to dtps_commit, which the core calls once at the end of each series
 * of them (dtrace_commit: after linking an enabling's ECBs, after unlinking
 * them), so that arming a thousand probes can be one operation.
 *
 * Data:
 *   providers    a singly linked list (dtrace_providers), changed under
 *                both locks, read under either.
 *   probes       one allocation each (struct + the three name strings),
 *                found two ways: by id through the probe table, which probe
 *                context reads, and by (provider, module, function, name)
 *                through a chained hash (dtrace_hash), which only process
 *                context uses (dtrace_probe_lookup, duplicate checks).
 *   probe ids    from a vmem identifier arena (VMC_IDENTIFIER) with
 *                VM_BESTFIT, so ids stay dense (the table stays small) and
 *                are reused after a probe is freed.
 *   probe table  dtrace_probetab: a size and an array indexed by id - 1.
 *                It grows by replacement: a larger copy is published with
 *                one pointer store, and the old one is freed after
 *                dtrace_sync(), so a firing never sees a size that does
 *                not belong to its array.
 *   ECB chains   each probe's list of enabling control blocks, walked by
 *                dtrace_probe(). Inserted at the head after the ECB is
 *                complete (membar_producer); unlinked by one store; an
 *                unlinked ECB keeps its next pointer and is freed only
 *                after dtrace_sync(), so a firing standing on it can go on.
 *
 * Locks (both adaptive kmutex_t; process context only):
 *   dtrace_provider_lock  outer. Held across dtps_provide calls and while
 *                         the provider list changes.
 *   dtrace_lock           inner. Probes, hash, table, ECB chains, and the
 *                         dtps_enable/dtps_disable calls.
 * Order: a consumer's dts_lock -> dtrace_provider_lock -> a provider's own
 * lock (sdt_lock) -> dtrace_lock. So dtps_provide may call
 * dtrace_probe_create/lookup (they take dtrace_lock), but dtps_enable,
 * dtps_disable and dtps_destroy may not call back into the core.
 * dtps_destroy runs without dtrace_lock, after dtrace_sync(); from
 * dtrace_unregister it runs under dtrace_provider_lock (as its provider's
 * own lock is taken after that one, it may take its own lock there).
 *
 * Removing probes (dtrace_unregister, dtrace_condense,
 * dtrace_probe_remove_module): under dtrace_lock the probes are taken out
 * of the hash and the table; then, with the lock dropped, dtrace_sync()
 * waits out any firing that found them, dtps_destroy is called, a second
 * dtrace_sync() waits out a handler that read an id before dtps_destroy
 * cleared it (dtrace_probes_free), and the memory and ids are freed.
 * Enabled probes are never removed (EBUSY). A provider's module is held
 * while one of its probes is enabled (dtrace_ecb_link).
 *
 * Designs rejected: an AVL tree per name part, as illumos keeps, buys
 * fast partial-name queries that this consumer does not make (it matches
 * globs by walking the table); a read-write lock or RCU for the table
 * would put a lock or a Linux primitive on the firing path.
 *
 * Contexts: everything here is process context (it allocates with
 * KM_SLEEP and takes the adaptive mutexes), except the glob helpers.
 */
#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/cmn_err.h>
#include <sys/debug.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/modctl.h>
#include <sys/mutex.h>
#include <sys/systm.h>
#include <sys/sunddi.h>
#include <sys/vmem.h>
#include <sys/x_call.h>
#include <sys/dtrace_impl.h>

kmutex_t dtrace_provider_lock;
kmutex_t dtrace_lock;
dtrace_probetab_t *volatile dtrace_probetab;

static dtrace_provider_t *dtrace_providers;
static vmem_t *dtrace_arena;
static dtrace_probe_impl_t **dtrace_hash;
static uint32_t dtrace_hashsize; /* buckets, a power of two */
static uint32_t dtrace_nprobes;
static dtrace_id_t dtrace_maxid; /* highest id handed out */
static int dtrace_initialized;

/*
 * Refusals (dtrace_probe_refuse): probes a provider would not create,
 * with the reason, for DTRACEIOC_REFUSED. An array in first-refused
 * order, under dtrace_lock; a repeated refusal of the same probe name
 * updates its reason. At most DTRACE_REFUSED_MAX; more are counted.
 */
#define DTRACE_REFUSED_MAX 8192
/* LIST and REFUSED copy out this many entries per dtrace_lock hold. */
#define DTRACE_LIST_CHUNK 16

typedef struct dtrace_refusal {
	const dtrace_provider_t *dtrf_prov;
	uint32_t dtrf_hash;
	dtrace_ioc_refusal_t dtrf_rec;
} dtrace_refusal_t;

static dtrace_refusal_t **dtrace_refusals; /* [DTRACE_REFUSED_MAX] */
static uint32_t dtrace_nrefusals, dtrace_refusals_dropped;

#define DTRACE_HASH_INITIAL 1024
#define DTRACE_PROBETAB_INITIAL 1024

static size_t dtrace_strlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

/* Copy s into a field of size bytes, truncating; s NULL gives "". */
static void dtrace_strcpy(char *dst, const char *s, size_t size)
{
	size_t n = s != NULL ? dtrace_strlen(s, size - 1) : 0;

	if (n > 0)
		__builtin_memcpy(dst, s, n);
	dst[n] = '\0';
}

static int dtrace_streq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static uint32_t dtrace_hash_str(uint32_t h, const char *s)
{
	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return (h ^ ':') * 16777619u;
}

static uint32_t dtrace_hash_probe(const dtrace_provider_t *prov,
				  const char *mod, const char *func,
				  const char *name)
{
	uint32_t h = 2166136261u ^ (uint32_t)((uintptr_t)prov >> 4);

	h = dtrace_hash_str(h, mod);
	h = dtrace_hash_str(h, func);
	return dtrace_hash_str(h, name);
}

static dtrace_probe_impl_t *dtrace_hash_find(const dtrace_provider_t *prov,
					     const char *mod, const char *func,
					     const char *name)
{
	uint32_t h = dtrace_hash_probe(prov, mod, func, name);
	dtrace_probe_impl_t *p;

	ASSERT(MUTEX_HELD(&dtrace_lock));
	for (p = dtrace_hash[h & (dtrace_hashsize - 1)]; p != NULL;
	     p = p->dtpr_hashnext) {
		if (p->dtpr_hashval == h && p->dtpr_provider == prov &&
		    dtrace_streq(p->dtpr_mod, mod) &&
		    dtrace_streq(p->dtpr_func, func) &&
		    dtrace_streq(p->dtpr_name, name))
			return p;
	}
	return NULL;
}

static void dtrace_hash_insert(dtrace_probe_impl_t *probe)
{
	uint32_t b = probe->dtpr_hashval & (dtrace_hashsize - 1);

	probe->dtpr_hashnext = dtrace_hash[b];
	dtrace_hash[b] = probe;
}

static void dtrace_hash_remove(dtrace_probe_impl_t *probe)
{
	dtrace_probe_impl_t **pp =
		&dtrace_hash[probe->dtpr_hashval & (dtrace_hashsize - 1)];

	while (*pp != probe)
		pp = &(*pp)->dtpr_hashnext;
	*pp = probe->dtpr_hashnext;
}

/* Double the buckets when chains get long; process context only. */
static void dtrace_hash_grow(void)
{
	uint32_t oldsize = dtrace_hashsize, newsize = oldsize * 2, b;
	dtrace_probe_impl_t **old = dtrace_hash, **new;

	new = kmem_zalloc(newsize * sizeof(*new), KM_SLEEP);
	for (b = 0; b < oldsize; b++) {
		dtrace_probe_impl_t *p = old[b], *next;

		for (; p != NULL; p = next) {
			next = p->dtpr_hashnext;
			p->dtpr_hashnext = new[p->dtpr_hashval & (newsize - 1)];
			new[p->dtpr_hashval & (newsize - 1)] = p;
		}
	}
	dtrace_hash = new;
	dtrace_hashsize = newsize;
	kmem_free(old, oldsize * sizeof(*old));
}

static size_t dtrace_probetab_bytes(uint32_t size)
{
	return sizeof(dtrace_probetab_t) +
	       (size_t)size * sizeof(dtrace_probe_impl_t *);
}

/* Make the table hold id; the old table is freed after dtrace_sync(). */
static void dtrace_probetab_ensure(dtrace_id_t id)
{
	dtrace_probetab_t *old = dtrace_probetab, *new;
	uint32_t size = old->dtpt_size, i;

	if (id <= size)
		return;
	while (size < id)
		size *= 2;
	new = kmem_zalloc(dtrace_probetab_bytes(size), KM_SLEEP);
	new->dtpt_size = size;
	for (i = 0; i < old->dtpt_size; i++)
		new->dtpt_probes[i] = old->dtpt_probes[i];
	membar_producer();
	dtrace_probetab = new;
	dtrace_sync();
	kmem_free(old, dtrace_probetab_bytes(old->dtpt_size));
}

dtrace_probe_impl_t *dtrace_probe_get(dtrace_id_t id)
{
	dtrace_probetab_t *tab = dtrace_probetab;

	ASSERT(MUTEX_HELD(&dtrace_lock));
	if (id == DTRACE_IDNONE || id > tab->dtpt_size)
		return NULL;
	return tab->dtpt_probes[id - 1];
}

dtrace_id_t dtrace_probe_maxid(void)
{
	return dtrace_maxid;
}

uint32_t dtrace_probe_count(void)
{
	return dtrace_nprobes;
}

int dtrace_probe_matches(const dtrace_probe_impl_t *probe,
			 const dtrace_probedesc_t *desc)
{
	if (desc->dtpd_id != DTRACE_IDNONE && desc->dtpd_id != probe->dtpr_id)
		return 0;
	return !probe->dtpr_provider->dtpv_invalid &&
	       dtrace_match_glob(desc->dtpd_provider,
				 probe->dtpr_provider->dtpv_name) &&
	       dtrace_match_glob(desc->dtpd_mod, probe->dtpr_mod) &&
	       dtrace_match_glob(desc->dtpd_func, probe->dtpr_func) &&
	       dtrace_match_glob(desc->dtpd_name, probe->dtpr_name);
}

static dtrace_provider_t *dtrace_provider_find(dtrace_provider_id_t id)
{
	dtrace_provider_t *p;

	for (p = dtrace_providers; p != NULL; p = p->dtpv_next)
		if ((uintptr_t)p == id)
			return p;
	return NULL;
}

/*
 * The paged copy-out of LIST and REFUSED. fill() runs under dtrace_lock
 * and puts up to max entries of size bytes into chunk, from the cursor it
 * keeps in arg, setting *done when nothing is left; the chunk is then
 * copied out without the lock (a fault may take its time) to entries
 * returned..returned+n-1 of the consumer's array at buf, until count
 * entries were copied or fill is done. *returnedp: how many were copied.
 * Returns 0 or EFAULT.
 */
typedef uint32_t (*dtrace_fill_t)(void *arg, void *chunk, uint32_t max,
				  int *done);

static int dtrace_copyout_paged(dtrace_fill_t fill, void *arg, size_t size,
				uint64_t buf, uint32_t count, int mode,
				uint32_t *returnedp)
{
	void *chunk = kmem_alloc(DTRACE_LIST_CHUNK * size, KM_SLEEP);
	uint32_t returned = 0, n;
	int done = 0, err = 0;

	while (!done && returned < count) {
		n = count - returned;
		if (n > DTRACE_LIST_CHUNK)
			n = DTRACE_LIST_CHUNK;
		mutex_enter(&dtrace_lock);
		n = fill(arg, chunk, n, &done);
		mutex_exit(&dtrace_lock);
		if (n > 0 &&
		    ddi_copyout(chunk,
				(void *)(uintptr_t)(buf +
						    (uint64_t)returned * size),
				n * size, mode) != 0) {
			err = EFAULT;
			break;
		}
		returned += n;
	}
	kmem_free(chunk, DTRACE_LIST_CHUNK * size);
	*returnedp = returned;
	return err;
}

/* Under dtrace_lock: forget prov's refusals (it is going away). */
static void dtrace_refusals_forget(const dtrace_provider_t *prov)
{
	uint32_t i, kept = 0;

	ASSERT(MUTEX_HELD(&dtrace_lock));
	for (i = 0; i < dtrace_nrefusals; i++) {
		if (dtrace_refusals[i]->dtrf_prov == prov)
			kmem_free(dtrace_refusals[i], sizeof(dtrace_refusal_t));
		else
			dtrace_refusals[kept++] = dtrace_refusals[i];
	}
	dtrace_nrefusals = kept;
}

void dtrace_probe_refuse(dtrace_provider_id_t id, const char *mod,
			 const char *func, const char *name, const char *reason)
{
	dtrace_refusal_t *r = kmem_zalloc(sizeof(*r), KM_SLEEP);
	dtrace_ioc_desc_t *d = &r->dtrf_rec.desc;
	dtrace_provider_t *prov;
	uint32_t i;

	dtrace_strcpy(d->mod, mod, sizeof(d->mod));
	dtrace_strcpy(d->func, func, sizeof(d->func));
	dtrace_strcpy(d->name, name, sizeof(d->name));
	dtrace_strcpy(r->dtrf_rec.reason, reason, sizeof(r->dtrf_rec.reason));
	mutex_enter(&dtrace_lock);
	prov = dtrace_provider_find(id);
	if (prov == NULL) {
		mutex_exit(&dtrace_lock);
		kmem_free(r, sizeof(*r));
		return;
	}
	dtrace_strcpy(d->provider, prov->dtpv_name, sizeof(d->provider));
	r->dtrf_prov = prov;
	r->dtrf_hash = dtrace_hash_probe(prov, d->mod, d->func, d->name);
	for (i = 0; i < dtrace_nrefusals; i++) {
		dtrace_refusal_t *o = dtrace_refusals[i];

		if (o->dtrf_hash == r->dtrf_hash && o->dtrf_prov == prov &&
		    dtrace_streq(o->dtrf_rec.desc.mod, d->mod) &&
		    dtrace_streq(o->dtrf_rec.desc.func, d->func) &&
		    dtrace_streq(o->dtrf_rec.desc.name, d->name)) {
			__builtin_memcpy(o->dtrf_rec.reason, r->dtrf_rec.reason,
					 sizeof(o->dtrf_rec.reason));
			mutex_exit(&dtrace_lock);
			kmem_free(r, sizeof(*r));
			return;
		}
	}
	if (dtrace_refusals == NULL)
		dtrace_refusals = kmem_zalloc(DTRACE_REFUSED_MAX *
						      sizeof(*dtrace_refusals),
					      KM_SLEEP);
	if (dtrace_nrefusals == DTRACE_REFUSED_MAX) {
		dtrace_refusals_dropped++;
		mutex_exit(&dtrace_lock);
		kmem_free(r, sizeof(*r));
		return;
	}
	dtrace_refusals[dtrace_nrefusals++] = r;
	mutex_exit(&dtrace_lock);
}

/* REFUSED's cursor: the next index, the filter, the totals seen. */
typedef struct dtrace_refused_cursor {
	const dtrace_probedesc_t *drc_desc;
	uint32_t drc_next;
	uint32_t drc_total;
	uint64_t drc_dropped;
} dtrace_refused_cursor_t;

static uint32_t dtrace_refused_fill(void *arg, void *chunk, uint32_t max,
				    int *done)
{
	dtrace_refused_cursor_t *c = arg;
	const dtrace_probedesc_t *desc = c->drc_desc;
	dtrace_ioc_refusal_t *out = chunk;
	uint32_t i, n = 0;

	for (i = c->drc_next; i < dtrace_nrefusals && n < max; i++) {
		const dtrace_ioc_refusal_t *r = &dtrace_refusals[i]->dtrf_rec;

		if (dtrace_match_glob(desc->dtpd_provider, r->desc.provider) &&
		    dtrace_match_glob(desc->dtpd_mod, r->desc.mod) &&
		    dtrace_match_glob(desc->dtpd_func, r->desc.func) &&
		    dtrace_match_glob(desc->dtpd_name, r->desc.name))
			out[n++] = *r;
	}
	c->drc_next = i < dtrace_nrefusals ? i : 0;
	*done = c->drc_next == 0;
	c->drc_total = dtrace_nrefusals;
	c->drc_dropped = dtrace_refusals_dropped;
	return n;
}

int dtrace_probe_refused_list(dtrace_ioc_refused_t *req, int mode)
{
	dtrace_probedesc_t desc;
	dtrace_refused_cursor_t c;
	uint32_t returned;
	int err;

	err = dtrace_ioc_desc_convert(&req->filter, &desc);
	if (err != 0)
		return err;
	if (req->count == 0)
		return EINVAL;
	if (req->count > DTRACE_IOC_LIST_MAX)
		return E2BIG;
	c.drc_desc = &desc;
	c.drc_next = req->first;
	c.drc_total = 0;
	c.drc_dropped = 0;
	err = dtrace_copyout_paged(dtrace_refused_fill, &c,
				   sizeof(dtrace_ioc_refusal_t), req->buf,
				   req->count, mode, &returned);
	if (err != 0)
		return err;
	req->total = c.drc_total;
	req->dropped = c.drc_dropped;
	req->returned = returned;
	req->next = c.drc_next;
	return 0;
}

int dtrace_register(const char *name, const dtrace_pattr_t *pap, uint32_t priv,
		    cred_t *cr, const dtrace_pops_t *pops, void *arg,
		    dtrace_provider_id_t *idp)
{
	dtrace_provider_t *prov, *p;
	const char *c;
	size_t len;

	(void)priv;
	(void)cr;
	if (name == NULL || pops == NULL || idp == NULL ||
	    pops->dtps_enable == NULL || pops->dtps_disable == NULL ||
	    pops->dtps_destroy == NULL)
		return EINVAL;
	len = dtrace_strlen(name, DTRACE_PROVNAMELEN);
	if (len == 0 || len >= DTRACE_PROVNAMELEN)
		return EINVAL;
	for (c = name; *c != '\0'; c++)
		if (*c == ':')
			return EINVAL;

	prov = kmem_zalloc(sizeof(*prov), KM_SLEEP);
	dtrace_strcpy(prov->dtpv_name, name, sizeof(prov->dtpv_name));
	if (pap != NULL)
		prov->dtpv_attr = *pap;
	prov->dtpv_pops = *pops;
	prov->dtpv_arg = arg;
	/*
	 * The provider's module: the one whose _init registers it, else the
	 * one its enable function is in. dtrace_ecb_link holds it while a
	 * probe of it is enabled, or rmmod (which unloads a module whose
	 * _fini refused: dtrace_unregister's EBUSY) would leave the core
	 * calling freed text through dtpv_pops.
	 */
	prov->dtpv_ctl = mod_running_ctl();
	if (prov->dtpv_ctl == NULL)
		prov->dtpv_ctl = mod_containing_pc((caddr_t)pops->dtps_enable);

	mutex_enter(&dtrace_provider_lock);
	mutex_enter(&dtrace_lock);
	for (p = dtrace_providers; p != NULL; p = p->dtpv_next) {
		if (dtrace_streq(p->dtpv_name, prov->dtpv_name)) {
			mutex_exit(&dtrace_lock);
			mutex_exit(&dtrace_provider_lock);
			kmem_free(prov, sizeof(*prov));
			return EEXIST;
		}
	}
	prov->dtpv_next = dtrace_providers;
	dtrace_providers = prov;
	mutex_exit(&dtrace_lock);
	mutex_exit(&dtrace_provider_lock);
	*idp = (dtrace_provider_id_t)prov;
	return 0;
}

/*
 * Take the provider's probes that pass the filter out of the hash and the
 * table and return them as a list (on dtpr_hashnext). With fail_enabled an
 * enabled probe among them makes the call take nothing and return EBUSY;
 * otherwise enabled probes are skipped.
 */
static int dtrace_probes_detach(dtrace_provider_t *prov, const char *mod,
				int fail_enabled, dtrace_probe_impl_t **listp)
{
	dtrace_probetab_t *tab = dtrace_probetab;
	dtrace_probe_impl_t *list = NULL;
	dtrace_id_t id;

	ASSERT(MUTEX_HELD(&dtrace_lock));
	if (fail_enabled) {
		for (id = 1; id <= dtrace_maxid; id++) {
			dtrace_probe_impl_t *p = tab->dtpt_probes[id - 1];

			if (p != NULL && p->dtpr_provider == prov &&
			    (mod == NULL || dtrace_streq(p->dtpr_mod, mod)) &&
			    p->dtpr_nenabled != 0)
				return EBUSY;
		}
	}
	for (id = 1; id <= dtrace_maxid; id++) {
		dtrace_probe_impl_t *p = tab->dtpt_probes[id - 1];

		if (p == NULL || p->dtpr_provider != prov ||
		    (mod != NULL && !dtrace_streq(p->dtpr_mod, mod)) ||
		    p->dtpr_nenabled != 0)
			continue;
		dtrace_hash_remove(p);
		tab->dtpt_probes[id - 1] = NULL;
		p->dtpr_hashnext = list;
		list = p;
		dtrace_nprobes--;
		prov->dtpv_nprobes--;
	}
	while (dtrace_maxid > 0 && tab->dtpt_probes[dtrace_maxid - 1] == NULL)
		dtrace_maxid--;
	*listp = list;
	return 0;
}

/*
 * After dtrace_sync(): tell the provider, free the probes and their ids.
 * The ids only after a second dtrace_sync(): a provider's handler that
 * was on its way into probe context during the first (it passed its trap
 * before the disarm) may still have read its probe's id before
 * dtps_destroy cleared it, and fire it once inside; freed at once, the id
 * could already name a new probe.
 */
static void dtrace_probes_free(dtrace_provider_t *prov,
			       dtrace_probe_impl_t *list)
{
	dtrace_probe_impl_t *p, *next;

	if (list == NULL)
		return;
	for (p = list; p != NULL; p = p->dtpr_hashnext)
		prov->dtpv_pops.dtps_destroy(prov->dtpv_arg, p->dtpr_id,
					     p->dtpr_arg);
	dtrace_sync();
	for (p = list; p != NULL; p = next) {
		next = p->dtpr_hashnext;
		vmem_free(dtrace_arena, (void *)(uintptr_t)p->dtpr_id, 1);
		kmem_free(p, p->dtpr_size);
	}
}

int dtrace_unregister(dtrace_provider_id_t id)
{
	dtrace_provider_t *prov, **pp;
	dtrace_probe_impl_t *list;
	int err;

	mutex_enter(&dtrace_provider_lock);
	mutex_enter(&dtrace_lock);
	prov = dtrace_provider_find(id);
	if (prov == NULL) {
		mutex_exit(&dtrace_lock);
		mutex_exit(&dtrace_provider_lock);
		return EINVAL;
	}
	err = dtrace_probes_detach(prov, NULL, 1, &list);
	if (err != 0) {
		mutex_exit(&dtrace_lock);
		mutex_exit(&dtrace_provider_lock);
		return err;
	}
	for (pp = &dtrace_providers; *pp != prov; pp = &(*pp)->dtpv_next)
		;
	*pp = prov->dtpv_next;
	dtrace_refusals_forget(prov);
	mutex_exit(&dtrace_lock);
	dtrace_sync();
	dtrace_probes_free(prov, list);
	mutex_exit(&dtrace_provider_lock);
	kmem_free(prov, sizeof(*prov));
	return 0;
}

void dtrace_invalidate(dtrace_provider_id_t id)
{
	dtrace_provider_t *prov;

	mutex_enter(&dtrace_lock);
	prov = dtrace_provider_find(id);
	if (prov != NULL)
		prov->dtpv_invalid = 1;
	mutex_exit(&dtrace_lock);
}

static int dtrace_probes_remove(dtrace_provider_id_t id, const char *mod,
				int fail_enabled)
{
	dtrace_provider_t *prov;
	dtrace_probe_impl_t *list;
	int err;

	mutex_enter(&dtrace_lock);
	prov = dtrace_provider_find(id);
	if (prov == NULL) {
		mutex_exit(&dtrace_lock);
		return EINVAL;
	}
	err = dtrace_probes_detach(prov, mod, fail_enabled, &list);
	mutex_exit(&dtrace_lock);
	if (err != 0)
		return err;
	dtrace_sync();
	/* The provider cannot go away: its caller is the one to unregister. */
	dtrace_probes_free(prov, list);
	return 0;
}

int dtrace_condense(dtrace_provider_id_t id)
{
	return dtrace_probes_remove(id, NULL, 0);
}

int dtrace_probe_remove_module(dtrace_provider_id_t id, const char *mod)
{
	if (mod == NULL)
		return EINVAL;
	return dtrace_probes_remove(id, mod, 1);
}

dtrace_id_t dtrace_probe_create(dtrace_provider_id_t id, const char *mod,
				const char *func, const char *name, int aframes,
				void *arg)
{
	dtrace_provider_t *prov;
	dtrace_probe_impl_t *probe;
	size_t lmod, lfunc, lname, size;
	char *s;
	dtrace_id_t pid;

	(void)aframes;
	if (mod == NULL)
		mod = "";
	if (func == NULL)
		func = "";
	if (name == NULL || name[0] == '\0') {
		cmn_err(CE_WARN, "dtrace_probe_create: probe without a name");
		return DTRACE_IDNONE;
	}
	lmod = dtrace_strlen(mod, DTRACE_MODNAMELEN - 1);
	lfunc = dtrace_strlen(func, DTRACE_FUNCNAMELEN - 1);
	lname = dtrace_strlen(name, DTRACE_NAMELEN - 1);
	size = sizeof(*probe) + lmod + lfunc + lname + 3;
	probe = kmem_zalloc(size, KM_SLEEP);
	probe->dtpr_size = size;
	s = (char *)(probe + 1);
	dtrace_strcpy(s, mod, lmod + 1);
	probe->dtpr_mod = s;
	s += lmod + 1;
	dtrace_strcpy(s, func, lfunc + 1);
	probe->dtpr_func = s;
	s += lfunc + 1;
	dtrace_strcpy(s, name, lname + 1);
	probe->dtpr_name = s;
	probe->dtpr_arg = arg;

	pid = (dtrace_id_t)(uintptr_t)vmem_alloc(dtrace_arena, 1,
						 VM_BESTFIT | VM_SLEEP);
	probe->dtpr_id = pid;

	mutex_enter(&dtrace_lock);
	prov = dtrace_provider_find(id);
	if (prov == NULL || pid == DTRACE_IDNONE) {
		mutex_exit(&dtrace_lock);
		cmn_err(CE_WARN, "dtrace_probe_create: %s",
			prov == NULL ? "not a registered provider"
				     : "out of probe ids");
		if (pid != DTRACE_IDNONE)
			vmem_free(dtrace_arena, (void *)(uintptr_t)pid, 1);
		kmem_free(probe, size);
		return DTRACE_IDNONE;
	}
	probe->dtpr_provider = prov;
	probe->dtpr_hashval = dtrace_hash_probe(
		prov, probe->dtpr_mod, probe->dtpr_func, probe->dtpr_name);
	if (dtrace_nprobes >= 2 * dtrace_hashsize)
		dtrace_hash_grow();
	dtrace_hash_insert(probe);
	dtrace_probetab_ensure(pid);
	membar_producer();
	dtrace_probetab->dtpt_probes[pid - 1] = probe;
	if (pid > dtrace_maxid)
		dtrace_maxid = pid;
	dtrace_nprobes++;
	prov->dtpv_nprobes++;
	mutex_exit(&dtrace_lock);
	return pid;
}

dtrace_id_t dtrace_probe_lookup(dtrace_provider_id_t id, const char *mod,
				const char *func, const char *name)
{
	dtrace_provider_t *prov;
	dtrace_probe_impl_t *probe = NULL;
	char m[DTRACE_MODNAMELEN], f[DTRACE_FUNCNAMELEN], n[DTRACE_NAMELEN];
	dtrace_id_t found = DTRACE_IDNONE;

	/* Compare as dtrace_probe_create stored them: truncated. */
	dtrace_strcpy(m, mod, sizeof(m));
	dtrace_strcpy(f, func, sizeof(f));
	dtrace_strcpy(n, name, sizeof(n));
	mutex_enter(&dtrace_lock);
	prov = dtrace_provider_find(id);
	if (prov != NULL)
		probe = dtrace_hash_find(prov, m, f, n);
	/* Under the lock: a removal may free the probe right after. */
	if (probe != NULL)
		found = probe->dtpr_id;
	mutex_exit(&dtrace_lock);
	return found;
}

void *dtrace_probe_arg(dtrace_provider_id_t id, dtrace_id_t pid)
{
	dtrace_probe_impl_t *probe;
	void *arg = NULL;

	mutex_enter(&dtrace_lock);
	probe = dtrace_probe_get(pid);
	if (probe != NULL && (uintptr_t)probe->dtpr_provider == id)
		arg = probe->dtpr_arg;
	mutex_exit(&dtrace_lock);
	return arg;
}

void dtrace_provide_all(const dtrace_probedesc_t *desc)
{
	dtrace_provider_t *p;

	ASSERT(!MUTEX_HELD(&dtrace_lock));
	mutex_enter(&dtrace_provider_lock);
	for (p = dtrace_providers; p != NULL; p = p->dtpv_next) {
		if (p->dtpv_invalid || p->dtpv_pops.dtps_provide == NULL)
			continue;
		if (desc != NULL &&
		    !dtrace_match_glob(desc->dtpd_provider, p->dtpv_name))
			continue;
		p->dtpv_pops.dtps_provide(p->dtpv_arg, desc);
	}
	mutex_exit(&dtrace_provider_lock);
}

/* Providers with dtps_enable/dtps_disable calls to commit (dtrace_lock). */
static dtrace_provider_t *dtrace_uncommitted;

static void dtrace_provider_touch(dtrace_provider_t *prov)
{
	ASSERT(MUTEX_HELD(&dtrace_lock));
	if (prov->dtpv_pops.dtps_commit == NULL || prov->dtpv_uncommitted)
		return;
	prov->dtpv_uncommitted = 1;
	prov->dtpv_commit_next = dtrace_uncommitted;
	dtrace_uncommitted = prov;
}

int dtrace_commit(void)
{
	dtrace_provider_t *prov;
	int err = 0, e;

	ASSERT(MUTEX_HELD(&dtrace_lock));
	while ((prov = dtrace_uncommitted) != NULL) {
		dtrace_uncommitted = prov->dtpv_commit_next;
		prov->dtpv_commit_next = NULL;
		prov->dtpv_uncommitted = 0;
		e = prov->dtpv_pops.dtps_commit(prov->dtpv_arg);
		if (e != 0 && err == 0)
			err = e;
	}
	return err;
}

int dtrace_ecb_link(dtrace_ecb_t *ecb)
{
	dtrace_probe_impl_t *probe = ecb->dte_probe;
	dtrace_provider_t *prov = probe->dtpr_provider;
	int err;

	ASSERT(MUTEX_HELD(&dtrace_lock));
	if (probe->dtpr_nenabled == 0) {
		if (mod_hold_enabled(prov->dtpv_ctl) != 0)
			return EBUSY; /* the provider's module is going */
		err = prov->dtpv_pops.dtps_enable(
			prov->dtpv_arg, probe->dtpr_id, probe->dtpr_arg);
		dtrace_provider_touch(prov);
		if (err != 0) {
			mod_rele_enabled(prov->dtpv_ctl);
			return err;
		}
	}
	ecb->dte_next = probe->dtpr_ecb;
	membar_producer();
	probe->dtpr_ecb = ecb;
	probe->dtpr_nenabled++;
	ecb->dte_linked = 1;
	return 0;
}

void dtrace_ecb_unlink(dtrace_ecb_t *ecb)
{
	dtrace_probe_impl_t *probe = ecb->dte_probe;
	dtrace_provider_t *prov = probe->dtpr_provider;
	dtrace_ecb_t *volatile *pp;

	ASSERT(MUTEX_HELD(&dtrace_lock));
	if (!ecb->dte_linked)
		return;
	for (pp = &probe->dtpr_ecb; *pp != ecb; pp = &(*pp)->dte_next)
		ASSERT(*pp != NULL);
	/* One store; ecb->dte_next stays valid for a firing on it. */
	*pp = ecb->dte_next;
	ecb->dte_linked = 0;
	if (--probe->dtpr_nenabled == 0) {
		prov->dtpv_pops.dtps_disable(prov->dtpv_arg, probe->dtpr_id,
					     probe->dtpr_arg);
		dtrace_provider_touch(prov);
		mod_rele_enabled(prov->dtpv_ctl);
	}
}

static void dtrace_fill_ioc_probe(const dtrace_probe_impl_t *p,
				  dtrace_ioc_probe_t *out)
{
	__builtin_memset(out, 0, sizeof(*out));
	out->id = p->dtpr_id;
	out->nenablings = p->dtpr_nenabled;
	dtrace_strcpy(out->desc.provider, p->dtpr_provider->dtpv_name,
		      sizeof(out->desc.provider));
	dtrace_strcpy(out->desc.mod, p->dtpr_mod, sizeof(out->desc.mod));
	dtrace_strcpy(out->desc.func, p->dtpr_func, sizeof(out->desc.func));
	dtrace_strcpy(out->desc.name, p->dtpr_name, sizeof(out->desc.name));
}

/* A NUL within each field of an ioctl description. */
static int dtrace_ioc_desc_valid(const dtrace_ioc_desc_t *d)
{
	return dtrace_strlen(d->provider, sizeof(d->provider)) <
		       sizeof(d->provider) &&
	       dtrace_strlen(d->mod, sizeof(d->mod)) < sizeof(d->mod) &&
	       dtrace_strlen(d->func, sizeof(d->func)) < sizeof(d->func) &&
	       dtrace_strlen(d->name, sizeof(d->name)) < sizeof(d->name);
}

/* Validate an ioctl description and turn it into a probe description. */
int dtrace_ioc_desc_convert(const dtrace_ioc_desc_t *in,
			    dtrace_probedesc_t *out)
{
	if (!dtrace_ioc_desc_valid(in))
		return EINVAL;
	out->dtpd_id = DTRACE_IDNONE;
	dtrace_strcpy(out->dtpd_provider, in->provider,
		      sizeof(out->dtpd_provider));
	dtrace_strcpy(out->dtpd_mod, in->mod, sizeof(out->dtpd_mod));
	dtrace_strcpy(out->dtpd_func, in->func, sizeof(out->dtpd_func));
	dtrace_strcpy(out->dtpd_name, in->name, sizeof(out->dtpd_name));
	return 0;
}

/* LIST's cursor: the next probe id, the filter, the total seen. */
typedef struct dtrace_list_cursor {
	const dtrace_probedesc_t *dlc_desc;
	dtrace_id_t dlc_id;
	uint32_t dlc_total;
	int dlc_done;
} dtrace_list_cursor_t;

static uint32_t dtrace_list_fill(void *arg, void *chunk, uint32_t max,
				 int *done)
{
	dtrace_list_cursor_t *c = arg;
	dtrace_ioc_probe_t *out = chunk;
	uint32_t n = 0;

	while (n < max && c->dlc_id <= dtrace_maxid) {
		dtrace_probe_impl_t *p = dtrace_probe_get(c->dlc_id++);

		if (p != NULL && dtrace_probe_matches(p, c->dlc_desc))
			dtrace_fill_ioc_probe(p, &out[n++]);
	}
	*done = c->dlc_done = c->dlc_id > dtrace_maxid;
	c->dlc_total = dtrace_nprobes;
	return n;
}

int dtrace_probe_list(dtrace_ioc_list_t *req, int mode)
{
	dtrace_probedesc_t desc;
	dtrace_list_cursor_t c;
	uint32_t returned;
	int err;

	err = dtrace_ioc_desc_convert(&req->filter, &desc);
	if (err != 0)
		return err;
	if (req->count == 0 || req->provide > 1)
		return EINVAL;
	if (req->count > DTRACE_IOC_LIST_MAX)
		return E2BIG;
	if (req->provide)
		dtrace_provide_all(&desc);
	else
		dtrace_provide_all(NULL);

	c.dlc_desc = &desc;
	c.dlc_id = req->first_id != 0 ? req->first_id : 1;
	c.dlc_total = 0;
	c.dlc_done = 0;
	err = dtrace_copyout_paged(dtrace_list_fill, &c,
				   sizeof(dtrace_ioc_probe_t), req->buf,
				   req->count, mode, &returned);
	if (err != 0)
		return err;
	req->returned = returned;
	req->next_id = c.dlc_done ? 0 : c.dlc_id;
	req->total = c.dlc_total;
	return 0;
}

int dtrace_core_init(void)
{
	if (dtrace_initialized)
		return EBUSY;
	mutex_init(&dtrace_provider_lock, "dtrace_provider_lock", MUTEX_DEFAULT,
		   NULL);
	mutex_init(&dtrace_lock, "dtrace_lock", MUTEX_DEFAULT, NULL);
	dtrace_arena =
		vmem_create("dtrace_probe_ids", (void *)1, 0xfffffffeU, 1, NULL,
			    NULL, NULL, 0, VM_SLEEP | VMC_IDENTIFIER);
	if (dtrace_arena == NULL) {
		mutex_destroy(&dtrace_lock);
		mutex_destroy(&dtrace_provider_lock);
		return ENOMEM;
	}
	dtrace_hashsize = DTRACE_HASH_INITIAL;
	dtrace_hash =
		kmem_zalloc(dtrace_hashsize * sizeof(*dtrace_hash), KM_SLEEP);
	dtrace_probetab = kmem_zalloc(
		dtrace_probetab_bytes(DTRACE_PROBETAB_INITIAL), KM_SLEEP);
	dtrace_probetab->dtpt_size = DTRACE_PROBETAB_INITIAL;
	dtrace_nprobes = 0;
	dtrace_maxid = 0;
	dtrace_initialized = 1;
	return 0;
}

int dtrace_core_fini(void)
{
	dtrace_probetab_t *tab;

	if (!dtrace_initialized)
		return 0;
	mutex_enter(&dtrace_provider_lock);
	if (dtrace_providers != NULL || dtrace_state_count() != 0) {
		mutex_exit(&dtrace_provider_lock);
		return EBUSY;
	}
	mutex_exit(&dtrace_provider_lock);
	ASSERT0(dtrace_nprobes);
	tab = dtrace_probetab;
	dtrace_probetab = NULL;
	dtrace_sync();
	kmem_free(tab, dtrace_probetab_bytes(tab->dtpt_size));
	kmem_free(dtrace_hash, dtrace_hashsize * sizeof(*dtrace_hash));
	dtrace_hash = NULL;
	vmem_destroy(dtrace_arena);
	dtrace_arena = NULL;
	ASSERT0(dtrace_nrefusals); /* each provider took its own along */
	if (dtrace_refusals != NULL)
		kmem_free(dtrace_refusals,
			  DTRACE_REFUSED_MAX * sizeof(*dtrace_refusals));
	dtrace_refusals = NULL;
	dtrace_refusals_dropped = 0;
	mutex_destroy(&dtrace_lock);
	mutex_destroy(&dtrace_provider_lock);
	dtrace_initialized = 0;
	return 0;
}
