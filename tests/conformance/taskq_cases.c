// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/taskq.h (CONTRACTS.md: TQ_NOSLEEP from hardirq
 * -> id or 0, never sleeps; a single-thread taskq runs tasks FIFO;
 * taskq_wait covers everything dispatched before it).
 */
#include <sys/atomic.h>
#include <sys/cpuvar.h>
#include <sys/dtrace_subr.h>
#include <sys/sunddi.h>
#include <sys/taskq.h>
#include <sys/types.h>
#include <impl/debug.h>
#include <impl/xcall.h>

#include "sctest.h"

#define ORDER_N 200

static volatile uint32_t order_next;
static volatile uint32_t order_bad;
static volatile uint32_t ran;

static void record_order(void *arg)
{
	uint32_t expect = (uint32_t)(uintptr_t)arg;

	if (order_next != expect)
		atomic_inc_32(&order_bad);
	order_next = expect + 1;
	atomic_inc_32(&ran);
}

SCTEST_CASE(taskq, single_thread_fifo_and_wait)
{
	taskq_t *tq = taskq_create("sctest_fifo", 1, 0, 4, 16, 0);
	uint32_t i, ran_by_wait;
	uint32_t refused = 0;

	/*
	 * Here and below, checks come after taskq_destroy: a failed check
	 * returns, and must not leave tasks queued that use this case's data.
	 * What taskq_wait is checked for is read right after it returns
	 * (destroy drains the queue too, and would hide a wait that did not).
	 */
	SCT_CHECK(tq != NULL);
	order_next = order_bad = ran = 0;
	for (i = 0; i < ORDER_N; i++)
		if (taskq_dispatch(tq, record_order, (void *)(uintptr_t)i,
				   TQ_SLEEP) == 0)
			refused++;
	taskq_wait(tq);
	ran_by_wait = ran;
	taskq_destroy(tq);
	SCT_EQ(refused, 0);
	SCT_EQ(ran_by_wait, ORDER_N); /* everything dispatched before it */
	SCT_EQ(order_bad, 0);
}

static void count_task(void *arg)
{
	atomic_inc_32((volatile uint32_t *)arg);
}

/* TQ_FRONT overtakes the queue (a single thread blocked behind a gate). */
static volatile uint32_t gate_open, gate_entered, front_seen_first, tail_ran;

static void gate_task(void *arg)
{
	SCTEST_STORE(gate_entered, 1);
	while (!SCTEST_LOAD(gate_open))
		delay(1); /* sleep: the dispatcher may share this CPU */
}

static void tail_task(void *arg)
{
	tail_ran = 1;
}

static void front_task(void *arg)
{
	if (!tail_ran)
		front_seen_first = 1;
}

SCTEST_CASE(taskq, front_goes_first)
{
	taskq_t *tq = taskq_create("sctest_front", 1, 0, 4, 16, 0);
	taskqid_t gate, tail, front;
	uint32_t tail_ran_by_wait;

	SCT_CHECK(tq != NULL);
	gate_open = front_seen_first = tail_ran = 0;
	gate = taskq_dispatch(tq, gate_task, NULL, TQ_SLEEP);
	tail = taskq_dispatch(tq, tail_task, NULL, TQ_SLEEP);
	front = taskq_dispatch(tq, front_task, NULL, TQ_SLEEP | TQ_FRONT);
	SCTEST_STORE(gate_open, 1); /* always: the gate task must end */
	taskq_wait(tq);
	tail_ran_by_wait = tail_ran;
	taskq_destroy(tq);
	SCT_EQ(tail_ran_by_wait, 1);
	SCT_NE(gate, 0);
	SCT_NE(tail, 0);
	SCT_NE(front, 0);
	SCT_EQ(front_seen_first, 1);
}

/* Many threads: every task runs exactly once. */
SCTEST_CASE(taskq, multi_thread_all_run)
{
	volatile uint32_t count = 0;
	taskq_t *tq = taskq_create("sctest_multi", 4, 0, 4, 16, 0);
	uint32_t refused = 0, count_by_wait;
	int i;

	SCT_CHECK(tq != NULL);
	for (i = 0; i < 1000; i++)
		if (taskq_dispatch(tq, count_task, (void *)&count, TQ_SLEEP) ==
		    0)
			refused++;
	taskq_wait(tq);
	count_by_wait = count;
	taskq_destroy(tq);
	SCT_EQ(refused, 0);
	SCT_EQ(count_by_wait, 1000);
}

/*
 * Destroy right after the work: the workers are going idle while
 * kthread_stop reaches them. A stop that lands between a worker's stop
 * check and its sleep must not be lost (destroy would wait forever; the
 * model reports that as a hung task).
 */
SCTEST_CASE(taskq, destroy_as_workers_go_idle)
{
	volatile uint32_t count = 0;
	uint32_t refused = 0;
	int cycle, i;

	for (cycle = 0; cycle < 20; cycle++) {
		taskq_t *tq = taskq_create("sctest_cycle", 4, 0, 4, 16, 0);

		SCT_CHECK(tq != NULL);
		for (i = 0; i < 8; i++)
			if (taskq_dispatch(tq, count_task, (void *)&count,
					   TQ_SLEEP) == 0)
				refused++;
		taskq_destroy(tq);
	}
	SCT_EQ(refused, 0);
	SCT_EQ(count, 20 * 8);
}

/*
 * TQ_NOSLEEP from any non-NMI context: an id, or 0 when the pool is empty.
 * Every id handed out is a task that runs: nosleep_tasks_ran compares the
 * tasks run with the ids counted here over every context's run.
 */
static volatile uint32_t nosleep_count, nosleep_ids;

SCTEST_CASE(taskq, nosleep_dispatch_any_context)
{
	taskqid_t id;
	int i, ok = 0;

	for (i = 0; i < 8; i++) {
		id = taskq_dispatch(system_taskq, count_task,
				    (void *)&nosleep_count, TQ_NOSLEEP);
		if (id != TASKQID_INVALID)
			ok++;
	}
	atomic_add_32(&nosleep_ids, (uint32_t)ok);
	SCT_GT(ok, 0); /* the system taskq's pool has 256 entries */
}

/* The tasks dispatched above did run (process context, after the fact).
 * Both ordered: runner 1 runs them together, in this order. */
SCTEST_CASE(taskq, nosleep_tasks_ran)
{
	taskq_wait(system_taskq);
	SCT_GT(nosleep_ids, 0);
	SCT_EQ(nosleep_count, nosleep_ids);
}

/*
 * taskq_destroy where it cannot wait is reported and leaves the taskq
 * alone: from one of the queue's own tasks (it would stop its own thread)
 * and with preemption off (kthread_stop sleeps). The taskq still works
 * afterwards and a process-context destroy then succeeds.
 */
static struct {
	taskq_t *tq;
	volatile uint32_t ran;
} selfd;

static void destroy_own_queue(void *arg)
{
	taskq_destroy(selfd.tq);
	atomic_inc_32(&selfd.ran);
}

SCTEST_CASE(taskq, destroy_refused_where_it_cannot_wait)
{
	unsigned long n = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	volatile uint32_t count = 0;

	selfd.tq = taskq_create("sctest_selfd", 1, 0, 1, 4, 0);
	selfd.ran = 0;
	SCT_CHECK(selfd.tq != NULL);
	SCT_NE(taskq_dispatch(selfd.tq, destroy_own_queue, NULL, TQ_SLEEP), 0);
	taskq_wait(selfd.tq);
	SCT_EQ(selfd.ran, 1);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 1);
	kpreempt_disable();
	taskq_destroy(selfd.tq);
	kpreempt_enable();
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 2);
	SCT_NE(taskq_dispatch(selfd.tq, count_task, (void *)&count, TQ_SLEEP),
	       0);
	taskq_destroy(selfd.tq);
	SCT_EQ(count, 1);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 2);
}

/*
 * A backlog of TQ_SLEEP tasks (the only worker held behind a gate) does
 * not starve TQ_NOSLEEP: half of the 64-entry pool stays for it, so every
 * dispatch from hard interrupt context and from inside the probe core's
 * bracket (interrupts off, solcompat_probe_enter) gets an id. In the
 * bracket the slab allocator is never asked, so there only the reserve
 * can serve (as in hard interrupt context on PREEMPT_RT). Then 64 more
 * TQ_NOSLEEP dispatches from process context empty the pool: those past
 * it come from GFP_ATOMIC and get ids too (on PREEMPT_RT as well).
 * Everything dispatched then runs once the gate opens.
 */
#define BACKLOG_N 200
#define BACKLOG_IRQ_N 12
#define BACKLOG_PROCESS_N 64

static struct {
	taskq_t *tq;
	volatile uint32_t count, ids;
} backlog;

static void backlog_nosleep(void *arg)
{
	int i;

	for (i = 0; i < BACKLOG_IRQ_N; i++)
		if (taskq_dispatch(backlog.tq, count_task,
				   (void *)&backlog.count, TQ_NOSLEEP) != 0)
			atomic_inc_32(&backlog.ids);
}

SCTEST_CASE(taskq, nosleep_not_starved_by_sleep_backlog)
{
	uint32_t i, refused = 0, ids_hardirq, ids_probe, entered;
	dtrace_icookie_t cookie;
	int r_hardirq;

	backlog.tq = taskq_create("sctest_backlog", 1, 0, 0, 0, 0);
	SCT_CHECK(backlog.tq != NULL);
	backlog.count = backlog.ids = 0;
	gate_open = gate_entered = 0;
	if (taskq_dispatch(backlog.tq, gate_task, NULL, TQ_SLEEP) == 0)
		refused++;
	/*
	 * Once the worker is inside the gate task it leaves the queue's lock
	 * alone until the gate opens: dispatch in the probe bracket only
	 * trylocks, and fails (by design) if the worker holds it.
	 */
	for (i = 0; i < 200 && !SCTEST_LOAD(gate_entered); i++)
		delay(drv_usectohz(5000));
	entered = SCTEST_LOAD(gate_entered);
	for (i = 0; i < BACKLOG_N; i++)
		if (taskq_dispatch(backlog.tq, count_task,
				   (void *)&backlog.count, TQ_SLEEP) == 0)
			refused++;
	r_hardirq = sctest_call_in(SCTEST_HARDIRQ, backlog_nosleep, NULL);
	ids_hardirq = backlog.ids;
	cookie = dtrace_interrupt_disable();
	solcompat_probe_enter();
	backlog_nosleep(NULL);
	solcompat_probe_exit();
	dtrace_interrupt_enable(cookie);
	ids_probe = backlog.ids - ids_hardirq;
	for (i = 0; i < BACKLOG_PROCESS_N; i++)
		if (taskq_dispatch(backlog.tq, count_task,
				   (void *)&backlog.count, TQ_NOSLEEP) == 0)
			refused++;
	SCTEST_STORE(gate_open, 1); /* always: the gate task must end */
	taskq_wait(backlog.tq);
	taskq_destroy(backlog.tq);
	SCT_EQ(refused, 0);
	SCT_EQ(entered, 1);
	SCT_EQ(r_hardirq, 0);
	SCT_EQ(ids_hardirq, BACKLOG_IRQ_N);
	SCT_EQ(ids_probe, BACKLOG_IRQ_N);
	SCT_EQ(backlog.count,
	       BACKLOG_N + 2 * BACKLOG_IRQ_N + BACKLOG_PROCESS_N);
}

SCTEST_CASE(taskq, refused_in_nmi)
{
	unsigned long n = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);

	SCT_EQ(taskq_dispatch(system_taskq, count_task, (void *)&nosleep_count,
			      TQ_NOSLEEP),
	       0);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 1);
}

SCTEST_FAMILY(taskq,
	      SCTEST_ENTRY(taskq, single_thread_fifo_and_wait, SCTEST_PROCESS),
	      SCTEST_ENTRY(taskq, front_goes_first, SCTEST_PROCESS),
	      SCTEST_ENTRY(taskq, multi_thread_all_run, SCTEST_PROCESS),
	      SCTEST_ENTRY(taskq, destroy_as_workers_go_idle, SCTEST_PROCESS),
	      SCTEST_ENTRY(taskq, destroy_refused_where_it_cannot_wait,
			   SCTEST_PROCESS),
	      SCTEST_ENTRY(taskq, nosleep_not_starved_by_sleep_backlog,
			   SCTEST_PROCESS),
	      SCTEST_ENTRY_ORDERED(taskq, nosleep_dispatch_any_context,
				   SCTEST_PROCESS | SCTEST_ATOMIC |
					   SCTEST_HARDIRQ | SCTEST_PROBE),
	      SCTEST_ENTRY_ORDERED(taskq, nosleep_tasks_ran, SCTEST_PROCESS),
	      SCTEST_ENTRY(taskq, refused_in_nmi, SCTEST_NMI));
