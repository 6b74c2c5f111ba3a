/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/dtrace.h: the provider interface of the probe core ("the dtrace
 * module"), after the DTrace provider model of dtrace(7D): a provider
 * registers a table of operations, creates probes named
 * provider:module:function:name, and fires them with dtrace_probe().
 *
 * Simplifications against illumos (documented, deliberate):
 *   - dtrace_pattr_t carries the five stability attributes but the core
 *     does not use them; priv and cr of dtrace_register are accepted and
 *     ignored (the device itself is privileged).
 *   - there is no dtps_provide_module, dtps_mode or dtps_getargval: modules
 *     with static probes register them through sys/sdt.h.
 *   - dtrace_probe_remove_module() is an extension: it removes one
 *     module's probes of one provider, what illumos does from
 *     dtrace_module_unloaded() for every provider.
 *
 * Everything but dtrace_probe() is process context (it may allocate and
 * take the core's adaptive mutexes); dtrace_probe() is callable from any
 * context. Lock order: a provider's own lock may be held around any of
 * these calls except dtrace_unregister, dtrace_condense and
 * dtrace_probe_remove_module, which call back into the provider
 * (dtps_destroy); the ops are called with the core's locks held and may
 * not call dtrace_register/unregister/condense themselves.
 */
#ifndef _DTRACE_SYS_DTRACE_H
#define _DTRACE_SYS_DTRACE_H

#include <sys/types.h>
#include <sys/cred.h>

typedef uint32_t dtrace_id_t;		/* probe id; 0 is never a probe */
typedef uintptr_t dtrace_provider_id_t; /* opaque; 0 is never a provider */

#define DTRACE_IDNONE 0
#define DTRACE_PROVNAMELEN 64
#define DTRACE_MODNAMELEN 64
#define DTRACE_FUNCNAMELEN 128
#define DTRACE_NAMELEN 64
#define DTRACE_ARGTYPELEN 128
#define DTRACE_NARGS 5 /* arguments a probe passes: arg0 .. arg4 */

/* Privilege argument of dtrace_register (accepted, unused here). */
#define DTRACE_PRIV_NONE 0x0000
#define DTRACE_PRIV_KERNEL 0x0008

/*
 * A probe description. Empty fields match anything; otherwise a field is a
 * glob pattern: '*' any string, '?' any character, '[...]' a set ('!'
 * first negates, 'a-z' ranges), '\' quotes the next character.
 */
typedef struct dtrace_probedesc {
	dtrace_id_t dtpd_id; /* DTRACE_IDNONE, or a specific probe */
	char dtpd_provider[DTRACE_PROVNAMELEN];
	char dtpd_mod[DTRACE_MODNAMELEN];
	char dtpd_func[DTRACE_FUNCNAMELEN];
	char dtpd_name[DTRACE_NAMELEN];
} dtrace_probedesc_t;

/* Stability attributes (dtrace(7D)); informational only. */
typedef uint8_t dtrace_stability_t;
typedef uint8_t dtrace_class_t;

#define DTRACE_STABILITY_INTERNAL 0
#define DTRACE_STABILITY_PRIVATE 1
#define DTRACE_STABILITY_OBSOLETE 2
#define DTRACE_STABILITY_EXTERNAL 3
#define DTRACE_STABILITY_UNSTABLE 4
#define DTRACE_STABILITY_EVOLVING 5
#define DTRACE_STABILITY_STABLE 6
#define DTRACE_STABILITY_STANDARD 7

#define DTRACE_CLASS_UNKNOWN 0
#define DTRACE_CLASS_CPU 1
#define DTRACE_CLASS_PLATFORM 2
#define DTRACE_CLASS_GROUP 3
#define DTRACE_CLASS_ISA 4
#define DTRACE_CLASS_COMMON 5

typedef struct dtrace_attribute {
	dtrace_stability_t dtat_name;
	dtrace_stability_t dtat_data;
	dtrace_class_t dtat_class;
} dtrace_attribute_t;

typedef struct dtrace_pattr {
	dtrace_attribute_t dtpa_provider;
	dtrace_attribute_t dtpa_mod;
	dtrace_attribute_t dtpa_func;
	dtrace_attribute_t dtpa_name;
	dtrace_attribute_t dtpa_args;
} dtrace_pattr_t;

/* Argument description filled by dtps_getargdesc. */
typedef struct dtrace_argdesc {
	dtrace_id_t dtargd_id; /* probe (in) */
	int dtargd_ndx;	       /* argument number (in); -1 (out): none */
	char dtargd_native[DTRACE_ARGTYPELEN]; /* C type name (out) */
} dtrace_argdesc_t;

/*
 * Provider operations. Called from process context with the core's locks
 * held (see above); may sleep. parg is the argument the provider gave to
 * dtrace_probe_create.
 *   dtps_provide     create probes matching desc (NULL: the default set).
 *                    May be called any number of times: create only what
 *                    does not exist yet (dtrace_probe_lookup).
 *   dtps_enable      the probe gets its first enabling: start firing it.
 *                    Returns 0, or an errno to refuse.
 *   dtps_disable     its last enabling went away: stop firing it. Firings
 *                    already under way may still arrive (the core ignores
 *                    them).
 *   dtps_getargdesc  optional: describe argument desc->dtargd_ndx, or set
 *                    dtargd_ndx to -1.
 *   dtps_destroy     the probe is being freed (it is disabled and no CPU
 *                    is firing it any more).
 *   dtps_commit      optional: make the dtps_enable and dtps_disable calls
 *                    since the last commit take effect. The core calls it
 *                    at the end of each series (an enabling linked, an
 *                    enabling unlinked), before it relies on their effect
 *                    (returning to the consumer, dtrace_sync). A provider
 *                    without it must start and stop firing in
 *                    dtps_enable/dtps_disable themselves; one with it may
 *                    defer that work and do it in one go (fbt: one kernel
 *                    code update for a thousand entry probes). Returns 0,
 *                    or an errno: an enabling being linked is then undone.
 */
typedef struct dtrace_pops {
	void (*dtps_provide)(void *arg, const dtrace_probedesc_t *desc);
	int (*dtps_enable)(void *arg, dtrace_id_t id, void *parg);
	void (*dtps_disable)(void *arg, dtrace_id_t id, void *parg);
	void (*dtps_suspend)(void *arg, dtrace_id_t id, void *parg);
	void (*dtps_resume)(void *arg, dtrace_id_t id, void *parg);
	void (*dtps_getargdesc)(void *arg, dtrace_id_t id, void *parg,
				dtrace_argdesc_t *desc);
	void (*dtps_destroy)(void *arg, dtrace_id_t id, void *parg);
	int (*dtps_commit)(void *arg);
} dtrace_pops_t;

/*
 * Register a provider named name (1 to DTRACE_PROVNAMELEN - 1 characters,
 * no ':'; unique). dtps_enable, dtps_disable and dtps_destroy are
 * required. On success *idp is the provider's id and 0 is returned;
 * otherwise EINVAL (bad arguments) or EEXIST (name taken).
 * Context: Process context. May sleep.
 */
int dtrace_register(const char *name, const dtrace_pattr_t *pap, uint32_t priv,
		    cred_t *cr, const dtrace_pops_t *pops, void *arg,
		    dtrace_provider_id_t *idp);

/*
 * Remove a provider and all its probes (dtps_destroy is called for each,
 * after no CPU can be firing it). EBUSY if any of its probes is enabled.
 * Context: Process context. May sleep.
 */
int dtrace_unregister(dtrace_provider_id_t id);

/*
 * Mark a provider invalid: its probes match no new enabling. Existing
 * enablings continue until disabled.
 * Context: Process context. May sleep.
 */
void dtrace_invalidate(dtrace_provider_id_t id);

/*
 * Remove every probe of the provider that is not enabled (dtps_destroy is
 * called for each). Returns 0.
 * Context: Process context. May sleep.
 */
int dtrace_condense(dtrace_provider_id_t id);

/*
 * Remove every probe of the provider whose module is mod, calling
 * dtps_destroy for each; EBUSY (and nothing removed) if one is enabled.
 * Context: Process context. May sleep.
 */
int dtrace_probe_remove_module(dtrace_provider_id_t id, const char *mod);

/*
 * Create a probe of the provider. mod and func may be NULL or empty; name
 * may not. Names longer than their field are truncated. aframes is
 * accepted and unused. Returns the new id; a probe of the same name must
 * not exist (look it up first). DTRACE_IDNONE (and a warning) for an
 * unregistered provider or an empty name.
 * Context: Process context. May sleep.
 */
dtrace_id_t dtrace_probe_create(dtrace_provider_id_t id, const char *mod,
				const char *func, const char *name, int aframes,
				void *arg);

/*
 * The id of the provider's probe mod:func:name (exact names; NULL means
 * empty), or DTRACE_IDNONE.
 * Context: Process context. May sleep.
 */
dtrace_id_t dtrace_probe_lookup(dtrace_provider_id_t id, const char *mod,
				const char *func, const char *name);

/*
 * The provider will not create probe mod:func:name although a description
 * named it, for reason (a short sentence). The core keeps the most recent
 * reason per probe name for consumers (DTRACEIOC_REFUSED), so nothing is
 * skipped silently; records go with the provider.
 * Context: Process context. May sleep.
 */
void dtrace_probe_refuse(dtrace_provider_id_t id, const char *mod,
			 const char *func, const char *name,
			 const char *reason);

/*
 * The arg given to dtrace_probe_create for probe pid of this provider, or
 * NULL.
 * Context: Process context. May sleep.
 */
void *dtrace_probe_arg(dtrace_provider_id_t id, dtrace_id_t pid);

/*
 * Fire a probe: run the actions of its enablings for the consumers that
 * are tracing. Never sleeps, allocates, takes a lock or cross-calls;
 * nested firings on one CPU (an NMI inside a probe, a probe inside an
 * action) are recorded up to DTRACE_MAX_NESTING levels, and dropped and
 * counted beyond. An id that is not (or no longer) a probe is ignored.
 * Context: Any context.
 */
void dtrace_probe(dtrace_id_t id, uintptr_t arg0, uintptr_t arg1,
		  uintptr_t arg2, uintptr_t arg3, uintptr_t arg4);

#endif /* _DTRACE_SYS_DTRACE_H */
