/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/sdt_test.h: the sdt test module's entry points (probes/sdt_test.c):
 * sdt:sdt_test:fire:hit fired on demand with known arguments.
 */
#ifndef _DTRACE_SYS_SDT_TEST_H
#define _DTRACE_SYS_SDT_TEST_H

/*
 * Register / take back the probe; fini: EBUSY while it is enabled.
 * Context: Process context. May sleep.
 */
int sdt_test_init(void);
int sdt_test_fini(void);

/*
 * Fire sdt:sdt_test:fire:hit count times, with arg0 = i (0 .. count-1)
 * and arg1 = count.
 * Context: Any context.
 */
void sdt_test_fire(int count);

/*
 * Register sdt:sdt_test_late:fire:hit on the first call (not from _init;
 * callers serialise, and keep the module from unloading meanwhile), then
 * fire it count times like sdt_test_fire: 0, the registration's error, or
 * EBUSY outside init's end .. fini's start.
 * Context: Process context. May sleep.
 */
int sdt_test_late(int count);

#endif /* _DTRACE_SYS_SDT_TEST_H */
