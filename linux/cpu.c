// SPDX-License-Identifier: GPL-2.0
/*
 * CPUs, the DTrace per-CPU core flags, threads, processes and credentials
 * (sys/cpuvar.h, sys/thread.h, sys/proc.h, sys/cred.h).
 *
 * Big Theory Statement
 * --------------------
 * cpu_t and cpu_core_t are arrays indexed by the Linux CPU number, sized for
 * SOLCOMPAT_NCPU ids and exported as data, so CPU and cpu_core[CPU->cpu_id]
 * are one indexed load: probe context reaches them with no call. The
 * cpu_next/cpu_prev ring links the CPUs present at load time (Solaris's
 * cpu_list includes offline CPUs too); cpu_flags says which are online.
 * Hotplug after load updates the flags through a CPU hotplug state
 * callback, not the ring.
 *
 * kthread_t, proc_t and cred_t are opaque: identities of the current task,
 * its thread group leader and its credentials, compared but never
 * dereferenced. Their illumos fields have no stable Linux counterpart, so
 * ported code reads them through accessors (ddi_get_pid, crgetuid ...)
 * instead of copying task fields into a Solaris-shaped struct that could go
 * stale. `current` is valid in every context (in an interrupt it is the
 * interrupted task), so all accessors are "Any context"; their values in
 * hardirq/NMI are those of whatever task was interrupted, as on Solaris.
 *
 * Contexts:
 *   function                         process atomic hardirq nmi probe
 *   CPU, cpu_list, max_ncpus         yes     yes    yes     yes yes
 *   kpreempt_disable/enable          yes     yes    yes     yes yes
 *   curthread, curproc, pid, uid     yes     yes    yes     yes yes
 *   drv_priv (CAP_SYS_ADMIN)         yes     no     no      no  no
 */
#include <linux/capability.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include <impl/cpu.h>
#include <impl/debug.h>
#include "solcompat_init.h"

solcompat_cpu_t solcompat_cpus[SOLCOMPAT_NCPU];
EXPORT_SYMBOL_GPL(solcompat_cpus);
solcompat_cpu_core_t solcompat_cpu_core[SOLCOMPAT_NCPU] __aligned(64);
EXPORT_SYMBOL_GPL(solcompat_cpu_core);

static solcompat_cpu_t *cpu_ring;
static int cpu_hp_state = -1;

notrace solcompat_cpu_t *solcompat_cpu_list(void)
{
	return cpu_ring;
}
EXPORT_SYMBOL_GPL(solcompat_cpu_list);
NOKPROBE_SYMBOL(solcompat_cpu_list);

notrace int solcompat_max_ncpus(void)
{
	return nr_cpu_ids;
}
EXPORT_SYMBOL_GPL(solcompat_max_ncpus);
NOKPROBE_SYMBOL(solcompat_max_ncpus);

notrace void solcompat_kpreempt_disable(void)
{
	preempt_disable_notrace();
}
EXPORT_SYMBOL_GPL(solcompat_kpreempt_disable);
NOKPROBE_SYMBOL(solcompat_kpreempt_disable);

notrace void solcompat_kpreempt_enable(void)
{
	preempt_enable_notrace();
}
EXPORT_SYMBOL_GPL(solcompat_kpreempt_enable);
NOKPROBE_SYMBOL(solcompat_kpreempt_enable);

notrace void *solcompat_curthread(void)
{
	return current;
}
EXPORT_SYMBOL_GPL(solcompat_curthread);
NOKPROBE_SYMBOL(solcompat_curthread);

notrace void *solcompat_curproc(void)
{
	return current->group_leader;
}
EXPORT_SYMBOL_GPL(solcompat_curproc);
NOKPROBE_SYMBOL(solcompat_curproc);

notrace int solcompat_getpid(void)
{
	return current->tgid;
}
EXPORT_SYMBOL_GPL(solcompat_getpid);
NOKPROBE_SYMBOL(solcompat_getpid);

notrace int solcompat_gettid(void)
{
	return current->pid;
}
EXPORT_SYMBOL_GPL(solcompat_gettid);
NOKPROBE_SYMBOL(solcompat_gettid);

notrace void solcompat_getcomm(char *buf, size_t len)
{
	const char *comm = current->comm;
	size_t i;

	/* A plain loop: strnlen/memcpy are traceable calls here. */
	if (!len)
		return;
	for (i = 0; i + 1 < len && i < sizeof(current->comm) && comm[i]; i++)
		buf[i] = comm[i];
	buf[i] = '\0';
}
EXPORT_SYMBOL_GPL(solcompat_getcomm);
NOKPROBE_SYMBOL(solcompat_getcomm);

/*
 * current_cred() is RCU-protected against replacement by the task itself,
 * which cannot happen while this task is the one reading: safe anywhere.
 * The ids as the initial user namespace sees them, which maps every id to
 * itself: the kernel-wide value, read without from_kuid (a traceable call
 * where user namespaces are built in).
 */
notrace u32 solcompat_getuid(void)
{
	return __kuid_val(current_euid());
}
EXPORT_SYMBOL_GPL(solcompat_getuid);
NOKPROBE_SYMBOL(solcompat_getuid);

notrace u32 solcompat_getgid(void)
{
	return __kgid_val(current_egid());
}
EXPORT_SYMBOL_GPL(solcompat_getgid);
NOKPROBE_SYMBOL(solcompat_getgid);

int solcompat_priv_sys_admin(void)
{
	/* capable() runs the security modules' hooks: traceable, may audit. */
	if (unlikely(!in_task() || preempt_count() || irqs_disabled())) {
		solcompat_misuse(
			SOLCOMPAT_MISUSE_CONTEXT, "drv_priv",
			"privilege checks need process context (preemption and interrupts on): not privileged",
			__builtin_return_address(0));
		return 0;
	}
	return capable(CAP_SYS_ADMIN);
}
EXPORT_SYMBOL_GPL(solcompat_priv_sys_admin);

static int cpu_online_cb(unsigned int cpu)
{
	if (cpu < SOLCOMPAT_NCPU) {
		WRITE_ONCE(solcompat_cpus[cpu].cpu_flags,
			   SOLCOMPAT_CPU_EXISTS | SOLCOMPAT_CPU_RUNNING |
				   SOLCOMPAT_CPU_ENABLE);
	}
	return 0;
}

static int cpu_offline_cb(unsigned int cpu)
{
	if (cpu < SOLCOMPAT_NCPU)
		WRITE_ONCE(solcompat_cpus[cpu].cpu_flags,
			   SOLCOMPAT_CPU_EXISTS | SOLCOMPAT_CPU_OFFLINE);
	return 0;
}

int solcompat_cpu_init(void)
{
	solcompat_cpu_t *prev = NULL;
	int cpu, ret;

	/* Every id, for a CPU added after load too (CPU->cpu_id there). */
	for_each_possible_cpu(cpu)
		if (cpu < SOLCOMPAT_NCPU)
			solcompat_cpus[cpu].cpu_id = cpu;
	for_each_present_cpu(cpu) {
		solcompat_cpu_t *c;

		if (cpu >= SOLCOMPAT_NCPU)
			break;
		c = &solcompat_cpus[cpu];
		c->cpu_id = cpu;
		c->cpu_flags = SOLCOMPAT_CPU_EXISTS | SOLCOMPAT_CPU_OFFLINE;
		if (!cpu_ring)
			cpu_ring = c;
		if (prev) {
			prev->cpu_next = c;
			c->cpu_prev = prev;
		}
		prev = c;
	}
	if (!cpu_ring)
		return -ENODEV;
	prev->cpu_next = cpu_ring;
	cpu_ring->cpu_prev = prev;
	/* Sets the online flags now and on every hotplug event. */
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "solcompat:cpu",
				cpu_online_cb, cpu_offline_cb);
	if (ret < 0)
		return ret;
	cpu_hp_state = ret;
	return 0;
}

void solcompat_cpu_fini(void)
{
	if (cpu_hp_state >= 0)
		cpuhp_remove_state(cpu_hp_state);
}
