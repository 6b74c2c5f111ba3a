// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for semantic-patches/checks/sleep_in_probe_context.cocci: every
 * line ending in a report comment must be reported, and no other.
 */
#include <sys/condvar.h>
#include <sys/dtrace_subr.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/probe_context.h>
#include <sys/semaphore.h>

struct fixture_ecb {
	kmutex_t ecb_lock;	/* spin: still forbidden in probe context */
	kcondvar_t ecb_cv;
	ksema_t ecb_sema;
	void *ecb_buf;
	int ecb_id;
};

static struct fixture_ecb fixture_ecbs[8];

void fixture_ecb_init(struct fixture_ecb *ecb)
{
	mutex_init(&ecb->ecb_lock, NULL, MUTEX_SPIN, NULL);
	ecb->ecb_buf = kmem_zalloc(64, KM_SLEEP);
}

PROBE_CONTEXT void fixture_probe(int id, uintptr_t arg0)
{
	struct fixture_ecb *ecb = &fixture_ecbs[id & 7];
	dtrace_icookie_t cookie = dtrace_interrupt_disable();

	if (ecb->ecb_buf == NULL)
		ecb->ecb_buf = kmem_alloc(64, KM_NOSLEEP); /* report */
	mutex_enter(&ecb->ecb_lock); /* report */
	ecb->ecb_id = (int)arg0;
	mutex_exit(&ecb->ecb_lock);
	dtrace_interrupt_enable(cookie);
}

static int PROBE_CONTEXT fixture_probe_wait(struct fixture_ecb *ecb)
{
	while (ecb->ecb_id == 0)
		cv_wait(&ecb->ecb_cv, &ecb->ecb_lock); /* report */
	sema_p(&ecb->ecb_sema); /* report */
	return ecb->ecb_id;
}

/* Not reported: not marked (the marker is on the definition only). */
static void fixture_helper(struct fixture_ecb *ecb)
{
	sema_p(&ecb->ecb_sema);
}

PROBE_CONTEXT void fixture_probe_helper(struct fixture_ecb *ecb)
{
	fixture_helper(ecb);
	(void)fixture_probe_wait(ecb);
}

static PROBE_CONTEXT_INLINE void fixture_inline_helper(struct fixture_ecb *ecb)
{
	mutex_enter(&ecb->ecb_lock); /* report */
	mutex_exit(&ecb->ecb_lock);
}

/* Marked by its kprobe-blacklist entry instead of the attribute. */
static void fixture_listed(struct fixture_ecb *ecb)
{
	ecb->ecb_buf = kmem_zalloc(64, KM_NOSLEEP); /* report */
}
PROBE_CONTEXT_SYMBOL(fixture_listed);
