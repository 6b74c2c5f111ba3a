/* SPDX-License-Identifier: GPL-2.0 */
/* sys/disp.h: kpreempt_disable/enable live in sys/cpuvar.h here. */
#ifndef _SOLCOMPAT_SYS_DISP_H
#define _SOLCOMPAT_SYS_DISP_H

#include <sys/cpuvar.h>

#endif /* _SOLCOMPAT_SYS_DISP_H */
