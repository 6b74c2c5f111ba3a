// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU trace buffers: principal and alternate, switched by cross-call.
 *
 * Big Theory Statement
 * --------------------
 * Each consumer has, for every CPU id, two buffers of dtb_size bytes. The
 * firing path on a CPU appends fixed-size records to that CPU's principal
 * buffer and never touches another CPU's; the consumer reads a CPU's
 * records by switching its buffers and copying out the former principal,
 * now the alternate, which nothing writes until the next switch.
 *
 * The cursor. dtb_cursor packs, in one 64-bit word, the index of the
 * principal buffer (bit 63) and the offset of its first free byte:
 *   reserve (probe context, dtrace_probe_ctx.c): read the cursor; if the
 *     record does not fit, count a drop; else compare-and-swap cursor ->
 *     cursor + len and write the record at the old offset of the buffer
 *     the old cursor named. A nested firing (an NMI) that reserves in
 *     between makes the CAS fail and the outer firing retry: the two get
 *     disjoint space, and neither loses its record.
 *   switch (dtrace_buffer_switch_cpu, run on the buffer's CPU by
 *     dtrace_xcall): one atomic swap of the cursor to (other index,
 *     offset 0). The old value says which buffer was principal and how
 *     many bytes it holds, atomically with respect to any reservation.
 *
 * Why the alternate is complete when dtrace_xcall returns: records are
 * written by firings on the buffer's own CPU, with interrupts disabled
 * from before the reservation to after the last store. The switch runs on
 * that CPU in the cross-call handler, so it cannot run in the middle of a
 * firing there; a firing nested in the handler itself (an NMI) finishes
 * before the handler resumes. So when the switch function returns, every
 * reservation it counted has been written, and dtrace_xcall returns only
 * after the function did. A CPU that is offline takes no cross-call: its
 * buffers are switched from here, and a dtrace_sync() after the switch
 * waits for a firing of that CPU in case it came online meanwhile and
 * reserved space before the switch (a firing after it writes to the other
 * buffer).
 *
 * Drops are counted per CPU (dtb_drops, monotonic) and reported by
 * BUFSNAP and STATUS. Records never straddle the end; a buffer is never
 * wrapped (DTrace's "switch" policy).
 *
 * Rejected: a ring buffer read concurrently with the writers (the Linux
 * ring_buffer.c design) needs reader/writer page swapping and commit
 * counters; the switch design is DTrace's own, simpler, and lets the
 * reader copy a quiescent buffer with ordinary copyout.
 *
 * Contexts: alloc/free/switch: process context (KM_SLEEP, cross-calls);
 * reserve: any context (in dtrace_probe_ctx.c).
 */
#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/debug.h>
#include <sys/kmem.h>
#include <sys/x_call.h>
#include <sys/dtrace_impl.h>

dtrace_buffer_t *dtrace_buffer_alloc(uint32_t ncpu, uint64_t size)
{
	dtrace_buffer_t *bufs;
	uint32_t cpu;

	bufs = kmem_zalloc(ncpu * sizeof(*bufs), KM_SLEEP);
	for (cpu = 0; cpu < ncpu; cpu++) {
		bufs[cpu].dtb_size = size;
		/* Zeroed: user space only ever sees what probes wrote. */
		bufs[cpu].dtb_data[0] = kmem_zalloc(size, KM_SLEEP);
		bufs[cpu].dtb_data[1] = kmem_zalloc(size, KM_SLEEP);
	}
	return bufs;
}

void dtrace_buffer_free(dtrace_buffer_t *bufs, uint32_t ncpu)
{
	uint32_t cpu;

	if (bufs == NULL)
		return;
	for (cpu = 0; cpu < ncpu; cpu++) {
		kmem_free(bufs[cpu].dtb_data[0], bufs[cpu].dtb_size);
		kmem_free(bufs[cpu].dtb_data[1], bufs[cpu].dtb_size);
	}
	kmem_free(bufs, ncpu * sizeof(*bufs));
}

typedef struct dtrace_switch {
	dtrace_buffer_t *dsw_buf;
	uint64_t dsw_old; /* the cursor before the switch */
	volatile int dsw_done;
} dtrace_switch_t;

/* Runs on the buffer's CPU, interrupts off (cross-call handler). */
static void dtrace_buffer_switch_cpu(void *arg)
{
	dtrace_switch_t *sw = arg;
	dtrace_buffer_t *buf = sw->dsw_buf;
	/* A nested reservation changes the offset only, never the index. */
	uint64_t next =
		(buf->dtb_cursor & DTRACE_CURSOR_WHICH) ^ DTRACE_CURSOR_WHICH;

	sw->dsw_old = atomic_swap_64(&buf->dtb_cursor, next);
	sw->dsw_done = 1;
}

const char *dtrace_buffer_switch(dtrace_buffer_t *buf, processorid_t cpu,
				 uint64_t *lenp)
{
	dtrace_switch_t sw = {buf, 0, 0};

	dtrace_xcall(cpu, dtrace_buffer_switch_cpu, &sw);
	if (!sw.dsw_done) {
		dtrace_buffer_switch_cpu(&sw); /* offline when called */
		dtrace_sync();
	}
	membar_consumer();
	*lenp = sw.dsw_old & DTRACE_CURSOR_OFFSET;
	ASSERT3U(*lenp, <=, buf->dtb_size);
	return buf->dtb_data[sw.dsw_old >> 63];
}
