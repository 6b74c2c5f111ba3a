/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/init.h. The kernel puts __init/__exit
 * code in sections it frees after use; the model keeps it (nothing is freed)
 * and only keeps the "cold" hint.
 */
#ifndef _MODEL_LINUX_INIT_H
#define _MODEL_LINUX_INIT_H

#define __init __cold
#define __exit __cold notrace

#endif /* _MODEL_LINUX_INIT_H */
