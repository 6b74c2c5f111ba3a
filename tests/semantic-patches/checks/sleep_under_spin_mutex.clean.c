// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for semantic-patches/checks/sleep_under_spin_mutex.cocci: correct
 * code, nothing to report.
 */
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/mutex.h>

struct fixture_softc {
	kmutex_t sc_lock;	/* spin */
	kmutex_t sc_state_lock;	/* adaptive */
	kcondvar_t sc_cv;
	void *sc_buf;
	int sc_ready;
};

void fixture_attach(struct fixture_softc *sc)
{
	mutex_init(&sc->sc_lock, NULL, MUTEX_SPIN, (void *)ipltospl(LOCK_LEVEL));
	mutex_init(&sc->sc_state_lock, NULL, MUTEX_DEFAULT, NULL);
	cv_init(&sc->sc_cv, NULL, CV_DEFAULT, NULL);
}

/* Allocate first, then publish under the spin mutex. */
int fixture_fill(struct fixture_softc *sc, size_t len)
{
	void *buf = kmem_zalloc(len, KM_SLEEP);
	void *spare;

	mutex_enter(&sc->sc_lock);
	spare = kmem_alloc(len, KM_NOSLEEP);
	if (sc->sc_buf == NULL) {
		sc->sc_buf = buf;
		buf = NULL;
	}
	mutex_exit(&sc->sc_lock);
	if (buf != NULL)
		kmem_free(buf, len);
	if (spare != NULL)
		kmem_free(spare, len);
	return 0;
}

/* Sleeping waits use the adaptive mutex. */
void fixture_wait(struct fixture_softc *sc)
{
	mutex_enter(&sc->sc_state_lock);
	while (!sc->sc_ready)
		cv_wait(&sc->sc_cv, &sc->sc_state_lock);
	mutex_enter(&sc->sc_lock);
	sc->sc_ready = 0;
	mutex_exit(&sc->sc_lock);
	mutex_exit(&sc->sc_state_lock);
}
