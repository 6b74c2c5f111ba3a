/* SPDX-License-Identifier: GPL-2.0 */
/* sys/open.h: open types. */
#ifndef _SOLCOMPAT_SYS_OPEN_H
#define _SOLCOMPAT_SYS_OPEN_H

#include <impl/ddi.h>

#define OTYP_BLK 0
#define OTYP_CHR SOLCOMPAT_OTYP_CHR

#endif /* _SOLCOMPAT_SYS_OPEN_H */
