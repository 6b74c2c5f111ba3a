// SPDX-License-Identifier: GPL-2.0
/*
 * solcompat_test.ko: runner 2 of the conformance suite. Runs every case of
 * tests/conformance in each context class it declares, in the real kernel,
 * and prints KTAP (one result line per case and class), read back by the VM
 * runner (tools/vmrun) as test results.
 *
 * How each context class is produced (ABI.md has the same table):
 *   process  module init (insmod's task), preemptible, interrupts on
 *   atomic   the same task inside preempt_disable()
 *   hardirq  a pinned HRTIMER_MODE_REL_PINNED_HARD hrtimer callback
 *            (hard interrupt context on PREEMPT_RT too)
 *   nmi      a real NMI: register_nmi_handler(NMI_LOCAL) plus
 *            apic->send_IPI_self(NMI_VECTOR)
 *   probe    the pre-handler of a kprobe on a function of this module; on
 *            the supported kernels it is ftrace-based (interrupts on,
 *            preemption off), the situation of CONTRACTS.md 2.6
 * A context that cannot be produced (e.g. no local APIC) makes its cases
 * fail with the reason, never pass.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/hrtimer.h>
#include <linux/irqflags.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/nmi.h>

#include "sctest.h"

int sctest_irqs_disabled(void)
{
	return raw_irqs_disabled();
}

int sctest_cpu_id(void)
{
	return raw_smp_processor_id();
}

void *sctest_user_alloc(unsigned long len)
{
	unsigned long addr = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
				     MAP_ANONYMOUS | MAP_PRIVATE, 0);

	return IS_ERR_VALUE(addr) ? NULL : (void *)addr;
}

void sctest_user_free(void *uaddr, unsigned long len)
{
	vm_munmap((unsigned long)uaddr, len);
}

struct dev_call {
	const char *name;
	int cmd;
	long arg;
	int rval;
	int err;
	struct completion done;
};

/*
 * Runs in a kthread: there the final fput of filp_close is queued for
 * flush_delayed_fput(), so release (cb_close) has run when we return; in
 * insmod's task it would wait for the return to user space.
 */
static int dev_call_thread(void *data)
{
	struct dev_call *c = data;
	char path[64];
	struct file *f;
	long r = -ENOTTY;

	snprintf(path, sizeof(path), "/dev/%s", c->name);
	f = filp_open(path, O_RDWR, 0);
	if (IS_ERR(f)) {
		c->err = (int)-PTR_ERR(f);
		goto out;
	}
	if (f->f_op->unlocked_ioctl)
		r = f->f_op->unlocked_ioctl(f, c->cmd, c->arg);
	filp_close(f, NULL);
	flush_delayed_fput();
	if (r < 0)
		c->err = (int)-r;
	else
		c->rval = (int)r;
out:
	complete(&c->done);
	return 0;
}

int sctest_dev_call(const char *name, int cmd, long arg, int *rval)
{
	struct dev_call c = { .name = name, .cmd = cmd, .arg = arg };
	struct task_struct *t;

	init_completion(&c.done);
	t = kthread_run(dev_call_thread, &c, "sctest_dev_call");
	if (IS_ERR(t))
		return (int)-PTR_ERR(t);
	wait_for_completion(&c.done);
	if (!c.err)
		*rval = c.rval;
	return c.err;
}

/* The case being run from an interrupt or probe, and whether it ran. */
static const struct sctest_case *pending_case;
static struct sctest_result *pending_result;
static atomic_t pending_done;

static void run_pending(void)
{
	const struct sctest_case *c = READ_ONCE(pending_case);

	if (!c)
		return;
	WRITE_ONCE(pending_case, NULL);
	c->fn(pending_result);
	atomic_set(&pending_done, 1);
}

/* hardirq */
static struct hrtimer sctest_timer;
static DECLARE_COMPLETION(sctest_timer_done);

static enum hrtimer_restart sctest_timer_fn(struct hrtimer *t)
{
	run_pending();
	complete(&sctest_timer_done);
	return HRTIMER_NORESTART;
}

/* nmi */
static int sctest_nmi_registered;

static int sctest_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	if (!READ_ONCE(pending_case))
		return NMI_DONE;
	run_pending();
	return NMI_HANDLED;
}

/* probe */
static int sctest_kprobe_registered;

static noinline void sctest_probe_target(void)
{
	/* Keep the call: the kprobe's pre-handler is the probe context. */
	asm volatile("" ::: "memory");
}

static int sctest_kprobe_pre(struct kprobe *p, struct pt_regs *regs)
{
	run_pending();
	return 0;
}

static struct kprobe sctest_kprobe = {
	.addr = (kprobe_opcode_t *)sctest_probe_target,
	.pre_handler = sctest_kprobe_pre,
};

static void fail_setup(struct sctest_result *r, const char *why)
{
	r->failed = 1;
	r->file = __FILE__;
	r->line = 0;
	r->expr = why;
}

static void run_case(const struct sctest_case *c, unsigned int context,
		     struct sctest_result *r)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->context = context;
	atomic_set(&pending_done, 0);
	pending_result = r;

	switch (context) {
	case SCTEST_PROCESS:
		c->fn(r);
		return;
	case SCTEST_ATOMIC:
		preempt_disable();
		c->fn(r);
		preempt_enable();
		return;
	case SCTEST_HARDIRQ:
		reinit_completion(&sctest_timer_done);
		WRITE_ONCE(pending_case, c);
		hrtimer_start(&sctest_timer, ns_to_ktime(10000),
			      HRTIMER_MODE_REL_PINNED_HARD);
		if (!wait_for_completion_timeout(&sctest_timer_done, 5 * HZ)) {
			hrtimer_cancel(&sctest_timer);
			fail_setup(r, "hrtimer did not fire within 5 s");
		}
		break;
	case SCTEST_NMI:
		if (!sctest_nmi_registered) {
			fail_setup(r, "NMI handler could not be registered");
			return;
		}
		preempt_disable();
		WRITE_ONCE(pending_case, c);
		apic->send_IPI_self(NMI_VECTOR);
		for (i = 0; i < 100000 && !atomic_read(&pending_done); i++)
			udelay(10);
		preempt_enable();
		break;
	case SCTEST_PROBE:
		if (!sctest_kprobe_registered) {
			fail_setup(r, "kprobe could not be registered");
			return;
		}
		WRITE_ONCE(pending_case, c);
		sctest_probe_target();
		break;
	}
	if (!atomic_read(&pending_done) && !r->failed) {
		WRITE_ONCE(pending_case, NULL);
		fail_setup(r, "the context did not run the case");
	}
}

static int __init sctest_init(void)
{
	struct sctest_result r;
	unsigned int f, i, bit, total = 0, n = 0, failed = 0;
	int ret;

	hrtimer_init(&sctest_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	sctest_timer.function = sctest_timer_fn;
	ret = register_nmi_handler(NMI_LOCAL, sctest_nmi_handler, 0, "sctest");
	sctest_nmi_registered = ret == 0;
	if (ret)
		pr_err("sctest: register_nmi_handler failed: %d\n", ret);
	ret = register_kprobe(&sctest_kprobe);
	sctest_kprobe_registered = ret == 0;
	if (ret)
		pr_err("sctest: register_kprobe failed: %d\n", ret);

	for (f = 0; f < sctest_family_count; f++)
		for (i = 0; i < sctest_families[f]->count; i++)
			total += hweight32(sctest_families[f]->cases[i].contexts);

	pr_info("KTAP version 1\n");
	pr_info("1..%u\n", total);
	for (f = 0; f < sctest_family_count; f++) {
		const struct sctest_family *fam = sctest_families[f];

		for (i = 0; i < fam->count; i++) {
			const struct sctest_case *c = &fam->cases[i];

			for (bit = SCTEST_PROCESS; bit <= SCTEST_PROBE; bit <<= 1) {
				if (!(c->contexts & bit))
					continue;
				run_case(c, bit, &r);
				n++;
				if (r.failed) {
					failed++;
					pr_info("# %s:%d: check failed: %s (left %lld, right %lld)\n",
						r.file, r.line, r.expr, r.left, r.right);
					pr_info("not ok %u %s.%s.%s\n", n, c->family,
						c->name, sctest_context_name(bit));
				} else if (r.skipped) {
					pr_info("ok %u %s.%s.%s # SKIP %s\n", n,
						c->family, c->name,
						sctest_context_name(bit), r.expr);
				} else {
					pr_info("ok %u %s.%s.%s\n", n, c->family,
						c->name, sctest_context_name(bit));
				}
			}
		}
	}
	pr_info("# sctest: %u cases, %u failed\n", n, failed);
	return 0;
}

static void __exit sctest_exit(void)
{
	if (sctest_kprobe_registered)
		unregister_kprobe(&sctest_kprobe);
	if (sctest_nmi_registered)
		unregister_nmi_handler(NMI_LOCAL, "sctest");
	hrtimer_cancel(&sctest_timer);
}

module_init(sctest_init);
module_exit(sctest_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("solcompat conformance suite, kernel runner (KTAP)");
