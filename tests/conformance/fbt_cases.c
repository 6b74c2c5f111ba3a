// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for the fbt provider (probes/fbt.c) over solcompat's
 * trap points (sys/trap_probe.h). They run in fbt_test.ko
 * (tests/kernel/Kbuild) on the kernels' kprobes and ftrace, and in
 * fbt_test.model.so (tests/probes/CMakeLists.txt) on the model's.
 *
 * fbt_test.ko links a private instance of the probe core (probes/dtrace*.c,
 * profile.c, sdt.c, fbt.c; not dtrace_dev.c, the dtrace module's _init),
 * as tests/conformance/dtrace_cases.c does, and calls the consumer
 * operations behind the ioctls directly (FKIOCTL for kernel buffers). The
 * probed functions are this file's fbt_test_* functions, so their module
 * is "fbt_test" and their arguments and return values are known.
 *
 * The family is a sequence: setup enables entry and return of
 * fbt_test_args and starts a consumer; fire_in_every_context calls it in
 * each context class; the process-context cases after it check the trace
 * records, refusals, a kernel function, a timer nesting inside fbt probes
 * (with profile-4999 enabled at the same time), removal while firing,
 * refused and pending commits of the batched entry points, and tear down;
 * the last case checks pending commits once more with nothing else armed.
 * A case whose fixture is missing skips.
 */
#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/cmn_err.h>
#include <sys/cpuvar.h>
#include <sys/cyclic.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/sunddi.h>
#include <sys/time.h>
#include <sys/x_call.h>
#include <sys/trap_probe.h>
/* PROBE_CONTEXT_SYMBOL marks a function the kernel must refuse to probe. */
#include <sys/probe_context.h>
#include <sys/dtrace.h>
#include <sys/dtrace_impl.h>
#include <sys/fbt.h>
#include <impl/debug.h>

#include "sctest.h"

#define FT_MOD "fbt_test"
#define FT_NCTX 5
#define FT_BUFSIZE (64 * 1024)
#define FT_BIAS 0x5eed0000ULL

/*
 * fbt_test.ko's parameter census=<glob>: the vmlinux_census case gives the
 * kernel functions matching it their probes ("" skips it).
 */
extern char *fbt_test_census;

/*
 * fbt_test.ko's parameter many=<prefix>: the many_functions_enabled case
 * enables every kernel function whose name starts with it ("" skips it);
 * many_min=<n>: the fewest functions it must have probed.
 */
extern char *fbt_test_many;
extern unsigned int fbt_test_many_min;

/* ---- the probed functions: never inlined, cloned or specialised ---- */

#define FT_TARGET __attribute__((__noipa__))

static FT_TARGET uintptr_t fbt_test_args(uintptr_t a, uintptr_t b,
					 uintptr_t c, uintptr_t d, uintptr_t e)
{
	return a * 3 + b * 5 + c * 7 + d * 11 + e * 13 + FT_BIAS;
}

static FT_TARGET uintptr_t fbt_test_loop(uintptr_t i)
{
	return i * 2 + 1;
}

static FT_TARGET uintptr_t fbt_test_busy(uintptr_t i)
{
	return i ^ 0x5a;
}

/* Trap points of their own, no fbt probes (pending_enable_not_armed). */
static FT_TARGET uintptr_t fbt_test_pend_a(uintptr_t i)
{
	return i + 3;
}

static FT_TARGET uintptr_t fbt_test_pend_b(uintptr_t i)
{
	return i + 5;
}

/* On the kernel's kprobe blacklist, as a probe-context function would be. */
static FT_TARGET void fbt_test_blacklisted(void)
{
	__asm__ __volatile__("" ::: "memory");
}
PROBE_CONTEXT_SYMBOL(fbt_test_blacklisted);

static uintptr_t ft_expected(uintptr_t a, uintptr_t b, uintptr_t c,
			     uintptr_t d, uintptr_t e)
{
	return a * 3 + b * 5 + c * 7 + d * 11 + e * 13 + FT_BIAS;
}

/* Arguments of the call made in context index i. */
#define FT_ARG(i, n) ((uintptr_t)0xa000 + (uintptr_t)(i) * 0x100 + (n))

static struct {
	int ready;
	int core_up, profile_up, sdt_up, fbt_up;
	dtrace_state_t *state;
	uint32_t e_entry, e_return;	/* trace + count */
	dtrace_id_t p_entry, p_return;
	volatile uint32_t called[FT_NCTX];	/* calls per context */
	volatile uint32_t fired[FT_NCTX];	/* entry count deltas */
	/* the nesting and removal cases */
	volatile uint32_t timer_calls, timer_in_trap, timer_busy;
} ft;

static void ft_strcpy(char *dst, const char *src, size_t size)
{
	size_t n = 0;

	while (n + 1 < size && src[n] != '\0') {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
}

static void ft_desc(dtrace_ioc_desc_t *d, const char *prov, const char *mod,
		    const char *func, const char *name)
{
	__builtin_memset(d, 0, sizeof (*d));
	ft_strcpy(d->provider, prov, sizeof (d->provider));
	ft_strcpy(d->mod, mod, sizeof (d->mod));
	ft_strcpy(d->func, func, sizeof (d->func));
	ft_strcpy(d->name, name, sizeof (d->name));
}

/* Enable desc with count (action 0) and, if trace, trace (action 1). */
static int ft_enable(const char *prov, const char *mod, const char *func,
		     const char *name, int trace, uint32_t *idp,
		     uint32_t *nprobes)
{
	static dtrace_ioc_enable_t req;	/* 656 bytes: not on the stack */
	int err;

	__builtin_memset(&req, 0, sizeof (req));
	ft_desc(&req.desc, prov, mod, func, name);
	req.actions[0].kind = DTRACE_IOC_ACT_COUNT;
	req.actions[0].key = DTRACE_IOC_KEY_PROBE;
	req.nactions = 1;
	if (trace) {
		req.actions[1].kind = DTRACE_IOC_ACT_TRACE;
		req.nactions = 2;
	}
	err = dtrace_state_enable(ft.state, &req);
	if (err == 0) {
		*idp = req.enabling_id;
		if (nprobes != NULL)
			*nprobes = req.nprobes;
	}
	return err;
}

/* The id of the one probe matching a description (no provide), or 0. */
static dtrace_id_t ft_probe_id(const char *mod, const char *func,
			       const char *name)
{
	static dtrace_ioc_list_t req;
	static dtrace_ioc_probe_t out[2];
	int err;

	__builtin_memset(&req, 0, sizeof (req));
	ft_desc(&req.filter, "fbt", mod, func, name);
	req.count = 2;
	req.buf = (uint64_t)(uintptr_t)out;
	err = dtrace_probe_list(&req, FKIOCTL);
	return err == 0 && req.returned == 1 ? out[0].id : DTRACE_IDNONE;
}

/* Merged count (action 0) of probe in enabling en; any context. */
static int64_t ft_count(uint32_t en, dtrace_id_t probe)
{
	int64_t vals[2] = { 0, 0 };

	if (dtrace_state_aggpeek(ft.state, en, 0, probe, 0, vals, 2) != 1)
		return 0;
	return vals[0];
}

/* Calls through a volatile pointer: the call is a real call. */
static uintptr_t (*volatile ft_args_fn)(uintptr_t, uintptr_t, uintptr_t,
					uintptr_t, uintptr_t) = fbt_test_args;
static uintptr_t (*volatile ft_loop_fn)(uintptr_t) = fbt_test_loop;
static uintptr_t (*volatile ft_busy_fn)(uintptr_t) = fbt_test_busy;
static void (*volatile ft_blacklisted_fn)(void) = fbt_test_blacklisted;

/* ---- setup ---- */

SCTEST_CASE(fbt, setup)
{
	dtrace_ioc_go_t go = { FT_BUFSIZE, 0 };
	uint32_t n;

	__builtin_memset(&ft, 0, sizeof (ft));
	SCT_EQ(dtrace_core_init(), 0);
	ft.core_up = 1;
	SCT_EQ(profile_init(), 0);
	ft.profile_up = 1;
	SCT_EQ(sdt_init(), 0);
	ft.sdt_up = 1;
	SCT_EQ(fbt_init(), 0);
	ft.fbt_up = 1;
	ft.state = dtrace_state_create(0);

	/* Nothing exists until a description names it. */
	SCT_EQ(ft_probe_id(FT_MOD, "fbt_test_args", "entry"), DTRACE_IDNONE);
	SCT_EQ(ft_enable("fbt", FT_MOD, "fbt_test_args", "entry", 1,
			 &ft.e_entry, &n), 0);
	SCT_EQ(n, 1);
	SCT_EQ(ft_enable("fbt", "", "fbt_test_args", "return", 1,
			 &ft.e_return, &n), 0);
	SCT_EQ(n, 1);
	ft.p_entry = ft_probe_id(FT_MOD, "fbt_test_args", "entry");
	ft.p_return = ft_probe_id(FT_MOD, "fbt_test_args", "return");
	SCT_NE(ft.p_entry, DTRACE_IDNONE);
	SCT_NE(ft.p_return, DTRACE_IDNONE);
	SCT_EQ(dtrace_state_go(ft.state, &go), 0);
	ft.ready = 1;
}

/* ---- firing in every context ---- */

/*
 * Call fbt_test_args with arguments that name the context. Its entry and
 * return probes fire once each, except the return probe in probe context:
 * there the call happens inside another kprobe's handler, where the kernel
 * does not call a second kprobe handler and counts a miss instead (checked
 * by the next case). The entry probe is armed through an ftrace_ops
 * (linux/trap.c, "Batched entry points"), which ftrace calls inside a
 * kprobe handler too, in the kernels and in the model. ftrace calls that
 * callback preemptible, and probe context refuses and reports a caller
 * that could move to another CPU: no report may come from the call.
 */
SCTEST_CASE(fbt, fire_in_every_context)
{
	unsigned int ctx = SCTEST_CONTEXT();
	int i = __builtin_ctz(ctx);
	int64_t e0, r0, e1, r1;
	unsigned long m0, m1;
	uintptr_t rv;

	if (!ft.ready)
		SCT_SKIP("no fixture: fbt.setup did not pass");
	e0 = ft_count(ft.e_entry, ft.p_entry);
	r0 = ft_count(ft.e_return, ft.p_return);
	m0 = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	rv = ft_args_fn(FT_ARG(i, 1), FT_ARG(i, 2), FT_ARG(i, 3), FT_ARG(i, 4),
			FT_ARG(i, 5));
	m1 = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	e1 = ft_count(ft.e_entry, ft.p_entry);
	r1 = ft_count(ft.e_return, ft.p_return);
	atomic_inc_32(&ft.called[i]);
	atomic_add_32(&ft.fired[i], (uint32_t)(e1 - e0));
	SCT_EQ(rv, ft_expected(FT_ARG(i, 1), FT_ARG(i, 2), FT_ARG(i, 3),
			       FT_ARG(i, 4), FT_ARG(i, 5)));
	SCT_EQ(e1 - e0, 1);
	SCT_EQ(r1 - r0, ctx == SCTEST_PROBE ? 0 : 1);
	/* The handlers ran pinned to this CPU (probe enter/exit say so). */
	SCT_EQ(m1, m0);
}

/* ---- process-context checks ---- */

/*
 * Every entry record carries exactly the five arguments of one call, every
 * return record the return value of that call and the offset of a return
 * instruction of fbt_test_args; one of each per context, but no return
 * record in probe context, whose return hits were counted as missed
 * instead.
 */
SCTEST_CASE(fbt, records_carry_arguments_and_return_value)
{
	static char buf[FT_BUFSIZE];
	static dtrace_ioc_bufsnap_t snap;
	uint32_t entries[FT_NCTX] = { 0 }, returns[FT_NCTX] = { 0 };
	uint32_t cpu, r, i, n;
	uintptr_t offset = 0;
	trap_sym_t sym;
	unsigned char byte;

	if (!ft.ready)
		SCT_SKIP("no fixture: fbt.setup did not pass");
	for (cpu = 0; cpu < ft.state->dts_ncpu; cpu++) {
		__builtin_memset(&snap, 0, sizeof (snap));
		snap.cpu = cpu;
		snap.buf = (uint64_t)(uintptr_t)buf;
		snap.size = sizeof (buf);
		SCT_EQ(dtrace_state_bufsnap(ft.state, &snap, FKIOCTL), 0);
		SCT_EQ(snap.drops, 0);
		for (r = 0; r < snap.nrecs; r++) {
			const dtrace_ioc_trace_rec_t *rec =
				(const dtrace_ioc_trace_rec_t *)buf + r;

			SCT_EQ(rec->depth, 0);
			if (rec->enabling_id == ft.e_entry) {
				SCT_EQ(rec->probe_id, ft.p_entry);
				i = (uint32_t)((rec->args[0] - 0xa000) >> 8);
				SCT_LT(i, FT_NCTX);
				for (n = 0; n < 5; n++)
					SCT_EQ(rec->args[n], FT_ARG(i, n + 1));
				entries[i]++;
			} else if (rec->enabling_id == ft.e_return) {
				SCT_EQ(rec->probe_id, ft.p_return);
				for (i = 0; i < FT_NCTX; i++)
					if (rec->args[1] ==
					    ft_expected(FT_ARG(i, 1),
							FT_ARG(i, 2),
							FT_ARG(i, 3),
							FT_ARG(i, 4),
							FT_ARG(i, 5)))
						break;
				SCT_LT(i, FT_NCTX);
				if (offset == 0)
					offset = rec->args[0];
				/* One return site in this function. */
				SCT_EQ(rec->args[0], offset);
				SCT_EQ(rec->args[2], 0);
				returns[i]++;
			}
		}
	}
	for (i = 0; i < FT_NCTX; i++) {
		uint32_t want = ft.called[i] -
				(1u << i == SCTEST_PROBE ? ft.called[i] : 0);

		SCT_EQ(entries[i], ft.called[i]);
		SCT_EQ(returns[i], want);
		SCT_EQ(ft.fired[i], ft.called[i]);
	}
	/* The probe-context returns are the misses the kernel counted. */
	i = __builtin_ctz(SCTEST_PROBE);
	SCT_EQ(fbt_probe_missed(ft.p_entry), 0);
	SCT_EQ(fbt_probe_missed(ft.p_return), ft.called[i]);

	/* arg0 of return: the offset of a return instruction. */
	SCT_GT(offset, 0);
	SCT_EQ(trap_sym_at((uintptr_t)fbt_test_args, &sym), 0);
	SCT_EQ(sym.ts_addr, (uintptr_t)fbt_test_args);
	SCT_LT(offset, sym.ts_size);
	/* Disarmed, the text shows the instruction again. */
	SCT_EQ(dtrace_state_disable(ft.state, ft.e_return), 0);
	SCT_EQ(trap_text_read(sym.ts_addr + offset, &byte, 1), 0);
	SCT_CHECK(byte == 0xc3 || byte == 0xc2 || byte == 0xe9);
}

/* Counters of fbt_stats before and after one refused description. */
static int ft_refused(const char *mod, const char *func, size_t counter)
{
	fbt_stats_t s0, s1;
	uint32_t id;
	int err;

	fbt_stats(&s0);
	err = ft_enable("fbt", mod, func, "entry", 0, &id, NULL);
	fbt_stats(&s1);
	if (err != ENOENT)
		return -1;
	return (int)(*(uint64_t *)((char *)&s1 + counter) -
		     *(uint64_t *)((char *)&s0 + counter));
}

#define FT_COUNTER(f) __builtin_offsetof(fbt_stats_t, f)

/*
 * What must not be probed is refused with the reason counted, and no probe
 * is created: a function of this module on the kprobe blacklist (as
 * PROBE_CONTEXT_SYMBOL puts it there), the kernel's own blacklist, fbt's
 * own firing function (marked likewise), and the probe core (own tier).
 */
/*
 * 1 if fbt's refusal of mod`func is listed (DTRACEIOC_REFUSED) with a
 * non-empty reason, 0 if it is not listed, -1 on an error.
 */
static int ft_refusal(const char *mod, const char *func)
{
	static dtrace_ioc_refused_t req;
	static dtrace_ioc_refusal_t out[2];

	__builtin_memset(&req, 0, sizeof(req));
	ft_desc(&req.filter, "fbt", mod, func, "");
	req.count = 2;
	req.buf = (uint64_t)(uintptr_t)out;
	if (dtrace_probe_refused_list(&req, FKIOCTL) != 0 || req.returned > 1)
		return -1;
	if (req.returned == 0)
		return 0;
	return out[0].reason[0] != '\0' && req.total >= 1 ? 1 : -1;
}

SCTEST_CASE(fbt, refuses_what_must_not_be_probed)
{
	static const char *const exits[] = { "sctest_exit", "cleanup_module" };
	fbt_stats_t s0, s1;
	uint32_t id, n;
	int err, k;

	if (!ft.ready)
		SCT_SKIP("no fixture: fbt.setup did not pass");
	ft_blacklisted_fn();
	SCT_EQ(ft_refused(FT_MOD, "fbt_test_blacklisted",
			  FT_COUNTER(fbts_refused_kernel)), 1);
	SCT_EQ(ft_refused(FT_MOD, "fbt_fire", FT_COUNTER(fbts_refused_kernel)),
	       1);
	SCT_EQ(ft_refused("vmlinux", "notify_die",
			  FT_COUNTER(fbts_refused_kernel)), 1);
	SCT_EQ(ft_refused(FT_MOD, "dtrace_probe",
			  FT_COUNTER(fbts_refused_self)), 1);
	/* The model has no solcompat module: linux/ is in its kernel image. */
	if (!sctest_in_model())
		SCT_EQ(ft_refused("solcompat", "solcompat_kmem_alloc",
				  FT_COUNTER(fbts_refused_self)), 1);
	SCT_EQ(ft_refused("", "no_such_function_at_all",
			  FT_COUNTER(fbts_functions)), 0);
	SCT_EQ(ft_probe_id(FT_MOD, "fbt_test_blacklisted", "entry"),
	       DTRACE_IDNONE);
	/* Each refusal is listed with its reason (DTRACEIOC_REFUSED). */
	SCT_EQ(ft_refusal(FT_MOD, "fbt_test_blacklisted"), 1);
	if (!sctest_in_model())
		SCT_EQ(ft_refusal("solcompat", "solcompat_kmem_alloc"), 1);
	SCT_EQ(ft_refusal(FT_MOD, "fbt_test_args"), 0); /* probed */

	/*
	 * The module's exit function is the last of its text. Where the page
	 * after the text is unmapped (6.12's module layout), registering a
	 * kprobe there made kprobes' jump optimizer read it and oops: the
	 * trap layer refuses (EFAULT), if the decoder has not refused it
	 * first. Where rodata follows (6.1), it is probed. Never an oops.
	 */
	/* Two names, one address: the symbol table shows one of them. */
	/* (A model module has no exit function.) */
	for (k = sctest_in_model() ? 2 : 0; k < 2; k++) {
		fbt_stats(&s0);
		err = ft_enable("fbt", FT_MOD, exits[k], "entry", 0, &id, &n);
		fbt_stats(&s1);
		if (err == 0) {
			SCT_EQ(n, 1);
			SCT_EQ(dtrace_state_disable(ft.state, id), 0);
			break;
		}
		SCT_EQ(err, ENOENT);
		/* Refused by the trap layer, or already by our decoder
		 * (the zero fill at the end of the text ends mid-instruction). */
		if (s1.fbts_refused_trap - s0.fbts_refused_trap +
			    s1.fbts_refused_decode - s0.fbts_refused_decode ==
		    1)
			break;
		SCT_EQ(s1.fbts_functions, s0.fbts_functions);
	}
	SCT_LT(k, sctest_in_model() ? 3 : 2);
	SCT_EQ(ft_probe_id(FT_MOD, "dtrace_probe", "entry"), DTRACE_IDNONE);
}

/*
 * A kernel function: copy_from_kernel_nofault (exported; trap_text_read
 * calls it), in its live text after boot-time return patching. Entry
 * records carry its three arguments exactly, return records its return
 * value: 0 for a readable source, an error for an unreadable one. (A
 * tail-calling function such as sprint_symbol has no return probe: its
 * callee returns for it.)
 */
SCTEST_CASE(fbt, kernel_function_entry_and_return)
{
	static char buf[FT_BUFSIZE];
	static dtrace_ioc_bufsnap_t snap;
	static unsigned char dst[32];
	uint32_t e, r, n, cpu, k, entries = 0, returns = 0, bad = 0;
	uintptr_t src = (uintptr_t)fbt_test_loop;
	dtrace_id_t pe, pr;
	int i;

	if (!ft.ready)
		SCT_SKIP("no fixture: fbt.setup did not pass");
	SCT_EQ(ft_enable("fbt", "vmlinux", "copy_from_kernel_nofault", "entry",
			 1, &e, &n), 0);
	SCT_EQ(n, 1);
	SCT_EQ(ft_enable("fbt", "vmlinux", "copy_from_kernel_nofault",
			 "return", 1, &r, &n), 0);
	SCT_EQ(n, 1);
	pe = ft_probe_id("vmlinux", "copy_from_kernel_nofault", "entry");
	pr = ft_probe_id("vmlinux", "copy_from_kernel_nofault", "return");
	SCT_NE(pe, DTRACE_IDNONE);
	SCT_NE(pr, DTRACE_IDNONE);
	for (i = 0; i < 3; i++)
		SCT_EQ(trap_text_read(src, dst, sizeof (dst)), 0);
	SCT_EQ(trap_text_read(16, dst, 8), EFAULT);
	SCT_EQ(dtrace_state_disable(ft.state, e), 0);
	SCT_EQ(dtrace_state_disable(ft.state, r), 0);
	/* Others may call it too: at least ours. */
	SCT_GE(ft_count(e, pe), 4);
	SCT_GE(ft_count(r, pr), 4);

	for (cpu = 0; cpu < ft.state->dts_ncpu; cpu++) {
		__builtin_memset(&snap, 0, sizeof (snap));
		snap.cpu = cpu;
		snap.buf = (uint64_t)(uintptr_t)buf;
		snap.size = sizeof (buf);
		SCT_EQ(dtrace_state_bufsnap(ft.state, &snap, FKIOCTL), 0);
		for (k = 0; k < snap.nrecs; k++) {
			const dtrace_ioc_trace_rec_t *rec =
				(const dtrace_ioc_trace_rec_t *)buf + k;

			if (rec->enabling_id == e &&
			    rec->args[0] == (uintptr_t)dst) {
				SCT_CHECK((rec->args[1] == src &&
					   rec->args[2] == sizeof (dst)) ||
					  (rec->args[1] == 16 &&
					   rec->args[2] == 8));
				entries++;
			} else if (rec->enabling_id == r) {
				/* Ours, or anyone's: 0 or a negative errno. */
				if (rec->args[1] != 0)
					bad++;
				returns++;
			}
		}
	}
	SCT_EQ(entries, 4);
	SCT_GE(returns, 4);
	SCT_GE(bad, 1);
}

/* A hard-interrupt timer on every CPU that calls a probed function. */
static void ft_timer(void *arg)
{
	(void)arg;
	if (trap_probe_depth() > 0)
		atomic_inc_32(&ft.timer_in_trap);
	(void)ft_loop_fn(7);
	atomic_inc_32(&ft.timer_calls);
}

static void ft_timer_busy(void *arg)
{
	(void)arg;
	(void)ft_busy_fn(3);
	atomic_inc_32(&ft.timer_busy);
}

static void ft_online(void *arg, cpu_t *cpu, cyc_handler_t *hdlr,
		      cyc_time_t *when)
{
	(void)cpu;
	hdlr->cyh_func = (cyc_func_t)arg;
	hdlr->cyh_arg = NULL;
	hdlr->cyh_level = CY_HIGH_LEVEL;
	when->cyt_when = 0;
	when->cyt_interval = 250 * 1000;	/* 4 kHz per CPU */
}

/*
 * CONTRACTS.md 2.6: a timer lands inside fbt probes. fbt entry and return
 * of fbt_test_loop and profile-4999 are enabled together; process context
 * calls fbt_test_loop in a loop while a 4 kHz hard-interrupt timer on
 * every CPU calls it too. A timer that lands while a trap handler runs
 * (interrupts are on in an entry handler) calls into another probe: the
 * kernel does not nest handlers and counts a miss. So, exactly:
 * fired + missed = calls, for entry and for return; profile-4999 fired;
 * no firing was dropped for nesting; and the timer did land inside trap
 * handlers (the loop runs until it has, a few seconds at most).
 */
SCTEST_CASE(fbt, timer_nests_inside_fbt_probes)
{
	cyc_omni_handler_t omni = { ft_online, NULL, (void *)ft_timer };
	dtrace_ioc_status_t st;
	uint32_t e, r, p, n, calls = 0;
	dtrace_id_t pe, pr, pp;
	cyclic_id_t cyc;
	hrtime_t start, now;
	int64_t ce, cr, cp;
	uint64_t me, mr;

	if (!ft.ready)
		SCT_SKIP("no fixture: fbt.setup did not pass");
	SCT_EQ(ft_enable("fbt", FT_MOD, "fbt_test_loop", "entry", 0, &e, &n),
	       0);
	SCT_EQ(n, 1);
	SCT_EQ(ft_enable("fbt", FT_MOD, "fbt_test_loop", "return", 0, &r, &n),
	       0);
	SCT_EQ(n, 1);
	SCT_EQ(ft_enable("profile", "", "", "profile-4999", 0, &p, &n), 0);
	SCT_EQ(n, 1);
	pe = ft_probe_id(FT_MOD, "fbt_test_loop", "entry");
	pr = ft_probe_id(FT_MOD, "fbt_test_loop", "return");
	{
		static dtrace_ioc_list_t req;
		static dtrace_ioc_probe_t out[2];

		__builtin_memset(&req, 0, sizeof (req));
		ft_desc(&req.filter, "profile", "", "", "profile-4999");
		req.count = 2;
		req.buf = (uint64_t)(uintptr_t)out;
		SCT_EQ(dtrace_probe_list(&req, FKIOCTL), 0);
		SCT_EQ(req.returned, 1);
		pp = out[0].id;
	}

	ft.timer_calls = 0;
	ft.timer_in_trap = 0;
	cyc = cyclic_add_omni(&omni);
	SCT_NE(cyc, CYCLIC_NONE);
	start = gethrtime();
	do {
		int k;

		for (k = 0; k < 1000; k++)
			(void)ft_loop_fn((uintptr_t)k);
		calls += 1000;
		now = gethrtime();
	} while (now - start < 8 * NANOSEC &&
		 (now - start < NANOSEC || ft.timer_in_trap < 20));
	cyclic_remove(cyc);

	ce = ft_count(e, pe);
	cr = ft_count(r, pr);
	cp = ft_count(p, pp);
	me = fbt_probe_missed(pe);
	mr = fbt_probe_missed(pr);
	dtrace_state_status(ft.state, &st);
	cmn_err(CE_NOTE, "fbt_test: %u loop calls, %u timer calls (%u inside "
		"a trap handler) in %lld ms; entry %lld + %llu missed, return "
		"%lld + %llu missed, profile-4999 %lld, nested %llu, dropped %llu",
		calls, ft.timer_calls, ft.timer_in_trap,
		(long long)((now - start) / 1000000), (long long)ce,
		(unsigned long long)me, (long long)cr, (unsigned long long)mr,
		(long long)cp, (unsigned long long)st.nested,
		(unsigned long long)st.nested_drops);
	SCT_EQ(ce + (int64_t)me, (int64_t)calls + ft.timer_calls);
	SCT_EQ(cr + (int64_t)mr, (int64_t)calls + ft.timer_calls);
	/*
	 * Only the timer's calls can land inside a handler and miss, never
	 * the loop's (a per-CPU depth gone astray would miss them too).
	 */
	SCT_LE(me, (uint64_t)ft.timer_calls);
	SCT_LE(mr, (uint64_t)ft.timer_calls);
	SCT_GT(cp, 0);
	SCT_GT(ft.timer_in_trap, 0);
	SCT_EQ(st.nested_drops, 0);
	SCT_EQ(dtrace_state_disable(ft.state, e), 0);
	SCT_EQ(dtrace_state_disable(ft.state, r), 0);
	SCT_EQ(dtrace_state_disable(ft.state, p), 0);
}

/*
 * Removing probes while they fire: a 4 kHz timer on every CPU and this
 * thread keep calling fbt_test_busy while its probe is disabled (disarm,
 * dtrace_sync) and destroyed (fbt_condense: trap points removed, which
 * waits for handlers). Nothing fires afterwards; a new description makes
 * the probe again and it fires.
 */
SCTEST_CASE(fbt, remove_while_firing)
{
	cyc_omni_handler_t omni = { ft_online, NULL, (void *)ft_timer_busy };
	uint32_t e, n, t0;
	dtrace_id_t pb;
	cyclic_id_t cyc;
	dtrace_id_t gone;
	hrtime_t start;
	int64_t fired, c0, c1;
	int k, disabled, condensed;

	if (!ft.ready)
		SCT_SKIP("no fixture: fbt.setup did not pass");
	SCT_EQ(ft_enable("fbt", FT_MOD, "fbt_test_busy", "", 0, &e, &n), 0);
	SCT_EQ(n, 2);
	pb = ft_probe_id(FT_MOD, "fbt_test_busy", "entry");
	ft.timer_busy = 0;
	cyc = cyclic_add_omni(&omni);
	SCT_NE(cyc, CYCLIC_NONE);
	/*
	 * Until cyclic_remove, results are only recorded: a failed check
	 * returns, and must not leave the timers firing.
	 */
	start = gethrtime();
	while (gethrtime() - start < NANOSEC / 5)
		for (k = 0; k < 100; k++)
			(void)ft_busy_fn((uintptr_t)k);
	fired = ft_count(e, pb);
	/* The timers keep firing through all of this. */
	disabled = dtrace_state_disable(ft.state, e);
	c0 = ft_count(e, pb);
	condensed = fbt_condense();
	gone = ft_probe_id(FT_MOD, "fbt_test_busy", "entry");
	t0 = ft.timer_busy;
	start = gethrtime();
	while (gethrtime() - start < NANOSEC / 10)
		for (k = 0; k < 100; k++)
			(void)ft_busy_fn((uintptr_t)k);
	cyclic_remove(cyc);
	c1 = ft_count(e, pb);
	SCT_GT(fired, 0);
	SCT_EQ(disabled, 0);
	SCT_EQ(condensed, 0);
	SCT_EQ(gone, DTRACE_IDNONE);
	SCT_EQ(c1, c0);
	SCT_GT(ft.timer_busy, t0);

	/* Made again on demand, and it fires. */
	SCT_EQ(ft_enable("fbt", FT_MOD, "fbt_test_busy", "entry", 0, &e, &n),
	       0);
	SCT_EQ(n, 1);
	pb = ft_probe_id(FT_MOD, "fbt_test_busy", "entry");
	(void)ft_busy_fn(1);
	SCT_EQ(ft_count(e, pb), 1);
	SCT_EQ(dtrace_state_disable(ft.state, e), 0);
}

/*
 * A commit the kernel refuses undoes the enabling: the consumer gets the
 * error, nothing in the kernel's text changed, and the same enabling works
 * once the kernel accepts again (with a code update). The refusal is
 * injected (trap_probe_inject_failures).
 */
SCTEST_CASE(fbt, refused_commit_undoes_enabling)
{
	uint32_t e = 0, n = 0;
	dtrace_id_t p;
	uint64_t u0, u1;
	int err;

	if (!ft.ready)
		SCT_SKIP("no fixture: fbt.setup did not pass");
	u0 = trap_probe_updates();
	trap_probe_inject_failures(1);
	err = ft_enable("fbt", FT_MOD, "fbt_test_loop", "entry", 0, &e, &n);
	trap_probe_inject_failures(0);
	u1 = trap_probe_updates();
	p = ft_probe_id(FT_MOD, "fbt_test_loop", "entry");
	SCT_EQ(err, ENOMEM);
	SCT_EQ(u1, u0);
	SCT_NE(p, DTRACE_IDNONE);

	SCT_EQ(ft_enable("fbt", FT_MOD, "fbt_test_loop", "entry", 0, &e, &n),
	       0);
	SCT_EQ(n, 1);
	SCT_GT(trap_probe_updates(), u1);
	(void)ft_loop_fn(7);
	SCT_EQ(ft_count(e, p), 1);
	SCT_EQ(dtrace_state_disable(ft.state, e), 0);
}

static uint32_t ft_pend_hits[2];

static void ft_pend_fire(void *cookie, uintptr_t addr, uintptr_t r0,
			 uintptr_t r1, uintptr_t r2, uintptr_t r3, uintptr_t r4)
{
	atomic_inc_32(&ft_pend_hits[(uintptr_t)cookie]);
}

typedef void (*ft_pair_check_t)(struct sctest_result *, trap_probe_t **);

/*
 * Run check on two deferred entry points added disarmed on fa and fb (the
 * same function or two), counting into ft_pend_hits[0] and [1]; whatever
 * check found, the points are removed afterwards (check may replace or
 * remove one: a NULL is skipped) and injection is off.
 */
static void ft_with_two_points(struct sctest_result *sctest_r,
			       uintptr_t (*fa)(uintptr_t),
			       uintptr_t (*fb)(uintptr_t),
			       ft_pair_check_t check)
{
	uintptr_t (*fn[2])(uintptr_t) = {fa, fb};
	trap_probe_t *tp[2] = {NULL, NULL};
	int k, err = 0;

	for (k = 0; k < 2; k++) {
		SCTEST_STORE(ft_pend_hits[k], 0);
		if (err == 0)
			err = trap_probe_add((uintptr_t)fn[k], TRAP_ENTRY,
					     TRAP_DISARMED | TRAP_DEFERRED,
					     ft_pend_fire, (void *)(uintptr_t)k,
					     &tp[k]);
	}
	if (err == 0)
		check(sctest_r, tp);
	trap_probe_inject_failures(0);
	for (k = 0; k < 2; k++)
		if (tp[k] != NULL)
			trap_probe_remove(&tp[k], 1);
	SCT_EQ(err, 0);
}

/*
 * The checks of the pending_enable cases on two deferred entry points the
 * caller added (and removes, whatever happens here; tp[0] is replaced by a
 * point added armed on the same function).
 */
static void ft_pend_check(struct sctest_result *sctest_r, trap_probe_t **tp)
{
	uintptr_t (*fn[2])(uintptr_t) = {fbt_test_pend_a, fbt_test_pend_b};
	uint64_t u0;

	SCT_EQ(trap_probe_enable(tp[0]), 0);
	(void)fn[0](1);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[0]), 0);
	SCT_EQ(trap_probe_commit(), 0);
	(void)fn[0](1);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[0]), 1);

	SCT_EQ(trap_probe_enable(tp[1]), 0);
	u0 = trap_probe_updates();
	trap_probe_remove(&tp[0], 1);
	tp[0] = NULL;
	SCT_GT(trap_probe_updates(), u0);
	(void)fn[0](1);
	(void)fn[1](1);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[0]), 1);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[1]), 0);
	/* A point added armed is armed alone: the pending one still waits. */
	SCT_EQ(trap_probe_add((uintptr_t)fn[0], TRAP_ENTRY, TRAP_DEFERRED,
			      ft_pend_fire, (void *)0, &tp[0]),
	       0);
	(void)fn[0](1);
	(void)fn[1](1);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[0]), 2);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[1]), 0);
	u0 = trap_probe_updates();
	SCT_EQ(trap_probe_commit(), 0);
	SCT_GT(trap_probe_updates(), u0);
	(void)fn[1](1);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[1]), 1);
}

/*
 * Deferred entry points, straight on the trap layer: an enable waits for
 * its commit, and neither removing another point (which commits that
 * removal, a code update) nor adding one armed (committed at once) arms it
 * early; it fires only once committed, and not after its own removal.
 */
static void ft_pend_case(struct sctest_result *sctest_r)
{
	ft_with_two_points(sctest_r, fbt_test_pend_a, fbt_test_pend_b,
			   ft_pend_check);
	if (sctest_r->failed)
		return;
	(void)fbt_test_pend_b(1);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[1]), 1);
}

/* With the fixture's entry point (fbt_test_args) in the ftrace_ops' filter. */
SCTEST_CASE(fbt, pending_enable_not_armed)
{
	if (!ft.ready)
		SCT_SKIP("no fixture: fbt.setup did not pass");
	ft_pend_case(sctest_r);
}

/*
 * After the teardown, with no enabled fbt probe of this module: removing
 * the one point in the filter unregisters the ftrace_ops (still without
 * arming the pending point), and the commit registers it again.
 */
SCTEST_CASE(fbt, pending_enable_not_armed_alone)
{
	ft_pend_case(sctest_r);
}

/* The two points' hit counts, after one more call of fbt_test_pend_b. */
static void ft_two_call(struct sctest_result *sctest_r, uint32_t want0,
			uint32_t want1)
{
	(void)fbt_test_pend_b(1);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[0]), want0);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[1]), want1);
}

static void ft_two_check(struct sctest_result *sctest_r, trap_probe_t **tp)
{
	SCT_EQ(trap_probe_enable(tp[0]), 0);
	SCT_EQ(trap_probe_enable(tp[1]), 0);
	SCT_EQ(trap_probe_commit(), 0);
	ft_two_call(sctest_r, 1, 1);
	if (sctest_r->failed)
		return;
	SCT_EQ(trap_probe_disable(tp[0]), 0);
	SCT_EQ(trap_probe_commit(), 0);
	ft_two_call(sctest_r, 1, 2);
	if (sctest_r->failed)
		return;
	SCT_EQ(trap_probe_enable(tp[0]), 0);
	SCT_EQ(trap_probe_disable(tp[1]), 0);
	SCT_EQ(trap_probe_commit(), 0);
	ft_two_call(sctest_r, 2, 2);
	if (sctest_r->failed)
		return;
	/* The first point (the ftrace_ops') goes; the second still works. */
	trap_probe_remove(&tp[0], 1);
	tp[0] = NULL;
	ft_two_call(sctest_r, 2, 2);
	if (sctest_r->failed)
		return;
	SCT_EQ(trap_probe_enable(tp[1]), 0);
	SCT_EQ(trap_probe_commit(), 0);
	ft_two_call(sctest_r, 2, 3);
}

/*
 * Two deferred entry points on one function: the first is armed through
 * the ftrace_ops, the second is a plain kprobe (kprobes aggregates a
 * second probe on an address); each fires while enabled and only then,
 * and either works without the other.
 */
SCTEST_CASE(fbt, two_points_one_function)
{
	ft_with_two_points(sctest_r, fbt_test_pend_b, fbt_test_pend_b,
			   ft_two_check);
}

static void ft_nomem_check(struct sctest_result *sctest_r, trap_probe_t **tp)
{
	uint64_t u0;

	SCT_EQ(trap_probe_enable(tp[0]), 0);
	SCT_EQ(trap_probe_enable(tp[1]), 0);
	SCT_EQ(trap_probe_commit(), 0);
	(void)fbt_test_pend_a(1);
	(void)fbt_test_pend_b(1);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[0]), 1);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[1]), 1);

	/* A disable's commit without memory still disarms. */
	SCT_EQ(trap_probe_disable(tp[1]), 0);
	u0 = trap_probe_updates();
	trap_probe_inject_failures(1);
	SCT_EQ(trap_probe_commit(), 0);
	trap_probe_inject_failures(0);
	SCT_GT(trap_probe_updates(), u0);
	(void)fbt_test_pend_a(1);
	(void)fbt_test_pend_b(1);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[0]), 2);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[1]), 1);

	/* A removal without memory too. */
	u0 = trap_probe_updates();
	trap_probe_inject_failures(1);
	trap_probe_remove(&tp[0], 1);
	tp[0] = NULL;
	trap_probe_inject_failures(0);
	SCT_GT(trap_probe_updates(), u0);
	(void)fbt_test_pend_a(1);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[0]), 2);

	/* And the filter is right afterwards: the other point arms again. */
	SCT_EQ(trap_probe_enable(tp[1]), 0);
	SCT_EQ(trap_probe_commit(), 0);
	(void)fbt_test_pend_b(1);
	SCT_EQ(SCTEST_LOAD(ft_pend_hits[1]), 2);
}

/*
 * Disarming is never refused: a commit or a removal that cannot allocate
 * its batch (injected) takes the disabled points out one at a time (the
 * model's ftrace reports a filter left wrong: an address added twice, or
 * an empty filter on a registered ops).
 */
static void ft_nomem_case(struct sctest_result *sctest_r)
{
	ft_with_two_points(sctest_r, fbt_test_pend_a, fbt_test_pend_b,
			   ft_nomem_check);
}

/* With the fixture's entry point in the filter: edits of the filter. */
SCTEST_CASE(fbt, disarm_without_memory)
{
	if (!ft.ready)
		SCT_SKIP("no fixture: fbt.setup did not pass");
	ft_nomem_case(sctest_r);
}

/* After the teardown: the last address out unregisters the ops. */
SCTEST_CASE(fbt, disarm_without_memory_alone)
{
	ft_nomem_case(sctest_r);
}

/* A 64-bit argument: a wrongly resumed instruction may lose its top half. */
#define FT_WIDE ((uintptr_t)0x500000005ULL)

static uint32_t ft_flip_calls, ft_flip_wrong;

static void ft_timer_flip(void *arg)
{
	(void)arg;
	if (fbt_test_pend_a(FT_WIDE) != FT_WIDE + 3)
		atomic_inc_32(&ft_flip_wrong);
	atomic_inc_32(&ft_flip_calls);
}

static uint32_t ft_flip_calls_wrong(void)
{
	uint32_t wrong = 0;
	uintptr_t k;

	for (k = 0; k < 100; k++)
		wrong += fbt_test_pend_a(FT_WIDE + k) != FT_WIDE + k + 3;
	return wrong;
}

/*
 * Arming and disarming while the function runs: a 4 kHz timer on every
 * CPU and this thread call fbt_test_pend_a with a 64-bit argument while
 * its deferred entry point is enabled and disabled, with a commit (a code
 * update) each time. Every call returns the right value (a hit on an int3
 * taken out meanwhile resumes at the instruction, not after its first
 * byte), and every call of this thread while it is enabled fires it.
 */
SCTEST_CASE(fbt, arm_disarm_while_called)
{
	cyc_omni_handler_t omni = {ft_online, NULL, (void *)ft_timer_flip};
	int r, rounds = sctest_in_model() ? 300 : 10;
	trap_probe_t *tp = NULL;
	uint32_t wrong = 0, hits;
	cyclic_id_t cyc;
	int err;

	SCTEST_STORE(ft_pend_hits[0], 0);
	SCTEST_STORE(ft_flip_calls, 0);
	SCTEST_STORE(ft_flip_wrong, 0);
	SCT_EQ(trap_probe_add((uintptr_t)fbt_test_pend_a, TRAP_ENTRY,
			      TRAP_DISARMED | TRAP_DEFERRED, ft_pend_fire,
			      (void *)0, &tp),
	       0);
	cyc = cyclic_add_omni(&omni);
	err = cyc == CYCLIC_NONE ? EAGAIN : 0;
	/* Until cyclic_remove, results are only recorded. */
	for (r = 0; r < rounds && err == 0; r++) {
		err = trap_probe_enable(tp);
		if (err == 0)
			err = trap_probe_commit();
		wrong += ft_flip_calls_wrong();
		if (err == 0)
			err = trap_probe_disable(tp);
		if (err == 0)
			err = trap_probe_commit();
		wrong += ft_flip_calls_wrong();
	}
	if (cyc != CYCLIC_NONE)
		cyclic_remove(cyc);
	hits = SCTEST_LOAD(ft_pend_hits[0]);
	trap_probe_remove(&tp, 1);
	SCT_EQ(err, 0);
	SCT_EQ(wrong, 0);
	SCT_EQ(SCTEST_LOAD(ft_flip_wrong), 0);
	SCT_GT(SCTEST_LOAD(ft_flip_calls), 0);
	SCT_GE(hits, (uint32_t)rounds * 100);
}

/*
 * A walk of this module's text ("fbt:fbt_test:fbt_test_[al]*:") finds
 * its functions, and makes again the return probe of fbt_test_args that
 * remove_while_firing condensed away (its entry is still enabled).
 */
SCTEST_CASE(fbt, module_walk)
{
	static dtrace_ioc_list_t req;
	static dtrace_ioc_probe_t out[8];
	fbt_stats_t s;

	if (!ft.ready)
		SCT_SKIP("no fixture: fbt.setup did not pass");
	__builtin_memset(&req, 0, sizeof (req));
	ft_desc(&req.filter, "fbt", FT_MOD, "fbt_test_[al]*", "");
	req.count = 8;
	req.buf = (uint64_t)(uintptr_t)out;
	req.provide = 1;
	SCT_EQ(dtrace_probe_list(&req, FKIOCTL), 0);
	/* fbt_test_args and fbt_test_loop, entry and return. */
	SCT_EQ(req.returned, 4);
	fbt_stats(&s);
	cmn_err(CE_NOTE, "fbt_test: after the module walk: %llu functions, "
		"%llu probed, %llu with return probes, %llu return sites",
		(unsigned long long)s.fbts_functions,
		(unsigned long long)s.fbts_probed,
		(unsigned long long)s.fbts_returns,
		(unsigned long long)s.fbts_return_sites);
}

/*
 * Optional (fbt_test.census=<glob>): the functions of the kernel image
 * whose names match get their probes, created but not enabled; the
 * counters say how many were probed and why the others were refused. Then
 * all are removed. Each trap point costs a kprobe registration, which
 * scans the kernel's jump-label, static-call and alternatives tables: all
 * 40 000 functions take longer than a TCG boot allows, so the matrix runs
 * use a slice of the alphabet.
 */
SCTEST_CASE(fbt, vmlinux_census)
{
	static dtrace_ioc_list_t req;
	static dtrace_ioc_probe_t out[1];
	fbt_stats_t s0, s;
	hrtime_t t0, t1, t2;

	if (!ft.ready)
		SCT_SKIP("no fixture: fbt.setup did not pass");
	if (fbt_test_census == NULL || fbt_test_census[0] == '\0')
		SCT_SKIP("slow; load fbt_test.ko with census=<glob>");
	fbt_stats(&s0);
	__builtin_memset(&req, 0, sizeof (req));
	ft_desc(&req.filter, "fbt", "vmlinux", fbt_test_census, "");
	req.count = 1;
	req.buf = (uint64_t)(uintptr_t)out;
	req.provide = 1;
	t0 = gethrtime();
	SCT_EQ(dtrace_probe_list(&req, FKIOCTL), 0);
	t1 = gethrtime();
	fbt_stats(&s);
	cmn_err(CE_NOTE, "fbt_test: vmlinux census of '%s' in %lld ms: %llu "
		"functions, %llu probed (%llu with return probes, %llu "
		"return sites, %llu tail calls), %llu without return probe "
		"(%llu conditional returns), %llu existed; refused: %llu "
		"kernel, %llu own tier, %llu not entries, %llu trap layer, "
		"%llu decode, %llu size, %llu other; %u probes exist",
		fbt_test_census, (long long)((t1 - t0) / 1000000),
		(unsigned long long)(s.fbts_functions - s0.fbts_functions),
		(unsigned long long)(s.fbts_probed - s0.fbts_probed),
		(unsigned long long)(s.fbts_returns - s0.fbts_returns),
		(unsigned long long)(s.fbts_return_sites - s0.fbts_return_sites),
		(unsigned long long)(s.fbts_tail_calls - s0.fbts_tail_calls),
		(unsigned long long)(s.fbts_no_return - s0.fbts_no_return),
		(unsigned long long)(s.fbts_cond_returns - s0.fbts_cond_returns),
		(unsigned long long)(s.fbts_exists - s0.fbts_exists),
		(unsigned long long)(s.fbts_refused_kernel -
				     s0.fbts_refused_kernel),
		(unsigned long long)(s.fbts_refused_self - s0.fbts_refused_self),
		(unsigned long long)(s.fbts_refused_name - s0.fbts_refused_name),
		(unsigned long long)(s.fbts_refused_trap - s0.fbts_refused_trap),
		(unsigned long long)(s.fbts_refused_decode -
				     s0.fbts_refused_decode),
		(unsigned long long)(s.fbts_refused_size - s0.fbts_refused_size),
		(unsigned long long)(s.fbts_refused_other -
				     s0.fbts_refused_other),
		req.total);
	SCT_GT(s.fbts_probed - s0.fbts_probed, 0);
	SCT_EQ(fbt_condense(), 0);
	t2 = gethrtime();
	cmn_err(CE_NOTE, "fbt_test: condensed in %lld ms",
		(long long)((t2 - t1) / 1000000));
}

/*
 * Optional (fbt_test.many=<prefix>[,<prefix>...]): every function of the
 * kernel image whose name starts with a prefix gets its entry and return
 * probes (one enabling per prefix), enabled
 * all at once with a count, while threads on every CPU run a workload
 * (allocate, free, sleep a tick) for a bounded time; then everything is
 * disabled and removed. The kernel must stay healthy: the boot test fails
 * on any warning in the serial log, the workload must finish, probes must
 * have fired, at least many_min functions (2000 unless set) must have been
 * probed, and what fbt refused is counted with its reason; after the
 * removal the workload runs again.
 */
#define FT_MANY_MS 2000

static volatile uint64_t ft_many_loops;

/* Functions refused between two fbt_stats() snapshots, for any reason. */
static uint64_t ft_refusals(const fbt_stats_t *a, const fbt_stats_t *b)
{
	return (b->fbts_refused_self - a->fbts_refused_self) +
	       (b->fbts_refused_name - a->fbts_refused_name) +
	       (b->fbts_refused_kernel - a->fbts_refused_kernel) +
	       (b->fbts_refused_trap - a->fbts_refused_trap) +
	       (b->fbts_refused_decode - a->fbts_refused_decode) +
	       (b->fbts_refused_size - a->fbts_refused_size) +
	       (b->fbts_refused_other - a->fbts_refused_other);
}

/* arg: the run's length in ms (a uintptr_t). */
static void ft_many_work(void *arg, int index)
{
	hrtime_t end = gethrtime() + (hrtime_t)(uintptr_t)arg * 1000000;
	uint64_t n = 0;
	void *p;

	while (gethrtime() < end) {
		p = kmem_alloc(64 + (size_t)(index + n) % 512, KM_SLEEP);
		kmem_free(p, 64 + (size_t)(index + n) % 512);
		if (++n % 64 == 0)
			delay(1);
	}
	atomic_add_64(&ft_many_loops, n);
}

SCTEST_CASE(fbt, many_functions_enabled)
{
	static dtrace_ioc_enable_t req;
	static char glob[DTRACE_IOC_FUNCNAMELEN];
	dtrace_ioc_go_t go = {0, 0};
	dtrace_ioc_stop_t stop;
	dtrace_ioc_status_t status;
	dtrace_state_t *st;
	fbt_stats_t s0, s;
	hrtime_t t0, t1, t2, t3;
	const char *p;
	size_t n;
	uint32_t nprobes = 0, nenablings = 0;
	uint64_t loops_during, u0, u1, u2;
	int err, threads;

	if (!ft.ready)
		SCT_SKIP("no fixture: fbt.setup did not pass");
	if (fbt_test_many == NULL || fbt_test_many[0] == '\0')
		SCT_SKIP("opt-in; load fbt_test.ko with many=<prefix>");
	fbt_stats(&s0);
	st = dtrace_state_create(0);
	u0 = trap_probe_updates();
	t0 = gethrtime();
	/* Each comma-separated prefix is one enabling of prefix*. */
	for (p = fbt_test_many, err = 0; *p != '\0' && err == 0;) {
		for (n = 0; p[n] != '\0' && p[n] != ',' &&
			    n + 2 < sizeof(glob);
		     n++)
			glob[n] = p[n];
		glob[n] = '*';
		glob[n + 1] = '\0';
		p += n;
		if (*p == ',')
			p++;
		__builtin_memset(&req, 0, sizeof(req));
		ft_desc(&req.desc, "fbt", "vmlinux", glob, "");
		req.actions[0].kind = DTRACE_IOC_ACT_COUNT;
		req.nactions = 1;
		err = dtrace_state_enable(st, &req);
		nprobes += req.nprobes;
		nenablings++;
		cmn_err(CE_NOTE, "fbt_test: many: '%s': %u probes (%d)", glob,
			req.nprobes, err);
	}
	t1 = gethrtime();
	u1 = trap_probe_updates();
	if (err == 0)
		err = dtrace_state_go(st, &go);
	ft_many_loops = 0;
	threads = -1;
	if (err == 0) {
		threads = 2 * sctest_ncpus();
		if (threads > SCTEST_MAX_THREADS)
			threads = SCTEST_MAX_THREADS;
		if (sctest_run_threads(threads, ft_many_work,
				       (void *)(uintptr_t)FT_MANY_MS) != 0)
			threads = -1;
		(void)dtrace_state_stop(st, &stop);
	}
	dtrace_state_status(st, &status);
	dtrace_state_destroy(st); /* disables every probe */
	t2 = gethrtime();
	u2 = trap_probe_updates();
	(void)fbt_condense();
	t3 = gethrtime();
	fbt_stats(&s);
	/* The kernel still runs the workload with every point removed. */
	loops_during = ft_many_loops;
	ft_many_loops = 0;
	if (threads > 0 &&
	    sctest_run_threads(threads, ft_many_work,
			       (void *)(uintptr_t)(FT_MANY_MS / 4)) != 0)
		threads = -1;
	cmn_err(CE_NOTE,
		"fbt_test: many: prefixes '%s': %u probes enabled, %llu "
		"functions (%llu probed) in %lld ms (%llu refused, %llu by "
		"the kernel); "
		"%llu firings, %llu nested, %llu nested drops, %llu "
		"aggregation drops while %d threads ran %llu loops; disabled "
		"in %lld ms, removed in %lld ms; %llu loops after",
		fbt_test_many, nprobes,
		(unsigned long long)(s.fbts_functions - s0.fbts_functions),
		(unsigned long long)(s.fbts_probed - s0.fbts_probed),
		(long long)((t1 - t0) / 1000000),
		(unsigned long long)ft_refusals(&s0, &s),
		(unsigned long long)(s.fbts_refused_kernel -
				     s0.fbts_refused_kernel),
		(unsigned long long)status.fired,
		(unsigned long long)status.nested,
		(unsigned long long)status.nested_drops,
		(unsigned long long)status.agg_drops, threads,
		(unsigned long long)loops_during,
		(long long)((t2 - t1) / 1000000),
		(long long)((t3 - t2) / 1000000),
		(unsigned long long)ft_many_loops);
	/*
	 * The entry points are armed and disarmed in batches: at least one
	 * and at most two code updates per enabling each way, however many
	 * functions it names.
	 */
	cmn_err(CE_NOTE,
		"fbt_test: many: %llu code updates to arm the entry points, %llu to disarm them (%u enablings)",
		(unsigned long long)(u1 - u0), (unsigned long long)(u2 - u1),
		nenablings);
	SCT_GT(u1 - u0, 0);
	SCT_GT(u2 - u1, 0);
	SCT_LE(u1 - u0, 2 * (uint64_t)nenablings);
	SCT_LE(u2 - u1, 2 * (uint64_t)nenablings);
	SCT_EQ(err, 0);
	SCT_GT(threads, 0);
	SCT_GT(loops_during, 0);
	SCT_GT(ft_many_loops, 0);
#define FT_DELTA(f) ((unsigned long long)(s.f - s0.f))
	cmn_err(CE_NOTE, "fbt_test: many: refused: %llu own tier, %llu not "
		"an entry, %llu by the kernel, %llu by solcompat, %llu "
		"undecodable, %llu by size, %llu other",
		FT_DELTA(fbts_refused_self), FT_DELTA(fbts_refused_name),
		FT_DELTA(fbts_refused_kernel), FT_DELTA(fbts_refused_trap),
		FT_DELTA(fbts_refused_decode), FT_DELTA(fbts_refused_size),
		FT_DELTA(fbts_refused_other));
#undef FT_DELTA
	/* "A few thousand functions": many_min, 2000 unless set. */
	if (s.fbts_probed - s0.fbts_probed < fbt_test_many_min)
		cmn_err(CE_NOTE, "fbt_test: many: '%s' probed %llu functions, "
			"fewer than many_min (%u): name more or shorter "
			"prefixes, or lower fbt_test.many_min", fbt_test_many,
			(unsigned long long)(s.fbts_probed - s0.fbts_probed),
			fbt_test_many_min);
	SCT_GE(s.fbts_probed - s0.fbts_probed, (uint64_t)fbt_test_many_min);
	SCT_GE(nprobes, s.fbts_probed - s0.fbts_probed);
	SCT_GT(status.fired, 0);
	SCT_EQ(status.agg_drops, 0);
}

/* Disable everything, unregister the providers, free the core. */
SCTEST_CASE(fbt, teardown)
{
	if (ft.state != NULL) {
		dtrace_state_destroy(ft.state);
		ft.state = NULL;
	}
	ft.ready = 0;
	if (ft.fbt_up) {
		SCT_EQ(fbt_fini(), 0);
		ft.fbt_up = 0;
	}
	if (ft.sdt_up) {
		SCT_EQ(sdt_fini(), 0);
		ft.sdt_up = 0;
	}
	if (ft.profile_up) {
		SCT_EQ(profile_fini(), 0);
		ft.profile_up = 0;
	}
	if (ft.core_up) {
		SCT_EQ(dtrace_core_fini(), 0);
		ft.core_up = 0;
	}
}

SCTEST_FAMILY(
	fbt, SCTEST_ENTRY_ORDERED(fbt, setup, SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, fire_in_every_context, SCTEST_ANY),
	SCTEST_ENTRY_ORDERED(fbt, records_carry_arguments_and_return_value,
			     SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, refuses_what_must_not_be_probed,
			     SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, kernel_function_entry_and_return,
			     SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, timer_nests_inside_fbt_probes,
			     SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, remove_while_firing, SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, refused_commit_undoes_enabling,
			     SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, pending_enable_not_armed, SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, arm_disarm_while_called, SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, two_points_one_function, SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, disarm_without_memory, SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, module_walk, SCTEST_PROCESS),
	SCTEST_ENTRY(fbt, vmlinux_census, SCTEST_PROCESS),
	SCTEST_ENTRY(fbt, many_functions_enabled, SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, teardown, SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, pending_enable_not_armed_alone,
			     SCTEST_PROCESS),
	SCTEST_ENTRY_ORDERED(fbt, disarm_without_memory_alone, SCTEST_PROCESS));
