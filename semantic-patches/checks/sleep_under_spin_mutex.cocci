// SPDX-License-Identifier: GPL-2.0
/// Report a call that may block while a spin mutex is held: between
/// mutex_enter(m) and mutex_exit(m), where m was set up with
/// mutex_init(..., MUTEX_SPIN, ...) in the same file, a kmem_alloc(),
/// kmem_zalloc() or kmem_cache_alloc() with KM_SLEEP, a cv_wait*(), a
/// sema_p*(), or a mutex_enter() of a mutex that is not a spin mutex.
///
// Check for code written against solcompat (Solaris names), run by
// check.sh. A spin mutex runs with interrupts masked at its level; a
// blocking call there deadlocks or, on Linux, sleeps in atomic context.
// Confidence: Moderate
// Comments: Mutexes are tied to their MUTEX_SPIN initialisation by name:
//   the last identifier of the mutex expression once array indexes are
//   dropped (&sc->sc_lock -> sc_lock, &cpu_locks[i] -> cpu_locks, mp -> mp).
//   So every sc_lock of the file counts as a spin mutex once one is set up
//   as one, and a spin mutex set up in another file (or through a pointer
//   of another name) is not recognised. A MUTEX_DRIVER mutex whose
//   interrupt cookie is above LOCK_LEVEL is a spin mutex on Solaris but not
//   here. Only code between the two calls in one function is examined: a
//   callee that blocks is not seen, nor is a mutex_tryenter() that
//   succeeds.
// Options: --include-headers
// Requires: 1.1.1, Python scripting

virtual report

@initialize:python depends on report@
@@
import re

# (file, key) of every mutex set up with MUTEX_SPIN, and (file, line) of
# every report made, so that two held spin mutexes report a line once.
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


def blocking_reason(fn, args, file, in_probe_context=False):
    # Why fn(args) may block, or None if it does not.
    if fn in ('kmem_alloc', 'kmem_zalloc', 'kmem_cache_alloc'):
        if in_probe_context:
            return '%s() allocates' % fn
        if re.search(r'\bKM_SLEEP\b', args):
            return '%s(KM_SLEEP) may sleep' % fn
        return None
    if fn == 'mutex_enter':
        key = mutex_key(args)
        if in_probe_context:
            return 'mutex_enter(%s) takes a lock' % key
        if (file, key) in spin_mutexes:
            return None
        return 'mutex_enter(%s) of an adaptive mutex may block' % key
    return '%s() may block' % fn


def emit(p, reason):
    where = (p[0].file, p[0].line)
    if where not in reported:
        reported.add(where)
        print('%s:%s: %s' % (where[0], where[1], reason))

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

@held depends on report exists@
expression m;
expression list args;
identifier fn = {kmem_alloc, kmem_zalloc, kmem_cache_alloc, cv_wait,
                 cv_wait_sig, cv_timedwait, cv_timedwait_sig,
                 cv_reltimedwait, cv_reltimedwait_sig, sema_p, sema_p_sig,
                 mutex_enter};
position pe, p;
@@
mutex_enter@pe(m);
... when != mutex_exit(m)
fn@p(args)

@script:python depends on report@
m << held.m;
args << held.args;
fn << held.fn;
pe << held.pe;
p << held.p;
@@
key = mutex_key(str(m))
if (p[0].file, key) in spin_mutexes:
    why = blocking_reason(str(fn), str(args), p[0].file)
    if why:
        emit(p, '%s while spin mutex %s is held (mutex_enter at line %s)'
               % (why, key, pe[0].line))
