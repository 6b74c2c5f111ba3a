// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/cmn_err.h: every level and prefix, from every
 * context (NMI included). CE_PANIC is exercised only in the model, where
 * panic is caught (cmn_err_panic_test.cc).
 */
#include <sys/cmn_err.h>
#include <sys/types.h>

#include "sctest.h"

SCTEST_CASE(cmn_err, levels_and_prefixes)
{
	unsigned long n = solcompat_cmn_err_count();

	cmn_err(CE_NOTE, "sctest: cmn_err note from %s context",
		sctest_context_name(SCTEST_CONTEXT()));
	cmn_err(CE_WARN, "!sctest: log-only warning %d", 42);
	cmn_err(CE_NOTE, "?sctest: verbose-boot note");
	cmn_err(CE_NOTE, "^sctest: console note");
	cmn_err(CE_CONT, "sctest: continued ");
	cmn_err(CE_CONT, "line\n");
	cmn_err(CE_IGNORE, "sctest: never printed");
	SCT_EQ(solcompat_cmn_err_count(), n + 6);
}

SCTEST_FAMILY(cmn_err,
	      SCTEST_ENTRY(cmn_err, levels_and_prefixes, SCTEST_ANY));
