// SPDX-License-Identifier: GPL-2.0
/*
 * Task queues (sys/taskq.h).
 *
 * Big Theory Statement
 * --------------------
 * A taskq is a FIFO of (func, arg) entries served by its own kernel
 * threads. Linux workqueues were considered and rejected: they cannot put a
 * task at the front (TQ_FRONT), cannot wait for "everything dispatched
 * before now" on a shared queue, and allocate nothing for us, so TQ_NOSLEEP
 * from hard interrupt context on PREEMPT_RT (where the slab allocator may
 * not be called) would have no entry to queue. Here:
 *   - Each taskq preallocates max(minalloc, SOLCOMPAT_TQ_POOL_MIN) entries
 *     (TASKQ_PREPOPULATE is therefore always in effect). Half the pool is
 *     kept for TQ_NOSLEEP (and TQ_NOALLOC): TQ_SLEEP takes a pool entry
 *     only while more than half are free, and otherwise kmallocs one and
 *     never fails, so a backlog of TQ_SLEEP tasks cannot starve dispatch
 *     from interrupt context. TQ_NOSLEEP takes any pool entry; with the
 *     pool empty it kmallocs one with GFP_ATOMIC where the slab allocator
 *     may be called (not in probe context, nor in hard interrupt context
 *     on PREEMPT_RT: solcompat_mem_slab_ok), as illumos falls back to its
 *     entry cache, and fails (returns 0) elsewhere or when that fails.
 *     TQ_NOALLOC never allocates.
 *   - One raw spinlock, taken with interrupts off, protects the queue, the
 *     pool, the idle-worker list and the counters. Raw, so it stays a
 *     spinning lock on PREEMPT_RT and dispatch works from hard interrupt
 *     context there too. A hard interrupt cannot land inside the section
 *     on this CPU (interrupts are off), so dispatch from hardirq cannot
 *     deadlock. A probe can (a kprobe on a function called with the lock
 *     held): in probe context dispatch only trylocks, and fails if the lock
 *     is busy. NMI is refused (reported): wake_up_process is not NMI-safe.
 *   - Dispatch appends (or prepends, TQ_FRONT) the entry and wakes one idle
 *     worker, after dropping the lock, holding a reference on its task (a
 *     taskq_destroy that the task's completion let run may stop the worker
 *     meanwhile). It wakes directly only where that is certainly safe,
 *     as the sleep queues do (linux/sleepq.c): task context with
 *     preemption and interrupts on. Elsewhere it may be a probe that fired
 *     inside the scheduler with the runqueue lock held, which the wake
 *     would take again, and a real interrupt handler looks the same; so it
 *     queues the taskq's irq_work, whose callback (hard interrupt context,
 *     as soon as interrupts are on again) wakes one idle worker per queued
 *     entry. taskq_destroy waits for it (irq_work_sync). A worker sets its
 *     task state, then
 *     checks kthread_should_stop() and marks itself idle, all under the
 *     lock and before sleeping, so neither a dispatch's wake-up nor
 *     kthread_stop's between the unlock and schedule() is lost.
 *   - taskq_wait sleeps until nothing is queued or running. With one
 *     thread that covers exactly what was dispatched before the call; with
 *     several it may also wait for tasks dispatched meanwhile, as illumos'.
 *   - A single-thread taskq runs its tasks one at a time in queue order
 *     (FIFO, except TQ_FRONT entries).
 *
 * Contexts:
 *   function               process atomic hardirq nmi probe
 *   taskq_create/destroy   yes     no     no      no  no
 *   taskq_wait             yes     no     no      no  no
 *   taskq_dispatch SLEEP   yes     no(*)  no(*)   no  no(*)
 *   taskq_dispatch NOSLEEP yes     yes    yes     no  yes (trylock)
 *   (outside process context the wake is deferred to an irq_work)
 *   (*) reported, then treated as TQ_NOSLEEP.
 *
 * Not supported: dynamic taskqs (TASKQ_DYNAMIC creates nthreads threads),
 * thread priorities (pri is ignored), maxalloc (no upper bound for
 * TQ_SLEEP), taskq_dispatch_ent.
 */
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include <impl/debug.h>
#include <impl/taskq.h>
#include "sleepq.h"
#include "solcompat_init.h"

#define SOLCOMPAT_TQ_POOL_MIN 64

struct tq_entry {
	struct list_head link;
	solcompat_task_func_t func;
	void *arg;
	bool pooled;
};

struct tq_worker {
	struct task_struct *task;
	struct list_head idle_link;
	bool idle;
	struct solcompat_taskq *tq;
};

struct solcompat_taskq {
	char name[32];
	raw_spinlock_t lock;
	struct list_head queue;
	struct list_head pool;
	unsigned int pool_free;	   /* entries on pool */
	unsigned int pool_reserve; /* kept for TQ_NOSLEEP (see above) */
	struct list_head idle;
	unsigned long queued, running;
	solcompat_taskqid_t last_id;
	wait_queue_head_t done;
	int nthreads;
	struct tq_worker *workers;
	struct tq_entry *pool_mem;
	struct irq_work wake_work; /* deferred wakes (see above) */
};

static solcompat_taskq_t *system_tq;

static bool tq_drained(solcompat_taskq_t *tq)
{
	unsigned long flags;
	bool drained;

	raw_spin_lock_irqsave(&tq->lock, flags);
	drained = tq->queued == 0 && tq->running == 0;
	raw_spin_unlock_irqrestore(&tq->lock, flags);
	return drained;
}

static int tq_thread(void *data)
{
	struct tq_worker *w = data;
	solcompat_taskq_t *tq = w->tq;
	struct tq_entry *e;

	for (;;) {
		raw_spin_lock_irq(&tq->lock);
		if (list_empty(&tq->queue)) {
			/*
			 * The state before the stop check: kthread_stop sets
			 * its flag and wakes without our lock, so a check
			 * first would lose a stop landing between the check
			 * and the state change (taskq_destroy then waits
			 * forever).
			 */
			set_current_state(TASK_IDLE);
			if (kthread_should_stop()) {
				__set_current_state(TASK_RUNNING);
				raw_spin_unlock_irq(&tq->lock);
				return 0;
			}
			if (!w->idle) {
				w->idle = true;
				list_add(&w->idle_link, &tq->idle);
			}
			raw_spin_unlock_irq(&tq->lock);
			schedule();
			continue;
		}
		if (w->idle) {
			w->idle = false;
			list_del(&w->idle_link);
		}
		e = list_first_entry(&tq->queue, struct tq_entry, link);
		list_del(&e->link);
		tq->queued--;
		tq->running++;
		raw_spin_unlock_irq(&tq->lock);

		e->func(e->arg);

		raw_spin_lock_irq(&tq->lock);
		if (e->pooled) {
			list_add(&e->link, &tq->pool);
			tq->pool_free++;
			e = NULL;
		}
		tq->running--;
		raw_spin_unlock_irq(&tq->lock);
		kfree(e);
		if (tq_drained(tq))
			wake_up_all(&tq->done);
	}
}

/*
 * The deferred wake of a dispatch outside process context: one idle worker per
 * queued entry (hard interrupt context, so the raw lock is enough).
 */
static void tq_wake_deferred(struct irq_work *iw)
{
	solcompat_taskq_t *tq = container_of(iw, solcompat_taskq_t, wake_work);
	unsigned long flags, n;

	raw_spin_lock_irqsave(&tq->lock, flags);
	for (n = tq->queued; n && !list_empty(&tq->idle); n--) {
		struct tq_worker *w = list_first_entry(
			&tq->idle, struct tq_worker, idle_link);

		list_del(&w->idle_link);
		w->idle = false;
		wake_up_process(w->task);
	}
	raw_spin_unlock_irqrestore(&tq->lock, flags);
}

/* Plain task context that may sleep (not in an RCU read-side section). */
static bool tq_process_context(void)
{
	return in_task() && solcompat_mem_may_sleep();
}

solcompat_taskq_t *solcompat_taskq_create(const char *name, int nthreads,
					  int minalloc, int maxalloc,
					  unsigned int flags)
{
	/* Hard: on PREEMPT_RT too it runs in the interrupt, not a thread. */
	const struct irq_work wake_work = IRQ_WORK_INIT_HARD(tq_wake_deferred);
	solcompat_taskq_t *tq;
	int i, npool = max(minalloc, SOLCOMPAT_TQ_POOL_MIN);

	if (!tq_process_context()) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "taskq_create",
				 "process context only",
				 __builtin_return_address(0));
		return NULL;
	}
	if (flags & SOLCOMPAT_TASKQ_THREADS_CPU_PCT)
		nthreads = max(1, num_online_cpus() * nthreads / 100);
	nthreads = clamp(nthreads, 1, 256);
	tq = kzalloc(sizeof(*tq), GFP_KERNEL);
	if (!tq)
		return NULL;
	strscpy(tq->name, name ? name : "taskq");
	raw_spin_lock_init(&tq->lock);
	tq->wake_work = wake_work;
	INIT_LIST_HEAD(&tq->queue);
	INIT_LIST_HEAD(&tq->pool);
	INIT_LIST_HEAD(&tq->idle);
	init_waitqueue_head(&tq->done);
	tq->pool_mem = kcalloc(npool, sizeof(*tq->pool_mem), GFP_KERNEL);
	tq->workers = kcalloc(nthreads, sizeof(*tq->workers), GFP_KERNEL);
	if (!tq->pool_mem || !tq->workers)
		goto fail;
	for (i = 0; i < npool; i++) {
		tq->pool_mem[i].pooled = true;
		list_add_tail(&tq->pool_mem[i].link, &tq->pool);
	}
	tq->pool_free = npool;
	tq->pool_reserve = npool / 2;
	for (i = 0; i < nthreads; i++) {
		struct tq_worker *w = &tq->workers[i];
		struct task_struct *t;

		w->tq = tq;
		t = kthread_run(tq_thread, w, "tq/%s/%d", tq->name, i);
		if (IS_ERR(t))
			goto fail;
		w->task = t;
		tq->nthreads++;
	}
	return tq;
fail:
	solcompat_taskq_destroy(tq);
	return NULL;
}
EXPORT_SYMBOL_GPL(solcompat_taskq_create);

solcompat_taskqid_t solcompat_taskq_dispatch(solcompat_taskq_t *tq,
					     solcompat_task_func_t func,
					     void *arg, unsigned int flags)
{
	struct tq_entry *e = NULL, *heap = NULL;
	struct task_struct *wake = NULL;
	solcompat_taskqid_t id;
	unsigned long irqflags;
	bool nosleep = flags & SOLCOMPAT_TQ_NOSLEEP;
	bool noalloc = flags & SOLCOMPAT_TQ_NOALLOC;
	bool defer = !solcompat_sq_may_wake_now();
	/* Asked before the lock: on PREEMPT_RT it would always say no there. */
	bool slab_ok = solcompat_mem_slab_ok();

	if (unlikely(in_nmi())) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "taskq_dispatch",
				 "not from NMI context",
				 __builtin_return_address(0));
		return 0;
	}
	if (!nosleep && !tq_process_context()) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "taskq_dispatch",
				 "TQ_SLEEP outside process context; treated as TQ_NOSLEEP",
				 __builtin_return_address(0));
		nosleep = true;
	}
	/*
	 * The pool first; TQ_SLEEP allocates only when it is empty, and then
	 * looks again. Allocating up front cost a kmalloc+kfree per dispatch,
	 * and its might_sleep() point let a just-woken worker preempt the
	 * dispatcher on every task (one CPU, voluntary preemption: about two
	 * context switches per task).
	 */
	for (;;) {
		if (solcompat_probe_depth()) {
			local_irq_save(irqflags);
			if (!raw_spin_trylock(&tq->lock)) {
				local_irq_restore(irqflags);
				kfree(heap);
				return 0;
			}
		} else {
			raw_spin_lock_irqsave(&tq->lock, irqflags);
		}
		if ((flags & SOLCOMPAT_TQ_NOQUEUE) && list_empty(&tq->idle)) {
			raw_spin_unlock_irqrestore(&tq->lock, irqflags);
			kfree(heap);
			return 0;
		}
		if (tq->pool_free &&
		    (nosleep || noalloc || tq->pool_free > tq->pool_reserve)) {
			e = list_first_entry(&tq->pool, struct tq_entry, link);
			list_del(&e->link);
			tq->pool_free--;
		} else if (heap) {
			e = heap;
			heap = NULL;
			e->pooled = false;
		}
		if (e || noalloc || (nosleep && !slab_ok))
			break;
		raw_spin_unlock_irqrestore(&tq->lock, irqflags);
		if (!nosleep) {
			heap = kmalloc(sizeof(*heap),
				       GFP_KERNEL | __GFP_NOFAIL);
			continue;
		}
		heap = kmalloc(sizeof(*heap), GFP_ATOMIC | __GFP_NOWARN);
		if (!heap)
			return 0;
	}
	if (!e) {
		raw_spin_unlock_irqrestore(&tq->lock, irqflags);
		return 0;
	}
	e->func = func;
	e->arg = arg;
	if (flags & SOLCOMPAT_TQ_FRONT)
		list_add(&e->link, &tq->queue);
	else
		list_add_tail(&e->link, &tq->queue);
	tq->queued++;
	id = ++tq->last_id;
	if (!id)
		id = ++tq->last_id;
	if (list_empty(&tq->idle)) {
		defer = false; /* nobody to wake: a worker will find it */
	} else if (defer) {
		/*
		 * Queued before the unlock: once the lock is dropped a busy
		 * worker may run this task, and its completion may let
		 * another thread destroy the taskq; destroy's drain check
		 * takes the lock, so its irq_work_sync then sees the work
		 * queued and waits for it. (Queued after the unlock, the
		 * irq_work could be queued on freed memory.) irq_work_queue
		 * is lock-free and NMI-safe: fine under a raw lock.
		 */
		irq_work_queue(&tq->wake_work);
	} else {
		struct tq_worker *w =
			list_first_entry(&tq->idle, struct tq_worker, idle_link);

		list_del(&w->idle_link);
		w->idle = false;
		wake = w->task;
		get_task_struct(wake);
	}
	raw_spin_unlock_irqrestore(&tq->lock, irqflags);
	if (wake) {
		wake_up_process(wake);
		put_task_struct(wake);
	}
	kfree(heap);
	return id;
}
EXPORT_SYMBOL_GPL(solcompat_taskq_dispatch);

/*
 * taskq_wait's and taskq_destroy's checks: process context, and not one of
 * the queue's own threads (which would wait for, or stop, itself).
 */
static bool tq_may_wait(solcompat_taskq_t *tq, const char *api,
			const void *caller)
{
	if (!tq_process_context()) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, api,
				 "process context only; nothing done", caller);
		return false;
	}
	if (solcompat_taskq_member(tq)) {
		solcompat_misuse(
			SOLCOMPAT_MISUSE_CONTEXT, api,
			"called from one of the queue's own threads (would wait for or stop itself); nothing done",
			caller);
		return false;
	}
	return true;
}

static void tq_wait(solcompat_taskq_t *tq)
{
	wait_event(tq->done, tq_drained(tq));
}

void solcompat_taskq_wait(solcompat_taskq_t *tq)
{
	if (tq_may_wait(tq, "taskq_wait", __builtin_return_address(0)))
		tq_wait(tq);
}
EXPORT_SYMBOL_GPL(solcompat_taskq_wait);

void solcompat_taskq_destroy(solcompat_taskq_t *tq)
{
	int i;

	if (!tq)
		return;
	if (!tq_may_wait(tq, "taskq_destroy", __builtin_return_address(0)))
		return;
	if (tq->nthreads)
		tq_wait(tq);
	irq_work_sync(&tq->wake_work);
	for (i = 0; i < tq->nthreads; i++)
		kthread_stop(tq->workers[i].task);
	kfree(tq->workers);
	kfree(tq->pool_mem);
	kfree(tq);
}
EXPORT_SYMBOL_GPL(solcompat_taskq_destroy);

int solcompat_taskq_member(solcompat_taskq_t *tq)
{
	int i;

	for (i = 0; i < tq->nthreads; i++)
		if (tq->workers[i].task == current)
			return 1;
	return 0;
}
EXPORT_SYMBOL_GPL(solcompat_taskq_member);

solcompat_taskq_t *solcompat_system_taskq(void)
{
	return system_tq;
}
EXPORT_SYMBOL_GPL(solcompat_system_taskq);

int solcompat_taskq_init(void)
{
	system_tq = solcompat_taskq_create("system_taskq",
					   max(2U, num_online_cpus()), 256, 0, 0);
	return system_tq ? 0 : -ENOMEM;
}

void solcompat_taskq_fini(void)
{
	solcompat_taskq_destroy(system_tq);
	system_tq = NULL;
}
