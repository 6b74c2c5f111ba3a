/* SPDX-License-Identifier: GPL-2.0 */
/* sys/ddi.h: as on illumos, the DDI routines are declared in sys/sunddi.h. */
#ifndef _SOLCOMPAT_SYS_DDI_H
#define _SOLCOMPAT_SYS_DDI_H

#include <sys/sunddi.h>

#endif /* _SOLCOMPAT_SYS_DDI_H */
