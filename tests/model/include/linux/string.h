/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/string.h. The kernel's string functions
 * have libc's names and contracts, so the model links libc's (all of which
 * are async-signal-safe).
 */
#ifndef _MODEL_LINUX_STRING_H
#define _MODEL_LINUX_STRING_H

#include <linux/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dest, const void *src, size_t n);
void *memmove(void *dest, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif /* _MODEL_LINUX_STRING_H */
