// SPDX-License-Identifier: GPL-2.0
/* Linux module glue for dtrace.ko, the probe framework in probes/. */
#include "modglue.h"

SOLCOMPAT_MODULE_GLUE("dtrace: a Solaris-style probe framework on solcompat");
