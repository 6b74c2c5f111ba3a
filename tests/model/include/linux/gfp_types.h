/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/gfp_types.h. The bit values are the
 * model's own (the kernel's change between releases); the composites and
 * what they mean are the kernel's: an allocation may sleep exactly when it
 * carries __GFP_DIRECT_RECLAIM, as GFP_KERNEL does and GFP_ATOMIC and
 * GFP_NOWAIT do not.
 */
#ifndef _MODEL_LINUX_GFP_TYPES_H
#define _MODEL_LINUX_GFP_TYPES_H

#include <linux/types.h>

#define __GFP_HIGH ((gfp_t)0x20u)
#define __GFP_IO ((gfp_t)0x40u)
#define __GFP_FS ((gfp_t)0x80u)
#define __GFP_ZERO ((gfp_t)0x100u)
#define __GFP_DIRECT_RECLAIM ((gfp_t)0x400u)
#define __GFP_KSWAPD_RECLAIM ((gfp_t)0x800u)
#define __GFP_NOWARN ((gfp_t)0x2000u)
#define __GFP_NOFAIL ((gfp_t)0x8000u)
#define __GFP_RECLAIM ((gfp_t)(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM))

#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)

static inline bool gfpflags_allow_blocking(const gfp_t gfp_flags)
{
	return !!(gfp_flags & __GFP_DIRECT_RECLAIM);
}

#endif /* _MODEL_LINUX_GFP_TYPES_H */
