// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel code for the model's self-test, written and compiled the way
 * the files of linux/ are (stand-in headers, no libc), so that the self-test
 * exercises the stand-ins exactly as real kernel code does. Most functions do
 * one thing that is wrong in some context; model_selftest.cc calls them there
 * and checks that the model reports it.
 */
#include <linux/capability.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/irq_work.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/panic.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/utsname.h>

#include <impl/debug.h>

#include "selftest_kernel.h"

void st_might_sleep(void)
{
	might_sleep();
}

long st_schedule_timeout(long ticks)
{
	return schedule_timeout_uninterruptible(ticks);
}

void *st_kmalloc(unsigned long size, int may_sleep)
{
	return kmalloc(size, may_sleep ? GFP_KERNEL : GFP_ATOMIC);
}

void st_kfree(const void *p)
{
	kfree(p);
}

void st_preempt_disable(void)
{
	preempt_disable();
}

void st_preempt_enable(void)
{
	preempt_enable();
}

unsigned long st_irq_save(void)
{
	unsigned long flags;

	raw_local_irq_save(flags);
	return flags;
}

void st_irq_restore(unsigned long flags)
{
	raw_local_irq_restore(flags);
}

void st_irq_enable(void)
{
	raw_local_irq_enable();
}

void st_irq_disable(void)
{
	raw_local_irq_disable();
}

int st_irqs_disabled(void)
{
	return raw_irqs_disabled();
}

int st_preempt_count(void)
{
	return preempt_count();
}

int st_in_nmi(void)
{
	return !!in_nmi();
}

int st_in_hardirq(void)
{
	return !!in_hardirq();
}

int st_in_task(void)
{
	return !!in_task();
}

static DEFINE_RAW_SPINLOCK(st_spinlock);

void st_lock(void)
{
	raw_spin_lock(&st_spinlock);
}

void st_unlock(void)
{
	raw_spin_unlock(&st_spinlock);
}

int st_trylock(void)
{
	return raw_spin_trylock(&st_spinlock);
}

void st_lock_irqsave_cycle(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&st_spinlock, flags);
	raw_spin_unlock_irqrestore(&st_spinlock, flags);
}

void st_lock_reset(void)
{
	raw_spin_lock_init(&st_spinlock);
}

static DEFINE_PER_CPU(int, st_pcpu);

/*
 * linux/debug.c's reports read the probe depth, whose per-CPU word
 * linux/xcall.c defines; the self-test links debug.c alone, and its
 * probes do not enter solcompat's probe context, so the word stays 0.
 */
DEFINE_PER_CPU(u64, solcompat_probe_state);

void st_percpu_set(int value)
{
	this_cpu_write(st_pcpu, value);
}

int st_percpu_get(int cpu)
{
	return READ_ONCE(per_cpu(st_pcpu, cpu));
}

int st_smp_processor_id(void)
{
	return smp_processor_id();
}

int st_raw_smp_processor_id(void)
{
	return raw_smp_processor_id();
}

unsigned int st_num_online_cpus(void)
{
	return num_online_cpus();
}

void st_assfail(void)
{
	solcompat_assfail("x == 1", __FILE__, __LINE__);
}

void st_panic(void)
{
	panic("selftest: %s %d\n", "deliberate", 7);
}

void st_printk(void)
{
	pr_err("selftest: %s %d %5.2s|%-4d|%04x %pS\n", "hello", 42, "abc", 7,
	       0xbeef, st_printk);
}

void st_printk_cont(void)
{
	printk("%s"
	       "first",
	       KERN_WARNING);
	pr_cont(" second\n");
}

volatile unsigned long st_spin_progress;

unsigned long st_spin(unsigned long iterations)
{
	unsigned long i;

	for (i = 0; i < iterations; i++)
		st_spin_progress = i + 1;
	return st_spin_progress;
}

static call_single_data_t st_csd;

static void st_ipi_func(void *info)
{
	int *result = info;

	smp_store_release(result, 1000 + raw_smp_processor_id() +
					  (in_hardirq() ? 100 : 0) +
					  (irqs_disabled() ? 10000 : 0));
}

int st_ipi(int cpu, int *result)
{
	INIT_CSD(&st_csd, st_ipi_func, (void *)result);
	return smp_call_function_single_async(cpu, &st_csd);
}

/* A module of its own, for the registries of linux/module.h and kprobes.h. */
static int st_module_state;

int st_module_loaded(void)
{
	return st_module_state;
}

/* Module parameters, set by model::ModuleLoad from SOLCOMPAT_MODEL_PARAMS. */
static bool st_param_flag;
static int st_param_int = 7;
static unsigned long st_param_ulong;
module_param(st_param_flag, bool, 0444);
module_param(st_param_int, int, 0444);
module_param(st_param_ulong, ulong, 0444);
MODULE_PARM_DESC(st_param_flag, "a flag");

long st_module_params(void)
{
	return (st_param_flag ? 1000000L : 0) + st_param_int * 1000L +
	       (long)st_param_ulong;
}

static int __init st_module_init(void)
{
	st_module_state = 1;
	pr_info("selftest module: loaded on %s\n", init_utsname()->release);
	return 0;
}

static void __exit st_module_exit(void)
{
	st_module_state = 2;
}

module_init(st_module_init);
module_exit(st_module_exit);
EXPORT_SYMBOL_GPL(st_module_loaded);
NOKPROBE_SYMBOL(st_spin);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("solcompat kernel model self-test");

/* The stand-ins added with xcall/cpu/copy/kmem in the model. */

int st_capable_admin(void)
{
	return capable(CAP_SYS_ADMIN);
}

unsigned int st_current_pid(void)
{
	return (unsigned int)current->pid;
}

unsigned long st_copy_from_user(void *to, const void *from, unsigned long n)
{
	return copy_from_user(to, (const void __user *)from, n);
}

void *st_kvmalloc(unsigned long size, int may_sleep)
{
	return kvmalloc(size, may_sleep ? GFP_KERNEL : GFP_ATOMIC);
}

void st_kvfree(const void *p)
{
	kvfree(p);
}

volatile int st_irq_work_runs;
volatile int st_irq_work_in_hardirq;

static void st_irq_work_fn(struct irq_work *work)
{
	(void)work;
	st_irq_work_runs++;
	if (in_hardirq())
		st_irq_work_in_hardirq++;
}

static struct irq_work st_work = IRQ_WORK_INIT_HARD(st_irq_work_fn);

int st_irq_work_queue(void)
{
	return irq_work_queue(&st_work);
}

void st_irq_work_sync(void)
{
	irq_work_sync(&st_work);
}

volatile unsigned long st_cpuhp_online_mask;

static int st_cpu_up(unsigned int cpu)
{
	/* Runs on that CPU, in task context. */
	if (raw_smp_processor_id() == (int)cpu && in_task())
		__atomic_fetch_or(&st_cpuhp_online_mask, 1UL << cpu, __ATOMIC_SEQ_CST);
	return 0;
}

static int st_cpu_down(unsigned int cpu)
{
	if (raw_smp_processor_id() == (int)cpu && in_task())
		__atomic_fetch_and(&st_cpuhp_online_mask, ~(1UL << cpu), __ATOMIC_SEQ_CST);
	return 0;
}

int st_cpuhp_setup(void)
{
	return cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "selftest", st_cpu_up,
				 st_cpu_down);
}

void st_cpuhp_remove(int state)
{
	cpuhp_remove_state(state);
}

/* The scheduler (model_task.cc). */
void st_schedule_in_state(void)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	schedule();
}

void st_sleep_forever(void)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	schedule();
}

void *st_current(void)
{
	return current;
}

int st_wake(void *task)
{
	return wake_up_process(task);
}

static DECLARE_WAIT_QUEUE_HEAD(st_wq);
static volatile int st_go;
static volatile int st_sum;
static int st_finished;
static struct task_struct *st_threads[16];
static int st_nthreads;
volatile int st_kthread_cpus_seen;

static int st_kthread_fn(void *data)
{
	int i;

	wait_event(st_wq, READ_ONCE(st_go));
	for (i = 0; i < 100; i++) {
		__atomic_fetch_add(&st_sum, 1, __ATOMIC_RELAXED);
		__atomic_fetch_or(&st_kthread_cpus_seen,
				  1 << raw_smp_processor_id(),
				  __ATOMIC_RELAXED);
		cond_resched();
	}
	__atomic_fetch_add(&st_finished, 1, __ATOMIC_RELEASE);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return (int)(long)data;
}

int st_kthreads_start(int n)
{
	int i;

	st_go = 0;
	st_sum = 0;
	st_finished = 0;
	st_kthread_cpus_seen = 0;
	for (i = 0; i < n; i++) {
		st_threads[i] = kthread_run(st_kthread_fn, (void *)(long)(i + 1),
					    "st/%d", i);
		if (IS_ERR(st_threads[i]))
			return -1;
	}
	st_nthreads = n;
	return 0;
}

/* From any context but NMI: let them go. */
void st_kthreads_go(void)
{
	WRITE_ONCE(st_go, 1);
	wake_up_all(&st_wq);
}

/* How many have finished their loop (from any thread). */
int st_kthreads_finished(void)
{
	return __atomic_load_n(&st_finished, __ATOMIC_ACQUIRE);
}

/* Stop them; the sum of their results (1 + 2 + ... + n). */
int st_kthreads_stop(int *sum)
{
	int i, total = 0;

	for (i = 0; i < st_nthreads; i++)
		total += kthread_stop(st_threads[i]);
	st_nthreads = 0;
	*sum = st_sum;
	return total;
}

/* hrtimers and workqueues (model_timer.cc). */
static struct hrtimer st_timer;
volatile int st_timer_runs, st_timer_cpu, st_timer_hardirq, st_timer_softirq;
static int st_timer_limit;

static enum hrtimer_restart st_timer_fn(struct hrtimer *t)
{
	int n;

	/* Read by the test's thread: atomics, the count last. */
	__atomic_store_n(&st_timer_cpu, raw_smp_processor_id(),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&st_timer_hardirq, !!in_hardirq(), __ATOMIC_RELAXED);
	__atomic_store_n(&st_timer_softirq,
			 !!in_softirq() && !in_hardirq() && !irqs_disabled(),
			 __ATOMIC_RELAXED);
	n = __atomic_add_fetch(&st_timer_runs, 1, __ATOMIC_RELEASE);
	if (n >= st_timer_limit)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(1000000));
	return HRTIMER_RESTART;
}

/* Start a 1 ms periodic timer on this CPU that runs `runs` times. */
void st_timer_start(int soft, int runs)
{
	st_timer_runs = 0;
	st_timer_cpu = -1;
	st_timer_limit = runs;
	hrtimer_init(&st_timer, CLOCK_MONOTONIC,
		     soft ? HRTIMER_MODE_ABS_PINNED_SOFT :
			    HRTIMER_MODE_ABS_PINNED_HARD);
	st_timer.function = st_timer_fn;
	hrtimer_start(&st_timer, ns_to_ktime(1000000),
		      soft ? HRTIMER_MODE_REL_PINNED_SOFT :
			     HRTIMER_MODE_REL_PINNED_HARD);
}

int st_timer_cancel(void)
{
	return hrtimer_cancel(&st_timer);
}

static struct work_struct st_wq_item;
volatile int st_work_runs, st_work_cpu, st_work_in_task;

static void st_work_fn(struct work_struct *w)
{
	__atomic_store_n(&st_work_cpu, raw_smp_processor_id(), __ATOMIC_RELAXED);
	__atomic_store_n(&st_work_in_task,
			 in_task() && !preempt_count() && !irqs_disabled(),
			 __ATOMIC_RELAXED);
	might_sleep();
	__atomic_add_fetch(&st_work_runs, 1, __ATOMIC_RELEASE);
}

int st_work_queue(int cpu)
{
	st_work_runs = 0;
	INIT_WORK(&st_wq_item, st_work_fn);
	return queue_work_on(cpu, system_highpri_wq, &st_wq_item);
}

int st_work_requeue(int cpu)
{
	return queue_work_on(cpu, system_highpri_wq, &st_wq_item);
}

int st_work_flush(void)
{
	return flush_work(&st_wq_item);
}
