// SPDX-License-Identifier: GPL-2.0
/*
 * Trap points in kernel text (sys/trap_probe.h): the mechanism under the
 * fbt provider, plus the symbol table and text access it needs.
 *
 * Big Theory Statement
 * --------------------
 * A trap point is one kprobe. illumos's fbt writes int3 into text and
 * catches it through dtrace_invop_add(); a Linux module can do neither
 * (the kernel's text patcher and the int3 notifier chain are not exported, and
 * writable text is out of the question), but register_kprobe() (exported, GPL)
 * does everything around the breakpoint that a module must not do itself:
 *   - it writes and removes the breakpoint with the kernel's own text patcher;
 *   - it puts a probe on a function's ftrace call site through ftrace
 *     (KPROBES_ON_FTRACE: no breakpoint at all) and may turn other probes
 *     into jumps (OPTPROBES);
 *   - it copies the displaced instruction into an instruction slot it
 *     allocates within reach of kernel text, relocates %rip-relative
 *     operands, and single-steps or emulates the copy (ret, jmp, call and
 *     jcc are emulated). That is exactly the 2011 port's %RIP relocation
 *     failure (CONTRACTS.md 2.9), solved by the kernel for its own slots;
 *   - it refuses what is unsafe: its blacklist (NOKPROBE_SYMBOL, which
 *     includes every probe-context function of solcompat.ko and of any
 *     client that marks its tier, read from each module's _kprobe_blacklist
 *     at load), .noinstr.text and entry code, non-text, addresses that are
 *     not an instruction boundary, and jump-label, static-call and
 *     alternatives sites.
 * What this layer adds: the handler calling convention (a cookie, the
 * probed address and five register values, see impl/trap.h), a per-CPU
 * depth of running handlers, the probe-context bracket
 * (solcompat_probe_enter/exit, so dtrace_sync() waits for a handler in
 * flight), its own refusals (EPERM: any address in solcompat.ko; Linux
 * functions the firing path calls, listed in trap_refused[], where a probe
 * would only ever be reported as missed; EFAULT: the bytes after the
 * function are not readable, see Symbols), and the symbol services below.
 * Finding return sites, and refusing functions that cannot be decoded up
 * to their end, is the provider's job with probes/dis/x86_decode: kprobes
 * checks one address, not what a function's instructions mean.
 *
 * Symbols. Only exported interfaces: the kallsyms name lookup,
 * the kallsyms symbol walkers (for vmlinux and for modules) are not
 * exported (5.7+), and neither is find_module. What is:
 *   - sprint_symbol() (GPL) turns an address into "name+off/size [mod]".
 *     Symbol sizes tile the text (a size runs to the next symbol), so from
 *     any symbol the next one starts at addr + size and the previous one
 *     contains addr - 1: solcompat_trap_sym_walk steps through a whole
 *     text region. vmlinux: anchored at sprint_symbol itself, back to
 *     _stext, on to _etext. A lookup by name is such a walk (about 50 000
 *     calls for the kernel image; no index is kept).
 *   - A module's text: its struct module gives [base, base + size) of its
 *     core text (mem[MOD_TEXT]; core_layout before 6.4, by the
 *     module_memory semantic patch). The struct is found by name through
 *     the data symbol mod:__this_module: register_kprobe() resolves it with
 *     the kernel's own lookup (which understands "mod:sym"), stores the
 *     address in the kprobe and then refuses it as not text, having read
 *     only 4 bytes there (fault-tolerant, for endbr64): nothing is prepared
 *     or written. trap_module() trusts the result only if
 *     sprint_symbol names it and the structure carries the name, checked
 *     with preemption off (a module that is being removed may only be
 *     freed after a grace period), and pins the module while walking it.
 *   Rejected: resolving *function* names through register_kprobe(). A
 *   non-ftrace kprobe is prepared for jump optimization at registration,
 *   even disarmed, and the x86 optimizer decodes the whole function by its
 *   kallsyms size with plain loads; the last function of a module's text
 *   runs to the end of the allocation, and decoding its last bytes reads
 *   the unmapped page after it (seen on 6.12: an oops in insn_get_modrm
 *   under can_optimize, registering at a module's cleanup_module). So a
 *   trap point is refused (EFAULT) unless the 16 bytes after its function
 *   are readable, and lookups never register at text. Also rejected: a
 *   function list from user space (/proc/kallsyms through an ioctl or a
 *   parameter): a new interface that goes stale as modules come and go;
 *   reading /proc/kallsyms from the kernel depends on a mount point.
 *   Limits: a function of a module must be named with its module (the
 *   lookup without one searches the kernel image only); static functions
 *   with the same name: the walk meets each, a lookup finds the first;
 *   aliases (two names, one address, e.g. cleanup_module and the exit
 *   function): only the name sprint_symbol prints is found.
 *   A name longer than a probe name (SOLCOMPAT_TRAP_NAMELEN) is walked
 *   over (its size still tiles the text) but never offered or found.
 *   - The return thunk: __x86_return_thunk is exported (EXPORT_SYMBOL);
 *     the other thunks the boot-time patching may point return jumps at
 *     (srso_*, retbleed_*, call_depth_return_thunk, __x86_return_skl) are
 *     recognised by name through sprint_symbol.
 *
 * Batched entry points (SOLCOMPAT_TRAP_DEFERRED). Arming a kprobe on a
 * function's ftrace site is one kernel code update (ftrace rewrites its
 * call sites, synchronising every CPU), and kprobes has no batched form:
 * an fbt enabling of 3000 functions made 3000 updates (about 17 ms each
 * under QEMU TCG, some 55 s to arm and as long again to disarm). So an
 * entry point added with SOLCOMPAT_TRAP_DEFERRED whose kprobe landed on an
 * ftrace site (kprobes sets KPROBE_FLAG_FTRACE at registration) is armed
 * another way: one ftrace_ops of this module (trap_ftrace_ops, regs
 * saved), whose filter holds the addresses of the enabled points.
 * enable/disable only mark the point; solcompat_trap_commit() adds the
 * newly enabled addresses to the filter and removes the disabled ones with
 * one ftrace_set_filter_ips() call each (GPL exports in 6.1 and 6.12): one
 * update per batch. The kprobe stays registered, disarmed: registration is
 * still what checks the address (blacklist, ftrace site); it is never armed.
 * Only solcompat_trap_commit() arms other callers' pending enables: a
 * removal's own commit takes disabled points out and arms nothing, and
 * trap_add of a point not added disarmed arms that point alone.
 *   - The callback (trap_ftrace_fire) finds the points by address in a
 *     hash whose chains probe context reads without locks (insertions
 *     publish a complete point; removal is one store, and the point is
 *     freed only after solcompat_probe_sync(): the callback enters probe
 *     context before it looks). A point also has a "live" flag, cleared
 *     by disable at once, so between a disable and the commit that takes
 *     its address out, hits are ignored.
 *   - Nesting as with kprobes: the callback runs no handler while one is
 *     running on the CPU (trap_depth), it counts a miss; so recursion
 *     stops at one level, and the ops does without ftrace's recursion
 *     lock (FTRACE_OPS_FL_RECURSION, which routes every hit through an
 *     assist function: about 52 more instructions a hit, 471 against
 *     419). Without it ftrace calls the callback bare and preemptible, so
 *     the callback holds preemption off itself around all its per-CPU
 *     state (a task moved between two CPUs in a handler left one CPU's
 *     depth raised once, on 6.1-rt: every later hit there a miss, and a
 *     hang in dtrace_sync). Interrupts as found (on).
 *   - An ftrace_ops with an empty filter traces every function: the ops is
 *     unregistered before the last address leaves the filter, and
 *     registered only after addresses are in it.
 *   - A commit the kernel refuses (no memory for the filter, or ftrace
 *     refusing the ops: kernel.ftrace_enabled 0, where a kprobe on an
 *     ftrace site cannot arm either) arms nothing and returns the error;
 *     the probe core then undoes the enabling. Tests inject such a
 *     refusal (solcompat_trap_inject_failures).
 *   - Only one deferred point per address uses the ops; a second one on
 *     the same function is a plain kprobe (kprobes aggregates those).
 * fbt's cases arm their entry points through it in both worlds (the
 * model's ftrace, tests/model/model_kprobes.cc, has the same calls, calls
 * an ops without FTRACE_OPS_FL_RECURSION preemptible, and reports an
 * empty filter on a registered ops as a violation), and so does the
 * fbt-many boot.
 *
 * Removal. disable_kprobe() disarms; unregister_kprobes() disarms and then
 * waits (synchronize_rcu) until no CPU is inside a kprobe handler: kprobe
 * handlers run with preemption disabled, an RCU read-side section. So when
 * solcompat_trap_remove returns, no handler of those points runs or will
 * run, and their memory is freed. A provider's protocol is disable,
 * dtrace_sync(), remove (CONTRACTS.md 3, dtrace_sync).
 *
 * Nesting. An entry point on an ftrace site runs its handler with
 * interrupts ON (the 2011 situation, CONTRACTS.md 2.6); a return point is
 * an int3, whose handler runs NMI-like with interrupts off, or an
 * optimized jump, whose handler runs with interrupts as found. A timer
 * that lands in a handler may hit another trap point: no handler is
 * called while one of ours is running on the CPU (trap_depth, which
 * trap_fire and trap_ftrace_fire both ask; kprobes alone sees only its
 * own handlers), it counts a miss (solcompat_trap_missed), so a return
 * never fires inside a handler whose entry could not. The handler itself leaves the interrupt state
 * alone; the probe core's firing path disables interrupts for its own
 * critical part. solcompat_trap_depth lets a timer see that it landed in a
 * handler.
 *
 * Contexts:
 *   function                       process atomic hardirq nmi probe
 *   sym_lookup/at/walk, add,
 *   enable, disable, remove,
 *   return_thunk                   yes     no     no      no  no (reported)
 *   text_read                      yes     yes    yes     no  no
 *   trap_addr, missed, depth       yes     yes    yes     yes yes
 *   the handler (trap_fire)        runs in probe (entry) or nmi (return)
 * Process-context functions called elsewhere are reported (misuse kind 0)
 * and fail with EINVAL.
 */
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/nospec-branch.h>

#include <impl/debug.h>
#include <impl/trap.h>
#include <impl/xcall.h>
#include "solcompat_init.h"

struct solcompat_trap {
	struct kprobe kp;
	solcompat_trap_func_t func;
	void *cookie;
	int kind;
	/* Batched entry points (see above); the bools under trap_mutex. */
	bool ftrace;		      /* armed through trap_ftrace_ops */
	bool want;		      /* enabled */
	bool in_filter;		      /* its address is in the ops' filter */
	bool gone;		      /* its module went (trap_module_going) */
	int live;		      /* read in probe context */
	atomic_long_t missed;	      /* hits while a handler ran */
	struct solcompat_trap *hnext; /* trap_hash chain */
	struct list_head deferred;    /* trap_ftrace_points */
};

static DEFINE_PER_CPU(int, trap_depth);

#define TRAP_HASH_SIZE 1024
static struct solcompat_trap *trap_hash[TRAP_HASH_SIZE];
static DEFINE_MUTEX(trap_mutex);
static LIST_HEAD(trap_ftrace_points);
static unsigned long trap_ftrace_in_filter;
static atomic_long_t trap_ftrace_updates = ATOMIC_LONG_INIT(0);
static bool trap_ftrace_registered;
/* Commits that are to fail before arming anything (tests; trap_mutex). */
static unsigned long trap_inject_remaining;

static __always_inline unsigned int trap_hash_of(unsigned long addr)
{
	return (unsigned int)((addr >> 4) ^ (addr >> 14)) &
	       (TRAP_HASH_SIZE - 1);
}

/*
 * Linux functions the firing path calls (probes/probe_context.allow and
 * tools/tiercheck/probe-tier.allow): a probe on them could only recurse
 * into itself, which kprobes would report as a miss every time.
 */
static const char *const trap_refused[] = {
	"ktime_get_mono_fast_ns",
	"ktime_get_real_fast_ns",
	"preempt_schedule_notrace",
	"solcompat_misuse",
};

static bool trap_process_context(const char *api, const void *caller)
{
	if (likely(in_task() && !preempt_count() && !irqs_disabled()))
		return true;
	solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, api,
			 "symbol lookups and trap points: process context only",
			 caller);
	return false;
}

/* ---- probe-context tier: the kprobe handler ---- */

static notrace int trap_fire(struct kprobe *kp, struct pt_regs *regs)
{
	struct solcompat_trap *t = container_of(kp, struct solcompat_trap, kp);
	uintptr_t addr = (uintptr_t)kp->addr;

	/*
	 * A handler of ours runs on this CPU already (kprobes sees only its
	 * own: an interrupt in a batched entry point's handler, which
	 * ftrace called, hit this point): a miss, as in trap_ftrace_fire,
	 * or a return would fire whose entry was missed.
	 */
	if (unlikely(this_cpu_read(trap_depth))) {
		atomic_long_inc(&t->missed);
		return 0;
	}
	solcompat_probe_enter();
	this_cpu_inc(trap_depth);
	if (t->kind == SOLCOMPAT_TRAP_ENTRY)
		t->func(t->cookie, addr, regs->di, regs->si, regs->dx,
			regs->cx, regs->r8);
	else
		t->func(t->cookie, addr, regs->ax, regs->dx, 0, 0, 0);
	this_cpu_dec(trap_depth);
	solcompat_probe_exit();
	/* 0: let kprobes run (single-step or emulate) the instruction. */
	return 0;
}
NOKPROBE_SYMBOL(trap_fire);

/*
 * The ftrace callback of batched entry points: the same handler call as
 * trap_fire's, for every live point at ip (see Batched entry points).
 */
static notrace void trap_ftrace_fire(unsigned long ip, unsigned long parent_ip,
				     struct ftrace_ops *ops,
				     struct ftrace_regs *fregs)
{
	struct pt_regs *regs = ftrace_get_regs(fregs);
	struct solcompat_trap *t;

	if (unlikely(!regs))
		return;
	/* Called bare (see above): the per-CPU state needs this CPU. */
	preempt_disable_notrace();
	solcompat_probe_enter();
	for (t = READ_ONCE(trap_hash[trap_hash_of(ip)]); t;
	     t = READ_ONCE(t->hnext)) {
		if ((unsigned long)t->kp.addr != ip || !READ_ONCE(t->live))
			continue;
		if (this_cpu_read(trap_depth)) {
			atomic_long_inc(&t->missed);
			continue;
		}
		this_cpu_inc(trap_depth);
		t->func(t->cookie, ip, regs->di, regs->si, regs->dx, regs->cx,
			regs->r8);
		this_cpu_dec(trap_depth);
	}
	solcompat_probe_exit();
	preempt_enable_notrace();
}
NOKPROBE_SYMBOL(trap_ftrace_fire);

notrace solcompat_uintptr_t solcompat_trap_addr(const solcompat_trap_t *tp)
{
	return (solcompat_uintptr_t)tp->kp.addr;
}
EXPORT_SYMBOL_GPL(solcompat_trap_addr);
NOKPROBE_SYMBOL(solcompat_trap_addr);

notrace solcompat_uint64_t solcompat_trap_missed(const solcompat_trap_t *tp)
{
	return READ_ONCE(tp->kp.nmissed) +
	       (solcompat_uint64_t)atomic_long_read(&tp->missed);
}
EXPORT_SYMBOL_GPL(solcompat_trap_missed);
NOKPROBE_SYMBOL(solcompat_trap_missed);

notrace solcompat_uint64_t solcompat_trap_updates(void)
{
	return (solcompat_uint64_t)atomic_long_read(&trap_ftrace_updates);
}
EXPORT_SYMBOL_GPL(solcompat_trap_updates);
NOKPROBE_SYMBOL(solcompat_trap_updates);

notrace int solcompat_trap_depth(void)
{
	return this_cpu_read(trap_depth);
}
EXPORT_SYMBOL_GPL(solcompat_trap_depth);
NOKPROBE_SYMBOL(solcompat_trap_depth);

/* ---- end of the probe-context tier ---- */

/* Parse one sprint_symbol() result: "name+0xoff/0xsize" [" [mod]"]. */
static int trap_parse(const char *buf, uintptr_t addr, solcompat_trap_sym_t *sym)
{
	const char *plus, *slash, *mod;
	unsigned long off, size;
	char num[24];
	size_t n;

	mod = strstr(buf, " [");
	n = mod ? (size_t)(mod - buf) : strlen(buf);
	plus = NULL;
	for (slash = buf; slash < buf + n; slash++)
		if (*slash == '+')
			plus = slash;
	if (!plus)
		return ENOENT;		/* no symbol: printed as a raw address */
	slash = strnchr(plus, buf + n - plus, '/');
	if (!slash || slash - plus - 1 >= (long)sizeof(num) ||
	    buf + n - slash - 1 >= (long)sizeof(num))
		return ENOENT;
	memcpy(num, plus + 1, slash - plus - 1);
	num[slash - plus - 1] = '\0';
	if (kstrtoul(num, 0, &off))
		return ENOENT;
	memcpy(num, slash + 1, buf + n - slash - 1);
	num[buf + n - slash - 1] = '\0';
	if (kstrtoul(num, 0, &size) || off > addr)
		return ENOENT;
	if ((size_t)(plus - buf) >= sizeof(sym->ts_name)) {
		/* Longer than a probe name can be: walked over, never named. */
		sym->ts_name[0] = '\0';
	} else {
		memcpy(sym->ts_name, buf, plus - buf);
		sym->ts_name[plus - buf] = '\0';
	}
	sym->ts_addr = addr - off;
	sym->ts_size = size;
	if (mod) {
		const char *end = strchr(mod + 2, ']');

		n = end ? (size_t)(end - mod - 2) : 0;
		if (n == 0 || n >= sizeof(sym->ts_module))
			return ENOENT;
		memcpy(sym->ts_module, mod + 2, n);
		sym->ts_module[n] = '\0';
	} else {
		strscpy(sym->ts_module, SOLCOMPAT_TRAP_KERNEL_MODULE);
	}
	return 0;
}

/* sym_at with a caller-supplied KSYM_SYMBOL_LEN buffer. */
static int trap_sym_at_buf(uintptr_t addr, solcompat_trap_sym_t *sym, char *buf)
{
	sprint_symbol(buf, addr);
	return trap_parse(buf, addr, sym);
}

int solcompat_trap_sym_at(solcompat_uintptr_t addr, solcompat_trap_sym_t *sym)
{
	char *buf;
	int err;

	if (!trap_process_context("trap_sym_at", __builtin_return_address(0)))
		return EINVAL;
	buf = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (!buf)
		return ENOMEM;
	err = trap_sym_at_buf(addr, sym, buf);
	kfree(buf);
	return err;
}
EXPORT_SYMBOL_GPL(solcompat_trap_sym_at);

static int trap_resolve_pre(struct kprobe *kp, struct pt_regs *regs)
{
	return 0;
}

/*
 * The struct module called name, pinned (module_put when done), or NULL.
 * Its address is the data symbol name:__this_module, which only the
 * kernel's symbol lookup can resolve; register_kprobe() runs that lookup,
 * stores the address in kp->addr, and then refuses the probe because data
 * is not text, before it reads or prepares anything at the address. The
 * result is trusted only if sprint_symbol names it __this_module of that
 * module and the structure carries the name.
 */
static struct module *trap_module(const char *name, char *buf)
{
	solcompat_trap_sym_t *sym;
	struct module *mod = NULL;
	struct kprobe *kp;
	char *full;
	int err;

	full = kasprintf(GFP_KERNEL, "%s:__this_module", name);
	kp = kzalloc(sizeof(*kp), GFP_KERNEL);
	sym = kmalloc(sizeof(*sym), GFP_KERNEL);
	if (!full || !kp || !sym)
		goto out;
	kp->symbol_name = full;
	kp->pre_handler = trap_resolve_pre;
	kp->flags = KPROBE_FLAG_DISABLED;
	err = register_kprobe(kp);
	if (err == 0) {
		/* Text after all: not what we asked for. */
		unregister_kprobe(kp);
		goto out;
	}
	if (!kp->addr)
		goto out;
	/*
	 * The module may be going away meanwhile. Look it up, check it and
	 * pin it with preemption off: a module leaves the kernel's module
	 * tree (so sprint_symbol stops naming it) before free_module()
	 * waits for an RCU grace period and frees the structure, so one
	 * found here stays valid until preempt_enable(); try_module_get
	 * refuses it once it is going.
	 */
	preempt_disable();
	if (!trap_sym_at_buf((uintptr_t)kp->addr, sym, buf) &&
	    sym->ts_addr == (uintptr_t)kp->addr &&
	    !strcmp(sym->ts_name, "__this_module") &&
	    !strcmp(sym->ts_module, name)) {
		mod = (struct module *)kp->addr;
		if (strncmp(mod->name, name, MODULE_NAME_LEN) ||
		    !try_module_get(mod))
			mod = NULL;
	}
	preempt_enable();
out:
	kfree(sym);
	kfree(kp);
	kfree(full);
	return mod;
}

/*
 * The module whose memory (text or data) holds addr, pinned, or NULL (the
 * kernel image, or an address no symbol covers): its name from
 * sprint_symbol, the struct from trap_module, and a range check.
 */
struct module *solcompat_trap_module_at(uintptr_t addr)
{
	solcompat_trap_sym_t *sym = kmalloc(sizeof(*sym), GFP_KERNEL);
	char *buf = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	struct module *mod = NULL;

	if (!sym || !buf || trap_sym_at_buf(addr, sym, buf) ||
	    !strcmp(sym->ts_module, SOLCOMPAT_TRAP_KERNEL_MODULE))
		goto out;
	mod = trap_module(sym->ts_module, buf);
	if (mod && !within_module(addr, mod)) {
		module_put(mod);
		mod = NULL;
	}
out:
	kfree(buf);
	kfree(sym);
	return mod;
}

/* Largest symbol a walk accepts: past it, a size means "left the text". */
#define TRAP_SYM_MAX_SIZE (1UL << 22)

static bool trap_walk_boundary(const solcompat_trap_sym_t *sym,
			       const char *module)
{
	return strcmp(sym->ts_module, module) != 0 || sym->ts_size == 0 ||
	       sym->ts_size > TRAP_SYM_MAX_SIZE ||
	       sym->ts_addr + sym->ts_size < sym->ts_addr;
}

/* Walk the kernel image's text: from sprint_symbol back to _stext, on to _etext. */
static int trap_walk_kernel(solcompat_trap_walk_func_t fn, void *arg,
			    solcompat_trap_sym_t *sym, char *buf)
{
	const char *kernel = SOLCOMPAT_TRAP_KERNEL_MODULE;
	uintptr_t addr = (uintptr_t)sprint_symbol;
	int err;

	if (trap_sym_at_buf(addr, sym, buf) || trap_walk_boundary(sym, kernel))
		return ENOENT;
	for (;;) {
		solcompat_trap_sym_t prev;

		if (!strcmp(sym->ts_name, "_stext"))
			break;
		if (trap_sym_at_buf(sym->ts_addr - 1, &prev, buf) ||
		    trap_walk_boundary(&prev, kernel))
			break;
		*sym = prev;
		cond_resched();
	}
	for (;;) {
		if (!strcmp(sym->ts_name, "_etext"))
			break;
		err = sym->ts_name[0] ? fn(arg, sym) : 0;
		if (err)
			return err;
		addr = sym->ts_addr + sym->ts_size;
		if (trap_sym_at_buf(addr, sym, buf) ||
		    trap_walk_boundary(sym, kernel) || sym->ts_addr != addr)
			break;
		cond_resched();
	}
	return 0;
}

/* Walk a module's core text, [base, base + size), symbol by symbol. */
static int trap_walk_module(const char *module, solcompat_trap_walk_func_t fn,
			    void *arg, solcompat_trap_sym_t *sym, char *buf)
{
	struct module *mod = trap_module(module, buf);
	uintptr_t addr, end;
	int err = 0;

	if (!mod)
		return ENOENT;
	addr = (uintptr_t)mod->mem[MOD_TEXT].base;
	end = addr + mod->mem[MOD_TEXT].size;
	while (addr < end) {
		if (trap_sym_at_buf(addr, sym, buf) ||
		    trap_walk_boundary(sym, module))
			break;
		if (sym->ts_addr + sym->ts_size <= addr)
			break;
		addr = sym->ts_addr + sym->ts_size;
		if (sym->ts_addr >= (uintptr_t)mod->mem[MOD_TEXT].base &&
		    sym->ts_name[0]) {
			err = fn(arg, sym);
			if (err)
				break;
		}
		cond_resched();
	}
	module_put(mod);
	return err;
}

int solcompat_trap_sym_walk(const char *module, solcompat_trap_walk_func_t fn,
			    void *arg)
{
	solcompat_trap_sym_t *sym;
	char *buf;
	int err;

	if (!trap_process_context("trap_sym_walk", __builtin_return_address(0)))
		return EINVAL;
	if (!module || !module[0] ||
	    strlen(module) >= SOLCOMPAT_TRAP_MODNAMELEN)
		return EINVAL;
	sym = kmalloc(sizeof(*sym), GFP_KERNEL);
	buf = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (!sym || !buf)
		err = ENOMEM;
	else if (!strcmp(module, SOLCOMPAT_TRAP_KERNEL_MODULE))
		err = trap_walk_kernel(fn, arg, sym, buf);
	else
		err = trap_walk_module(module, fn, arg, sym, buf);
	kfree(buf);
	kfree(sym);
	return err;
}
EXPORT_SYMBOL_GPL(solcompat_trap_sym_walk);

struct trap_find {
	const char *name;
	solcompat_trap_sym_t *out;
	int found;
};

static int trap_find_cb(void *arg, const solcompat_trap_sym_t *sym)
{
	struct trap_find *f = arg;

	if (strcmp(sym->ts_name, f->name))
		return 0;
	*f->out = *sym;
	f->found = 1;
	return 1;		/* stop the walk */
}

int solcompat_trap_sym_lookup(const char *module, const char *name,
			      solcompat_trap_sym_t *sym)
{
	struct trap_find f = { .name = name, .out = sym };

	if (!trap_process_context("trap_sym_lookup",
				  __builtin_return_address(0)))
		return EINVAL;
	if (!name || !name[0] || strlen(name) >= SOLCOMPAT_TRAP_NAMELEN)
		return EINVAL;
	if (!module || !module[0])
		module = SOLCOMPAT_TRAP_KERNEL_MODULE;
	(void)solcompat_trap_sym_walk(module, trap_find_cb, &f);
	return f.found ? 0 : ENOENT;
}
EXPORT_SYMBOL_GPL(solcompat_trap_sym_lookup);

int solcompat_trap_text_read(solcompat_uintptr_t addr, void *buf,
			     solcompat_size_t len)
{
	if (unlikely(in_nmi() || solcompat_trap_depth())) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "trap_text_read",
				 "not from NMI or probe context",
				 __builtin_return_address(0));
		return EFAULT;
	}
	return copy_from_kernel_nofault(buf, (const void *)addr, len) ?
		       EFAULT : 0;
}
EXPORT_SYMBOL_GPL(solcompat_trap_text_read);

static bool trap_name_is_return_thunk(const char *name)
{
	static const char suffix[] = "_return_thunk";
	size_t n = strlen(name), s = sizeof(suffix) - 1;

	return (n >= s && !strcmp(name + n - s, suffix)) ||
	       !strcmp(name, "__x86_return_skl");
}

int solcompat_trap_return_thunk(solcompat_uintptr_t target)
{
	solcompat_trap_sym_t *sym;
	int ret = 0;

	if (!trap_process_context("trap_return_thunk",
				  __builtin_return_address(0)))
		return 0;
	if (target == (uintptr_t)__x86_return_thunk)
		return 1;
	sym = kmalloc(sizeof(*sym), GFP_KERNEL);
	if (sym && !solcompat_trap_sym_at(target, sym) &&
	    sym->ts_addr == target &&
	    !strcmp(sym->ts_module, SOLCOMPAT_TRAP_KERNEL_MODULE) &&
	    trap_name_is_return_thunk(sym->ts_name))
		ret = 1;
	kfree(sym);
	return ret;
}
EXPORT_SYMBOL_GPL(solcompat_trap_return_thunk);

/* Bytes past a function's end an instruction decoder may read. */
#define X86_INSN_TAIL 16

/* EPERM or EFAULT for what this layer refuses itself; see above. */
static int trap_refuse(uintptr_t addr)
{
	solcompat_trap_sym_t *sym;
	size_t i;
	int err;

	if (within_module(addr, THIS_MODULE))
		return EPERM;
	sym = kmalloc(sizeof(*sym), GFP_KERNEL);
	if (!sym)
		return ENOMEM;
	err = solcompat_trap_sym_at(addr, sym);
	if (!err) {
		/* What kprobes' jump optimizer may decode: see Symbols. */
		unsigned char tail[X86_INSN_TAIL];

		if (copy_from_kernel_nofault(tail, (const void *)(sym->ts_addr +
								  sym->ts_size),
					     sizeof(tail)))
			err = EFAULT;
	}
	for (i = 0; !err && i < ARRAY_SIZE(trap_refused); i++)
		if (!strcmp(sym->ts_name, trap_refused[i]))
			err = EPERM;
	if (!err && trap_name_is_return_thunk(sym->ts_name))
		err = EPERM;
	kfree(sym);
	return err;
}

/*
 * No FTRACE_OPS_FL_RECURSION: trap_depth bounds recursion, and the callback
 * disables preemption itself ("Batched entry points" above).
 */
static struct ftrace_ops trap_ftrace_ops = {
	.func = trap_ftrace_fire,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_PERMANENT,
};

/* Under trap_mutex: is another deferred point on this address? */
static bool trap_ftrace_taken(unsigned long addr)
{
	struct solcompat_trap *t;

	for (t = trap_hash[trap_hash_of(addr)]; t; t = t->hnext)
		if ((unsigned long)t->kp.addr == addr)
			return true;
	return false;
}

/* Under trap_mutex: take a point off the hash (a firing may still see it). */
static void trap_unhash(struct solcompat_trap *t)
{
	struct solcompat_trap **pp =
		&trap_hash[trap_hash_of((unsigned long)t->kp.addr)];

	while (*pp && *pp != t)
		pp = &(*pp)->hnext;
	if (*pp)
		WRITE_ONCE(*pp, t->hnext);
}

/* Under trap_mutex: filter edits of one commit; see solcompat_trap_commit. */
static int trap_ftrace_edit(unsigned long *ips, unsigned int n, int remove)
{
	unsigned int i;
	int err;

	if (n == 0)
		return 0;
	err = ftrace_set_filter_ips(&trap_ftrace_ops, ips, n, remove, 0);
	if (trap_ftrace_registered)
		atomic_long_inc(&trap_ftrace_updates);
	if (err == 0 || !remove)
		return err;
	/* A removal is never refused: address by address, errors ignored. */
	for (i = 0; i < n; i++) {
		(void)ftrace_set_filter_ips(&trap_ftrace_ops, &ips[i], 1, 1, 0);
		if (trap_ftrace_registered)
			atomic_long_inc(&trap_ftrace_updates);
	}
	return 0;
}

/*
 * Under trap_mutex: take one point's address out of the filter without
 * allocating here (a commit whose batch could not be built).
 */
static void trap_ftrace_drop(struct solcompat_trap *t)
{
	unsigned long ip = (unsigned long)t->kp.addr;

	if (!t->in_filter)
		return;
	if (trap_ftrace_in_filter == 1 && trap_ftrace_registered) {
		(void)unregister_ftrace_function(&trap_ftrace_ops);
		atomic_long_inc(&trap_ftrace_updates);
		trap_ftrace_registered = false;
	}
	(void)trap_ftrace_edit(&ip, 1, 1);
	t->in_filter = false;
	trap_ftrace_in_filter--;
}

/*
 * Which enabled points a commit arms: all of them (adds, only NULL), one
 * (trap_add's: only), or none (a removal's: !adds). Only
 * solcompat_trap_commit arms other callers' pending enables.
 */
static bool trap_commit_adds(const struct solcompat_trap *t, bool adds,
			     const struct solcompat_trap *only)
{
	return adds && t->want && !t->in_filter && (!only || only == t);
}

/*
 * Under trap_mutex: the filter edits for the points changed since the last
 * commit: every disabled point out, the enabled ones trap_commit_adds says
 * in.
 */
static int trap_commit_locked(bool adds, const struct solcompat_trap *only)
{
	struct solcompat_trap *t;
	unsigned long *add, *del;
	unsigned int nadd = 0, ndel = 0;
	int err = 0;

	list_for_each_entry(t, &trap_ftrace_points, deferred) {
		if (trap_commit_adds(t, adds, only))
			nadd++;
		else if (!t->want && t->in_filter)
			ndel++;
	}
	if (nadd == 0 && ndel == 0)
		return 0;
	if (trap_inject_remaining > 0) {
		trap_inject_remaining--;
		add = NULL;
	} else {
		add = kmalloc_array(nadd + ndel, sizeof(*add), GFP_KERNEL);
	}
	if (!add) {
		/* Disarming is never refused: one address at a time. */
		list_for_each_entry(t, &trap_ftrace_points, deferred)
			if (!t->want && t->in_filter)
				trap_ftrace_drop(t);
		return nadd > 0 ? ENOMEM : 0;
	}
	del = add + nadd;
	nadd = ndel = 0;
	list_for_each_entry(t, &trap_ftrace_points, deferred) {
		if (trap_commit_adds(t, adds, only))
			add[nadd++] = (unsigned long)t->kp.addr;
		else if (!t->want && t->in_filter)
			del[ndel++] = (unsigned long)t->kp.addr;
	}
	if (trap_ftrace_in_filter + nadd == ndel) {
		/* Nothing left: unregister before the filter empties. */
		if (trap_ftrace_registered) {
			(void)unregister_ftrace_function(&trap_ftrace_ops);
			atomic_long_inc(&trap_ftrace_updates);
			trap_ftrace_registered = false;
		}
		(void)trap_ftrace_edit(del, ndel, 1);
	} else {
		err = trap_ftrace_edit(add, nadd, 0);
		if (err == 0)
			(void)trap_ftrace_edit(del, ndel, 1);
		if (err == 0 && !trap_ftrace_registered) {
			err = register_ftrace_function(&trap_ftrace_ops);
			atomic_long_inc(&trap_ftrace_updates);
			if (err) {
				/* Unregistered: only the filter to undo. */
				(void)trap_ftrace_edit(add, nadd, 1);
				pr_warn("solcompat: ftrace refused the entry points' ftrace_ops (%d): is kernel.ftrace_enabled 0?\n",
					err);
			} else {
				trap_ftrace_registered = true;
			}
		}
		if (err) {
			kfree(add);
			return err == -ENOMEM ? ENOMEM : EINVAL;
		}
	}
	kfree(add);
	list_for_each_entry(t, &trap_ftrace_points, deferred) {
		if (trap_commit_adds(t, adds, only)) {
			trap_ftrace_in_filter++;
			t->in_filter = true;
		} else if (!t->want && t->in_filter) {
			trap_ftrace_in_filter--;
			t->in_filter = false;
		}
	}
	return 0;
}

/* Commit every pending change, arming only (when not NULL) one point. */
static int trap_commit(const struct solcompat_trap *only)
{
	int err;

	mutex_lock(&trap_mutex);
	err = trap_commit_locked(true, only);
	mutex_unlock(&trap_mutex);
	return err;
}

/*
 * A module going away under batched points: ftrace leaves their addresses
 * in a private ops' filter (its owners must take them out), and a module
 * loaded later at those addresses would be traced through it, firing the
 * old points for other functions. So at MODULE_STATE_GOING, while the
 * module's ftrace records still exist, its points stop (live 0, as
 * disabled) and leave the filter; kprobes marks their kprobes gone, so
 * they never arm again (solcompat_trap_enable: EINVAL).
 */
static int trap_module_going(struct notifier_block *nb, unsigned long state,
			     void *data)
{
	struct module *mod = data;
	struct solcompat_trap *t;
	bool any = false;

	if (state != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&trap_mutex);
	list_for_each_entry(t, &trap_ftrace_points, deferred) {
		if (!within_module((unsigned long)t->kp.addr, mod))
			continue;
		t->want = false;
		t->gone = true;
		WRITE_ONCE(t->live, 0);
		any = true;
	}
	if (any)
		(void)trap_commit_locked(false, NULL); /* never refused */
	mutex_unlock(&trap_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block trap_module_nb = {
	.notifier_call = trap_module_going,
};

int solcompat_trap_init(void)
{
	return register_module_notifier(&trap_module_nb);
}

/*
 * Clients remove their points before they unload, and they unload before
 * this module; a point left behind is a client's bug, but the ops must not
 * outlive the module that holds its callback.
 */
void solcompat_trap_fini(void)
{
	unregister_module_notifier(&trap_module_nb);
	mutex_lock(&trap_mutex);
	if (trap_ftrace_registered) {
		pr_err("solcompat: %lu batched trap points were never removed; unregistering their ftrace_ops\n",
		       trap_ftrace_in_filter);
		(void)unregister_ftrace_function(&trap_ftrace_ops);
		trap_ftrace_registered = false;
	}
	mutex_unlock(&trap_mutex);
}

int solcompat_trap_add(solcompat_uintptr_t addr, int kind, int flags,
		       solcompat_trap_func_t func, void *cookie,
		       solcompat_trap_t **tpp)
{
	struct solcompat_trap *t;
	unsigned int h;
	int err;

	if (!trap_process_context("trap_probe_add",
				  __builtin_return_address(0)))
		return EINVAL;
	if ((kind != SOLCOMPAT_TRAP_ENTRY && kind != SOLCOMPAT_TRAP_RETURN) ||
	    (flags & ~(SOLCOMPAT_TRAP_DISARMED | SOLCOMPAT_TRAP_DEFERRED)) ||
	    !func || !tpp)
		return EINVAL;
	err = trap_refuse(addr);
	if (err)
		return err;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return ENOMEM;
	t->func = func;
	t->cookie = cookie;
	t->kind = kind;
	INIT_LIST_HEAD(&t->deferred);
	t->kp.addr = (kprobe_opcode_t *)addr;
	t->kp.pre_handler = trap_fire;
	/* Deferred: armed by enable (an ftrace point never by its kprobe). */
	if (flags & (SOLCOMPAT_TRAP_DISARMED | SOLCOMPAT_TRAP_DEFERRED))
		t->kp.flags = KPROBE_FLAG_DISABLED;
	err = register_kprobe(&t->kp);
	if (err) {
		kfree(t);
		return err == -ENOENT ? ENOENT : err == -ENOMEM ? ENOMEM : EINVAL;
	}
	if (flags & SOLCOMPAT_TRAP_DEFERRED) {
		mutex_lock(&trap_mutex);
		if (kind == SOLCOMPAT_TRAP_ENTRY &&
		    (t->kp.flags & KPROBE_FLAG_FTRACE) &&
		    !trap_ftrace_taken((unsigned long)t->kp.addr)) {
			t->ftrace = true;
			list_add_tail(&t->deferred, &trap_ftrace_points);
			h = trap_hash_of((unsigned long)t->kp.addr);
			t->hnext = trap_hash[h];
			/* Published complete: probe context walks the chain. */
			smp_store_release(&trap_hash[h], t);
		}
		mutex_unlock(&trap_mutex);
		if (!(flags & SOLCOMPAT_TRAP_DISARMED)) {
			err = solcompat_trap_enable(t);
			if (err == 0)
				err = trap_commit(t);
			if (err) {
				solcompat_trap_remove(&t, 1);
				return err;
			}
		}
	}
	*tpp = t;
	return 0;
}
EXPORT_SYMBOL_GPL(solcompat_trap_add);

int solcompat_trap_enable(solcompat_trap_t *tp)
{
	if (!trap_process_context("trap_probe_enable",
				  __builtin_return_address(0)))
		return EINVAL;
	mutex_lock(&trap_mutex);
	if (tp->ftrace) {
		/* Its module went away (kprobes marked the point). */
		if (tp->gone || (READ_ONCE(tp->kp.flags) & KPROBE_FLAG_GONE)) {
			mutex_unlock(&trap_mutex);
			return EINVAL;
		}
		tp->want = true;
		WRITE_ONCE(tp->live, 1);
		mutex_unlock(&trap_mutex);
		return 0;
	}
	mutex_unlock(&trap_mutex);
	return enable_kprobe(&tp->kp) ? EINVAL : 0;
}
EXPORT_SYMBOL_GPL(solcompat_trap_enable);

int solcompat_trap_disable(solcompat_trap_t *tp)
{
	if (!trap_process_context("trap_probe_disable",
				  __builtin_return_address(0)))
		return EINVAL;
	mutex_lock(&trap_mutex);
	if (tp->ftrace) {
		tp->want = false;
		WRITE_ONCE(tp->live, 0);
		mutex_unlock(&trap_mutex);
		return 0;
	}
	mutex_unlock(&trap_mutex);
	return disable_kprobe(&tp->kp) ? EINVAL : 0;
}
EXPORT_SYMBOL_GPL(solcompat_trap_disable);

void solcompat_trap_inject_failures(unsigned long n)
{
	if (!trap_process_context("trap_probe_inject_failures",
				  __builtin_return_address(0)))
		return;
	mutex_lock(&trap_mutex);
	trap_inject_remaining = n;
	mutex_unlock(&trap_mutex);
}
EXPORT_SYMBOL_GPL(solcompat_trap_inject_failures);

int solcompat_trap_commit(void)
{
	if (!trap_process_context("trap_probe_commit",
				  __builtin_return_address(0)))
		return EINVAL;
	return trap_commit(NULL);
}
EXPORT_SYMBOL_GPL(solcompat_trap_commit);

void solcompat_trap_remove(solcompat_trap_t *const *tps, solcompat_size_t n)
{
	struct kprobe **kps;
	bool batched = false;
	size_t i;

	if (!trap_process_context("trap_probe_remove",
				  __builtin_return_address(0)) || n == 0)
		return;
	/* Batched points: out of the filter, off the hash, then a sync. */
	mutex_lock(&trap_mutex);
	for (i = 0; i < n; i++) {
		if (!tps[i]->ftrace)
			continue;
		tps[i]->want = false;
		WRITE_ONCE(tps[i]->live, 0);
		batched = true;
	}
	if (batched) {
		(void)trap_commit_locked(false, NULL); /* never refused */
		for (i = 0; i < n; i++) {
			if (!tps[i]->ftrace)
				continue;
			trap_unhash(tps[i]);
			list_del_init(&tps[i]->deferred);
		}
	}
	mutex_unlock(&trap_mutex);
	if (batched)
		solcompat_probe_sync();
	kps = kmalloc_array(n, sizeof(*kps), GFP_KERNEL);
	if (kps) {
		for (i = 0; i < n; i++)
			kps[i] = &tps[i]->kp;
		/* One synchronize_rcu for the whole batch. */
		unregister_kprobes(kps, (int)n);
		kfree(kps);
	} else {
		for (i = 0; i < n; i++)
			unregister_kprobe(&tps[i]->kp);
	}
	for (i = 0; i < n; i++)
		kfree(tps[i]);
}
EXPORT_SYMBOL_GPL(solcompat_trap_remove);
