/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/kmem.h: the kernel memory allocator and object caches (prefixed ABI).
 * The Solaris names are in sys/kmem.h; the design is in the Big Theory
 * Statement of linux/kmem.c.
 */
#ifndef _SOLCOMPAT_IMPL_KMEM_H
#define _SOLCOMPAT_IMPL_KMEM_H

#include <impl/types.h>
#include <impl/vmem.h>

/* Allocation flags; the values are illumos's. ABI: values never change. */
#define SOLCOMPAT_KM_SLEEP 0x0000	/* may block; never fails */
#define SOLCOMPAT_KM_NOSLEEP 0x0001	/* never blocks; may fail */
#define SOLCOMPAT_KM_PANIC 0x0002	/* panic rather than fail */
#define SOLCOMPAT_KM_PUSHPAGE 0x0004	/* may block; may use reserves */
#define SOLCOMPAT_KM_NORMALPRI 0x0008	/* KM_NOSLEEP: no reserves */
#define SOLCOMPAT_KM_VMFLAGS 0x00ff
#define SOLCOMPAT_KM_FLAGS 0xffff

/* kmem_cache_create() flags; accepted, see linux/kmem.c for their effect. */
#define SOLCOMPAT_KMC_NOTOUCH 0x00010000
#define SOLCOMPAT_KMC_NODEBUG 0x00020000
#define SOLCOMPAT_KMC_NOMAGAZINE 0x00040000
#define SOLCOMPAT_KMC_NOHASH 0x00080000
#define SOLCOMPAT_KMC_QCACHE 0x00100000
#define SOLCOMPAT_KMC_KMEM_ALLOC 0x00200000
#define SOLCOMPAT_KMC_IDENTIFIER 0x00400000
#define SOLCOMPAT_KMC_PREFILL 0x00800000

/* Every buffer kmem_alloc returns is aligned to this many bytes. */
#define SOLCOMPAT_KMEM_ALIGN 16

typedef struct solcompat_kmem_cache solcompat_kmem_cache_t;
typedef int (*solcompat_kmem_ctor_t)(void *buf, void *private_arg, int kmflag);
typedef void (*solcompat_kmem_dtor_t)(void *buf, void *private_arg);
typedef void (*solcompat_kmem_reclaim_t)(void *private_arg);

/*
 * Allocator counters, per CPU or summed over all CPUs. Each is a count of
 * events since load. ABI: fields are only ever appended.
 */
typedef struct solcompat_kmem_stats {
	/* buffers handed out (any source) */
	solcompat_uint64_t allocs;
	/* buffers taken back (any path) */
	solcompat_uint64_t frees;
	/* calls into the Linux allocator */
	solcompat_uint64_t heap_allocs;
	/* buffers served from the reserve */
	solcompat_uint64_t reserve_hits;
	/* requests the reserve had no fitting chunk for */
	solcompat_uint64_t reserve_exhausted;
	/* frees handed to the deferral */
	solcompat_uint64_t deferred_frees;
	/* deferred frees completed */
	solcompat_uint64_t deferred_done;
	/* attempts failed by injection */
	solcompat_uint64_t injected_failures;
	/* NULL returns for a size > 0 */
	solcompat_uint64_t failures;
	/* KM_SLEEP attempts that failed and were retried */
	solcompat_uint64_t sleep_retries;
} solcompat_kmem_stats_t;

/*
 * Allocate size bytes, aligned to SOLCOMPAT_KMEM_ALIGN. Size 0 gives NULL.
 * KM_SLEEP never returns NULL; where the caller may not sleep it is
 * reported and served as KM_NOSLEEP. In NMI and probe context the buffer
 * comes from an NMI-safe reserve (small sizes) or the call returns NULL; the
 * Linux allocator is not called there.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_kmem_alloc(solcompat_size_t size,
					      int kmflag);

/*
 * solcompat_kmem_alloc, and the buffer is zero-filled.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_kmem_zalloc(solcompat_size_t size,
					       int kmflag);

/*
 * solcompat_kmem_alloc (solcompat_kmem_zalloc) for a request of at most N
 * bytes, N being the power of two in the name: what the inline
 * solcompat_kmem_alloc_sized below calls for a size the compiler knows, so
 * that the size class is chosen at compile time, as Linux's kmalloc does
 * for kmalloc(sizeof(...)). Any other size, 0 included, takes the general
 * path inside, so a wrong N costs speed, never memory safety.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_kmem_alloc_16(solcompat_size_t size,
						 int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_alloc_32(solcompat_size_t size,
						 int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_alloc_64(solcompat_size_t size,
						 int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_alloc_128(solcompat_size_t size,
						  int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_alloc_256(solcompat_size_t size,
						  int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_alloc_512(solcompat_size_t size,
						  int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_alloc_1024(solcompat_size_t size,
						   int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_alloc_2048(solcompat_size_t size,
						   int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_alloc_4096(solcompat_size_t size,
						   int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_zalloc_16(solcompat_size_t size,
						  int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_zalloc_32(solcompat_size_t size,
						  int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_zalloc_64(solcompat_size_t size,
						  int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_zalloc_128(solcompat_size_t size,
						   int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_zalloc_256(solcompat_size_t size,
						   int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_zalloc_512(solcompat_size_t size,
						   int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_zalloc_1024(solcompat_size_t size,
						    int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_zalloc_2048(solcompat_size_t size,
						    int kmflag);
SOLCOMPAT_EXTERN_C void *solcompat_kmem_zalloc_4096(solcompat_size_t size,
						    int kmflag);

/* Class entries for n-byte requests: solcompat_kmem_alloc_sized's cases. */
#define SOLCOMPAT_KMEM_CLASS_CALL_(n, size, kmflag, zero)                      \
	if ((size) <= (n))                                                     \
	return (zero) ? solcompat_kmem_zalloc_##n(size, kmflag)                \
		      : solcompat_kmem_alloc_##n(size, kmflag)

/*
 * solcompat_kmem_alloc (zero 0) or solcompat_kmem_zalloc (zero 1), a
 * constant size of 1 to 4096 bytes going to its class's entry at compile
 * time. Inline by force: __builtin_constant_p sees the caller's constant
 * only once inlined. sys/kmem.h's kmem_alloc and kmem_zalloc are this.
 * Context: Any context.
 */
static inline __attribute__((__always_inline__)) void *
solcompat_kmem_alloc_sized(solcompat_size_t size, int kmflag, int zero)
{
	if (__builtin_constant_p(size) && size - 1 < 4096) {
		SOLCOMPAT_KMEM_CLASS_CALL_(16, size, kmflag, zero);
		SOLCOMPAT_KMEM_CLASS_CALL_(32, size, kmflag, zero);
		SOLCOMPAT_KMEM_CLASS_CALL_(64, size, kmflag, zero);
		SOLCOMPAT_KMEM_CLASS_CALL_(128, size, kmflag, zero);
		SOLCOMPAT_KMEM_CLASS_CALL_(256, size, kmflag, zero);
		SOLCOMPAT_KMEM_CLASS_CALL_(512, size, kmflag, zero);
		SOLCOMPAT_KMEM_CLASS_CALL_(1024, size, kmflag, zero);
		SOLCOMPAT_KMEM_CLASS_CALL_(2048, size, kmflag, zero);
		SOLCOMPAT_KMEM_CLASS_CALL_(4096, size, kmflag, zero);
	}
	return zero ? solcompat_kmem_zalloc(size, kmflag)
		    : solcompat_kmem_alloc(size, kmflag);
}
#undef SOLCOMPAT_KMEM_CLASS_CALL_

/*
 * Free a buffer from solcompat_kmem_alloc/zalloc; size must be the size
 * allocated. NULL is a no-op. A misaligned pointer is reported
 * (SOLCOMPAT_MISUSE_MEMORY); with solcompat_kmem_debug(), so are a wrong
 * size, a double free and a pointer kmem did not hand out. Where Linux cannot
 * free right now (NMI, probe, PREEMPT_RT atomic sections) the free is
 * deferred.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_kmem_free(void *buf, solcompat_size_t size);

/*
 * Make the next n allocation attempts fail (0 cancels). A KM_NOSLEEP
 * allocation then returns NULL; a KM_SLEEP one retries until it succeeds.
 * For tests.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_kmem_inject_failures(unsigned long n);

/*
 * Whether buffers carry the debug header (module parameter kmem_debug, fixed
 * at load): then a free with the wrong size and a double free of a heap
 * buffer are reported. Without it, kmem_alloc is kmalloc plus the context
 * rules, and those two misuses go unseen (a double free of a reserve chunk
 * and a pointer kmem did not hand out from the reserve are still reported).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_kmem_debug(void);

/*
 * Read the counters of one CPU, or of all CPUs when cpu is negative.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_kmem_stats(int cpu,
					     solcompat_kmem_stats_t *stats);

/*
 * Create an object cache of objects of bufsize bytes aligned to align (0:
 * SOLCOMPAT_KMEM_ALIGN; otherwise a power of two up to 4096). ctor runs
 * when an object is first created, dtor when it is given back to the
 * system; objects are handed out in constructed state. vmp must be NULL.
 * Returns NULL (reported) on bad arguments or outside process context.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C solcompat_kmem_cache_t *solcompat_kmem_cache_create(
	const char *name, solcompat_size_t bufsize, solcompat_size_t align,
	solcompat_kmem_ctor_t ctor, solcompat_kmem_dtor_t dtor,
	solcompat_kmem_reclaim_t reclaim, void *private_arg,
	solcompat_vmem_t *vmp, int cflags);

/*
 * Destruct every cached object and free the cache. Objects still allocated
 * are reported; the cache is then kept (leaked) so their later frees stay
 * safe.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C void
solcompat_kmem_cache_destroy(solcompat_kmem_cache_t *cp);

/*
 * Allocate a constructed object. KM_SLEEP as for solcompat_kmem_alloc. A
 * constructor failure makes the call return NULL. In NMI and probe context
 * only objects already constructed and cached are handed out (no
 * constructor runs there), else NULL.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_kmem_cache_alloc(solcompat_kmem_cache_t *cp,
						    int kmflag);

/*
 * Give an object back to its cache, in constructed state. An object built
 * in a reserve chunk (PREEMPT_RT atomic or hardirq context) is instead
 * destructed here, outside NMI and probe context, and its chunk given back.
 * A double free or an object of another cache is reported.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_kmem_cache_free(solcompat_kmem_cache_t *cp,
						  void *buf);

/*
 * Destruct and free every cached (free) object now.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C void
solcompat_kmem_cache_reap_now(solcompat_kmem_cache_t *cp);

/*
 * A named cache statistic: "buf_size", "align", "buf_inuse",
 * "buf_constructed" (cached free objects), "buf_total", "alloc",
 * "alloc_fail". Unknown names give 0.
 * Context: Process, atomic or hardirq context.
 */
SOLCOMPAT_EXTERN_C solcompat_uint64_t
solcompat_kmem_cache_stat(solcompat_kmem_cache_t *cp, const char *name);

#endif /* _SOLCOMPAT_IMPL_KMEM_H */
