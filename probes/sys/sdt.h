/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/sdt.h: statically defined tracing for solcompat-based modules.
 *
 * A probe site is a static object naming the probe (provider sdt, a
 * module, a function and a name, plus the C types of its arguments):
 *
 *	SDT_PROBE_DEFINE2(mymod_req_done, "mymod", "req_complete", "done",
 *	    "struct req *", "int");
 *
 * and the code fires it where the event happens:
 *
 *	DTRACE_PROBE2(mymod_req_done, struct req *, rp, int, error);
 *
 * The module hands the sites to the sdt provider from its _init, and takes
 * them back in its _fini (EBUSY while one is enabled, so the module must
 * refuse to unload):
 *
 *	static sdt_probe_t *const mymod_sdt[] = { &sdt_probe_mymod_req_done };
 *	sdt_register_probes(mymod_sdt, 1);  ...  sdt_unregister_probes(...)
 *
 * One module name per table: unregistering removes every sdt probe of the
 * table's module. A disabled site costs one load and a not-taken branch;
 * an enabled one calls dtrace_probe(). Illumos patches the call sites
 * instead (no load); Linux gives a loadable module no portable way to
 * patch its own text, and this costs nanoseconds.
 *
 * The site's first argument is arg0. Arguments are passed as uintptr_t:
 * integers are converted (sign-extended), pointers keep their value.
 */
#ifndef _DTRACE_SYS_SDT_H
#define _DTRACE_SYS_SDT_H

#include <sys/types.h>
#include <sys/dtrace.h>

struct modctl;

typedef struct sdt_probe {
	const char *sdp_mod;
	const char *sdp_func;
	const char *sdp_name;
	const char *sdp_argtypes[DTRACE_NARGS]; /* NULL past the last */
	/* The probe id while enabled, else 0: what the site fires. */
	volatile dtrace_id_t sdp_enabled;
	/* The probe id once created (sdt.c, under its lock), else 0. */
	dtrace_id_t sdp_id;
	/* The module that registered the site (sdt.c), held while enabled. */
	struct modctl *sdp_ctl;
} sdt_probe_t;

#define SDT_PROBE_DECLARE(var) extern sdt_probe_t sdt_probe_##var

/* Declared first: the definition is global, for the module's probe list. */
#define SDT_PROBE_DEFINE_IMPL(var, mod, func, name, t0, t1, t2, t3, t4)        \
	SDT_PROBE_DECLARE(var);                                                \
	sdt_probe_t sdt_probe_##var = {                                        \
		(mod), (func), (name), {t0, t1, t2, t3, t4}, 0, 0}
#define SDT_PROBE_DEFINE0(var, mod, func, name)                                \
	SDT_PROBE_DEFINE_IMPL(var, mod, func, name, NULL, NULL, NULL, NULL,    \
			      NULL)
#define SDT_PROBE_DEFINE1(var, mod, func, name, t0)                            \
	SDT_PROBE_DEFINE_IMPL(var, mod, func, name, t0, NULL, NULL, NULL, NULL)
#define SDT_PROBE_DEFINE2(var, mod, func, name, t0, t1)                        \
	SDT_PROBE_DEFINE_IMPL(var, mod, func, name, t0, t1, NULL, NULL, NULL)
#define SDT_PROBE_DEFINE3(var, mod, func, name, t0, t1, t2)                    \
	SDT_PROBE_DEFINE_IMPL(var, mod, func, name, t0, t1, t2, NULL, NULL)
#define SDT_PROBE_DEFINE4(var, mod, func, name, t0, t1, t2, t3)                \
	SDT_PROBE_DEFINE_IMPL(var, mod, func, name, t0, t1, t2, t3, NULL)
#define SDT_PROBE_DEFINE5(var, mod, func, name, t0, t1, t2, t3, t4)            \
	SDT_PROBE_DEFINE_IMPL(var, mod, func, name, t0, t1, t2, t3, t4)

#define SDT_FIRE(var, a0, a1, a2, a3, a4)                                      \
	do {                                                                   \
		dtrace_id_t sdt_id_ = sdt_probe_##var.sdp_enabled;             \
		if (__builtin_expect(sdt_id_ != DTRACE_IDNONE, 0))             \
			dtrace_probe(sdt_id_, (a0), (a1), (a2), (a3), (a4));   \
	} while (0)

#define SDT_ARG(t, a) ((uintptr_t)(t)(a))

/* Context: Any context (the site's own). */
#define DTRACE_PROBE(var) SDT_FIRE(var, 0, 0, 0, 0, 0)
#define DTRACE_PROBE1(var, t0, a0) SDT_FIRE(var, SDT_ARG(t0, a0), 0, 0, 0, 0)
#define DTRACE_PROBE2(var, t0, a0, t1, a1)                                     \
	SDT_FIRE(var, SDT_ARG(t0, a0), SDT_ARG(t1, a1), 0, 0, 0)
#define DTRACE_PROBE3(var, t0, a0, t1, a1, t2, a2)                             \
	SDT_FIRE(var, SDT_ARG(t0, a0), SDT_ARG(t1, a1), SDT_ARG(t2, a2), 0, 0)
#define DTRACE_PROBE4(var, t0, a0, t1, a1, t2, a2, t3, a3)                     \
	SDT_FIRE(var, SDT_ARG(t0, a0), SDT_ARG(t1, a1), SDT_ARG(t2, a2),       \
		 SDT_ARG(t3, a3), 0)
#define DTRACE_PROBE5(var, t0, a0, t1, a1, t2, a2, t3, a3, t4, a4)             \
	SDT_FIRE(var, SDT_ARG(t0, a0), SDT_ARG(t1, a1), SDT_ARG(t2, a2),       \
		 SDT_ARG(t3, a3), SDT_ARG(t4, a4))

/*
 * Give a table of sites to the sdt provider; their probes exist from now
 * on (or from when the sdt provider registers). 0, or EINVAL for a bad
 * table or a table already registered.
 * Context: Process context. May sleep.
 */
int sdt_register_probes(sdt_probe_t *const *probes, uint32_t n);

/*
 * Take a table back: its probes are removed. EBUSY (and nothing changes)
 * while one of them is enabled; EINVAL for a table not registered.
 * Context: Process context. May sleep.
 */
int sdt_unregister_probes(sdt_probe_t *const *probes, uint32_t n);

#endif /* _DTRACE_SYS_SDT_H */
