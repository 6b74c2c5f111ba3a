// SPDX-License-Identifier: GPL-2.0
/*
 * The sdt provider: statically defined probes (sys/sdt.h).
 *
 * Big Theory Statement
 * --------------------
 * A probe site (sdt_probe_t) is a static object in the module that fires
 * it; DTRACE_PROBEn(site, ...) loads site->sdp_enabled and, when it is not
 * 0, calls dtrace_probe() with that id. Modules hand tables of sites to
 * this provider (sdt_register_probes); the dtrace module's own sites are
 * the table below. The provider's state is:
 *   sdt_tables   the registered tables (a list under sdt_lock);
 *   per site     sdp_id: its probe, created by sdt_provide (or at
 *                registration), 0 before and after; sdp_enabled: the
 *                probe id while enabled, else 0.
 *
 * Transitions of a site (sdp_id, sdp_enabled):
 *   (0, 0)   -> (id, 0)   probe created: provide or registration
 *   (id, 0)  -> (id, id)  dtps_enable: the site starts firing
 *   (id, id) -> (id, 0)   dtps_disable: it stops (a firing that already
 *                         loaded the id still calls dtrace_probe, which
 *                         finds no ECB: harmless)
 *   (id, 0)  -> (0, 0)    dtps_destroy (after dtrace_sync): unregister
 *                         of its table, or of the provider
 * sdt_enable/disable/destroy run under the core's dtrace_lock and take no
 * lock of ours (lock order: sdt_lock is taken before dtrace_lock, in
 * sdt_provide under dtrace_provider_lock and in (un)registration).
 *
 * A module that registers its table after a consumer enabled a
 * description that names its probes gets them enabled at once
 * (dtrace_enabling_matchall, after sdt_lock is dropped).
 *
 * Unloading a module with sites: its _fini calls sdt_unregister_probes,
 * which removes the table's module's probes with
 * dtrace_probe_remove_module; EBUSY while one is enabled, and the module
 * must then refuse to unload (Solaris modules do the same). On Linux a
 * module cannot refuse in its exit function, so the refusal comes
 * earlier: registration records the module (mod_running_ctl from its
 * _init; otherwise mod_containing_pc of the first site, a static object
 * of the module), and enable holds it until disable (mod_hold_enabled): rmmod
 * of a module with an enabled site fails with EBUSY, as illumos refuses a
 * module whose mod_nenabled is not 0.
 * A table's sites name one module, within the probe name limits, so that
 * removal by module name finds every probe the table created.
 *
 * Contexts: registration and the provider operations are process context;
 * the sites fire in any context (sys/sdt.h).
 */
#include <sys/types.h>
#include <sys/debug.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/modctl.h>
#include <sys/mutex.h>
#include <sys/sdt.h>
#include <sys/dtrace_impl.h>

/* The dtrace module's own probes (fired in dtrace_state.c). */
SDT_PROBE_DEFINE2(dtrace_state_go, "dtrace", "dtrace_state_go", "go", "minor_t",
		  "uint64_t");
SDT_PROBE_DEFINE1(dtrace_state_stop, "dtrace", "dtrace_state_stop", "stop",
		  "minor_t");
SDT_PROBE_DEFINE2(dtrace_buffer_switch, "dtrace", "dtrace_state_bufsnap",
		  "switch", "uint32_t", "uint64_t");

static sdt_probe_t *const sdt_dtrace_probes[] = {
	&sdt_probe_dtrace_state_go,
	&sdt_probe_dtrace_state_stop,
	&sdt_probe_dtrace_buffer_switch,
};

typedef struct sdt_table {
	sdt_probe_t *const *st_probes;
	uint32_t st_n;
	struct modctl *st_ctl; /* the registering module, or NULL */
	struct sdt_table *st_next;
} sdt_table_t;

static kmutex_t sdt_lock;
static sdt_table_t *sdt_tables;
static dtrace_provider_id_t sdt_id;
static int sdt_registered;

static const dtrace_pattr_t sdt_attr = {
	{DTRACE_STABILITY_EVOLVING, DTRACE_STABILITY_EVOLVING,
	 DTRACE_CLASS_COMMON},
	{DTRACE_STABILITY_PRIVATE, DTRACE_STABILITY_PRIVATE,
	 DTRACE_CLASS_UNKNOWN},
	{DTRACE_STABILITY_PRIVATE, DTRACE_STABILITY_PRIVATE,
	 DTRACE_CLASS_UNKNOWN},
	{DTRACE_STABILITY_EVOLVING, DTRACE_STABILITY_EVOLVING,
	 DTRACE_CLASS_COMMON},
	{DTRACE_STABILITY_PRIVATE, DTRACE_STABILITY_PRIVATE,
	 DTRACE_CLASS_UNKNOWN},
};

/* Under sdt_lock: create the probes of a table's sites that lack one. */
static void sdt_create_table(const sdt_table_t *t)
{
	uint32_t i;

	ASSERT(MUTEX_HELD(&sdt_lock));
	if (!sdt_registered)
		return;
	for (i = 0; i < t->st_n; i++) {
		sdt_probe_t *sp = t->st_probes[i];

		sp->sdp_ctl = t->st_ctl;
		if (sp->sdp_id != DTRACE_IDNONE)
			continue;
		sp->sdp_id = dtrace_probe_lookup(sdt_id, sp->sdp_mod,
						 sp->sdp_func, sp->sdp_name);
		if (sp->sdp_id == DTRACE_IDNONE)
			sp->sdp_id = dtrace_probe_create(sdt_id, sp->sdp_mod,
							 sp->sdp_func,
							 sp->sdp_name, 0, sp);
	}
}

static void sdt_provide(void *arg, const dtrace_probedesc_t *desc)
{
	const sdt_table_t *t;

	(void)arg;
	(void)desc; /* every site is cheap: create them all */
	mutex_enter(&sdt_lock);
	for (t = sdt_tables; t != NULL; t = t->st_next)
		sdt_create_table(t);
	mutex_exit(&sdt_lock);
}

/*
 * The site's module stays loaded while its probe is enabled (illumos:
 * mod_nenabled): unloaded under a consumer, its site and table would be
 * freed memory that disable and the next provide still use.
 */
static int sdt_enable(void *arg, dtrace_id_t id, void *parg)
{
	sdt_probe_t *sp = parg;

	(void)arg;
	if (mod_hold_enabled(sp->sdp_ctl) != 0)
		return EBUSY; /* the module is being unloaded */
	sp->sdp_enabled = id;
	return 0;
}

static void sdt_disable(void *arg, dtrace_id_t id, void *parg)
{
	sdt_probe_t *sp = parg;

	(void)arg;
	(void)id;
	sp->sdp_enabled = DTRACE_IDNONE;
	mod_rele_enabled(sp->sdp_ctl);
}

static void sdt_getargdesc(void *arg, dtrace_id_t id, void *parg,
			   dtrace_argdesc_t *desc)
{
	sdt_probe_t *sp = parg;
	const char *type;
	size_t n = 0;

	(void)arg;
	(void)id;
	if (desc->dtargd_ndx < 0 || desc->dtargd_ndx >= DTRACE_NARGS ||
	    (type = sp->sdp_argtypes[desc->dtargd_ndx]) == NULL) {
		desc->dtargd_ndx = -1;
		return;
	}
	while (n < sizeof(desc->dtargd_native) - 1 && type[n] != '\0') {
		desc->dtargd_native[n] = type[n];
		n++;
	}
	desc->dtargd_native[n] = '\0';
}

static void sdt_destroy(void *arg, dtrace_id_t id, void *parg)
{
	sdt_probe_t *sp = parg;

	(void)arg;
	(void)id;
	sp->sdp_enabled = DTRACE_IDNONE;
	sp->sdp_id = DTRACE_IDNONE;
}

static const dtrace_pops_t sdt_pops = {
	.dtps_provide = sdt_provide,
	.dtps_enable = sdt_enable,
	.dtps_disable = sdt_disable,
	.dtps_getargdesc = sdt_getargdesc,
	.dtps_destroy = sdt_destroy,
};

/* s is a string shorter than size (its terminator fits). */
static int sdt_fits(const char *s, size_t size)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; i < size; i++)
		if (s[i] == '\0')
			return 1;
	return 0;
}

static int sdt_streq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int sdt_register_probes(sdt_probe_t *const *probes, uint32_t n)
{
	sdt_table_t *t;
	uint32_t i;

	if (probes == NULL || n == 0)
		return EINVAL;
	/*
	 * One module per table, named within the probe name limits: the
	 * table's probes are removed by module name, which must match the
	 * name they were created with (truncated, they would not).
	 */
	for (i = 0; i < n; i++)
		if (probes[i] == NULL || probes[i]->sdp_name == NULL ||
		    probes[i]->sdp_name[0] == '\0' ||
		    !sdt_fits(probes[i]->sdp_mod, DTRACE_MODNAMELEN) ||
		    !sdt_streq(probes[i]->sdp_mod, probes[0]->sdp_mod) ||
		    (probes[i]->sdp_func != NULL &&
		     !sdt_fits(probes[i]->sdp_func, DTRACE_FUNCNAMELEN)) ||
		    !sdt_fits(probes[i]->sdp_name, DTRACE_NAMELEN))
			return EINVAL;
	t = kmem_zalloc(sizeof(*t), KM_SLEEP);
	t->st_probes = probes;
	t->st_n = n;
	t->st_ctl = mod_running_ctl();
	if (t->st_ctl == NULL) /* not from _init: the sites' module */
		t->st_ctl = mod_containing_pc((caddr_t)probes[0]);
	mutex_enter(&sdt_lock);
	{
		sdt_table_t *o;

		for (o = sdt_tables; o != NULL; o = o->st_next) {
			if (o->st_probes == probes) {
				mutex_exit(&sdt_lock);
				kmem_free(t, sizeof(*t));
				return EINVAL;
			}
		}
	}
	t->st_next = sdt_tables;
	sdt_tables = t;
	sdt_create_table(t);
	mutex_exit(&sdt_lock);
	/* Enablings made before this module came: they cover it too. */
	(void)dtrace_enabling_matchall();
	return 0;
}

int sdt_unregister_probes(sdt_probe_t *const *probes, uint32_t n)
{
	sdt_table_t **tp, *t;
	int err = 0;

	mutex_enter(&sdt_lock);
	for (tp = &sdt_tables; *tp != NULL; tp = &(*tp)->st_next)
		if ((*tp)->st_probes == probes && (*tp)->st_n == n)
			break;
	t = *tp;
	if (t == NULL) {
		mutex_exit(&sdt_lock);
		return EINVAL;
	}
	if (sdt_registered)
		err = dtrace_probe_remove_module(sdt_id, probes[0]->sdp_mod);
	if (err == 0)
		*tp = t->st_next;
	mutex_exit(&sdt_lock);
	if (err == 0)
		kmem_free(t, sizeof(*t));
	return err;
}

int sdt_init(void)
{
	int err;

	mutex_init(&sdt_lock, "sdt_lock", MUTEX_DEFAULT, NULL);
	err = dtrace_register("sdt", &sdt_attr, DTRACE_PRIV_KERNEL, NULL,
			      &sdt_pops, NULL, &sdt_id);
	if (err != 0) {
		mutex_destroy(&sdt_lock);
		return err;
	}
	mutex_enter(&sdt_lock);
	sdt_registered = 1;
	mutex_exit(&sdt_lock);
	err = sdt_register_probes(sdt_dtrace_probes,
				  sizeof(sdt_dtrace_probes) /
					  sizeof(sdt_dtrace_probes[0]));
	if (err != 0) {
		(void)sdt_fini();
		return err;
	}
	return 0;
}

int sdt_fini(void)
{
	int err;

	/* The dtrace module's own table; other modules must be gone. */
	(void)sdt_unregister_probes(sdt_dtrace_probes,
				    sizeof(sdt_dtrace_probes) /
					    sizeof(sdt_dtrace_probes[0]));
	mutex_enter(&sdt_lock);
	if (sdt_tables != NULL) {
		mutex_exit(&sdt_lock);
		return EBUSY;
	}
	mutex_exit(&sdt_lock);
	/* Without sdt_lock: dtrace_provider_lock comes before it. */
	err = dtrace_unregister(sdt_id);
	if (err != 0)
		return err;
	mutex_enter(&sdt_lock);
	sdt_registered = 0;
	mutex_exit(&sdt_lock);
	mutex_destroy(&sdt_lock);
	return 0;
}
