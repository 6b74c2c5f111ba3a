// SPDX-License-Identifier: GPL-2.0
/* Linux module glue for sdt_test.ko, the sdt provider's test module. */
#include "modglue.h"

SOLCOMPAT_MODULE_GLUE("sdt_test: fires known sdt probes on demand");
