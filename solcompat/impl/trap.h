/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/trap.h: trap points in kernel text, and the symbol and text access a
 * function-boundary provider needs to place them (prefixed ABI). Solaris-side
 * names in sys/trap_probe.h; design in linux/trap.c.
 *
 * A trap point is a probe on one instruction of kernel text: a function's
 * entry (the handler gets the first five integer argument registers) or a
 * return instruction inside a function (the handler gets the return value
 * registers). The handler runs in probe context, nested on whatever the CPU
 * was doing, with interrupts as the kernel's probe mechanism leaves them
 * (on at an entry, off at a return): it must be probe-context code.
 */
#ifndef _SOLCOMPAT_IMPL_TRAP_H
#define _SOLCOMPAT_IMPL_TRAP_H

#include <impl/types.h>

/* Kinds of trap point: what the handler's five values are. */
#define SOLCOMPAT_TRAP_ENTRY 1	/* %rdi, %rsi, %rdx, %rcx, %r8 */
#define SOLCOMPAT_TRAP_RETURN 2	/* %rax, %rdx, 0, 0, 0 */

/* Flags of solcompat_trap_add. */
#define SOLCOMPAT_TRAP_DISARMED 0x1	/* registered, not firing until enabled */
/*
 * Enable and disable may take effect only at the next solcompat_trap_commit
 * (an entry point on a function's ftrace site: many such points are armed
 * or disarmed with one kernel code update). Other points take effect at
 * once either way.
 */
#define SOLCOMPAT_TRAP_DEFERRED 0x2

/* Field sizes of a symbol, NUL included (the same as DTrace's names). */
#define SOLCOMPAT_TRAP_NAMELEN 128
#define SOLCOMPAT_TRAP_MODNAMELEN 64

/* The name of the kernel image's module in a solcompat_trap_sym_t. */
#define SOLCOMPAT_TRAP_KERNEL_MODULE "vmlinux"

/* A symbol of kernel text as the kernel's symbol table describes it. */
typedef struct solcompat_trap_sym {
	solcompat_uintptr_t ts_addr;	/* its first byte */
	solcompat_uintptr_t ts_size;	/* bytes up to the next symbol */
	char ts_name[SOLCOMPAT_TRAP_NAMELEN];
	char ts_module[SOLCOMPAT_TRAP_MODNAMELEN];	/* or "vmlinux" */
} solcompat_trap_sym_t;			/* 208 bytes */

/* A registered trap point; opaque. */
typedef struct solcompat_trap solcompat_trap_t;

/*
 * A trap handler: cookie as given to solcompat_trap_add, the address of the
 * probed instruction (solcompat_trap_addr), and five register values (see
 * the kinds above).
 */
typedef void (*solcompat_trap_func_t)(void *cookie, solcompat_uintptr_t addr,
				      solcompat_uintptr_t r0,
				      solcompat_uintptr_t r1,
				      solcompat_uintptr_t r2,
				      solcompat_uintptr_t r3,
				      solcompat_uintptr_t r4);

/* Callback of solcompat_trap_sym_walk: non-zero stops the walk. */
typedef int (*solcompat_trap_walk_func_t)(void *arg,
					  const solcompat_trap_sym_t *sym);

/*
 * Find the function called name in module (NULL, "" or "vmlinux": the
 * kernel image). Returns 0 and fills *sym, or ENOENT (no such symbol or
 * module), or EINVAL (bad arguments, or not process context). A walk of
 * the module's text (see solcompat_trap_sym_walk).
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_trap_sym_lookup(const char *module,
						 const char *name,
						 solcompat_trap_sym_t *sym);

/*
 * The symbol containing addr: 0 and *sym filled, or ENOENT.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_trap_sym_at(solcompat_uintptr_t addr,
					     solcompat_trap_sym_t *sym);

/*
 * Call fn for every symbol of module's core text ("vmlinux" for the
 * kernel image), in address order, until fn returns non-zero (that value
 * is returned). ENOENT when no such module is loaded; 0 after the last
 * symbol.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_trap_sym_walk(const char *module,
					       solcompat_trap_walk_func_t fn,
					       void *arg);

/*
 * Copy len bytes of live kernel text (or any kernel memory) at addr into
 * buf: 0, or EFAULT (nothing usable copied) when it is not readable.
 * Context: Process, atomic or hardirq context.
 */
SOLCOMPAT_EXTERN_C int solcompat_trap_text_read(solcompat_uintptr_t addr,
						void *buf,
						solcompat_size_t len);

/*
 * Is target a return thunk: is a jump there a function's return
 * (__x86_return_thunk and the thunks the kernel may patch its return
 * jumps to)? 1 or 0.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_trap_return_thunk(solcompat_uintptr_t target);

/*
 * Place a trap point on the instruction at addr (a function's first byte,
 * or past its endbr64, for SOLCOMPAT_TRAP_ENTRY; a return instruction for
 * SOLCOMPAT_TRAP_RETURN). func(cookie, ...) runs on every hit until the
 * point is disabled or removed. Armed at once unless flags has
 * SOLCOMPAT_TRAP_DISARMED. Returns 0 and *tpp, or: EINVAL the kernel
 * refuses a probe there (its blacklist, which holds every NOKPROBE
 * function of solcompat.ko and its clients; noinstr and entry text; not
 * text; not an instruction boundary; reserved by jump labels, static calls
 * or alternatives); EPERM solcompat refuses it (its own module, or a Linux
 * function its firing path calls); EFAULT the 16 bytes after the function
 * are not readable (kprobes' jump optimizer would read them: the last
 * function of a module); ENOENT no symbol there; ENOMEM.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_trap_add(solcompat_uintptr_t addr, int kind,
					  int flags, solcompat_trap_func_t func,
					  void *cookie, solcompat_trap_t **tpp);

/*
 * Arm / disarm a trap point. A handler already running may still finish
 * after disable returns: see solcompat_trap_remove. 0 or EINVAL. For a
 * point added with SOLCOMPAT_TRAP_DEFERRED, the change may wait for
 * solcompat_trap_commit (until then an enabled point may not fire yet, a
 * disabled one may still fire).
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_trap_enable(solcompat_trap_t *tp);
SOLCOMPAT_EXTERN_C int solcompat_trap_disable(solcompat_trap_t *tp);

/*
 * Apply every deferred enable and disable: when it returns 0, each point
 * fires exactly when it is enabled. ENOMEM or EINVAL when the kernel
 * refused the update that arms the newly enabled points: none of them is
 * armed (they stay enabled, and the next commit tries again; disable them
 * to give up). Disarming is never refused.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_trap_commit(void);

/*
 * Make the next n commits that change anything fail to allocate their
 * batch (0: none), for tests of the refusal paths: one with points to arm
 * returns ENOMEM and arms none of them; its disabled points still go out,
 * one at a time, as every point of a removal does.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C void solcompat_trap_inject_failures(unsigned long n);

/*
 * Kernel code updates made for deferred points since this module loaded:
 * each registration, unregistration and filter change of the ftrace_ops
 * while it is registered. A commit costs at most two, whatever its size
 * (plus one per address in the rare address-by-address removal).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C solcompat_uint64_t solcompat_trap_updates(void);

/*
 * Remove n trap points and free them; when it returns no handler of any of
 * them is running or will run. One wait covers the whole batch. It takes
 * its deferred points out at once (a code update) and arms nothing: other
 * points' pending enables still wait for their commit.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C void solcompat_trap_remove(solcompat_trap_t *const *tps,
					      solcompat_size_t n);

/*
 * The address of the probed instruction (as the handler gets it).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C solcompat_uintptr_t
solcompat_trap_addr(const solcompat_trap_t *tp);

/*
 * Hits of this point that the kernel did not deliver because another probe
 * handler was running on the CPU (a probe inside a probe, e.g. from a timer
 * interrupt that landed in a handler).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C solcompat_uint64_t
solcompat_trap_missed(const solcompat_trap_t *tp);

/*
 * How many trap handlers are running on this CPU (0 outside them): lets a
 * timer tell that it interrupted one.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_trap_depth(void);

#endif /* _SOLCOMPAT_IMPL_TRAP_H */
