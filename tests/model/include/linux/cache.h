/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/cache.h: placement hints that change no
 * behaviour in a test program.
 */
#ifndef _MODEL_LINUX_CACHE_H
#define _MODEL_LINUX_CACHE_H

#define __read_mostly

#endif /* _MODEL_LINUX_CACHE_H */
