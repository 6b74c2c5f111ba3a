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
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);

/* The first c in s[0 .. count-1] (stopping at a NUL), or NULL. */
static inline char *strnchr(const char *s, size_t count, int c)
{
	for (; count-- && *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return (char *)0;
}

/*
 * strscpy(dst, src[, size]): 6.8's form, the size defaulting to sizeof(dst)
 * for an array. Copies up to size - 1 bytes and a NUL; the length, or
 * -E2BIG (-7) when src did not fit.
 */
static inline long model_strscpy(char *dst, const char *src, size_t size)
{
	size_t i;

	if (!size)
		return -7;
	for (i = 0; i + 1 < size && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	return src[i] ? -7 : (long)i;
}
#define MODEL_STRSCPY_2(dst, src) model_strscpy((dst), (src), sizeof(dst))
#define MODEL_STRSCPY_3(dst, src, size) model_strscpy((dst), (src), (size))
#define MODEL_STRSCPY_PICK(_1, _2, _3, name, ...) name
#define strscpy(...)                                                           \
	MODEL_STRSCPY_PICK(__VA_ARGS__, MODEL_STRSCPY_3, MODEL_STRSCPY_2)(__VA_ARGS__)

#endif /* _MODEL_LINUX_STRING_H */
