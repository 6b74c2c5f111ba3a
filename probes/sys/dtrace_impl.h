/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/dtrace_impl.h: the probe core's private structures and the
 * interfaces between its files (dtrace.c: providers and probes;
 * dtrace_state.c: consumers and enablings; dtrace_buffer.c: trace buffers;
 * dtrace_aggregate.c: aggregations; dtrace_probe_ctx.c: the firing path;
 * dtrace_match.c: probe description matching; dtrace_dev.c: the device).
 * Not for providers: they use sys/dtrace.h.
 *
 * Probe-context tier: functions marked PROBE_CONTEXT may run in any
 * context, nested on one CPU; they call only each other, inline
 * functions, and the solcompat entry points listed in
 * probes/probe_context.allow. Everything they touch is freed only after
 * dtrace_sync().
 */
#ifndef _DTRACE_SYS_DTRACE_IMPL_H
#define _DTRACE_SYS_DTRACE_IMPL_H

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/probe_context.h>
#include <sys/dtrace.h>
#include <sys/dtrace_ioctl.h>

/*
 * PROBE_CONTEXT (before a tier function: not instrumented by the function
 * tracer, so nothing ftrace or an ftrace-based kprobe can hook) and
 * PROBE_CONTEXT_SYMBOL(f) (after it: f goes on the module's kprobe
 * blacklist, which the kernel honours and tools/tiercheck checks) come
 * from solcompat's sys/probe_context.h, with no Linux include.
 */

/* A small helper of the tier, always folded into its (tier) caller. */
#define PROBE_CONTEXT_INLINE                                                   \
	inline __attribute__((__no_instrument_function__, __always_inline__))

/* Firings processed per CPU at once: the outermost plus nested ones. */
#define DTRACE_MAX_NESTING 4

/* ------------------------------------------------------------------ */
/* Providers and probes (dtrace.c)                                    */

typedef struct dtrace_provider {
	char dtpv_name[DTRACE_PROVNAMELEN];
	dtrace_pattr_t dtpv_attr;
	dtrace_pops_t dtpv_pops;
	void *dtpv_arg;
	int dtpv_invalid; /* dtrace_invalidate() called */
	/* The module the provider's code is in, held while a probe of it is
	   enabled (NULL: the kernel image, or not found). */
	struct modctl *dtpv_ctl;
	uint32_t dtpv_nprobes;
	struct dtrace_provider *dtpv_next;
	/* On dtrace_uncommitted (dtrace_lock): changes to commit. */
	int dtpv_uncommitted;
	struct dtrace_provider *dtpv_commit_next;
} dtrace_provider_t;

struct dtrace_ecb;

typedef struct dtrace_probe_impl {
	dtrace_id_t dtpr_id;
	/* Enablings of this probe; walked in probe context. */
	struct dtrace_ecb *volatile dtpr_ecb;
	uint32_t dtpr_nenabled; /* ECBs on dtpr_ecb */
	dtrace_provider_t *dtpr_provider;
	void *dtpr_arg;
	const char *dtpr_mod; /* in the same allocation */
	const char *dtpr_func;
	const char *dtpr_name;
	size_t dtpr_size; /* of the allocation */
	uint32_t dtpr_hashval;
	struct dtrace_probe_impl *dtpr_hashnext;
} dtrace_probe_impl_t;

/*
 * The probe array: probes[id - 1]. Replaced as a whole when it grows
 * (the old one is freed after dtrace_sync), so probe context reads one
 * pointer and sees a consistent size.
 */
typedef struct dtrace_probetab {
	uint32_t dtpt_size;
	dtrace_probe_impl_t *dtpt_probes[];
} dtrace_probetab_t;

extern kmutex_t dtrace_provider_lock; /* outer: provide, (un)register */
extern kmutex_t dtrace_lock;	      /* inner: probes, ECB chains */
extern dtrace_probetab_t *volatile dtrace_probetab;

/*
 * Set up / tear down the core. fini: EBUSY while a provider is registered
 * or a consumer exists.
 * Context: Process context. May sleep.
 */
int dtrace_core_init(void);
int dtrace_core_fini(void);

/*
 * Let every valid provider whose name matches desc create the probes desc
 * names (desc NULL: the default set). Takes dtrace_provider_lock; the
 * caller must not hold dtrace_lock.
 * Context: Process context. May sleep.
 */
void dtrace_provide_all(const dtrace_probedesc_t *desc);

/*
 * The probe with this id, or NULL. Caller holds dtrace_lock.
 * Context: Process context.
 */
dtrace_probe_impl_t *dtrace_probe_get(dtrace_id_t id);

/*
 * The highest probe id handed out so far. Caller holds dtrace_lock.
 * Context: Process context.
 */
dtrace_id_t dtrace_probe_maxid(void);

/* Probes that exist. Caller holds dtrace_lock. Context: Process context. */
uint32_t dtrace_probe_count(void);

/*
 * Does the probe match the description (a valid provider, every field)?
 * Caller holds dtrace_lock.
 * Context: Process context.
 */
int dtrace_probe_matches(const dtrace_probe_impl_t *probe,
			 const dtrace_probedesc_t *desc);

/*
 * Link an ECB at the head of its probe's chain, enabling the probe with
 * its provider when it is the first; unlink one (disabling the probe when
 * it was the last). The caller holds dtrace_lock, and frees an unlinked
 * ECB only after dtrace_sync().
 * Context: Process context. May sleep.
 */
int dtrace_ecb_link(struct dtrace_ecb *ecb);
void dtrace_ecb_unlink(struct dtrace_ecb *ecb);

/*
 * Call dtps_commit of every provider whose dtps_enable or dtps_disable was
 * called since its last commit; returns 0 or the first error. The caller
 * holds dtrace_lock and calls it at the end of each series of links or
 * unlinks.
 * Context: Process context. May sleep.
 */
int dtrace_commit(void);

/*
 * Validate an ioctl probe description (a NUL within every field: EINVAL
 * otherwise) and convert it.
 * Context: Any context.
 */
int dtrace_ioc_desc_convert(const dtrace_ioc_desc_t *in,
			    dtrace_probedesc_t *out);

/* ------------------------------------------------------------------ */
/* Description matching (dtrace_match.c)                              */

/*
 * Does s match the glob pattern ('*', '?', '[set]', '\')? An empty pattern
 * matches anything.
 * Context: Any context.
 */
int dtrace_match_glob(const char *pattern, const char *s);

/*
 * Is pattern a literal (no glob characters), so that it names one string?
 * Context: Any context.
 */
int dtrace_glob_is_literal(const char *pattern);

/* ------------------------------------------------------------------ */
/* Trace buffers (dtrace_buffer.c, dtrace_probe_ctx.c)                */

/*
 * One CPU's pair of buffers of a consumer. dtb_cursor packs the index of
 * the principal buffer (bit 63) and the offset of its free space, so one
 * compare-and-swap reserves space and one swap switches buffers (see the
 * Big Theory Statement of dtrace_buffer.c).
 */
#define DTRACE_CURSOR_WHICH (1ULL << 63)
#define DTRACE_CURSOR_OFFSET (DTRACE_CURSOR_WHICH - 1)

typedef struct dtrace_buffer {
	volatile uint64_t dtb_cursor;
	volatile uint64_t dtb_drops; /* records lost: buffer full */
	char *dtb_data[2];
	uint64_t dtb_size;   /* bytes, each of the two */
	uint64_t dtb_pad[3]; /* one cache line per CPU */
} dtrace_buffer_t;

/*
 * Allocate / free ncpu buffer pairs of size bytes each.
 * Context: Process context. May sleep.
 */
dtrace_buffer_t *dtrace_buffer_alloc(uint32_t ncpu, uint64_t size);
void dtrace_buffer_free(dtrace_buffer_t *bufs, uint32_t ncpu);

/*
 * Switch cpu's buffers (a cross-call to it) and return the former
 * principal's data and length; valid until the next switch.
 * Context: Process context. May sleep.
 */
const char *dtrace_buffer_switch(dtrace_buffer_t *buf, processorid_t cpu,
				 uint64_t *lenp);

/*
 * Reserve len bytes in buf's principal buffer; NULL (and a drop counted)
 * when full.
 * Context: Any context.
 */
void *dtrace_buffer_reserve(dtrace_buffer_t *buf, uint64_t len);

/* ------------------------------------------------------------------ */
/* Aggregations (dtrace_aggregate.c, dtrace_probe_ctx.c)              */

/* Slot states; see the Big Theory Statement of dtrace_aggregate.c. */
#define DTRACE_AGGENT_FREE 0
#define DTRACE_AGGENT_CLAIMED 1
#define DTRACE_AGGENT_READY 2

typedef struct dtrace_aggent {
	volatile uint32_t dtae_state;
	dtrace_id_t dtae_probe;
	int64_t dtae_key[2];	      /* the action's key and key2 words */
	volatile int64_t dtae_vals[]; /* dtag_nvals */
} dtrace_aggent_t;

typedef struct dtrace_aggregation {
	uint32_t dtag_kind; /* DTRACE_IOC_ACT_* */
	uint32_t dtag_nvals;
	uint32_t dtag_nslots;  /* per CPU, a power of two */
	uint32_t dtag_entsize; /* bytes per slot */
	uint32_t dtag_ncpu;
	int64_t dtag_lq_base;
	int64_t dtag_lq_step;
	uint32_t dtag_lq_levels;
	char **dtag_cpu;	       /* [ncpu] slot arrays */
	volatile uint64_t *dtag_drops; /* [ncpu] */
} dtrace_aggregation_t;

/*
 * Create / free an aggregation for one action (validated by the caller)
 * of an enabling that matched nprobes probes (sizes the tables).
 * Context: Process context. May sleep.
 */
dtrace_aggregation_t *dtrace_aggregation_create(const dtrace_ioc_action_t *act,
						uint32_t ncpu,
						uint32_t nprobes);
void dtrace_aggregation_free(dtrace_aggregation_t *agg);

/* Values per entry for an action kind (lquantize: levels + 2). */
uint32_t dtrace_aggregation_nvals(const dtrace_ioc_action_t *act);

/*
 * Record one value for (probe, key) on this CPU; key is two words (the
 * action's key and key2, 0 when unused).
 * Context: Any context.
 */
void dtrace_aggregate(dtrace_aggregation_t *agg, processorid_t cpu,
		      dtrace_id_t probe, const int64_t *key, int64_t value);

/*
 * Sum (for min/max: combine) the CPUs' entries for (probe, key) into vals
 * (dtag_nvals values); returns whether any CPU had the key. Reads only:
 * for tests and peeks while probes fire.
 * Context: Any context.
 */
int dtrace_aggregation_peek(const dtrace_aggregation_t *agg, dtrace_id_t probe,
			    const int64_t *key, int64_t *vals);

/* Bucket of a value (see dtrace_ioctl.h). Context: Any context. */
uint32_t dtrace_quantize_bucket(int64_t value);
uint32_t dtrace_lquantize_bucket(const dtrace_aggregation_t *agg,
				 int64_t value);

/*
 * Merge every CPU's entries and hand each distinct (probe, key) to fn with
 * the merged values, in increasing (probe, key) order. Stops at and
 * returns fn's first non-zero result.
 * Context: Process context. May sleep.
 */
typedef int (*dtrace_aggwalk_fn_t)(void *arg, dtrace_id_t probe,
				   const int64_t *key, const int64_t *vals,
				   uint32_t nvals);
int dtrace_aggregation_walk(const dtrace_aggregation_t *agg,
			    dtrace_aggwalk_fn_t fn, void *arg);

/* Updates lost because a CPU's table was full. Context: Any context. */
uint64_t dtrace_aggregation_drops(const dtrace_aggregation_t *agg);

/* ------------------------------------------------------------------ */
/* Consumers, enablings and ECBs (dtrace_state.c)                     */

struct dtrace_state;

typedef struct dtrace_action {
	dtrace_ioc_action_t dta_desc;
	dtrace_aggregation_t *dta_agg; /* NULL for trace */
} dtrace_action_t;

typedef struct dtrace_enabling {
	uint32_t den_id;
	struct dtrace_state *den_state;
	uint32_t den_nactions;
	dtrace_action_t den_actions[DTRACE_IOC_MAXACTIONS];
	struct dtrace_ecb *den_ecbs; /* dte_enabling_next */
	uint32_t den_nprobes;
	int den_active; /* not disabled */
	dtrace_probedesc_t den_desc; /* what it matches, for later probes */
	struct dtrace_enabling *den_retained_next; /* under dtrace_lock */
} dtrace_enabling_t;

/*
 * Match the active enablings of every consumer against the probes that
 * exist now, and enable them on each matching probe they are not on yet:
 * what illumos's dtrace_enabling_matchall does. A provider that creates
 * probes other than from its dtps_provide callback (sdt when a module
 * registers its probes) calls it afterwards, with none of the core's locks
 * and none of its own held. Returns how many ECBs it linked. A probe
 * whose provider refuses the enable is left out (the others still are
 * enabled). The enabling's aggregations keep the size they got at ENABLE:
 * updates that do not fit are dropped and counted (AGGSNAP drops).
 * Context: Process context. May sleep.
 */
uint32_t dtrace_enabling_matchall(void);

/* Enabling control block: one enabling on one probe. */
typedef struct dtrace_ecb {
	struct dtrace_ecb *volatile dte_next; /* the probe's chain */
	struct dtrace_state *dte_state;
	dtrace_enabling_t *dte_enabling;
	dtrace_probe_impl_t *dte_probe;
	struct dtrace_ecb *dte_enabling_next;
	int dte_linked;
} dtrace_ecb_t;

/* Per consumer and CPU counters, updated in probe context. */
typedef struct dtrace_state_cpu {
	volatile uint64_t dtsc_fired;
	volatile uint64_t dtsc_nested;
	uint64_t dtsc_pad[6];
} dtrace_state_cpu_t;

typedef struct dtrace_state {
	kmutex_t dts_lock; /* the consumer's ioctls */
	minor_t dts_minor;
	volatile uint32_t dts_activity; /* DTRACE_IOC_STATE_* */
	uint32_t dts_ncpu;		/* CPU ids covered: max_ncpus */
	dtrace_enabling_t *dts_enablings[DTRACE_IOC_MAXENABLINGS];
	uint32_t dts_nenablings;	       /* active ones */
	dtrace_buffer_t *volatile dts_buffers; /* [dts_ncpu], after GO */
	uint64_t dts_bufsize;
	hrtime_t dts_start;
	hrtime_t dts_stop;
	dtrace_state_cpu_t *dts_cpu; /* [dts_ncpu] */
} dtrace_state_t;

/*
 * Create a consumer (minor is only recorded) / stop and free one.
 * Context: Process context. May sleep.
 */
dtrace_state_t *dtrace_state_create(minor_t minor);
void dtrace_state_destroy(dtrace_state_t *state);

/* Consumers that exist. Context: Any context. */
uint32_t dtrace_state_count(void);

/*
 * The consumer operations behind the ioctls; each validates its request
 * completely (the device only copies it in) and takes dts_lock. User
 * buffers are written with ddi_copyout(..., mode) (FKIOCTL: kernel
 * memory). Return 0 or an errno as documented in sys/dtrace_ioctl.h.
 * Context: Process context. May sleep.
 */
int dtrace_state_enable(dtrace_state_t *state, dtrace_ioc_enable_t *req);
int dtrace_state_disable(dtrace_state_t *state, uint32_t enabling_id);
int dtrace_state_go(dtrace_state_t *state, dtrace_ioc_go_t *req);
int dtrace_state_stop(dtrace_state_t *state, dtrace_ioc_stop_t *req);
int dtrace_state_bufsnap(dtrace_state_t *state, dtrace_ioc_bufsnap_t *req,
			 int mode);
int dtrace_state_aggsnap(dtrace_state_t *state, dtrace_ioc_aggsnap_t *req,
			 int mode);
void dtrace_state_status(dtrace_state_t *state, dtrace_ioc_status_t *st);
int dtrace_probe_list(dtrace_ioc_list_t *req, int mode);
int dtrace_probe_refused_list(dtrace_ioc_refused_t *req, int mode);

/*
 * The merged values of one aggregation action of an enabling for (probe,
 * key), without locks or allocation (tests). Returns 1 if found, 0 if
 * not, -1 for a bad enabling or action. The caller keeps the consumer
 * and the enabling alive.
 * Context: Any context.
 */
int dtrace_state_aggpeek(dtrace_state_t *state, uint32_t enabling_id,
			 uint32_t action, dtrace_id_t probe, int64_t key,
			 int64_t *vals, uint32_t nvals);

/* ------------------------------------------------------------------ */
/* The firing path (dtrace_probe_ctx.c)                                */

/* Per-CPU state of the firing path, not per consumer. */
typedef struct dtrace_cpu {
	volatile uint32_t dtcpu_depth; /* firings in progress here */
	uint32_t dtcpu_pad0;
	volatile uint64_t dtcpu_nested_drops; /* over DTRACE_MAX_NESTING */
	volatile uint64_t dtcpu_max_depth;    /* deepest nesting seen */
	uint64_t dtcpu_pad[5];
} dtrace_cpu_t;

extern dtrace_cpu_t dtrace_cpu[];

/* Firings dropped for nesting, all CPUs. Context: Any context. */
uint64_t dtrace_nested_drops(void);

/*
 * The rest of the tier, global so that every tier function is named in
 * the kprobe blacklist and checked by tools/tiercheck: this CPU's slot of
 * an aggregation for (probe, key), claimed if new (NULL when full); one
 * trace record into this CPU's principal buffer of a consumer; and the
 * profile provider's cyclic handler.
 * Context: Any context.
 */
dtrace_aggent_t *dtrace_aggent_lookup(dtrace_aggregation_t *agg,
				      processorid_t cpu, dtrace_id_t probe,
				      const int64_t *key);
void dtrace_trace_record(dtrace_state_t *state, processorid_t cpu,
			 const dtrace_ecb_t *ecb, dtrace_id_t id,
			 const uintptr_t *args, uint32_t depth, hrtime_t *now);
void profile_fire(void *arg);

/* ------------------------------------------------------------------ */
/* Providers built into the dtrace module (profile.c, sdt.c)          */

/*
 * Register / unregister the provider; fini returns EBUSY while one of its
 * probes is enabled (sdt: or while another module's table is registered).
 * Context: Process context. May sleep.
 */
int profile_init(void);
int profile_fini(void);
int sdt_init(void);
int sdt_fini(void);

#endif /* _DTRACE_SYS_DTRACE_IMPL_H */
