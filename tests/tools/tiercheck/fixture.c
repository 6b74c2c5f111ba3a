// SPDX-License-Identifier: GPL-2.0
/*
 * A relocatable object shaped like a module for solcompat-tiercheck's own
 * test (tiercheck-test.sh): two tier functions listed in _kprobe_blacklist
 * as NOKPROBE_SYMBOL lists them, one global and one static (which the
 * section names as .text+offset), each calling a function outside the tier.
 */
void outside_global(void);
void outside_static(void);
void tier_global(void);

static __attribute__((noinline, used)) void tier_static(void)
{
	outside_static();
}

void tier_global(void)
{
	outside_global();
	tier_static();
}

static void *const blacklist[] __attribute__((section("_kprobe_blacklist"), used)) = {
	(void *)tier_global,
	(void *)tier_static,
};
