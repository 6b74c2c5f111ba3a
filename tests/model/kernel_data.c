// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel data the stand-in headers declare, defined as kernel code would:
 * compiled against the stand-ins, not the runtime.
 */
#include <linux/cpumask.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <asm/nospec-branch.h>
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

/* The module linux/ is built into: the test program (see linux/module.h). */
struct module __this_module = { .name = "solcompat" };

/* kernel/notifier.c's notify_die: on the kprobe blacklist, as there. */
int notify_die(int val, const char *str, void *regs, long err, int trap,
	       int sig);
__attribute__((__noinline__)) int notify_die(int val, const char *str,
					     void *regs, long err, int trap,
					     int sig)
{
	__asm__ __volatile__("" ::: "memory");
	return val + (str != NULL) + (regs != NULL) + (int)err + trap + sig;
}
NOKPROBE_SYMBOL(notify_die);

/* The return thunk: a plain return (user space needs no mitigation). */
__asm__(".pushsection .text\n"
	".globl __x86_return_thunk\n"
	".type __x86_return_thunk, @function\n"
	"__x86_return_thunk:\n"
	"\tret\n"
	".size __x86_return_thunk, 1\n"
	".popsection\n");

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *buf;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	buf = kmalloc((size_t)n + 1, gfp);
	if (!buf)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return buf;
}
