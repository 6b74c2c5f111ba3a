/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/kmem.h: kmem_alloc, kmem_zalloc, kmem_free and object caches
 * (kmem_cache_*). The design is in the Big Theory Statement of linux/kmem.c.
 *
 * In short: KM_SLEEP never returns NULL, and is reported (and served as
 * KM_NOSLEEP) where the caller may not sleep; KM_NOSLEEP works in any
 * context, from an NMI-safe reserve in NMI and probe context; kmem_free works
 * in any context; a wrong size or a double free is reported when solcompat
 * is loaded with kmem_debug=1.
 */
#ifndef _SOLCOMPAT_SYS_KMEM_H
#define _SOLCOMPAT_SYS_KMEM_H

#include <sys/types.h>
#include <sys/vmem.h>
#include <impl/kmem.h>

#define KM_SLEEP SOLCOMPAT_KM_SLEEP
#define KM_NOSLEEP SOLCOMPAT_KM_NOSLEEP
#define KM_PANIC SOLCOMPAT_KM_PANIC
#define KM_PUSHPAGE SOLCOMPAT_KM_PUSHPAGE
#define KM_NORMALPRI SOLCOMPAT_KM_NORMALPRI
#define KM_NOSLEEP_LAZY (SOLCOMPAT_KM_NOSLEEP | SOLCOMPAT_KM_NORMALPRI)
#define KM_VMFLAGS SOLCOMPAT_KM_VMFLAGS
#define KM_FLAGS SOLCOMPAT_KM_FLAGS

#define KMC_NOTOUCH SOLCOMPAT_KMC_NOTOUCH
#define KMC_NODEBUG SOLCOMPAT_KMC_NODEBUG
#define KMC_NOMAGAZINE SOLCOMPAT_KMC_NOMAGAZINE
#define KMC_NOHASH SOLCOMPAT_KMC_NOHASH
#define KMC_QCACHE SOLCOMPAT_KMC_QCACHE
#define KMC_KMEM_ALLOC SOLCOMPAT_KMC_KMEM_ALLOC
#define KMC_IDENTIFIER SOLCOMPAT_KMC_IDENTIFIER
#define KMC_PREFILL SOLCOMPAT_KMC_PREFILL

typedef solcompat_kmem_cache_t kmem_cache_t;

/*
 * Allocate size bytes (aligned to 16). KM_SLEEP: never NULL; KM_NOSLEEP:
 * may be NULL. Size 0 gives NULL.
 * Context: Any context.
 */
static inline __attribute__((__always_inline__)) void *kmem_alloc(size_t size,
								  int kmflag)
{
	return solcompat_kmem_alloc_sized(size, kmflag, 0);
}

/*
 * kmem_alloc, zero-filled.
 * Context: Any context.
 */
static inline __attribute__((__always_inline__)) void *kmem_zalloc(size_t size,
								   int kmflag)
{
	return solcompat_kmem_alloc_sized(size, kmflag, 1);
}

/*
 * Free a buffer of size bytes from kmem_alloc/kmem_zalloc; NULL is a no-op.
 * Context: Any context.
 */
static inline void kmem_free(void *buf, size_t size)
{
	solcompat_kmem_free(buf, size);
}

/*
 * Create an object cache; ctor(buf, private, kmflag) returns 0 or -1,
 * dtor(buf, private). reclaim is never called (no memory-pressure hook).
 * Context: Process context. May sleep.
 */
static inline kmem_cache_t *
kmem_cache_create(const char *name, size_t bufsize, size_t align,
		  int (*ctor)(void *, void *, int),
		  void (*dtor)(void *, void *), void (*reclaim)(void *),
		  void *private_arg, vmem_t *vmp, int cflags)
{
	return solcompat_kmem_cache_create(name, bufsize, align, ctor, dtor,
					   reclaim, private_arg, vmp, cflags);
}

/*
 * Destroy a cache whose objects have all been freed.
 * Context: Process context. May sleep.
 */
static inline void kmem_cache_destroy(kmem_cache_t *cp)
{
	solcompat_kmem_cache_destroy(cp);
}

/*
 * Allocate a constructed object.
 * Context: Any context.
 */
static inline void *kmem_cache_alloc(kmem_cache_t *cp, int kmflag)
{
	return solcompat_kmem_cache_alloc(cp, kmflag);
}

/*
 * Free an object, in constructed state, to its cache.
 * Context: Any context.
 */
static inline void kmem_cache_free(kmem_cache_t *cp, void *buf)
{
	solcompat_kmem_cache_free(cp, buf);
}

/*
 * Give every cached free object back to the system now.
 * Context: Process context. May sleep.
 */
static inline void kmem_cache_reap_now(kmem_cache_t *cp)
{
	solcompat_kmem_cache_reap_now(cp);
}

/*
 * A named statistic of a cache ("buf_inuse", "alloc_fail", ...).
 * Context: Process, atomic or hardirq context.
 */
static inline uint64_t kmem_cache_stat(kmem_cache_t *cp, const char *name)
{
	return solcompat_kmem_cache_stat(cp, name);
}

#endif /* _SOLCOMPAT_SYS_KMEM_H */
