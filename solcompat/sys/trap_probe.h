/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/trap_probe.h: trap points in kernel text for function-boundary
 * tracing, the symbol table walk, and reads of live text.
 *
 * Not an illumos header. illumos's fbt writes breakpoints into text itself
 * and hooks the #BP trap with dtrace_invop_add(), one handler for every
 * probe, finding its probe by the trapping address. A Linux module may not
 * write text (the kernel's text patcher is not exported) and the kernel
 * already owns the breakpoint, single-step and instruction-relocation
 * machinery (kprobes), so the interface here is per point: register an
 * address with a handler and a cookie, and get called with the cookie. It
 * keeps the invop handler's arguments: the probed address and the
 * registers a provider turns into probe arguments. The header is named
 * for what it is rather than borrowing an illumos name (sys/trap.h there
 * is the trap types).
 *
 *	trap_sym_lookup(mod, func, &sym)    where is mod`func, how long
 *	trap_sym_walk(mod, fn, arg)         every symbol of mod's text
 *	trap_text_read(addr, buf, len)      the live bytes
 *	trap_return_thunk(target)           is a jmp there a return?
 *	trap_probe_add(addr, kind, flags, func, cookie, &tp)
 *	                                    kind: TRAP_ENTRY or TRAP_RETURN
 *	trap_probe_enable(tp) / trap_probe_disable(tp)
 *	trap_probe_commit()                 apply deferred enables/disables
 *	trap_probe_remove(tps, n)           no handler runs after it returns
 *
 * Removal protocol for a provider: disable, dtrace_sync(), remove (remove
 * alone is enough for the trap layer; dtrace_sync covers the provider's
 * firing path beyond the handler's return).
 */
#ifndef _SOLCOMPAT_SYS_TRAP_PROBE_H
#define _SOLCOMPAT_SYS_TRAP_PROBE_H

#include <sys/types.h>
#include <impl/trap.h>

#define TRAP_ENTRY SOLCOMPAT_TRAP_ENTRY
#define TRAP_RETURN SOLCOMPAT_TRAP_RETURN
#define TRAP_DISARMED SOLCOMPAT_TRAP_DISARMED
#define TRAP_DEFERRED SOLCOMPAT_TRAP_DEFERRED
#define TRAP_NAMELEN SOLCOMPAT_TRAP_NAMELEN
#define TRAP_MODNAMELEN SOLCOMPAT_TRAP_MODNAMELEN
#define TRAP_KERNEL_MODULE SOLCOMPAT_TRAP_KERNEL_MODULE

typedef solcompat_trap_sym_t trap_sym_t;
typedef solcompat_trap_t trap_probe_t;
typedef solcompat_trap_func_t trap_probe_func_t;
typedef solcompat_trap_walk_func_t trap_sym_walk_func_t;

/*
 * Find function name of module (NULL: the kernel image). 0 or ENOENT.
 * Context: Process context. May sleep.
 */
static inline int trap_sym_lookup(const char *module, const char *name,
				  trap_sym_t *sym)
{
	return solcompat_trap_sym_lookup(module, name, sym);
}

/*
 * The symbol containing addr: 0, or ENOENT.
 * Context: Process context. May sleep.
 */
static inline int trap_sym_at(uintptr_t addr, trap_sym_t *sym)
{
	return solcompat_trap_sym_at(addr, sym);
}

/*
 * Call fn for each symbol of module's text in address order.
 * Context: Process context. May sleep.
 */
static inline int trap_sym_walk(const char *module, trap_sym_walk_func_t fn,
				void *arg)
{
	return solcompat_trap_sym_walk(module, fn, arg);
}

/*
 * Copy live kernel text: 0, or EFAULT.
 * Context: Process, atomic or hardirq context.
 */
static inline int trap_text_read(uintptr_t addr, void *buf, size_t len)
{
	return solcompat_trap_text_read(addr, buf, len);
}

/*
 * Is a jump to target a function return (a return thunk)? 1 or 0.
 * Context: Process context. May sleep.
 */
static inline int trap_return_thunk(uintptr_t target)
{
	return solcompat_trap_return_thunk(target);
}

/*
 * Place a trap point; see impl/trap.h for the errors.
 * Context: Process context. May sleep.
 */
static inline int trap_probe_add(uintptr_t addr, int kind, int flags,
				 trap_probe_func_t func, void *cookie,
				 trap_probe_t **tpp)
{
	return solcompat_trap_add(addr, kind, flags, func, cookie, tpp);
}

/*
 * Arm a trap point.
 * Context: Process context. May sleep.
 */
static inline int trap_probe_enable(trap_probe_t *tp)
{
	return solcompat_trap_enable(tp);
}

/*
 * Disarm a trap point (a handler in flight may still finish).
 * Context: Process context. May sleep.
 */
static inline int trap_probe_disable(trap_probe_t *tp)
{
	return solcompat_trap_disable(tp);
}

/*
 * Make the deferred enables and disables (TRAP_DEFERRED) take effect.
 * Context: Process context. May sleep.
 */
static inline int trap_probe_commit(void)
{
	return solcompat_trap_commit();
}

/*
 * Make the next n commits that change anything fail to allocate (tests):
 * see solcompat_trap_inject_failures.
 * Context: Process context. May sleep.
 */
static inline void trap_probe_inject_failures(unsigned long n)
{
	solcompat_trap_inject_failures(n);
}

/*
 * Kernel code updates the deferred points have cost so far.
 * Context: Any context.
 */
static inline uint64_t trap_probe_updates(void)
{
	return solcompat_trap_updates();
}

/*
 * Remove and free n trap points; no handler of theirs runs afterwards.
 * Context: Process context. May sleep.
 */
static inline void trap_probe_remove(trap_probe_t *const *tps, size_t n)
{
	solcompat_trap_remove(tps, n);
}

/*
 * The probed instruction's address.
 * Context: Any context.
 */
static inline uintptr_t trap_probe_addr(const trap_probe_t *tp)
{
	return solcompat_trap_addr(tp);
}

/*
 * Hits the kernel dropped because a probe handler was already running.
 * Context: Any context.
 */
static inline uint64_t trap_probe_missed(const trap_probe_t *tp)
{
	return solcompat_trap_missed(tp);
}

/*
 * Trap handlers running on this CPU.
 * Context: Any context.
 */
static inline int trap_probe_depth(void)
{
	return solcompat_trap_depth();
}

#endif /* _SOLCOMPAT_SYS_TRAP_PROBE_H */
