/* SPDX-License-Identifier: GPL-2.0 */
/* sys/stat.h: the file type bits minor nodes are created with. */
#ifndef _SOLCOMPAT_SYS_STAT_H
#define _SOLCOMPAT_SYS_STAT_H

#define S_IFCHR 0020000
#define S_IFBLK 0060000

#endif /* _SOLCOMPAT_SYS_STAT_H */
