/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/dtrace_ioctl.h: the ioctl interface of the dtrace pseudo-device
 * (/dev/dtrace), shared by the kernel module and the C++ consumer (the
 * trace CLI).
 *
 * Rules of this interface:
 *   - It includes nothing and uses only fixed-width types built on compiler
 *     macros, so it compiles in the kernel, in the userspace model and in
 *     C++ unchanged. Every struct has explicit padding and a size that is a
 *     multiple of 8, checked below; pointers to user memory are uint64.
 *     No field ever holds a kernel address.
 *   - Each command number encodes the size of its struct (the Linux _IOC
 *     layout: direction, size, type 'D', number), so a consumer built
 *     against another layout gets ENOTTY, never a misread struct.
 *   - A consumer issues DTRACEIOC_VERSION first and refuses to run unless
 *     version == DTRACE_IOC_VERSION_CURRENT. Incompatible changes bump the
 *     version; fields are only ever appended into reserved space.
 *   - Strings are NUL-terminated within their field (EINVAL otherwise).
 *     Reserved and padding fields must be zero on input (EINVAL).
 *   - Errors (the ioctl returns -1 with errno): EFAULT bad user address;
 *     EINVAL bad value; E2BIG a count or size over its documented maximum;
 *     ENOTTY unknown command; ENOENT no probe matched / no such enabling;
 *     EBUSY wrong state (GO twice); ENOSPC too many enablings; ENOMEM.
 *     On an error no output field is written.
 *
 * The device: open(2) needs CAP_SYS_ADMIN (EPERM otherwise). Each open is a
 * consumer of its own (a clone open) with its enablings, buffers and
 * aggregations; closing it stops and frees everything. At most
 * DTRACE_IOC_MAX_CONSUMERS opens at a time (EBUSY beyond).
 *
 * A session: VERSION; LIST (optional, paged; REFUSED says what a provider
 * would not probe and why); ENABLE one or more probe
 * descriptions with actions; GO; repeatedly BUFSNAP each CPU and/or
 * AGGSNAP; STOP; close.
 */
#ifndef _DTRACE_SYS_DTRACE_IOCTL_H
#define _DTRACE_SYS_DTRACE_IOCTL_H

typedef __UINT8_TYPE__ dtioc_uint8_t;
typedef __UINT32_TYPE__ dtioc_uint32_t;
typedef __INT32_TYPE__ dtioc_int32_t;
typedef unsigned long long dtioc_uint64_t;
typedef long long dtioc_int64_t;

#define DTRACE_IOC_VERSION_CURRENT 2 /* 2: variables, two keys */

/* Limits. */
#define DTRACE_IOC_MAX_CONSUMERS 16		/* simultaneous opens */
#define DTRACE_IOC_MAXACTIONS 8			/* actions per enabling */
#define DTRACE_IOC_MAXENABLINGS 64		/* enablings per consumer */
#define DTRACE_IOC_LIST_MAX 1024		/* entries per LIST page */
#define DTRACE_IOC_BUFSIZE_DEFAULT (256 * 1024) /* per CPU, each of 2 */
#define DTRACE_IOC_BUFSIZE_MIN 4096
#define DTRACE_IOC_BUFSIZE_MAX (16 * 1024 * 1024)
#define DTRACE_IOC_AGGSNAP_MAX (64ULL * 1024 * 1024) /* user buffer */
#define DTRACE_IOC_QUANTIZE_BUCKETS 127
#define DTRACE_IOC_QUANTIZE_ZERO 63 /* bucket of the value 0 */
#define DTRACE_IOC_LQUANTIZE_MAXLEVELS 256
#define DTRACE_IOC_NARGS 5

/* String field sizes, NUL included (as sys/dtrace.h). */
#define DTRACE_IOC_PROVNAMELEN 64
#define DTRACE_IOC_MODNAMELEN 64
#define DTRACE_IOC_FUNCNAMELEN 128
#define DTRACE_IOC_NAMELEN 64
#define DTRACE_IOC_COMMLEN 16
#define DTRACE_IOC_REASONLEN 96

/*
 * A probe description: provider:module:function:name. Empty fields match
 * anything, others are globs ('*', '?', '[set]', '\' quotes).
 */
typedef struct dtrace_ioc_desc {
	char provider[DTRACE_IOC_PROVNAMELEN];
	char mod[DTRACE_IOC_MODNAMELEN];
	char func[DTRACE_IOC_FUNCNAMELEN];
	char name[DTRACE_IOC_NAMELEN];
} dtrace_ioc_desc_t; /* 320 bytes */

/* DTRACEIOC_VERSION: all output. */
typedef struct dtrace_ioc_version {
	dtioc_uint32_t version;		 /* DTRACE_IOC_VERSION_CURRENT */
	dtioc_uint32_t trace_rec_size;	 /* sizeof (dtrace_ioc_trace_rec_t) */
	dtioc_uint32_t max_cpus;	 /* CPU ids are below this */
	dtioc_uint32_t cpus_online;	 /* CPUs online now */
	dtioc_uint32_t max_actions;	 /* DTRACE_IOC_MAXACTIONS */
	dtioc_uint32_t quantize_buckets; /* DTRACE_IOC_QUANTIZE_BUCKETS */
	dtioc_uint32_t lquantize_maxlevels;
	dtioc_uint32_t reserved0;
	dtioc_uint64_t bufsize_default;
	dtioc_uint64_t bufsize_max;
} dtrace_ioc_version_t; /* 48 bytes */

/* One probe, as DTRACEIOC_LIST returns it. */
typedef struct dtrace_ioc_probe {
	dtioc_uint32_t id;
	dtioc_uint32_t nenablings; /* enablings on it, all consumers */
	dtrace_ioc_desc_t desc;
} dtrace_ioc_probe_t; /* 328 bytes */

/*
 * DTRACEIOC_LIST: one page of the probes matching filter, in increasing id
 * order, starting at id first_id. Loop with first_id = next_id until
 * next_id is 0. With provide = 1 the providers first get the chance to
 * create probes matching filter (e.g. "profile:::profile-1234").
 */
typedef struct dtrace_ioc_list {
	dtrace_ioc_desc_t filter; /* in */
	dtioc_uint32_t first_id;  /* in */
	dtioc_uint32_t count;	  /* in: room at buf, 1..LIST_MAX */
	dtioc_uint64_t buf;	  /* in: user address, count entries */
	dtioc_uint32_t provide;	  /* in: 0 or 1 */
	dtioc_uint32_t returned;  /* out: entries written */
	dtioc_uint32_t next_id;	  /* out: 0 when no more */
	dtioc_uint32_t total;	  /* out: probes that exist */
} dtrace_ioc_list_t;		  /* 352 bytes */

/* Action kinds. */
#define DTRACE_IOC_ACT_TRACE 1	   /* a dtrace_ioc_trace_rec_t per firing */
#define DTRACE_IOC_ACT_COUNT 2	   /* vals: [count] */
#define DTRACE_IOC_ACT_SUM 3	   /* vals: [sum of value] */
#define DTRACE_IOC_ACT_MIN 4	   /* vals: [min] */
#define DTRACE_IOC_ACT_MAX 5	   /* vals: [max] */
#define DTRACE_IOC_ACT_AVG 6	   /* vals: [count, sum] */
#define DTRACE_IOC_ACT_QUANTIZE 7  /* vals: QUANTIZE_BUCKETS counts */
#define DTRACE_IOC_ACT_LQUANTIZE 8 /* vals: levels + 2 counts */

/*
 * Variables, read in probe context: what an aggregation adds up (an
 * action's value) and what it is keyed by (its keys).
 */
#define DTRACE_IOC_VAR_ARG0 0	   /* argN: VAR_ARG0 + N, N < NARGS */
#define DTRACE_IOC_VAR_CPU 5	   /* the CPU id */
#define DTRACE_IOC_VAR_PID 6	   /* the current process id, 0 for idle */
#define DTRACE_IOC_VAR_TIMESTAMP 7 /* gethrtime() ns */
#define DTRACE_IOC_VAR_EXECNAME 8  /* comm, 16 bytes: keys only */
#define DTRACE_IOC_NVARS 9

/*
 * Aggregation keys: every aggregation is keyed by probe id, and by up to
 * two more words: key and key2, each DTRACE_IOC_KEY_NONE or
 * DTRACE_IOC_KEY_VAR(var). KEY_VAR(VAR_EXECNAME) takes both words (the
 * 16 bytes of comm, NUL-padded), so it must be key with key2 NONE. key2
 * needs key. (Version 1's KEY_ARG0 + N is KEY_VAR(VAR_ARG0 + N).)
 */
#define DTRACE_IOC_KEY_NONE 0
#define DTRACE_IOC_KEY_PROBE DTRACE_IOC_KEY_NONE /* the probe only */
#define DTRACE_IOC_KEY_VAR(var) (1 + (var))
#define DTRACE_IOC_KEY_ARG0 DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_ARG0)

/*
 * One action. value is the variable (DTRACE_IOC_VAR_*, not EXECNAME) the
 * aggregation reads (sum, min, max, avg, quantize, lquantize; 0 for trace
 * and count), as a signed 64-bit value. key and key2 select the
 * aggregation's keys beyond the probe (both 0 for trace). lquantize:
 * levels = (lq_limit - lq_base) / lq_step, at most LQUANTIZE_MAXLEVELS,
 * lq_step > 0, lq_limit > lq_base; other kinds: all three 0.
 *
 * quantize buckets (index i of 127): 63 holds 0; i > 63 holds
 * [2^(i-64), 2^(i-63) - 1]; i < 63 holds [-(2^(63-i) - 1), -2^(62-i)],
 * and bucket 0 also everything below.
 * lquantize buckets (index i of levels + 2): 0 holds values < lq_base;
 * 1 + k holds [lq_base + k*step, lq_base + (k+1)*step - 1]; levels + 1
 * holds values >= lq_base + levels*step.
 */
typedef struct dtrace_ioc_action {
	dtioc_uint32_t kind;  /* DTRACE_IOC_ACT_* */
	dtioc_uint32_t value; /* argument index */
	dtioc_uint32_t key;   /* DTRACE_IOC_KEY_* */
	dtioc_uint32_t key2;  /* DTRACE_IOC_KEY_* (version 2) */
	dtioc_int64_t lq_base;
	dtioc_int64_t lq_limit;
	dtioc_int64_t lq_step;
} dtrace_ioc_action_t; /* 40 bytes */

/*
 * DTRACEIOC_ENABLE: enable the actions on every probe matching desc (the
 * providers first create probes the description names, see LIST). The
 * actions run once the consumer is started (GO). ENOENT when nothing
 * matches (no enabling is made).
 */
typedef struct dtrace_ioc_enable {
	dtrace_ioc_desc_t desc;	 /* in */
	dtioc_uint32_t nactions; /* in: 1..MAXACTIONS */
	dtioc_uint32_t flags;	 /* in: 0 */
	dtrace_ioc_action_t actions[DTRACE_IOC_MAXACTIONS]; /* in */
	dtioc_uint32_t enabling_id;			    /* out: 1.. */
	dtioc_uint32_t nprobes; /* out: probes matched */
} dtrace_ioc_enable_t;		/* 656 bytes */

/* DTRACEIOC_DISABLE: the enabling stops; its aggregations stay readable. */
typedef struct dtrace_ioc_disable {
	dtioc_uint32_t enabling_id; /* in */
	dtioc_uint32_t reserved0;
} dtrace_ioc_disable_t; /* 8 bytes */

/*
 * DTRACEIOC_GO: allocate the buffers (first GO only; bufsize per CPU and
 * per buffer, 0 for the default, a multiple of 8 within
 * [BUFSIZE_MIN, BUFSIZE_MAX]) and start tracing. EBUSY if running.
 * After a STOP, GO resumes with the buffers of the first GO.
 */
typedef struct dtrace_ioc_go {
	dtioc_uint64_t bufsize;	  /* in; out: the size in use */
	dtioc_int64_t start_time; /* out: gethrtime() ns */
} dtrace_ioc_go_t;		  /* 16 bytes */

/* DTRACEIOC_STOP: stop tracing (idempotent); buffers stay readable. */
typedef struct dtrace_ioc_stop {
	dtioc_int64_t stop_time; /* out */
} dtrace_ioc_stop_t;		 /* 8 bytes */

/*
 * DTRACEIOC_BUFSNAP: switch cpu's principal and alternate buffers with a
 * cross-call and copy the records traced since the previous switch to buf
 * (size must be at least the bufsize GO reported, else EINVAL). Before the
 * first GO: ENOENT. cpu >= max_cpus: EINVAL.
 */
typedef struct dtrace_ioc_bufsnap {
	dtioc_uint32_t cpu; /* in */
	dtioc_uint32_t reserved0;
	dtioc_uint64_t buf;   /* in: user address */
	dtioc_uint64_t size;  /* in */
	dtioc_uint64_t bytes; /* out: nrecs * trace_rec_size */
	dtioc_uint64_t nrecs; /* out */
	dtioc_uint64_t drops; /* out: records dropped on cpu, total */
} dtrace_ioc_bufsnap_t;	      /* 48 bytes */

/* One trace record (DTRACE_IOC_ACT_TRACE). */
typedef struct dtrace_ioc_trace_rec {
	dtioc_int64_t timestamp; /* gethrtime() ns */
	dtioc_uint32_t enabling_id;
	dtioc_uint32_t probe_id;
	dtioc_uint32_t cpu;
	dtioc_int32_t pid; /* ddi_get_pid(); 0 for idle */
	dtioc_uint64_t args[DTRACE_IOC_NARGS];
	char comm[DTRACE_IOC_COMMLEN]; /* NUL-terminated */
	dtioc_uint32_t depth;	       /* 0: outermost firing on its CPU */
	dtioc_uint32_t reserved0;
} dtrace_ioc_trace_rec_t; /* 88 bytes */

/*
 * DTRACEIOC_AGGSNAP: the aggregations of one enabling (0: all), merged
 * over the CPUs, as a sequence of dtrace_ioc_aggrec_t (each followed by
 * its values) written to buf. Only whole records are written; needed says
 * how many bytes all of them take, so a consumer retries with a larger
 * buffer when needed > bytes. size at most AGGSNAP_MAX (E2BIG). Values
 * are read while probes may still update them: a snapshot, not an atomic
 * cut.
 */
typedef struct dtrace_ioc_aggsnap {
	dtioc_uint32_t enabling_id; /* in */
	dtioc_uint32_t reserved0;
	dtioc_uint64_t buf;    /* in: user address */
	dtioc_uint64_t size;   /* in */
	dtioc_uint64_t bytes;  /* out: written */
	dtioc_uint64_t needed; /* out: all records */
	dtioc_uint32_t nrecs;  /* out: records written */
	dtioc_uint32_t reserved1;
} dtrace_ioc_aggsnap_t; /* 48 bytes */

typedef struct dtrace_ioc_aggrec {
	dtioc_uint32_t size; /* this header + nvals * 8 */
	dtioc_uint32_t enabling_id;
	dtioc_uint32_t action; /* index in the enabling's actions */
	dtioc_uint32_t kind;   /* DTRACE_IOC_ACT_* */
	dtioc_uint32_t probe_id;
	dtioc_uint32_t key_kind; /* the action's key, DTRACE_IOC_KEY_* */
	dtioc_int64_t key;	 /* its value (execname: comm bytes 0..7) */
	dtioc_int64_t lq_base;	 /* lquantize only */
	dtioc_int64_t lq_step;
	dtioc_uint32_t nvals;
	dtioc_uint32_t key2_kind; /* the action's key2 */
	dtioc_int64_t key2;	  /* its value (execname: comm bytes 8..15) */
				  /* followed by dtioc_int64_t vals[nvals] */
} dtrace_ioc_aggrec_t;		  /* 64 bytes */

/* DTRACEIOC_STATUS: all output. Counts are totals over the CPUs. */
#define DTRACE_IOC_STATE_IDLE 0 /* never started */
#define DTRACE_IOC_STATE_ACTIVE 1
#define DTRACE_IOC_STATE_STOPPED 2

typedef struct dtrace_ioc_status {
	dtioc_uint32_t state;	     /* DTRACE_IOC_STATE_* */
	dtioc_uint32_t nenablings;   /* active enablings */
	dtioc_uint64_t bufsize;	     /* 0 before GO */
	dtioc_uint64_t buf_drops;    /* trace records lost: buffer full */
	dtioc_uint64_t agg_drops;    /* aggregation updates lost: table full */
	dtioc_uint64_t fired;	     /* enabled firings processed */
	dtioc_uint64_t nested;	     /* of those, at depth > 0 */
	dtioc_uint64_t nested_drops; /* firings too deeply nested: dropped */
	dtioc_int64_t start_time;
	dtioc_int64_t stop_time;
	dtioc_uint32_t cpus_online; /* CPUs online now */
	dtioc_uint32_t reserved0;
} dtrace_ioc_status_t; /* 80 bytes */

/*
 * DTRACEIOC_REFUSED: probes a provider would not create although a
 * description named them, and why (fbt: a function on the kernel's kprobe
 * blacklist, this layer's own firing path, undecodable text, ...), one
 * page at a time, in the order they were first refused, starting at index
 * first. Loop with first = next until next is 0. Only the most recent
 * refusal of each provider:module:function:name is kept, up to a limit;
 * dropped counts the refusals that found the table full.
 */
typedef struct dtrace_ioc_refusal {
	dtrace_ioc_desc_t desc;
	char reason[DTRACE_IOC_REASONLEN]; /* NUL-terminated */
} dtrace_ioc_refusal_t;			   /* 416 bytes */

typedef struct dtrace_ioc_refused {
	dtrace_ioc_desc_t filter; /* in */
	dtioc_uint32_t first;	  /* in */
	dtioc_uint32_t count;	  /* in: room at buf, 1..LIST_MAX */
	dtioc_uint64_t buf;	  /* in: user address, count entries */
	dtioc_uint32_t returned;  /* out: entries written */
	dtioc_uint32_t next;	  /* out: 0 when no more */
	dtioc_uint32_t total;	  /* out: refusals recorded */
	dtioc_uint32_t dropped;	  /* out: refusals not recorded */
} dtrace_ioc_refused_t;		  /* 352 bytes */

/* Command numbers: Linux _IOC(_IOC_READ | _IOC_WRITE, 'D', nr, size). */
#define DTRACE_IOC_CMD(nr, type)                                               \
	((int)((3U << 30) | ((dtioc_uint32_t)sizeof(type) << 16) |             \
	       ((dtioc_uint32_t)'D' << 8) | (dtioc_uint32_t)(nr)))

#define DTRACEIOC_VERSION DTRACE_IOC_CMD(1, dtrace_ioc_version_t)
#define DTRACEIOC_LIST DTRACE_IOC_CMD(2, dtrace_ioc_list_t)
#define DTRACEIOC_ENABLE DTRACE_IOC_CMD(3, dtrace_ioc_enable_t)
#define DTRACEIOC_DISABLE DTRACE_IOC_CMD(4, dtrace_ioc_disable_t)
#define DTRACEIOC_GO DTRACE_IOC_CMD(5, dtrace_ioc_go_t)
#define DTRACEIOC_STOP DTRACE_IOC_CMD(6, dtrace_ioc_stop_t)
#define DTRACEIOC_BUFSNAP DTRACE_IOC_CMD(7, dtrace_ioc_bufsnap_t)
#define DTRACEIOC_AGGSNAP DTRACE_IOC_CMD(8, dtrace_ioc_aggsnap_t)
#define DTRACEIOC_STATUS DTRACE_IOC_CMD(9, dtrace_ioc_status_t)
#define DTRACEIOC_REFUSED DTRACE_IOC_CMD(10, dtrace_ioc_refused_t)

#if defined(__cplusplus)
#define DTRACE_IOC_ASSERT(x) static_assert(x, #x)
#else
#define DTRACE_IOC_ASSERT(x) _Static_assert(x, #x)
#endif
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_desc_t) == 320);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_version_t) == 48);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_probe_t) == 328);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_list_t) == 352);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_action_t) == 40);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_enable_t) == 656);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_disable_t) == 8);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_go_t) == 16);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_stop_t) == 8);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_bufsnap_t) == 48);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_trace_rec_t) == 88);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_aggsnap_t) == 48);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_aggrec_t) == 64);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_status_t) == 80);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_refusal_t) == 416);
DTRACE_IOC_ASSERT(sizeof(dtrace_ioc_refused_t) == 352);

#endif /* _DTRACE_SYS_DTRACE_IOCTL_H */
