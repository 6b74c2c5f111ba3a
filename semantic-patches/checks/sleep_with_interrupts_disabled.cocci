// SPDX-License-Identifier: GPL-2.0
/// Report a call that may block while interrupts are disabled: after
/// s = splhigh(), spl7(), splhi() or splr(...), up to splx(s), and after
/// c = dtrace_interrupt_disable(), up to dtrace_interrupt_enable(c), a
/// kmem_alloc(), kmem_zalloc() or kmem_cache_alloc() with KM_SLEEP, a
/// cv_wait*(), a sema_p*(), or a mutex_enter() of a mutex that is not a
/// spin mutex.
///
// Check for code written against solcompat (Solaris names), run by
// check.sh. solcompat masks every maskable interrupt at any raised level
// (linux/spl.c), so splhi() and splr() count like splhigh(); a blocking
// call there sleeps in atomic context.
// Confidence: Moderate
// Comments: The cookie ties the call to its splx()/dtrace_interrupt_enable():
//   a path that restores another cookie does not end the region. A cookie
//   kept in a variable or field is followed; a cookie restored by a helper
//   function is not seen as restored, so calls after the helper would be
//   reported. Spin mutexes are recognised as in sleep_under_spin_mutex.cocci
//   (by name, set up with MUTEX_SPIN in the same file); taking one at high
//   level is allowed. Only the function that raises is examined.
// Options: --include-headers
// Requires: 1.1.1, Python scripting

virtual report

@initialize:python depends on report@
@@
import re

spin_mutexes = set()
reported = set()


def mutex_key(text):
    # The name a mutex expression is known by: its last identifier once
    # array subscripts are dropped.
    while True:
        stripped = re.sub(r'\[[^\[\]]*\]', '', text)
        if stripped == text:
            break
        text = stripped
    names = re.findall(r'[A-Za-z_][A-Za-z0-9_]*', text)
    return names[-1] if names else text


def blocking_reason(fn, args, file):
    # Why fn(args) may block with interrupts off, or None.
    if fn in ('kmem_alloc', 'kmem_zalloc', 'kmem_cache_alloc'):
        if re.search(r'\bKM_SLEEP\b', args):
            return '%s(KM_SLEEP) may sleep' % fn
        return None
    if fn == 'mutex_enter':
        key = mutex_key(args)
        if (file, key) in spin_mutexes:
            return None
        return 'mutex_enter(%s) of an adaptive mutex may block' % key
    return '%s() may block' % fn


def emit_if_blocking(fn, args, p, masker_fn, pmask):
    why = blocking_reason(str(fn), str(args), p[0].file)
    where = (p[0].file, p[0].line)
    if why and where not in reported:
        reported.add(where)
        print('%s:%s: %s with interrupts disabled (%s() at line %s)'
              % (where[0], where[1], why, masker_fn, pmask[0].line))

@spin_init depends on report@
expression m, name, ibc;
position p;
@@
mutex_init@p(m, name, MUTEX_SPIN, ibc)

@script:python depends on report@
m << spin_init.m;
p << spin_init.p;
@@
spin_mutexes.add((p[0].file, mutex_key(str(m))))

// The cookie assigned to an expression.
@raised depends on report exists@
expression cookie;
expression list args;
identifier masker = {splhigh, spl7, splhi, splr, dtrace_interrupt_disable};
identifier fn = {kmem_alloc, kmem_zalloc, kmem_cache_alloc, cv_wait,
                 cv_wait_sig, cv_timedwait, cv_timedwait_sig,
                 cv_reltimedwait, cv_reltimedwait_sig, sema_p, sema_p_sig,
                 mutex_enter};
position pmask, p;
@@
cookie = masker@pmask(...);
... when != splx(cookie)
    when != dtrace_interrupt_enable(cookie)
fn@p(args)

@script:python depends on report@
masker << raised.masker;
pmask << raised.pmask;
fn << raised.fn;
args << raised.args;
p << raised.p;
@@
emit_if_blocking(fn, args, p, masker, pmask)

// The cookie declared with its initial value.
@raised_decl depends on report exists@
type T;
identifier cookie;
expression list args;
identifier masker = {splhigh, spl7, splhi, splr, dtrace_interrupt_disable};
identifier fn = {kmem_alloc, kmem_zalloc, kmem_cache_alloc, cv_wait,
                 cv_wait_sig, cv_timedwait, cv_timedwait_sig,
                 cv_reltimedwait, cv_reltimedwait_sig, sema_p, sema_p_sig,
                 mutex_enter};
position pmask, p;
@@
T cookie = masker@pmask(...);
... when != splx(cookie)
    when != dtrace_interrupt_enable(cookie)
fn@p(args)

@script:python depends on report@
masker << raised_decl.masker;
pmask << raised_decl.pmask;
fn << raised_decl.fn;
args << raised_decl.args;
p << raised_decl.p;
@@
emit_if_blocking(fn, args, p, masker, pmask)
