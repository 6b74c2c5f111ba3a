// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for semantic-patches/checks/sleep_with_interrupts_disabled.cocci:
 * every line ending in a report comment must be reported, and no other.
 */
#include <sys/condvar.h>
#include <sys/dtrace_subr.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/semaphore.h>
#include <sys/systm.h>

struct fixture_state {
	kmutex_t st_spin;	/* spin */
	kmutex_t st_lock;	/* adaptive */
	kcondvar_t st_cv;
	ksema_t st_sema;
	int st_cookie;
	void *st_buf;
};

void fixture_state_init(struct fixture_state *st)
{
	mutex_init(&st->st_spin, NULL, MUTEX_SPIN, (void *)ipltospl(PIL_MAX));
	mutex_init(&st->st_lock, NULL, MUTEX_DEFAULT, NULL);
}

void fixture_high(struct fixture_state *st, size_t len)
{
	int s = splhigh();

	mutex_enter(&st->st_spin);
	mutex_exit(&st->st_spin);
	st->st_buf = kmem_alloc(len, KM_NOSLEEP);
	mutex_enter(&st->st_lock); /* report */
	mutex_exit(&st->st_lock);
	splx(s);
	mutex_enter(&st->st_lock);
	mutex_exit(&st->st_lock);
}

void fixture_nested(struct fixture_state *st, size_t len)
{
	int outer, inner;

	outer = spl7();
	inner = splhi();
	splx(inner);
	st->st_buf = kmem_zalloc(len, KM_SLEEP); /* report */
	splx(outer);
	st->st_buf = kmem_zalloc(len, KM_SLEEP);
}

int fixture_cookie_in_field(struct fixture_state *st, int level)
{
	st->st_cookie = splr(level);
	if (level > LOCK_LEVEL) {
		splx(st->st_cookie);
		return 0;
	}
	sema_p(&st->st_sema); /* report */
	splx(st->st_cookie);
	return 1;
}

void fixture_dtrace_cookie(struct fixture_state *st)
{
	dtrace_icookie_t cookie;

	cookie = dtrace_interrupt_disable();
	cv_wait(&st->st_cv, &st->st_lock); /* report */
	dtrace_interrupt_enable(cookie);
	cv_wait(&st->st_cv, &st->st_lock);
}

void fixture_dtrace_cookie_declared(struct fixture_state *st, size_t len)
{
	dtrace_icookie_t cookie = dtrace_interrupt_disable();

	st->st_buf = kmem_cache_alloc(st->st_buf, KM_SLEEP); /* report */
	dtrace_interrupt_enable(cookie);
}

/* Not reported, by the check's limits: blocking inside a callee. */
static void fixture_block(struct fixture_state *st)
{
	sema_p(&st->st_sema);
}

void fixture_limits(struct fixture_state *st)
{
	int s = splhigh();

	fixture_block(st);
	splx(s);
}
