/* SPDX-License-Identifier: GPL-2.0 */
/* sys/file.h: open flags as cb_open and cb_ioctl receive them. */
#ifndef _SOLCOMPAT_SYS_FILE_H
#define _SOLCOMPAT_SYS_FILE_H

#include <impl/ddi.h>

#define FREAD SOLCOMPAT_FREAD
#define FWRITE SOLCOMPAT_FWRITE
#define FEXCL SOLCOMPAT_FEXCL
#define FKIOCTL 0x80000000
#define FNATIVE 0
#define FMODELS 0

#endif /* _SOLCOMPAT_SYS_FILE_H */
