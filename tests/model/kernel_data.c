// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel data the stand-in headers declare, defined as kernel code would:
 * compiled against the stand-ins, not the runtime.
 */
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>

struct uts_namespace init_uts_ns = {
	.name =
		{
			.sysname = "Linux",
			.nodename = "model",
			.release = "6.12.0-solcompat-model",
			.version = "#1 SMP PREEMPT_DYNAMIC (userspace model)",
			.machine = "x86_64",
			.domainname = "(none)",
		},
};

unsigned int nr_cpu_ids = MODEL_MAX_CPUS;

__thread volatile unsigned long jiffies = INITIAL_JIFFIES;

/* Boot time: the first time anything asks for jiffies. */
static u64 model_boot_ns;

u64 get_jiffies_64(void)
{
	u64 now = ktime_get_mono_fast_ns();
	u64 boot = __atomic_load_n(&model_boot_ns, __ATOMIC_ACQUIRE);

	if (!boot) {
		u64 expected = 0;

		if (__atomic_compare_exchange_n(&model_boot_ns, &expected, now,
						0, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			boot = now;
		else
			boot = expected;
	}
	return INITIAL_JIFFIES + (now - boot) / (NSEC_PER_SEC / HZ);
}

void model_jiffies_refresh(void)
{
	jiffies = (unsigned long)get_jiffies_64();
}
