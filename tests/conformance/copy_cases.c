// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for copyin, copyout, copyinstr, ddi_copyin and
 * ddi_copyout (CONTRACTS.md "Task queues, messages, copies").
 */
#include <sys/errno.h>
#include <sys/sunddi.h>
#include <sys/systm.h>
#include <sys/types.h>
#include <impl/debug.h>

#include "sctest.h"

#define USER_LEN 4096

SCTEST_CASE(copy, round_trip)
{
	char out[64], in[64];
	char *u = sctest_user_alloc(USER_LEN);
	int i;

	if (!u)
		SCT_SKIP("the runner cannot map user memory here");
	for (i = 0; i < 64; i++)
		out[i] = (char)(i * 7 + 1);
	SCT_EQ(copyout(out, u + 100, sizeof(out)), 0);
	__builtin_memset(in, 0, sizeof(in));
	SCT_EQ(copyin(u + 100, in, sizeof(in)), 0);
	SCT_EQ(__builtin_memcmp(in, out, sizeof(in)), 0);
	/* The tail of the mapping is readable up to its last byte... */
	SCT_EQ(copyin(u + USER_LEN - 8, in, 8), 0);
	sctest_user_free(u, USER_LEN);
}

SCTEST_CASE(copy, bad_address_fails_without_oops)
{
	char buf[16];
	char *u = sctest_user_alloc(2 * USER_LEN);

	/* Unmap the second page so the first ends at a hole. */
	if (u)
		sctest_user_free(u + USER_LEN, USER_LEN);
	SCT_EQ(copyin((void *)16, buf, sizeof(buf)), -1);
	SCT_EQ(copyout(buf, (void *)16, sizeof(buf)), -1);
	/* A kernel address is not a user address. */
	SCT_EQ(copyin(buf, buf + 8, 8), -1);
	if (u) {
		/* ...and past the end of the mapping it faults. */
		SCT_EQ(copyin(u + USER_LEN - 8, buf, 16), -1);
		sctest_user_free(u, USER_LEN);
	}
}

SCTEST_CASE(copy, copyinstr_lengths)
{
	static const char hello[] = "hello";
	char *u = sctest_user_alloc(USER_LEN);
	char buf[16];
	size_t done = 99;

	if (!u)
		SCT_SKIP("the runner cannot map user memory here");
	SCT_EQ(copyout(hello, u, sizeof(hello)), 0);
	SCT_EQ(copyinstr(u, buf, sizeof(buf), &done), 0);
	SCT_EQ(done, 6); /* the NUL counts */
	SCT_EQ(__builtin_memcmp(buf, hello, 6), 0);
	SCT_EQ(copyinstr(u, buf, 6, &done), 0); /* exactly fits */
	SCT_EQ(done, 6);
	SCT_EQ(copyinstr(u, buf, 5, &done), ENAMETOOLONG);
	SCT_EQ(done, 5);
	SCT_EQ(copyinstr(u, buf, 3, NULL), ENAMETOOLONG);
	SCT_EQ(copyinstr((const char *)16, buf, sizeof(buf), &done), EFAULT);
	sctest_user_free(u, USER_LEN);
}

SCTEST_CASE(copy, ddi_copy_fkioctl_is_kernel_to_kernel)
{
	char a[8] = "abcdefg", b[8] = { 0 };

	SCT_EQ(ddi_copyin(a, b, sizeof(a), FKIOCTL), 0);
	SCT_EQ(__builtin_memcmp(a, b, sizeof(a)), 0);
	b[0] = 'z';
	SCT_EQ(ddi_copyout(b, a, 1, FKIOCTL), 0);
	SCT_EQ(a[0], 'z');
	if (SCTEST_CONTEXT() == SCTEST_PROCESS)
		SCT_EQ(ddi_copyin((void *)16, b, sizeof(b), 0), -1);
}

/* Outside process context a user copy is reported and fails. */
SCTEST_CASE(copy, refused_outside_process)
{
	unsigned long n = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	char buf[8];

	SCT_EQ(copyin((void *)4096, buf, sizeof(buf)), -1);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 1);
}

SCTEST_FAMILY(copy,
	      SCTEST_ENTRY(copy, round_trip, SCTEST_PROCESS),
	      SCTEST_ENTRY(copy, bad_address_fails_without_oops, SCTEST_PROCESS),
	      SCTEST_ENTRY(copy, copyinstr_lengths, SCTEST_PROCESS),
	      SCTEST_ENTRY(copy, ddi_copy_fkioctl_is_kernel_to_kernel,
			   SCTEST_ANY),
	      SCTEST_ENTRY(copy, refused_outside_process, SCTEST_NOSLEEP));
