// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/cpuvar.h, sys/thread.h, sys/proc.h and
 * sys/cred.h (CONTRACTS.md: "CPU->cpu_id equals the current CPU; cpu_core[]
 * per-CPU flags exist for the probe path").
 */
#include <sys/cpuvar.h>
#include <sys/cred.h>
#include <sys/proc.h>
#include <sys/sunddi.h>
#include <sys/thread.h>
#include <sys/types.h>
#include <impl/debug.h>

#include "sctest.h"

SCTEST_CASE(cpu, cpu_is_current_cpu)
{
	kpreempt_disable();
	SCT_EQ(CPU->cpu_id, sctest_cpu_id());
	SCT_CHECK(CPU->cpu_flags & CPU_RUNNING);
	kpreempt_disable(); /* nests */
	kpreempt_enable();
	SCT_EQ(CPU->cpu_id, sctest_cpu_id());
	kpreempt_enable();
}

SCTEST_CASE(cpu, cpu_list_ring)
{
	cpu_t *c = cpu_list;
	int n = 0, online = 0, last = -1;

	SCT_CHECK(c != NULL);
	do {
		SCT_GT(c->cpu_id, last); /* ascending, each once */
		last = c->cpu_id;
		SCT_CHECK(c->cpu_flags & CPU_EXISTS);
		SCT_CHECK(c->cpu_next->cpu_prev == c);
		if (c->cpu_flags & CPU_RUNNING)
			online++;
		n++;
		c = c->cpu_next;
	} while (c != cpu_list && n <= NCPU);
	SCT_EQ(online, ncpus);
	SCT_LE(n, max_ncpus);
	SCT_GE(n, ncpus);
}

SCTEST_CASE(cpu, cpu_core_flags)
{
	volatile uint16_t *flags;

	kpreempt_disable();
	flags = &cpu_core[CPU->cpu_id].cpuc_dtrace_flags;
	SCT_EQ(*flags & CPU_DTRACE_NOFAULT, 0);
	*flags |= CPU_DTRACE_NOFAULT;
	SCT_CHECK(cpu_core[sctest_cpu_id()].cpuc_dtrace_flags &
		  CPU_DTRACE_NOFAULT);
	*flags &= ~CPU_DTRACE_NOFAULT;
	kpreempt_enable();
	SCT_EQ(sizeof(cpu_core_t), 64);
	SCT_EQ((uintptr_t)&cpu_core[1] % 64, 0);
}

SCTEST_CASE(cpu, current_thread_and_process)
{
	char comm[32];

	SCT_CHECK(curthread != NULL);
	SCT_CHECK(curproc != NULL);
	SCT_GT(ddi_get_pid(), 0);
	solcompat_getcomm(comm, sizeof(comm));
	SCT_NE(comm[0], '\0');
	solcompat_getcomm(comm, 2);
	SCT_EQ(comm[1], '\0');
	SCT_EQ(crgetuid(CRED()), 0); /* the runners run as root */
	SCT_EQ(crgetgid(CRED()), 0);
	SCT_EQ(drv_priv(CRED()), 0);
}

/*
 * In interrupts, the identities are those of the interrupted task. A
 * privilege check there is reported and denied (capable() is process
 * context only).
 */
SCTEST_CASE(cpu, identities_in_interrupts)
{
	unsigned long m = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	char comm[16];

	SCT_CHECK(curthread != NULL);
	SCT_GE(ddi_get_pid(), 0);
	solcompat_getcomm(comm, sizeof(comm));
	(void)crgetuid(CRED());
	SCT_NE(drv_priv(CRED()), 0);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), m + 1);
}

SCTEST_FAMILY(cpu,
	      SCTEST_ENTRY(cpu, cpu_is_current_cpu, SCTEST_ANY),
	      SCTEST_ENTRY(cpu, cpu_list_ring, SCTEST_ANY),
	      SCTEST_ENTRY(cpu, cpu_core_flags, SCTEST_ANY),
	      SCTEST_ENTRY(cpu, current_thread_and_process, SCTEST_PROCESS),
	      SCTEST_ENTRY(cpu, identities_in_interrupts,
			   SCTEST_ATOMIC | SCTEST_HARDIRQ | SCTEST_NMI |
				   SCTEST_PROBE));
