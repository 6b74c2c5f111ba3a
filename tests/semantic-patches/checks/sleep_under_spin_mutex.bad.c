// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for semantic-patches/checks/sleep_under_spin_mutex.cocci: every
 * line ending in a report comment must be reported, and no other.
 */
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/semaphore.h>

struct fixture_softc {
	kmutex_t sc_lock;	/* spin */
	kmutex_t sc_state_lock;	/* adaptive */
	kmutex_t sc_cpu_lock[4];	/* spin */
	kcondvar_t sc_cv;
	ksema_t sc_sema;
	void *sc_buf;
};

static kmutex_t fixture_table_lock;	/* spin */
static kmutex_t fixture_config_lock;	/* adaptive */

void fixture_attach(struct fixture_softc *sc)
{
	int i;

	mutex_init(&sc->sc_lock, NULL, MUTEX_SPIN, (void *)ipltospl(LOCK_LEVEL));
	mutex_init(&sc->sc_state_lock, NULL, MUTEX_DEFAULT, NULL);
	for (i = 0; i < 4; i++)
		mutex_init(&sc->sc_cpu_lock[i], NULL, MUTEX_SPIN, NULL);
	mutex_init(&fixture_table_lock, "table", MUTEX_SPIN, NULL);
	mutex_init(&fixture_config_lock, "config", MUTEX_DRIVER, NULL);
}

void fixture_fill(struct fixture_softc *softc, size_t len)
{
	mutex_enter(&softc->sc_lock);
	softc->sc_buf = kmem_alloc(len, KM_SLEEP); /* report */
	kmem_free(softc->sc_buf, len);
	softc->sc_buf = kmem_zalloc(len, KM_SLEEP | KM_NORMALPRI); /* report */
	softc->sc_buf = kmem_alloc(len, KM_NOSLEEP);
	mutex_enter(&fixture_table_lock);
	mutex_enter(&fixture_config_lock); /* report */
	mutex_exit(&fixture_config_lock);
	mutex_exit(&fixture_table_lock);
	mutex_exit(&softc->sc_lock);
	softc->sc_buf = kmem_alloc(len, KM_SLEEP);
}

int fixture_wait(struct fixture_softc *sc, int cpu, clock_t deadline)
{
	mutex_enter(&sc->sc_cpu_lock[cpu]);
	while (sc->sc_buf == NULL) {
		if (deadline == 0) {
			mutex_exit(&sc->sc_cpu_lock[cpu]);
			return -1;
		}
		if (cv_timedwait(&sc->sc_cv, &sc->sc_cpu_lock[cpu], deadline) < 0) /* report */
			break;
	}
	mutex_exit(&sc->sc_cpu_lock[cpu]);
	cv_wait(&sc->sc_cv, &sc->sc_state_lock);
	return 0;
}

void fixture_table_update(struct fixture_softc *sc, int early)
{
	mutex_enter(&fixture_table_lock);
	if (early) {
		mutex_exit(&fixture_table_lock);
		sema_p(&sc->sc_sema);
		return;
	}
	sema_p(&sc->sc_sema); /* report */
	cv_wait_sig(&sc->sc_cv, &fixture_table_lock); /* report */
	mutex_exit(&fixture_table_lock);
}

/*
 * Not reported, by design or by the check's limits (see its Comments):
 * blocking inside a callee, and a spin mutex set up in another file.
 */
static void fixture_sleeper(struct fixture_softc *sc)
{
	sema_p(&sc->sc_sema);
}

void fixture_limits(struct fixture_softc *sc, kmutex_t *foreign_spin)
{
	mutex_enter(&sc->sc_lock);
	fixture_sleeper(sc);
	mutex_exit(&sc->sc_lock);
	mutex_enter(foreign_spin);
	cv_wait(&sc->sc_cv, foreign_spin);
	mutex_exit(foreign_spin);
}
