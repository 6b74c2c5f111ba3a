// SPDX-License-Identifier: GPL-2.0
/*
 * The profile provider: probes that fire at a fixed rate, from cyclics.
 *
 * Big Theory Statement
 * --------------------
 * Two kinds of probe, named by rate (the DTrace guide's profile provider):
 *   profile-N   fires on every CPU, N times a second per CPU: an omni
 *               cyclic (cyclic_add_omni), one pinned timer per CPU,
 *               including CPUs that come online later.
 *   tick-N      fires on one CPU (the one that enabled it), N times a
 *               second: a plain cyclic (cyclic_add).
 * N is a rate in Hz, or an interval with a unit suffix: ns, nsec, us,
 * usec, ms, msec, s, sec, m, min, h, hour, d, day; "hz" is the explicit
 * rate suffix. tick-10ms fires every 10 ms; profile-997 997 times a
 * second. Intervals below 200 us are refused (as illumos does), so a
 * careless description cannot turn every CPU into a timer handler.
 *
 * Probes: the provider creates a default set when asked for everything
 * (dtps_provide with no description), and any other well-formed name on
 * demand when a description names it literally (e.g. "profile:::tick-3s"
 * from an ENABLE or LIST), up to PROFILE_MAX probes.
 *
 * Arguments: illumos passes the interrupted kernel PC (arg0) and user PC
 * (arg1). solcompat's cyclics do not hand the interrupted register state
 * to the handler, so both are 0 here; consumers that need the PC use a
 * kprobe-based provider.
 *
 * Firing: the cyclics are CY_HIGH_LEVEL, a hard-interrupt hrtimer with
 * interrupts off (also on PREEMPT_RT), so the handler is probe context
 * nested on whatever the CPU was doing; it calls only dtrace_probe().
 * enable/disable run under dtrace_lock (process context) and may sleep in
 * cyclic_add/cyclic_remove; cyclic_remove returns only after a handler in
 * flight finished, and dtrace_probe() takes no lock, so this cannot
 * deadlock. The probe structure is freed in dtps_destroy, after the core's
 * dtrace_sync() and after the cyclic is gone (a probe is disabled before
 * it can be destroyed).
 *
 * Contexts: provider operations: process context; profile_fire: any
 * context (probe-context tier).
 */
#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/cyclic.h>
#include <sys/debug.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/time.h>
#include <sys/dtrace_impl.h>

#define PROFILE_MAX 1000 /* probes this provider will create */
#define PROFILE_INTERVAL_MIN (NANOSEC / 5000) /* 200 us */

typedef enum profile_kind { PROFILE_PROFILE, PROFILE_TICK } profile_kind_t;

typedef struct profile_probe {
	dtrace_id_t prof_id;
	profile_kind_t prof_kind;
	hrtime_t prof_interval;
	cyclic_id_t prof_cyclic;
} profile_probe_t;

static dtrace_provider_id_t profile_id;
static volatile uint32_t profile_count; /* probes that exist */

static const dtrace_pattr_t profile_attr = {
	{DTRACE_STABILITY_EVOLVING, DTRACE_STABILITY_EVOLVING,
	 DTRACE_CLASS_COMMON},
	{DTRACE_STABILITY_UNSTABLE, DTRACE_STABILITY_UNSTABLE,
	 DTRACE_CLASS_UNKNOWN},
	{DTRACE_STABILITY_PRIVATE, DTRACE_STABILITY_PRIVATE,
	 DTRACE_CLASS_UNKNOWN},
	{DTRACE_STABILITY_EVOLVING, DTRACE_STABILITY_EVOLVING,
	 DTRACE_CLASS_COMMON},
	{DTRACE_STABILITY_EVOLVING, DTRACE_STABILITY_EVOLVING,
	 DTRACE_CLASS_COMMON},
};

/* ---- probe-context tier: the cyclic handler ---- */

PROBE_CONTEXT void profile_fire(void *arg)
{
	const profile_probe_t *prof = arg;

	/* arg0/arg1 (kernel/user PC) are not available: see above. */
	dtrace_probe(prof->prof_id, 0, 0, 0, 0, 0);
}
PROBE_CONTEXT_SYMBOL(profile_fire);

/* ---- end of the probe-context tier ---- */

static const struct {
	const char *pu_name;
	hrtime_t pu_mult; /* ns per unit; 0: the value is Hz */
} profile_units[] = {
	{"ns", 1},
	{"nsec", 1},
	{"us", 1000},
	{"usec", 1000},
	{"ms", 1000000},
	{"msec", 1000000},
	{"s", NANOSEC},
	{"sec", NANOSEC},
	{"m", 60 * NANOSEC},
	{"min", 60 * NANOSEC},
	{"h", 3600 * NANOSEC},
	{"hour", 3600 * NANOSEC},
	{"d", 86400 * NANOSEC},
	{"day", 86400 * NANOSEC},
	{"hz", 0},
	{"", 0},
};

static int profile_streq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/*
 * Parse "profile-N[unit]" / "tick-N[unit]" into a kind and an interval.
 * Returns 0, or -1 for anything else (including a rate out of range).
 */
static int profile_parse(const char *name, profile_kind_t *kind,
			 hrtime_t *interval)
{
	const char *p;
	uint64_t val = 0;
	size_t u;

	if (name[0] == 'p' && name[1] == 'r' && name[2] == 'o' &&
	    name[3] == 'f' && name[4] == 'i' && name[5] == 'l' &&
	    name[6] == 'e' && name[7] == '-') {
		*kind = PROFILE_PROFILE;
		p = name + 8;
	} else if (name[0] == 't' && name[1] == 'i' && name[2] == 'c' &&
		   name[3] == 'k' && name[4] == '-') {
		*kind = PROFILE_TICK;
		p = name + 5;
	} else {
		return -1;
	}
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		val = val * 10 + (uint64_t)(*p - '0');
		if (val > 1000000000000ULL) /* keeps every product in range */
			return -1;
	}
	if (val == 0)
		return -1;
	for (u = 0; u < sizeof(profile_units) / sizeof(profile_units[0]); u++) {
		if (!profile_streq(p, profile_units[u].pu_name))
			continue;
		if (profile_units[u].pu_mult == 0) {
			*interval = NANOSEC / (hrtime_t)val;
		} else {
			if (val >
			    (uint64_t)(CY_INFINITY / profile_units[u].pu_mult))
				return -1;
			*interval = (hrtime_t)val * profile_units[u].pu_mult;
		}
		return *interval < PROFILE_INTERVAL_MIN ? -1 : 0;
	}
	return -1;
}

/* Create the probe if its name parses and it does not exist yet. */
static void profile_create(const char *name)
{
	profile_probe_t *prof;
	profile_kind_t kind;
	hrtime_t interval;

	if (profile_parse(name, &kind, &interval) != 0)
		return;
	if (dtrace_probe_lookup(profile_id, NULL, NULL, name) != DTRACE_IDNONE)
		return;
	if (profile_count >= PROFILE_MAX)
		return;
	prof = kmem_zalloc(sizeof(*prof), KM_SLEEP);
	prof->prof_kind = kind;
	prof->prof_interval = interval;
	prof->prof_cyclic = CYCLIC_NONE;
	atomic_inc_32(&profile_count);
	if (dtrace_probe_create(profile_id, NULL, NULL, name, 0, prof) ==
	    DTRACE_IDNONE) {
		/* Not created (no room): nothing refers to prof. */
		atomic_dec_32(&profile_count);
		kmem_free(prof, sizeof(*prof));
	}
}

static const char *const profile_defaults[] = {
	"profile-97",	"profile-199",	"profile-499",	"profile-997",
	"profile-1999", "profile-4001", "profile-4999", "tick-1",
	"tick-10",	"tick-100",	"tick-500",	"tick-1000",
	"tick-5000",	"tick-1s",	"tick-10ms",	"tick-100ms",
};

static void profile_provide(void *arg, const dtrace_probedesc_t *desc)
{
	size_t i;

	(void)arg;
	if (desc == NULL) {
		for (i = 0;
		     i < sizeof(profile_defaults) / sizeof(profile_defaults[0]);
		     i++)
			profile_create(profile_defaults[i]);
		return;
	}
	/* Our probes have no module or function: those must allow "". */
	if (!dtrace_match_glob(desc->dtpd_mod, "") ||
	    !dtrace_match_glob(desc->dtpd_func, "") ||
	    desc->dtpd_name[0] == '\0' ||
	    !dtrace_glob_is_literal(desc->dtpd_name))
		return;
	profile_create(desc->dtpd_name);
}

static void profile_online(void *arg, cpu_t *cpu, cyc_handler_t *hdlr,
			   cyc_time_t *when)
{
	(void)cpu;
	hdlr->cyh_func = profile_fire;
	hdlr->cyh_arg = arg;
	hdlr->cyh_level = CY_HIGH_LEVEL;
	when->cyt_when = 0;
	when->cyt_interval = ((profile_probe_t *)arg)->prof_interval;
}

static int profile_enable(void *arg, dtrace_id_t id, void *parg)
{
	profile_probe_t *prof = parg;

	(void)arg;
	ASSERT(prof->prof_cyclic == CYCLIC_NONE);
	/*
	 * The id the core enables, set before the cyclic can fire: a probe
	 * is visible (and may be enabled by a matching enabling elsewhere)
	 * before dtrace_probe_create has returned its id to profile_create.
	 */
	prof->prof_id = id;
	if (prof->prof_kind == PROFILE_TICK) {
		cyc_handler_t hdlr = {profile_fire, prof, CY_HIGH_LEVEL};
		cyc_time_t when = {0, prof->prof_interval};

		prof->prof_cyclic = cyclic_add(&hdlr, &when);
	} else {
		cyc_omni_handler_t omni = {profile_online, NULL, prof};

		prof->prof_cyclic = cyclic_add_omni(&omni);
	}
	return prof->prof_cyclic == CYCLIC_NONE ? ENOMEM : 0;
}

static void profile_disable(void *arg, dtrace_id_t id, void *parg)
{
	profile_probe_t *prof = parg;

	(void)arg;
	(void)id;
	if (prof->prof_cyclic != CYCLIC_NONE) {
		cyclic_remove(prof->prof_cyclic);
		prof->prof_cyclic = CYCLIC_NONE;
	}
}

static void profile_destroy(void *arg, dtrace_id_t id, void *parg)
{
	profile_probe_t *prof = parg;

	(void)arg;
	(void)id;
	ASSERT(prof->prof_cyclic == CYCLIC_NONE);
	kmem_free(prof, sizeof(*prof));
	atomic_dec_32(&profile_count);
}

static void profile_getargdesc(void *arg, dtrace_id_t id, void *parg,
			       dtrace_argdesc_t *desc)
{
	static const char type[] = "uintptr_t";
	size_t i;

	(void)arg;
	(void)id;
	(void)parg;
	if (desc->dtargd_ndx < 0 || desc->dtargd_ndx > 1) {
		desc->dtargd_ndx = -1;
		return;
	}
	for (i = 0; i < sizeof(type); i++)
		desc->dtargd_native[i] = type[i];
}

static const dtrace_pops_t profile_pops = {
	.dtps_provide = profile_provide,
	.dtps_enable = profile_enable,
	.dtps_disable = profile_disable,
	.dtps_getargdesc = profile_getargdesc,
	.dtps_destroy = profile_destroy,
};

/*
 * Register the profile provider (the dtrace module's _init).
 * Context: Process context. May sleep.
 */
int profile_init(void)
{
	return dtrace_register("profile", &profile_attr, DTRACE_PRIV_KERNEL,
			       NULL, &profile_pops, NULL, &profile_id);
}

/*
 * Unregister it; EBUSY while one of its probes is enabled.
 * Context: Process context. May sleep.
 */
int profile_fini(void)
{
	return dtrace_unregister(profile_id);
}
