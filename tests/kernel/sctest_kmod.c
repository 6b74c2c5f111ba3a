// SPDX-License-Identifier: GPL-2.0
/*
 * solcompat_test.ko: runner 2 of the conformance suite. Runs every case of
 * tests/conformance in each context class it declares, in the real kernel,
 * and prints KTAP (one result line per case and class), read back by the VM
 * runner (tools/vmrun) as test results.
 *
 * How each context class is produced (ABI.md has the same table):
 *   process  module init (insmod's task), preemptible, interrupts on
 *   atomic   the same task inside preempt_disable()
 *   hardirq  a pinned HRTIMER_MODE_REL_PINNED_HARD hrtimer callback
 *            (hard interrupt context on PREEMPT_RT too)
 *   nmi      a real NMI: register_nmi_handler(NMI_LOCAL) plus
 *            apic->send_IPI_self(NMI_VECTOR)
 *   probe    the pre-handler of a kprobe on a function of this module; on
 *            the supported kernels it is ftrace-based (interrupts on,
 *            preemption off), the situation of CONTRACTS.md 2.6
 * A context that cannot be produced (e.g. no local APIC) makes its cases
 * fail with the reason, never pass.
 *
 * The concurrency hooks of sctest.h: threads are kthreads (SIGUSR1 allowed,
 * so sctest_thread_signal is a real signal; they wait for kthread_stop
 * after their function returns, so no thread runs module text at unload);
 * sctest_call_in reuses the machinery above with its own hrtimer, while the
 * caller busy-waits with preemption off, so the interrupt or NMI lands on
 * the caller; sctest_timers_start runs a pinned hard hrtimer per CPU;
 * sctest_signal_self marks the caller's signal pending (TIF_SIGPENDING)
 * without sending one (see there). A case that returns with its threads
 * or timers running fails, and they are reaped.
 */
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/hrtimer.h>
#include <linux/irqflags.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/nmi.h>

#include <impl/cyclic.h>

#include "sctest.h"

int sctest_irqs_disabled(void)
{
	return raw_irqs_disabled();
}

int sctest_cpu_id(void)
{
	return raw_smp_processor_id();
}

int sctest_in_model(void)
{
	return 0;
}

/* Linux's failslab (CONFIG_FAILSLAB) is not in Debian's kernels. */
int sctest_heap_fail(int on)
{
	return -1;
}

void *sctest_user_alloc(unsigned long len)
{
	unsigned long addr = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
				     MAP_ANONYMOUS | MAP_PRIVATE, 0);

	return IS_ERR_VALUE(addr) ? NULL : (void *)addr;
}

void sctest_user_free(void *uaddr, unsigned long len)
{
	vm_munmap((unsigned long)uaddr, len);
}

struct dev_call {
	const char *name;
	int cmd;
	long arg;
	int rval;
	int err;
	struct completion done;
};

/*
 * Runs in a kthread: there the final fput of filp_close is queued for
 * flush_delayed_fput(), so release (cb_close) has run when we return; in
 * insmod's task it would wait for the return to user space.
 */
static int dev_call_thread(void *data)
{
	struct dev_call *c = data;
	char path[64];
	struct file *f;
	long r = -ENOTTY;

	snprintf(path, sizeof(path), "/dev/%s", c->name);
	f = filp_open(path, O_RDWR, 0);
	if (IS_ERR(f)) {
		c->err = (int)-PTR_ERR(f);
		goto out;
	}
	if (f->f_op->unlocked_ioctl)
		r = f->f_op->unlocked_ioctl(f, c->cmd, c->arg);
	filp_close(f, NULL);
	flush_delayed_fput();
	if (r < 0)
		c->err = (int)-r;
	else
		c->rval = (int)r;
out:
	complete(&c->done);
	return 0;
}

int sctest_dev_call(const char *name, int cmd, long arg, int *rval)
{
	struct dev_call c = { .name = name, .cmd = cmd, .arg = arg };
	struct task_struct *t;

	init_completion(&c.done);
	t = kthread_run(dev_call_thread, &c, "sctest_dev_call");
	if (IS_ERR(t))
		return (int)-PTR_ERR(t);
	wait_for_completion(&c.done);
	if (!c.err)
		*rval = c.rval;
	return c.err;
}

/*
 * What an interrupt, NMI or probe is to run (a case, or a function given to
 * sctest_call_in), on which CPU, and whether it ran. NMI_LOCAL handlers see
 * every NMI of every CPU: only the CPU the function is meant for takes it.
 */
static const struct sctest_case *pending_case;
static struct sctest_result *pending_result;
static void (*pending_fn)(void *arg);
static void *pending_arg;
static int pending_cpu = -1;
static atomic_t pending_done;

static void run_pending(void)
{
	void (*fn)(void *arg) = READ_ONCE(pending_fn);

	if (!fn || READ_ONCE(pending_cpu) != smp_processor_id() ||
	    cmpxchg(&pending_fn, fn, NULL) != fn)
		return;
	fn(pending_arg);
	atomic_set(&pending_done, 1);
}

static void run_pending_case(void *unused)
{
	pending_case->fn(pending_result);
}

/* Arm run_pending for this CPU; call with preemption off. */
static void set_pending(void (*fn)(void *arg), void *arg)
{
	atomic_set(&pending_done, 0);
	pending_arg = arg;
	WRITE_ONCE(pending_cpu, smp_processor_id());
	WRITE_ONCE(pending_fn, fn);
}

/* hardirq */
static struct hrtimer sctest_timer;
static DECLARE_COMPLETION(sctest_timer_done);

static enum hrtimer_restart sctest_timer_fn(struct hrtimer *t)
{
	run_pending();
	complete(&sctest_timer_done);
	return HRTIMER_NORESTART;
}

/* nmi */
static int sctest_nmi_registered;

static int sctest_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	if (!READ_ONCE(pending_fn) ||
	    READ_ONCE(pending_cpu) != smp_processor_id())
		return NMI_DONE;
	run_pending();
	return NMI_HANDLED;
}

/* probe */
static int sctest_kprobe_registered;

static noinline void sctest_probe_target(void)
{
	/* Keep the call: the kprobe's pre-handler is the probe context. */
	asm volatile("" ::: "memory");
}

static int sctest_kprobe_pre(struct kprobe *p, struct pt_regs *regs)
{
	run_pending();
	return 0;
}

static struct kprobe sctest_kprobe = {
	.addr = (kprobe_opcode_t *)sctest_probe_target,
	.pre_handler = sctest_kprobe_pre,
};

/*
 * Concurrency hooks (sctest.h): threads, a second context on top of the
 * caller, periodic interrupts on every CPU, signals.
 */
long long sctest_now_ns(void)
{
	return ktime_get_mono_fast_ns();
}

int sctest_ncpus(void)
{
	return num_online_cpus();
}

void sctest_sleep_ms(unsigned int ms)
{
	msleep(ms);
}

void sctest_yield(void)
{
	yield();
}

/* Threads: kthreads that wait for kthread_stop() after fn returned, so
 * that module text is never left running. */
static struct {
	struct task_struct *task[SCTEST_MAX_THREADS];
	int n;
	sctest_thread_fn fn;
	void *arg;
	atomic_t running;
	struct completion done;
} group;

static int sctest_thread_main(void *data)
{
	int index = (int)(long)data;

	allow_signal(SIGUSR1);
	group.fn(group.arg, index);
	flush_signals(current);
	if (atomic_dec_and_test(&group.running))
		complete(&group.done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

int sctest_threads_start(int n, sctest_thread_fn fn, void *arg)
{
	int i;

	if (n < 1 || n > SCTEST_MAX_THREADS || group.n)
		return -1;
	group.fn = fn;
	group.arg = arg;
	atomic_set(&group.running, n);
	init_completion(&group.done);
	for (i = 0; i < n; i++) {
		group.task[i] = kthread_create(sctest_thread_main,
					       (void *)(long)i, "sctest/%d", i);
		if (IS_ERR(group.task[i])) {
			while (i-- > 0) {
				kthread_stop(group.task[i]);
				put_task_struct(group.task[i]);
			}
			return -1;
		}
		get_task_struct(group.task[i]);
	}
	group.n = n;
	for (i = 0; i < n; i++)
		wake_up_process(group.task[i]);
	return 0;
}

int sctest_threads_join(void)
{
	int i, n = group.n;

	if (!n)
		return 0;
	wait_for_completion(&group.done);
	for (i = 0; i < n; i++) {
		kthread_stop(group.task[i]);
		put_task_struct(group.task[i]);
	}
	group.n = 0;
	return n;
}

int sctest_run_threads(int n, sctest_thread_fn fn, void *arg)
{
	if (sctest_threads_start(n, fn, arg))
		return -1;
	sctest_threads_join();
	return 0;
}

int sctest_thread_signal(int index)
{
	if (index < 0 || index >= group.n)
		return -1;
	return send_sig(SIGUSR1, group.task[index], 1) ? -1 : 0;
}

/*
 * A pending signal without a signal: a real SIGUSR1 to insmod has a fatal
 * default action, which Linux turns into a group exit at once (flushing it
 * afterwards does not undo that, and later signals are dropped). What
 * interruptible sleeps test is signal_pending(), i.e. TIF_SIGPENDING;
 * flush_signals() clears it.
 */
static bool signalled_self;

void sctest_signal_self(void)
{
	signalled_self = true;
	set_tsk_thread_flag(current, TIF_SIGPENDING);
}

void sctest_signal_clear(void)
{
	flush_signals(current);
}

/*
 * CPU hotplug through the device core, as the sysfs "online" file does.
 * Opt-in (solcompat_test.hotplug=1): in the matrix runs, taking a CPU
 * offline in the middle of the suite was followed once in 13 boots on 6.1
 * by an oops in a later kprobe test (fbt.remove_while_firing). So the
 * main boot leaves it off and exercises hotplug at its end from user space
 * (tests/kernel/trace_smoke.sh), and a boot of its own,
 * kernel.<flavour>.hotplug (cmake/kernels.cmake), loads only solcompat.ko
 * and solcompat_test.ko with hotplug=1.
 */
static bool sctest_hotplug;
module_param_named(hotplug, sctest_hotplug, bool, 0444);
MODULE_PARM_DESC(hotplug, "let cases take CPUs offline and back (cyclic.omni_follows_cpu_hotplug)");

int sctest_cpu_set_online(int cpu, int online)
{
	int err;

	if (!sctest_hotplug)
		return -1;
	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_present(cpu))
		return -1;
	if (!!cpu_online(cpu) == !!online)
		return -1;
	err = online ? add_cpu(cpu) : remove_cpu(cpu);
	if (err)
		pr_info("sctest: %s CPU %d failed (%d)\n",
			online ? "onlining" : "offlining", cpu, err);
	return err ? -1 : 0;
}

struct sctest_on_cpu {
	void (*fn)(void *);
	void *arg;
};

static long sctest_on_cpu_fn(void *p)
{
	struct sctest_on_cpu *c = p;

	c->fn(c->arg);
	return 0;
}

int sctest_run_on_cpu(int cpu, void (*fn)(void *), void *arg)
{
	struct sctest_on_cpu c = {fn, arg};

	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -1;
	/* A kworker bound to cpu runs it; process context, preemptible. */
	work_on_cpu(cpu, sctest_on_cpu_fn, &c);
	return 0;
}

/*
 * A second context on top of the caller, through the case runner's
 * machinery; its own hrtimer, which completes nothing, so the caller can
 * busy-wait for it.
 */
static struct hrtimer sctest_call_timer;

static enum hrtimer_restart sctest_call_timer_fn(struct hrtimer *t)
{
	run_pending();
	return HRTIMER_NORESTART;
}

int sctest_call_in(unsigned int context, void (*fn)(void *arg), void *arg)
{
	int i;

	switch (context) {
	case SCTEST_PROCESS:
		fn(arg);
		return 0;
	case SCTEST_ATOMIC:
		preempt_disable();
		fn(arg);
		preempt_enable();
		return 0;
	case SCTEST_HARDIRQ:
		if (irqs_disabled())
			return -1;
		break;
	case SCTEST_NMI:
		if (!sctest_nmi_registered)
			return -1;
		break;
	case SCTEST_PROBE:
		if (!sctest_kprobe_registered)
			return -1;
		break;
	default:
		return -1;
	}
	preempt_disable();
	set_pending(fn, arg);
	switch (context) {
	case SCTEST_HARDIRQ:
		hrtimer_start(&sctest_call_timer, ns_to_ktime(10000),
			      HRTIMER_MODE_REL_PINNED_HARD);
		break;
	case SCTEST_NMI:
		apic->send_IPI_self(NMI_VECTOR);
		break;
	case SCTEST_PROBE:
		sctest_probe_target();
		break;
	}
	for (i = 0; i < 500000 && !atomic_read(&pending_done); i++)
		udelay(10);
	WRITE_ONCE(pending_fn, NULL);
	preempt_enable();
	if (context == SCTEST_HARDIRQ)
		hrtimer_cancel(&sctest_call_timer);
	return atomic_read(&pending_done) ? 0 : -1;
}

/* Periodic hard interrupts on every CPU. */
static DEFINE_PER_CPU(struct hrtimer, sctest_tick);
static void (*tick_fn)(void *arg, int cpu);
static void *tick_arg;
static ktime_t tick_period;
static bool ticking;

static enum hrtimer_restart sctest_tick_fn(struct hrtimer *t)
{
	if (!READ_ONCE(ticking))
		return HRTIMER_NORESTART;
	tick_fn(tick_arg, smp_processor_id());
	hrtimer_forward_now(t, tick_period);
	return HRTIMER_RESTART;
}

static void sctest_tick_start(void *unused)
{
	hrtimer_start(this_cpu_ptr(&sctest_tick), tick_period,
		      HRTIMER_MODE_REL_PINNED_HARD);
}

int sctest_timers_start(unsigned int period_us, void (*fn)(void *arg, int cpu),
			void *arg)
{
	if (ticking || !period_us)
		return -1;
	tick_fn = fn;
	tick_arg = arg;
	tick_period = ns_to_ktime((u64)period_us * NSEC_PER_USEC);
	WRITE_ONCE(ticking, true);
	on_each_cpu(sctest_tick_start, NULL, 1);
	return 0;
}

void sctest_timers_stop(void)
{
	int cpu;

	if (!ticking)
		return;
	WRITE_ONCE(ticking, false);
	for_each_possible_cpu(cpu)
		hrtimer_cancel(per_cpu_ptr(&sctest_tick, cpu));
}

static void fail_setup(struct sctest_result *r, const char *why)
{
	r->failed = 1;
	r->file = __FILE__;
	r->line = 0;
	r->expr = why;
}

static void run_case(const struct sctest_case *c, unsigned int context,
		     struct sctest_result *r)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->context = context;
	atomic_set(&pending_done, 0);
	pending_case = c;
	pending_result = r;

	switch (context) {
	case SCTEST_PROCESS:
		c->fn(r);
		if (signalled_self) {
			flush_signals(current);
			signalled_self = false;
		}
		return;
	case SCTEST_ATOMIC:
		preempt_disable();
		c->fn(r);
		preempt_enable();
		return;
	case SCTEST_HARDIRQ:
		reinit_completion(&sctest_timer_done);
		preempt_disable();
		set_pending(run_pending_case, NULL);
		hrtimer_start(&sctest_timer, ns_to_ktime(10000),
			      HRTIMER_MODE_REL_PINNED_HARD);
		preempt_enable();
		if (!wait_for_completion_timeout(&sctest_timer_done, 5 * HZ)) {
			hrtimer_cancel(&sctest_timer);
			fail_setup(r, "hrtimer did not fire within 5 s");
		}
		break;
	case SCTEST_NMI:
		if (!sctest_nmi_registered) {
			fail_setup(r, "NMI handler could not be registered");
			return;
		}
		preempt_disable();
		set_pending(run_pending_case, NULL);
		apic->send_IPI_self(NMI_VECTOR);
		for (i = 0; i < 100000 && !atomic_read(&pending_done); i++)
			udelay(10);
		preempt_enable();
		break;
	case SCTEST_PROBE:
		if (!sctest_kprobe_registered) {
			fail_setup(r, "kprobe could not be registered");
			return;
		}
		preempt_disable();
		set_pending(run_pending_case, NULL);
		sctest_probe_target();
		preempt_enable();
		break;
	}
	if (!atomic_read(&pending_done) && !r->failed) {
		WRITE_ONCE(pending_fn, NULL);
		fail_setup(r, "the context did not run the case");
	}
}

/* A case must not return with its threads or timers still running. */
static void reap_leftovers(struct sctest_result *r)
{
	if (READ_ONCE(ticking)) {
		sctest_timers_stop();
		if (!r->failed)
			fail_setup(r, "the case returned with its timers running");
	}
	if (!group.n)
		return;
	if (!r->failed)
		fail_setup(r, "the case returned with its threads running");
	if (wait_for_completion_timeout(&group.done, 10 * HZ))
		sctest_threads_join();
	else
		pr_err("sctest: threads of a failed case are stuck; later cases cannot start threads\n");
}

/*
 * families=<name>[,<name>...]: run only these case families (all when
 * empty). kernel.<flavour>.smp4 (cmake/kernels.cmake) runs xcall and
 * cyclic on four vCPUs with it.
 */
static char *sctest_only = "";
module_param_named(families, sctest_only, charp, 0444);
MODULE_PARM_DESC(families, "comma-separated case families to run (default: all)");

static bool family_selected(const char *name)
{
	const char *p = sctest_only;
	size_t n = strlen(name);

	if (!p || !*p)
		return true;
	while (*p) {
		const char *end = strchrnul(p, ',');

		if ((size_t)(end - p) == n && !strncmp(p, name, n))
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

/*
 * leak_cyclics=1: after the cases, add a plain and an omni cyclic whose
 * handlers are in this module, and never remove them. solcompat reports
 * and removes both when this module unloads (linux/cyclic.c's module
 * notifier); without that their timers would fire into this module's
 * freed text. The hotplug boots (cmake/kernels.cmake) set it and check
 * the two reports after an rmmod (tests/kernel/leak_check.sh).
 */
static bool sctest_leak_cyclics;
module_param_named(leak_cyclics, sctest_leak_cyclics, bool, 0444);
MODULE_PARM_DESC(leak_cyclics,
		 "leave two cyclics added at unload, for solcompat to report");

static atomic_t sctest_leak_fires = ATOMIC_INIT(0);

static void sctest_leak_fire(void *arg)
{
	atomic_inc(&sctest_leak_fires);
}

static void sctest_leak_online(void *arg, solcompat_cpu_t *cpu,
			       solcompat_cyc_handler_t *hdlr,
			       solcompat_cyc_time_t *when)
{
	hdlr->cyh_func = sctest_leak_fire;
	hdlr->cyh_arg = NULL;
	hdlr->cyh_level = SOLCOMPAT_CY_HIGH_LEVEL;
	when->cyt_when = 0;
	when->cyt_interval = 2 * NSEC_PER_MSEC;
}

static void sctest_leak_offline(void *arg, solcompat_cpu_t *cpu, void *hdlr_arg)
{
}

static void sctest_leak(void)
{
	const solcompat_cyc_handler_t hdlr = {
		.cyh_func = sctest_leak_fire,
		.cyh_level = SOLCOMPAT_CY_LOW_LEVEL,
	};
	const solcompat_cyc_time_t when = {.cyt_interval = NSEC_PER_MSEC};
	const solcompat_cyc_omni_handler_t omni = {
		.cyo_online = sctest_leak_online,
		.cyo_offline = sctest_leak_offline,
	};
	bool plain =
		solcompat_cyclic_add(&hdlr, &when) != SOLCOMPAT_CYCLIC_NONE;
	bool all = solcompat_cyclic_add_omni(&omni) != SOLCOMPAT_CYCLIC_NONE;

	pr_info("sctest: left a plain (%s) and an omni (%s) cyclic added, for the unload\n",
		plain ? "added" : "NOT added", all ? "added" : "NOT added");
}

static int __init sctest_init(void)
{
	struct sctest_result r;
	unsigned int f, i, bit, total = 0, n = 0, failed = 0;
	int ret, cpu;

	hrtimer_init(&sctest_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	sctest_timer.function = sctest_timer_fn;
	hrtimer_init(&sctest_call_timer, CLOCK_MONOTONIC,
		     HRTIMER_MODE_REL_PINNED_HARD);
	sctest_call_timer.function = sctest_call_timer_fn;
	for_each_possible_cpu(cpu) {
		struct hrtimer *t = per_cpu_ptr(&sctest_tick, cpu);

		hrtimer_init(t, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
		t->function = sctest_tick_fn;
	}
	ret = register_nmi_handler(NMI_LOCAL, sctest_nmi_handler, 0,
				   KBUILD_MODNAME);
	sctest_nmi_registered = ret == 0;
	if (ret)
		pr_err("sctest: register_nmi_handler failed: %d\n", ret);
	ret = register_kprobe(&sctest_kprobe);
	sctest_kprobe_registered = ret == 0;
	if (ret)
		pr_err("sctest: register_kprobe failed: %d\n", ret);

	for (f = 0; f < sctest_family_count; f++)
		for (i = 0; i < sctest_families[f]->count; i++)
			if (family_selected(sctest_families[f]->cases[i].family))
				total += hweight32(
					sctest_families[f]->cases[i].contexts);

	pr_info("KTAP version 1\n");
	pr_info("1..%u\n", total);
	for (f = 0; f < sctest_family_count; f++) {
		const struct sctest_family *fam = sctest_families[f];

		for (i = 0; i < fam->count; i++) {
			const struct sctest_case *c = &fam->cases[i];

			if (!family_selected(c->family))
				continue;
			for (bit = SCTEST_PROCESS; bit <= SCTEST_PROBE; bit <<= 1) {
				if (!(c->contexts & bit))
					continue;
				run_case(c, bit, &r);
				reap_leftovers(&r);
				n++;
				if (r.failed) {
					failed++;
					pr_info("# %s:%d: check failed: %s (left %lld, right %lld)\n",
						r.file, r.line, r.expr, r.left, r.right);
					pr_info("not ok %u %s.%s.%s\n", n, c->family,
						c->name, sctest_context_name(bit));
				} else if (r.skipped) {
					pr_info("ok %u %s.%s.%s # SKIP %s\n", n,
						c->family, c->name,
						sctest_context_name(bit), r.expr);
				} else {
					pr_info("ok %u %s.%s.%s\n", n, c->family,
						c->name, sctest_context_name(bit));
				}
			}
		}
	}
	pr_info("# sctest: %u cases, %u failed\n", n, failed);
	if (sctest_leak_cyclics)
		sctest_leak();
	return 0;
}

static void __exit sctest_exit(void)
{
	if (sctest_kprobe_registered)
		unregister_kprobe(&sctest_kprobe);
	if (sctest_nmi_registered)
		unregister_nmi_handler(NMI_LOCAL, KBUILD_MODNAME);
	hrtimer_cancel(&sctest_timer);
	hrtimer_cancel(&sctest_call_timer);
	sctest_timers_stop();
}

module_init(sctest_init);
module_exit(sctest_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("solcompat conformance suite, kernel runner (KTAP)");
