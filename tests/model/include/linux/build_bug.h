/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/build_bug.h that linux/
 * uses: static_assert with an optional message, BUILD_BUG_ON.
 */
#ifndef _MODEL_LINUX_BUILD_BUG_H
#define _MODEL_LINUX_BUILD_BUG_H

#define static_assert(expr, ...) MODEL_STATIC_ASSERT(expr, ##__VA_ARGS__, #expr)
#define MODEL_STATIC_ASSERT(expr, msg, ...) _Static_assert(expr, msg)
#define BUILD_BUG_ON(cond) ((void)sizeof(char[1 - 2 * !!(cond)]))

#endif /* _MODEL_LINUX_BUILD_BUG_H */
