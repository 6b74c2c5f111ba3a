// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for semantic-patches/checks/sleep_in_probe_context.cocci: correct
 * code, nothing to report.
 */
#include <sys/dtrace_subr.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/probe_context.h>

struct fixture_buffer {
	kmutex_t buf_lock;
	char *buf_data;
	size_t buf_offset;
	size_t buf_size;
};

static struct fixture_buffer fixture_buf;

/* Process context: may allocate and lock. */
int fixture_buffer_alloc(size_t size)
{
	mutex_enter(&fixture_buf.buf_lock);
	fixture_buf.buf_data = kmem_zalloc(size, KM_SLEEP);
	fixture_buf.buf_size = size;
	mutex_exit(&fixture_buf.buf_lock);
	return 0;
}

/* Probe context: interrupts off, per-CPU data only, drop when full. */
PROBE_CONTEXT int fixture_buffer_record(uint64_t value)
{
	dtrace_icookie_t cookie = dtrace_interrupt_disable();
	int dropped = 0;

	if (fixture_buf.buf_offset + sizeof(value) > fixture_buf.buf_size) {
		dropped = 1;
	} else {
		*(uint64_t *)(fixture_buf.buf_data + fixture_buf.buf_offset) = value;
		fixture_buf.buf_offset += sizeof(value);
	}
	dtrace_interrupt_enable(cookie);
	return dropped;
}
PROBE_CONTEXT_SYMBOL(fixture_buffer_record);
