/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sctest: the conformance case macro set ("one suite, two runners").
 *
 * A case is written once, in C, against the Solaris API (sys/... headers).
 * It is compiled into two runners:
 *   - tests/conformance/gtest_runner.cc: GoogleTest, against linux/ built on
 *     the userspace kernel model (tests/model/);
 *   - tests/kernel/sctest_kmod.c: a kernel module that runs the same cases in a
 *     real kernel and prints KTAP.
 *
 * Each case declares the context classes (CONTRACTS.md section 1) it must
 * pass in; each runner calls it once per declared class, producing that class
 * for real (see ABI.md, "How each context class is produced").
 *
 * Case bodies may run in NMI context, so this header and the check macros use
 * nothing but plain stores: a failed check records constant strings and two
 * integers in the result and returns from the case. Formatting and printing
 * happen later, in the runner, in process context.
 *
 * This header includes nothing: it is legal next to Solaris headers and next
 * to Linux headers alike.
 */
#ifndef _SOLCOMPAT_TESTS_SCTEST_H
#define _SOLCOMPAT_TESTS_SCTEST_H

/* Context classes, CONTRACTS.md section 1. */
#define SCTEST_PROCESS 0x01u
#define SCTEST_ATOMIC 0x02u
#define SCTEST_HARDIRQ 0x04u
#define SCTEST_NMI 0x08u
#define SCTEST_PROBE 0x10u
#define SCTEST_ANY                                                            \
	(SCTEST_PROCESS | SCTEST_ATOMIC | SCTEST_HARDIRQ | SCTEST_NMI |        \
	 SCTEST_PROBE)
/* Contexts that may not sleep. */
#define SCTEST_NOSLEEP (SCTEST_ATOMIC | SCTEST_HARDIRQ | SCTEST_NMI | SCTEST_PROBE)

struct sctest_result {
	int failed;		/* a check failed; the case returned */
	int skipped;		/* the case skipped itself (reason below) */
	const char *file;	/* where the first failure happened */
	int line;
	const char *expr;	/* the failed check or the skip reason */
	long long left, right;	/* operands of a failed comparison */
	unsigned int context;	/* SCTEST_* the case runs in (set by runner) */
	void *runner_data;	/* opaque, for runner hooks */
};

typedef void (*sctest_fn)(struct sctest_result *sctest_r);

struct sctest_case {
	const char *family;	/* e.g. "spl", the Solaris header family */
	const char *name;	/* e.g. "nested_splhigh_restores_exactly" */
	unsigned int contexts;	/* SCTEST_* mask the case must pass in */
	sctest_fn fn;
	unsigned int flags;	/* SCTEST_F_* */
};

/*
 * The case keeps state between its runs, or uses state an earlier ordered
 * case of its family left (a cache it created, blocks its process run
 * stashed for the other contexts). Runner 2 runs every case once per
 * context in table order anyway; runner 1, which otherwise repeats each
 * case in each context on its own, runs a family's ordered cases together,
 * once per context, in table order, process context first.
 */
#define SCTEST_F_ORDERED 0x1u

struct sctest_family {
	const char *name;
	const struct sctest_case *cases;
	unsigned int count;
};

/* Define a case body: SCTEST_CASE(spl, name) { ... } */
#define SCTEST_CASE(family, name)                                              \
	static void sctest_##family##_##name(struct sctest_result *sctest_r)

/* One table per case file: SCTEST_FAMILY(spl, SCTEST_ENTRY(...), ...); */
#define SCTEST_ENTRY(family, name, contexts)                                   \
	{ #family, #name, (contexts), sctest_##family##_##name, 0 }
#define SCTEST_ENTRY_ORDERED(family, name, contexts)                           \
	{ #family, #name, (contexts), sctest_##family##_##name,                \
	  SCTEST_F_ORDERED }
#define SCTEST_FAMILY(family, ...)                                             \
	static const struct sctest_case sctest_cases_##family[] = {            \
		__VA_ARGS__                                                    \
	};                                                                     \
	extern const struct sctest_family sctest_family_##family;             \
	const struct sctest_family sctest_family_##family = {                  \
		#family, sctest_cases_##family,                                \
		sizeof(sctest_cases_##family) / sizeof(sctest_cases_##family[0]) \
	}

/* The context the case is running in (one SCTEST_* bit). */
#define SCTEST_CONTEXT() (sctest_r->context)

#define SCTEST_FAIL_AT(expr_, l_, r_)                                          \
	do {                                                                   \
		sctest_r->failed = 1;                                          \
		sctest_r->file = __FILE__;                                     \
		sctest_r->line = __LINE__;                                     \
		sctest_r->expr = (expr_);                                      \
		sctest_r->left = (long long)(l_);                              \
		sctest_r->right = (long long)(r_);                             \
		return;                                                        \
	} while (0)

#define SCT_CHECK(cond)                                                        \
	do {                                                                   \
		if (!(cond))                                                   \
			SCTEST_FAIL_AT(#cond, 0, 0);                           \
	} while (0)

#define SCT_CHECK_OP(a, op, b)                                                 \
	do {                                                                   \
		long long sctest_a_ = (long long)(a);                          \
		long long sctest_b_ = (long long)(b);                          \
		if (!(sctest_a_ op sctest_b_))                                 \
			SCTEST_FAIL_AT(#a " " #op " " #b, sctest_a_, sctest_b_); \
	} while (0)

#define SCT_EQ(a, b) SCT_CHECK_OP(a, ==, b)
#define SCT_NE(a, b) SCT_CHECK_OP(a, !=, b)
#define SCT_LT(a, b) SCT_CHECK_OP(a, <, b)
#define SCT_LE(a, b) SCT_CHECK_OP(a, <=, b)
#define SCT_GT(a, b) SCT_CHECK_OP(a, >, b)
#define SCT_GE(a, b) SCT_CHECK_OP(a, >=, b)

#define SCT_SKIP(reason)                                                       \
	do {                                                                   \
		sctest_r->skipped = 1;                                         \
		sctest_r->expr = (reason);                                     \
		return;                                                        \
	} while (0)

/*
 * Flags and counters that one thread or interrupt polls while another sets
 * them: an acquire load and a release store (compiler builtins, the same in
 * both worlds). A volatile access does not order anything and is a data
 * race to ThreadSanitizer, which runs the cases in the model.
 */
#define SCTEST_LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define SCTEST_STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

/*
 * Runner hooks: each runner implements these for its world, so that cases can
 * observe the real machine state without including Linux or libc headers.
 */
/* Are maskable interrupts off on this CPU right now? Context: Any context. */
int sctest_irqs_disabled(void);
/* The current CPU's id. Context: Any context. */
int sctest_cpu_id(void);
/*
 * 1 in the userspace model, 0 in a kernel. For the few checks that name
 * the kernel's layout (the solcompat module, a module's exit function),
 * which the model's single test program does not have. Context: Any context.
 */
int sctest_in_model(void);

/*
 * Make every request to the Linux allocator that may not sleep fail (on 1)
 * or succeed again (on 0), for the callers' handling of kmalloc's NULL:
 * 0, or -1 if the runner cannot (the kernel: Debian's kernels are built
 * without failslab). Context: Any context.
 */
int sctest_heap_fail(int on);

/*
 * Map len bytes of fresh, zeroed, writable user memory into the current
 * process and return its address (NULL if impossible); sctest_user_free()
 * unmaps it. For the copyin family.
 * Context: Process context. May sleep.
 */
void *sctest_user_alloc(unsigned long len);
/* Context: Process context. May sleep. */
void sctest_user_free(void *uaddr, unsigned long len);

/*
 * Open /dev/<name> read-write, issue ioctl(cmd, arg), close it. Returns 0
 * with the ioctl's return value in *rval, or a positive errno from the open
 * or the ioctl. For the DDI family.
 * Context: Process context. May sleep.
 */
int sctest_dev_call(const char *name, int cmd, long arg, int *rval);

/*
 * Concurrency hooks, for the lock and condition-variable families: several
 * threads, a second context on top of the caller, periodic interrupts on
 * every CPU, signals. The semantics below are the contract for both
 * runners.
 */

/* Monotonic nanoseconds (never goes backwards). Context: Any context. */
long long sctest_now_ns(void);

/* Number of CPUs threads and timers are spread over (>= 1). Context: Any context. */
int sctest_ncpus(void);

/* Sleep at least ms milliseconds. Context: Process context. May sleep. */
void sctest_sleep_ms(unsigned int ms);

/* Give the CPU to another runnable thread, if any. Context: Process context. May sleep. */
void sctest_yield(void);

#define SCTEST_MAX_THREADS 16

/* A thread's body: index is 0 .. n-1 within its group. */
typedef void (*sctest_thread_fn)(void *arg, int index);

/*
 * Start a group of n threads (1 <= n <= SCTEST_MAX_THREADS); thread i calls
 * fn(arg, i) in process context (a task of its own: preemptible, interrupts
 * on, may sleep, not bound to a CPU) and may use every process-context hook
 * except the group hooks. Returns 0 once all are created (they may not have
 * started running yet); -1 if n is out of range, a group is already
 * running, or the threads cannot be created (then none runs). One group at
 * a time.
 * Context: Process context. May sleep.
 */
int sctest_threads_start(int n, sctest_thread_fn fn, void *arg);

/*
 * Wait until every thread of the group has returned from fn, then end the
 * group. Returns the number of threads joined (0 without a group).
 * Context: Process context. May sleep.
 */
int sctest_threads_join(void);

/*
 * sctest_threads_start then sctest_threads_join; returns what start did.
 * Context: Process context. May sleep.
 */
int sctest_run_threads(int n, sctest_thread_fn fn, void *arg);

/*
 * Run fn(arg) once in context class `context` (one SCTEST_* bit), on the
 * calling CPU and on top of the caller, and return after fn returned:
 *   process  fn is called directly;
 *   atomic   fn is called with preemption disabled;
 *   hardirq  a hard interrupt on this CPU runs fn while the caller
 *            busy-waits with preemption off and interrupts on, so the
 *            interrupt lands on the caller: fn's `current` is the caller;
 *   nmi      the same with an NMI (works with the caller's interrupts off);
 *   probe    a probe on a function the caller calls runs fn (preemption
 *            off, interrupts on).
 * So, for hardirq and nmi, the code fn interrupts is the caller itself
 * (a lock the caller holds is "held by interrupted code" in fn). Returns 0,
 * or -1 if the context cannot be produced here (fn did not run): hardirq
 * with the caller's interrupts off, or the runner lacks the mechanism.
 * Context: Process context.
 */
int sctest_call_in(unsigned int context, void (*fn)(void *arg), void *arg);

/*
 * Start a periodic hard interrupt on every CPU: fn(arg, cpu) runs in hardirq
 * context about every period_us microseconds on each CPU (a late period is
 * not made up), until sctest_timers_stop(). Returns 0, or -1 if timers are
 * already running or cannot be started.
 * Context: Process context. May sleep.
 */
int sctest_timers_start(unsigned int period_us, void (*fn)(void *arg, int cpu),
			void *arg);

/*
 * Stop the timers; returns after every callback has returned and none will
 * run again.
 * Context: Process context. May sleep.
 */
void sctest_timers_stop(void);

/*
 * Make a signal pending on the calling thread: interruptible sleeps (the
 * _sig variants) end at once while it is pending. It stays pending until
 * sctest_signal_clear(), or until the case or thread returns (the runner
 * discards it then).
 * Context: Process context.
 */
void sctest_signal_self(void);

/*
 * Take CPU `cpu` offline (online = 0) or bring it back (online = 1), as
 * CPU hotplug does, running every hotplug callback. Returns 0, or -1 if it
 * cannot be done here (the runner cannot hotplug, the CPU cannot go
 * offline, or it is already in that state). A case that takes a CPU
 * offline must bring it back before it returns, checks failed or not.
 * Context: Process context. May sleep.
 */
int sctest_cpu_set_online(int cpu, int online);

/*
 * Run fn(arg) in process context on CPU `cpu` (a thread bound there) and
 * wait until it returns: 0, or -1 if the runner cannot (the model) or the
 * CPU is not online.
 * Context: Process context. May sleep.
 */
int sctest_run_on_cpu(int cpu, void (*fn)(void *), void *arg);

/* Discard the signals pending on the calling thread. Context: Process context. */
void sctest_signal_clear(void);

/*
 * Make a signal pending on thread `index` of the running group, waking it
 * from an interruptible sleep. Returns 0, or -1 without such a thread.
 * Context: Process context.
 */
int sctest_thread_signal(int index);

/* Every family the runners know; defined in tests/conformance/families.c. */
extern const struct sctest_family *const sctest_families[];
extern const unsigned int sctest_family_count;

/* Name of one context bit: "process", "atomic", "hardirq", "nmi", "probe". */
static inline const char *sctest_context_name(unsigned int context)
{
	switch (context) {
	case SCTEST_PROCESS: return "process";
	case SCTEST_ATOMIC: return "atomic";
	case SCTEST_HARDIRQ: return "hardirq";
	case SCTEST_NMI: return "nmi";
	case SCTEST_PROBE: return "probe";
	default: return "unknown";
	}
}

#endif /* _SOLCOMPAT_TESTS_SCTEST_H */
