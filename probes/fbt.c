// SPDX-License-Identifier: GPL-2.0
/*
 * The fbt provider: function boundary tracing of kernel functions.
 *
 * Big Theory Statement
 * --------------------
 * Probes, named as the DTrace guide's fbt provider names them:
 *   fbt:<module>:<function>:entry   arg0..arg4 = the first five integer
 *                                   argument registers (%rdi, %rsi, %rdx,
 *                                   %rcx, %r8) when the function is entered
 *   fbt:<module>:<function>:return  arg0 = the offset of the return
 *                                   instruction from the function's first
 *                                   byte, arg1 = %rax, the return value
 * <module> is "vmlinux" for the kernel image, else the module's name. The
 * probes are trap points (sys/trap_probe.h: kprobes underneath) on the
 * function's entry and on every return site found in its live text.
 *
 * Which probes exist. Nothing is created for the default set (a NULL
 * description, e.g. at every open of /dev/dtrace): a kernel has 40 000
 * functions and the trap layer checks each point with the kernel. A
 * description creates what it names:
 *   function literal      that function (trap_sym_lookup in the named
 *                         module; with a module glob, in the kernel
 *                         image, which the glob must match);
 *   module literal        every function of that module's text
 *                         (trap_sym_walk);
 *   module glob matching "vmlinux"  every function of the kernel image.
 * Modules that are neither named nor "vmlinux" are not enumerated. Both
 * probes of a function are created together, the first time a description
 * names either (or whichever of the two is missing, after a condense
 * removed one); a second function of the same module with the same name
 * (static functions) is skipped and counted (fbts_exists).
 *
 * What counts as a return site. The function's bytes
 * [addr, addr + size), size running to the next symbol, are read live
 * (trap_text_read: after boot-time alternatives and return-thunk patching)
 * and decoded instruction by instruction from the first byte to the last
 * (probes/dis/x86_decode). Then:
 *   ret, ret imm16                    a return site;
 *   jmp rel32/rel8 to a return thunk  a return site: the kernel's returns
 *                                     are "jmp __x86_return_thunk" in the
 *                                     image and may be patched to "ret;
 *                                     int3" or to another thunk at boot
 *                                     (trap_return_thunk knows them);
 *   jmp rel32/rel8 out of [addr, addr + size) to anything else
 *                                     a tail call: NOT a return (the
 *                                     callee returns to our caller; the
 *                                     return probe of that function fires
 *                                     instead). Counted (fbts_tail_calls);
 *   jcc to a return thunk             a conditional return: a trap point
 *                                     fires whether or not the branch is
 *                                     taken, so the function gets no
 *                                     return probe (fbts_cond_returns);
 *   jmp within the function, indirect jmp (through a retpoline thunk:
 *   that is a jmp rel32 out, so a tail call), call, int3 padding, nops
 *                                     not returns;
 *   far return, iret                  the function is refused: not a C
 *                                     function's return;
 *   anything the decoder refuses      the function is refused, with the
 *                                     decoder's reason counted: a wrongly
 *                                     decoded length would put a trap
 *                                     point in the middle of an
 *                                     instruction (kprobes would also
 *                                     refuse that, but it checks one
 *                                     address, not the whole function).
 * The decode is linear: jump-label and static-call sites flip between
 * jmp and nop of the same length at run time, so instruction boundaries do
 * not depend on their state. Another tracer's int3 inside the function at
 * the time of the decode would hide the instruction under it.
 *
 * Entry point. If the function starts with endbr64 (IBT kernels, 6.12),
 * the entry trap is placed after it: that is the instruction a direct call
 * executes first, and it is where the ftrace call site is, so kprobes
 * needs no breakpoint there. The entry probe's handler runs with
 * interrupts on (an ftrace-based kprobe), a return probe's with them off
 * (int3); the probe core's firing path disables them itself.
 *
 * Refused functions (never given probes, counted in fbt_stats_t, and
 * recorded with the reason for DTRACEIOC_REFUSED, soltrace -l -v):
 *   own tier     the modules "dtrace" and "solcompat" entirely, and any
 *                function named dtrace_* (a probe core linked into another
 *                module): the firing path must not fire;
 *   not entries  __pfx_* / __cfi_* (padding before IBT/call-thunk
 *                functions), *.cold (the cold half of a split function),
 *                the _stext/_etext markers;
 *   kernel       the kernel refuses the entry point: its kprobe blacklist
 *                (NOKPROBE_SYMBOL, including this module's firing path),
 *                noinstr and entry text; a return site it refuses drops
 *                the return probe only;
 *   solcompat    the trap layer's own refusals: its module and the Linux
 *                functions of the firing path (EPERM), and a function whose
 *                following 16 bytes are unreadable, the last of a module
 *                (EFAULT: kprobes' jump optimizer would read them);
 *   decode       see above;
 *   size         empty, or more than FBT_FUNC_MAX bytes.
 *
 * Life cycle of a probe's trap points (one per site):
 *   provide   registered disarmed: the kernel has accepted every point
 *             before the probe exists, so enabling cannot be refused for
 *             a blacklisted address;
 *   enable    armed (an entry point: at the core's dtps_commit, which
 *             arms every entry point enabled since the last one with one
 *             kernel code update; return points at once);
 *   disable   disarmed (a handler in flight may still finish; an entry
 *             point at the next commit, ignoring hits until then);
 *   destroy   the core calls it after dtrace_sync(); the points are
 *             removed (trap_probe_remove waits for every handler) and
 *             only then freed.
 * A module unloaded under its probes: the trap layer stops their points
 * and kprobes marks them gone, so they never fire or arm again (enable then
 * fails with EINVAL), not even on a module loaded later at the same
 * addresses; the probes stay until condensed.
 *
 * Locks: fbt_lock serialises dtps_provide (taken under the core's
 * dtrace_provider_lock, before dtrace_lock); enable, disable and destroy
 * touch only their own probe and take no lock of ours.
 *
 * Contexts: provider operations: process context; fbt_fire: any context
 * (probe-context tier: it calls only dtrace_probe(), and is on the kernel's
 * kprobe blacklist).
 */
#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/cmn_err.h>
#include <sys/debug.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/trap_probe.h>
#include <sys/dtrace_impl.h>
#include <sys/fbt.h>
#include <dis/x86_decode.h>

#define FBT_FUNC_MAX (256 * 1024)	/* bytes decoded per function, at most */

#define FBT_ENTRY 0
#define FBT_RETURN 1

struct fbt_probe;

/* One trap point: the function's entry, or one return instruction. */
typedef struct fbt_site {
	struct fbt_probe *fbts_probe;
	uintptr_t fbts_addr;		/* the probed instruction */
	uint32_t fbts_offset;		/* from the function's first byte */
	uint32_t fbts_pad;
	trap_probe_t *fbts_trap;
} fbt_site_t;

/* One probe: entry (one site) or return (one site per return). */
typedef struct fbt_probe {
	volatile dtrace_id_t fbtp_id;
	uint32_t fbtp_kind;		/* FBT_ENTRY, FBT_RETURN */
	uintptr_t fbtp_func;		/* the function's first byte */
	uint32_t fbtp_nsites;
	uint32_t fbtp_armed;		/* sites armed (enable/disable) */
	struct fbt_probe *fbtp_next;	/* on fbt_graveyard */
	fbt_site_t fbtp_sites[];
} fbt_probe_t;

/* Trap points gathered before one batched removal (one RCU wait). */
#define FBT_GRAVEYARD_BATCH 4096

static kmutex_t fbt_lock;
static dtrace_provider_id_t fbt_id;
static fbt_stats_t fbt_counters;	/* under fbt_lock */
static fbt_probe_t *fbt_graveyard;	/* destroyed, points not removed */
static uint32_t fbt_graveyard_sites;	/* both under fbt_lock */

static const dtrace_pattr_t fbt_attr = {
	{ DTRACE_STABILITY_EVOLVING, DTRACE_STABILITY_EVOLVING,
	  DTRACE_CLASS_COMMON },
	{ DTRACE_STABILITY_PRIVATE, DTRACE_STABILITY_PRIVATE,
	  DTRACE_CLASS_UNKNOWN },
	{ DTRACE_STABILITY_PRIVATE, DTRACE_STABILITY_PRIVATE,
	  DTRACE_CLASS_UNKNOWN },
	{ DTRACE_STABILITY_EVOLVING, DTRACE_STABILITY_EVOLVING,
	  DTRACE_CLASS_COMMON },
	{ DTRACE_STABILITY_PRIVATE, DTRACE_STABILITY_PRIVATE,
	  DTRACE_CLASS_ISA },
};

/* ---- probe-context tier: the trap handler ---- */

static PROBE_CONTEXT void fbt_fire(void *cookie, uintptr_t addr, uintptr_t r0,
				   uintptr_t r1, uintptr_t r2, uintptr_t r3,
				   uintptr_t r4)
{
	const fbt_site_t *site = cookie;
	const fbt_probe_t *probe = site->fbts_probe;

	(void)addr;
	if (probe->fbtp_kind == FBT_ENTRY)
		dtrace_probe(probe->fbtp_id, r0, r1, r2, r3, r4);
	else
		dtrace_probe(probe->fbtp_id, site->fbts_offset, r0, 0, 0, 0);
}
PROBE_CONTEXT_SYMBOL(fbt_fire);

/* ---- end of the probe-context tier ---- */

static size_t fbt_strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

static int fbt_streq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static int fbt_prefix(const char *s, const char *prefix)
{
	while (*prefix != '\0')
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

static int fbt_contains(const char *s, const char *part)
{
	for (; *s != '\0'; s++)
		if (fbt_prefix(s, part))
			return 1;
	return 0;
}

/* Functions of our own firing path, and symbols that are not entries. */
static uint64_t *fbt_policy_refusal(const trap_sym_t *sym)
{
	if (fbt_streq(sym->ts_module, "dtrace") ||
	    fbt_streq(sym->ts_module, "solcompat") ||
	    fbt_prefix(sym->ts_name, "dtrace_"))
		return &fbt_counters.fbts_refused_self;
	if (fbt_prefix(sym->ts_name, "__pfx_") ||
	    fbt_prefix(sym->ts_name, "__cfi_") ||
	    fbt_contains(sym->ts_name, ".cold") ||
	    fbt_streq(sym->ts_name, "_stext") ||
	    fbt_streq(sym->ts_name, "_etext"))
		return &fbt_counters.fbts_refused_name;
	if (sym->ts_size == 0 || sym->ts_size > FBT_FUNC_MAX)
		return &fbt_counters.fbts_refused_size;
	return NULL;
}

/* What decoding a function found. */
typedef struct fbt_decoded {
	uint32_t fd_entry;		/* offset of the entry instruction */
	uint32_t fd_nreturns;
	uint32_t fd_maxreturns;		/* room at fd_returns */
	uint32_t *fd_returns;		/* offsets; fd_nreturns of them */
	uint32_t fd_tail_calls;
	uint32_t fd_cond_returns;	/* jcc to a return thunk */
	int fd_error;			/* x86_insn_error_t, or -1: far ret */
	uint32_t fd_error_offset;
} fbt_decoded_t;

static void fbt_decoded_add(fbt_decoded_t *fd, uint32_t off)
{
	if (fd->fd_nreturns == fd->fd_maxreturns) {
		uint32_t n = fd->fd_maxreturns ? fd->fd_maxreturns * 2 : 16;
		uint32_t *r = kmem_alloc(n * sizeof (*r), KM_SLEEP);
		uint32_t i;

		for (i = 0; i < fd->fd_nreturns; i++)
			r[i] = fd->fd_returns[i];
		if (fd->fd_returns != NULL)
			kmem_free(fd->fd_returns,
				  fd->fd_maxreturns * sizeof (*r));
		fd->fd_returns = r;
		fd->fd_maxreturns = n;
	}
	fd->fd_returns[fd->fd_nreturns++] = off;
}

static void fbt_decoded_fini(fbt_decoded_t *fd)
{
	if (fd->fd_returns != NULL)
		kmem_free(fd->fd_returns,
			  fd->fd_maxreturns * sizeof (*fd->fd_returns));
	fd->fd_returns = NULL;
	fd->fd_maxreturns = 0;
}

/*
 * Decode text[0 .. size-1] (the function at addr) and find its entry and
 * return sites. Returns 0, or -1 with fd_error set.
 */
static int fbt_decode(const unsigned char *text, uintptr_t addr, size_t size,
		      fbt_decoded_t *fd)
{
	size_t off = 0;
	x86_insn_t xi;

	__builtin_memset(fd, 0, sizeof (*fd));
	while (off < size) {
		unsigned long long target;
		int err = x86_insn_decode(text + off, size - off, &xi);

		if (err != X86_OK) {
			fd->fd_error = err;
			fd->fd_error_offset = (uint32_t)off;
			return -1;
		}
		switch (xi.xi_class) {
		case X86_CLASS_ENDBR64:
			if (off == 0)
				fd->fd_entry = xi.xi_length;
			break;
		case X86_CLASS_RET:
		case X86_CLASS_RET_IMM:
			fbt_decoded_add(fd, (uint32_t)off);
			break;
		case X86_CLASS_RET_FAR:
		case X86_CLASS_IRET:
			fd->fd_error = -1;
			fd->fd_error_offset = (uint32_t)off;
			return -1;
		case X86_CLASS_JMP_REL32:
		case X86_CLASS_JMP_REL8:
			if (x86_insn_target(&xi, addr + off, &target) != X86_OK)
				break;
			if (target >= addr && target < addr + size)
				break;		/* a jump within the function */
			if (trap_return_thunk((uintptr_t)target))
				fbt_decoded_add(fd, (uint32_t)off);
			else
				fd->fd_tail_calls++;
			break;
		case X86_CLASS_JCC_REL32:
		case X86_CLASS_JCC_REL8:
			/*
			 * A conditional return: a trap there fires whether
			 * or not the branch is taken, so it cannot be a
			 * return site; the return probe is dropped.
			 */
			if (x86_insn_target(&xi, addr + off, &target) ==
				    X86_OK &&
			    (target < addr || target >= addr + size) &&
			    trap_return_thunk((uintptr_t)target))
				fd->fd_cond_returns++;
			break;
		default:
			break;
		}
		off += xi.xi_length;
	}
	return 0;
}

static fbt_probe_t *fbt_probe_alloc(uint32_t kind, uintptr_t func,
				    uint32_t nsites)
{
	fbt_probe_t *p = kmem_zalloc(sizeof (*p) + nsites * sizeof (fbt_site_t),
				     KM_SLEEP);

	p->fbtp_kind = kind;
	p->fbtp_func = func;
	p->fbtp_nsites = nsites;
	return p;
}

/* Remove the registered trap points of a probe and free it. */
static void fbt_probe_free(fbt_probe_t *p)
{
	trap_probe_t **traps;
	uint32_t i, n = 0;

	if (p == NULL)
		return;
	traps = kmem_alloc(p->fbtp_nsites * sizeof (*traps), KM_SLEEP);
	for (i = 0; i < p->fbtp_nsites; i++)
		if (p->fbtp_sites[i].fbts_trap != NULL)
			traps[n++] = p->fbtp_sites[i].fbts_trap;
	trap_probe_remove(traps, n);
	kmem_free(traps, p->fbtp_nsites * sizeof (*traps));
	kmem_free(p, sizeof (*p) + p->fbtp_nsites * sizeof (fbt_site_t));
}

/*
 * Remove the trap points of every destroyed probe in one batch and free
 * the probes: a removal waits for every handler (an RCU grace period), so
 * one wait per probe would make condensing 100 000 probes take minutes.
 */
static void fbt_graveyard_flush(void)
{
	trap_probe_t **traps;
	fbt_probe_t *p, *next;
	uint32_t i, n = 0;

	ASSERT(MUTEX_HELD(&fbt_lock));
	if (fbt_graveyard == NULL)
		return;
	traps = kmem_alloc(fbt_graveyard_sites * sizeof (*traps), KM_SLEEP);
	for (p = fbt_graveyard; p != NULL; p = p->fbtp_next)
		for (i = 0; i < p->fbtp_nsites; i++)
			if (p->fbtp_sites[i].fbts_trap != NULL)
				traps[n++] = p->fbtp_sites[i].fbts_trap;
	trap_probe_remove(traps, n);
	kmem_free(traps, fbt_graveyard_sites * sizeof (*traps));
	for (p = fbt_graveyard; p != NULL; p = next) {
		next = p->fbtp_next;
		kmem_free(p, sizeof (*p) + p->fbtp_nsites * sizeof (fbt_site_t));
	}
	fbt_graveyard = NULL;
	fbt_graveyard_sites = 0;
}

/* Register a probe's sites disarmed; the first refusal is returned. */
static int fbt_probe_register(fbt_probe_t *p)
{
	int kind = p->fbtp_kind == FBT_ENTRY ? TRAP_ENTRY : TRAP_RETURN;
	uint32_t i;
	int err;

	for (i = 0; i < p->fbtp_nsites; i++) {
		fbt_site_t *s = &p->fbtp_sites[i];

		s->fbts_probe = p;
		/* Entry points arm in batches (fbt_commit). */
		err = trap_probe_add(s->fbts_addr, kind,
				     kind == TRAP_ENTRY
					     ? TRAP_DISARMED | TRAP_DEFERRED
					     : TRAP_DISARMED,
				     fbt_fire, s, &s->fbts_trap);
		if (err != 0) {
			s->fbts_trap = NULL;
			return err;
		}
	}
	return 0;
}

static uint64_t *fbt_trap_refusal(int err)
{
	if (err == EINVAL || err == ENOENT)
		return &fbt_counters.fbts_refused_kernel;
	if (err == EPERM || err == EFAULT)
		return &fbt_counters.fbts_refused_trap;
	return &fbt_counters.fbts_refused_other;
}

/*
 * Give function sym its entry and return probes, unless they exist or it
 * is refused. A refusal is recorded with its reason for the consumer
 * (dtrace_probe_refuse; soltrace -l -v); loud: also log it (a description
 * named the function).
 */
static void fbt_provide_function(const trap_sym_t *sym, int loud)
{
	fbt_probe_t *entry = NULL, *ret = NULL;
	unsigned char *text = NULL;
	fbt_decoded_t fd;
	uint64_t *refusal;
	const char *why = NULL;
	int need_entry, need_return;
	uint32_t i;
	int err;

	ASSERT(MUTEX_HELD(&fbt_lock));
	fbt_counters.fbts_functions++;
	refusal = fbt_policy_refusal(sym);
	if (refusal != NULL) {
		(*refusal)++;
		why = "own tier, not an entry, or size";
		goto out;
	}
	need_entry = dtrace_probe_lookup(fbt_id, sym->ts_module, sym->ts_name,
					 "entry") == DTRACE_IDNONE;
	need_return = dtrace_probe_lookup(fbt_id, sym->ts_module,
					  sym->ts_name,
					  "return") == DTRACE_IDNONE;
	if (!need_entry && !need_return) {
		fbt_counters.fbts_exists++;
		return;
	}

	fd.fd_returns = NULL;
	fd.fd_maxreturns = 0;
	text = kmem_alloc(sym->ts_size, KM_SLEEP);
	if (trap_text_read(sym->ts_addr, text, sym->ts_size) != 0) {
		fbt_counters.fbts_refused_other++;
		why = "text not readable";
		goto out;
	}
	if (fbt_decode(text, sym->ts_addr, sym->ts_size, &fd) != 0) {
		fbt_counters.fbts_refused_decode++;
		why = fd.fd_error == -1 ? "far return or iret" :
					  x86_insn_strerror(fd.fd_error);
		goto out;
	}

	/* The entry point is the kernel's verdict on the whole function. */
	if (need_entry) {
		entry = fbt_probe_alloc(FBT_ENTRY, sym->ts_addr, 1);
		entry->fbtp_sites[0].fbts_addr = sym->ts_addr + fd.fd_entry;
		entry->fbtp_sites[0].fbts_offset = fd.fd_entry;
		err = fbt_probe_register(entry);
		if (err != 0) {
			(*fbt_trap_refusal(err))++;
			why = err == EPERM || err == EFAULT ?
				      "refused by solcompat's trap layer" :
				      "refused by the kernel (kprobe blacklist)";
			goto out;
		}
	}
	if (need_return && fd.fd_nreturns > 0 && fd.fd_cond_returns == 0) {
		ret = fbt_probe_alloc(FBT_RETURN, sym->ts_addr,
				      fd.fd_nreturns);
		for (i = 0; i < fd.fd_nreturns; i++) {
			ret->fbtp_sites[i].fbts_addr =
				sym->ts_addr + fd.fd_returns[i];
			ret->fbtp_sites[i].fbts_offset = fd.fd_returns[i];
		}
		err = fbt_probe_register(ret);
		if (err != 0) {
			/* A return site refused: no return probe. */
			fbt_probe_free(ret);
			ret = NULL;
			if (!need_entry) {
				(*fbt_trap_refusal(err))++;
				why = "a return site was refused";
				goto out;
			}
		}
	}
	if (entry != NULL) {
		fbt_counters.fbts_tail_calls += fd.fd_tail_calls;
		if (fd.fd_cond_returns > 0)
			fbt_counters.fbts_cond_returns++;
		if (ret == NULL)
			fbt_counters.fbts_no_return++;
		entry->fbtp_id = dtrace_probe_create(fbt_id, sym->ts_module,
						     sym->ts_name, "entry", 0,
						     entry);
		fbt_counters.fbts_probed++;
	}
	if (ret != NULL) {
		ret->fbtp_id = dtrace_probe_create(fbt_id, sym->ts_module,
						   sym->ts_name, "return", 0,
						   ret);
		fbt_counters.fbts_returns++;
		fbt_counters.fbts_return_sites += ret->fbtp_nsites;
	}
	entry = NULL;
	ret = NULL;
out:
	if (text != NULL) {
		fbt_decoded_fini(&fd);
		kmem_free(text, sym->ts_size);
	}
	fbt_probe_free(entry);
	if (why == NULL)
		return;
	/* Never silent: soltrace -l -v lists it with the reason. */
	dtrace_probe_refuse(fbt_id, sym->ts_module, sym->ts_name, "entry", why);
	if (loud)
		cmn_err(CE_NOTE, "!fbt: %s`%s not probed: %s", sym->ts_module,
			sym->ts_name, why);
}

typedef struct fbt_walk {
	const dtrace_probedesc_t *fw_desc;
} fbt_walk_t;

static int fbt_walk_cb(void *arg, const trap_sym_t *sym)
{
	const fbt_walk_t *w = arg;

	if (dtrace_match_glob(w->fw_desc->dtpd_func, sym->ts_name))
		fbt_provide_function(sym, 0);
	return 0;
}

static void fbt_provide(void *arg, const dtrace_probedesc_t *desc)
{
	trap_sym_t *sym;
	fbt_walk_t w;
	int err;

	(void)arg;
	/* No default set: see the Big Theory Statement. */
	if (desc == NULL)
		return;
	if (!dtrace_match_glob(desc->dtpd_name, "entry") &&
	    !dtrace_match_glob(desc->dtpd_name, "return"))
		return;
	w.fw_desc = desc;
	mutex_enter(&fbt_lock);
	fbt_graveyard_flush();
	if (desc->dtpd_func[0] != '\0' &&
	    dtrace_glob_is_literal(desc->dtpd_func)) {
		int literal_mod = desc->dtpd_mod[0] != '\0' &&
				  dtrace_glob_is_literal(desc->dtpd_mod);

		sym = kmem_alloc(sizeof (*sym), KM_SLEEP);
		err = trap_sym_lookup(literal_mod ? desc->dtpd_mod : NULL,
				      desc->dtpd_func, sym);
		if (err == 0 && dtrace_match_glob(desc->dtpd_mod,
						  sym->ts_module) &&
		    fbt_streq(sym->ts_name, desc->dtpd_func)) {
			fbt_provide_function(sym, 1);
		}
		kmem_free(sym, sizeof (*sym));
	} else if (desc->dtpd_mod[0] != '\0' &&
		   dtrace_glob_is_literal(desc->dtpd_mod)) {
		(void)trap_sym_walk(desc->dtpd_mod, fbt_walk_cb, &w);
	} else if (dtrace_match_glob(desc->dtpd_mod, TRAP_KERNEL_MODULE)) {
		(void)trap_sym_walk(TRAP_KERNEL_MODULE, fbt_walk_cb, &w);
	}
	mutex_exit(&fbt_lock);
}

static int fbt_enable(void *arg, dtrace_id_t id, void *parg)
{
	fbt_probe_t *p = parg;
	uint32_t i;
	int err = 0;

	(void)arg;
	(void)id;
	for (i = 0; i < p->fbtp_nsites; i++) {
		err = trap_probe_enable(p->fbtp_sites[i].fbts_trap);
		if (err != 0)
			break;
	}
	if (err != 0) {
		/* A point is gone (its module was unloaded): undo. */
		while (i > 0)
			(void)trap_probe_disable(p->fbtp_sites[--i].fbts_trap);
		return err;
	}
	p->fbtp_armed = 1;
	return 0;
}

static void fbt_disable(void *arg, dtrace_id_t id, void *parg)
{
	fbt_probe_t *p = parg;
	uint32_t i;

	(void)arg;
	(void)id;
	if (!p->fbtp_armed)
		return;
	for (i = 0; i < p->fbtp_nsites; i++)
		(void)trap_probe_disable(p->fbtp_sites[i].fbts_trap);
	p->fbtp_armed = 0;
}

/*
 * The probe is disabled and the core has run dtrace_sync(). A handler that
 * is still between the trap and probe context (it began before the disarm
 * and outlived the sync: a few instructions, or an interrupt's length)
 * must not fire it: the id is cleared here, and the core frees it only
 * after another dtrace_sync(), so one that read it before the clear has
 * finished by then. The points themselves are removed in a batch later;
 * until then they are disarmed and hold only memory.
 */
static void fbt_destroy(void *arg, dtrace_id_t id, void *parg)
{
	fbt_probe_t *p = parg;

	(void)arg;
	(void)id;
	p->fbtp_id = DTRACE_IDNONE;
	mutex_enter(&fbt_lock);
	p->fbtp_next = fbt_graveyard;
	fbt_graveyard = p;
	fbt_graveyard_sites += p->fbtp_nsites;
	if (fbt_graveyard_sites >= FBT_GRAVEYARD_BATCH)
		fbt_graveyard_flush();
	mutex_exit(&fbt_lock);
}

static void fbt_getargdesc(void *arg, dtrace_id_t id, void *parg,
			   dtrace_argdesc_t *desc)
{
	const fbt_probe_t *p = parg;
	const char *type = "uintptr_t";
	size_t i, n;

	(void)arg;
	(void)id;
	if (desc->dtargd_ndx < 0 ||
	    desc->dtargd_ndx >= (p->fbtp_kind == FBT_ENTRY ? 5 : 2)) {
		desc->dtargd_ndx = -1;
		return;
	}
	if (p->fbtp_kind == FBT_RETURN && desc->dtargd_ndx == 0)
		type = "int";
	n = fbt_strlen(type);
	for (i = 0; i <= n; i++)
		desc->dtargd_native[i] = type[i];
}

/* Arm and disarm the entry points enabled and disabled since the last. */
static int fbt_commit(void *arg)
{
	(void)arg;
	return trap_probe_commit();
}

static const dtrace_pops_t fbt_pops = {
	.dtps_provide = fbt_provide,
	.dtps_enable = fbt_enable,
	.dtps_disable = fbt_disable,
	.dtps_getargdesc = fbt_getargdesc,
	.dtps_destroy = fbt_destroy,
	.dtps_commit = fbt_commit,
};

int fbt_init(void)
{
	int err;

	mutex_init(&fbt_lock, "fbt_lock", MUTEX_DEFAULT, NULL);
	__builtin_memset(&fbt_counters, 0, sizeof (fbt_counters));
	err = dtrace_register("fbt", &fbt_attr, DTRACE_PRIV_KERNEL, NULL,
			      &fbt_pops, NULL, &fbt_id);
	if (err != 0)
		mutex_destroy(&fbt_lock);
	return err;
}

int fbt_fini(void)
{
	int err = dtrace_unregister(fbt_id);

	if (err != 0)
		return err;
	mutex_enter(&fbt_lock);
	fbt_graveyard_flush();
	mutex_exit(&fbt_lock);
	mutex_destroy(&fbt_lock);
	return 0;
}

int fbt_condense(void)
{
	int err = dtrace_condense(fbt_id);

	mutex_enter(&fbt_lock);
	fbt_graveyard_flush();
	mutex_exit(&fbt_lock);
	return err;
}

uint64_t fbt_probe_missed(dtrace_id_t id)
{
	fbt_probe_t *p = dtrace_probe_arg(fbt_id, id);
	uint64_t missed = 0;
	uint32_t i;

	if (p == NULL)
		return 0;
	for (i = 0; i < p->fbtp_nsites; i++)
		if (p->fbtp_sites[i].fbts_trap != NULL)
			missed += trap_probe_missed(p->fbtp_sites[i].fbts_trap);
	return missed;
}

void fbt_stats(fbt_stats_t *stats)
{
	mutex_enter(&fbt_lock);
	*stats = fbt_counters;
	mutex_exit(&fbt_lock);
}
