// SPDX-License-Identifier: GPL-2.0
/// Report, in a function marked for probe context (PROBE_CONTEXT or
/// PROBE_CONTEXT_INLINE on it, or PROBE_CONTEXT_SYMBOL(it) in the file), a
/// call that may block or allocate: kmem_alloc(), kmem_zalloc() or kmem_cache_alloc() (whatever
/// the flags), cv_wait*(), sema_p*(), and mutex_enter() of any mutex.
///
// Check for code written against solcompat (Solaris names), run by
// check.sh. A probe fires wherever it was placed, with any lock held and
// in any context, NMI included: probe-context code takes no lock, never
// blocks and never allocates (ARCHITECTURE.md, "Probe context").
// Confidence: High
// Comments: The marker is the attribute macro PROBE_CONTEXT (or, for an
//   always-inlined helper of the tier, PROBE_CONTEXT_INLINE) on the
//   function's definition, before the return type or before the name
//   (README.md, "Porting checks"); spatch 1.1.1 does not match attributes
//   on prototypes, so a marker there only is not seen. A function named in
//   PROBE_CONTEXT_SYMBOL(f) (solcompat's sys/probe_context.h: f goes on the
//   kprobe blacklist) in the same file counts as marked too. Calls made through
//   callees of a marked function are not followed: mark the callees too.
// Options: --include-headers
// Requires: 1.1.1, Python scripting

virtual report

@initialize:python depends on report@
@@
import re

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


def emit(fn, args, p, func):
    fn = str(fn)
    if fn in ('kmem_alloc', 'kmem_zalloc', 'kmem_cache_alloc'):
        why = '%s() allocates' % fn
    elif fn == 'mutex_enter':
        why = 'mutex_enter(%s) takes a lock' % mutex_key(str(args))
    else:
        why = '%s() may block' % fn
    where = (p[0].file, p[0].line)
    if where not in reported:
        reported.add(where)
        print('%s:%s: %s in probe context (%s is marked for it)'
              % (where[0], where[1], why, func))

@marked depends on report@
attribute name PROBE_CONTEXT;
identifier func;
type T;
expression list args;
identifier fn = {kmem_alloc, kmem_zalloc, kmem_cache_alloc, cv_wait,
                 cv_wait_sig, cv_timedwait, cv_timedwait_sig,
                 cv_reltimedwait, cv_reltimedwait_sig, sema_p, sema_p_sig,
                 mutex_enter};
position p;
@@
PROBE_CONTEXT T func(...) {
<+...
fn@p(args)
...+>
}

@script:python depends on report@
func << marked.func;
fn << marked.fn;
args << marked.args;
p << marked.p;
@@
emit(fn, args, p, func)

@marked_inline depends on report@
attribute name PROBE_CONTEXT_INLINE;
identifier func;
type T;
expression list args;
identifier fn = {kmem_alloc, kmem_zalloc, kmem_cache_alloc, cv_wait,
                 cv_wait_sig, cv_timedwait, cv_timedwait_sig,
                 cv_reltimedwait, cv_reltimedwait_sig, sema_p, sema_p_sig,
                 mutex_enter};
position p;
@@
PROBE_CONTEXT_INLINE T func(...) {
<+...
fn@p(args)
...+>
}

@script:python depends on report@
func << marked_inline.func;
fn << marked_inline.fn;
args << marked_inline.args;
p << marked_inline.p;
@@
emit(fn, args, p, func)

@listed depends on report@
declarer name PROBE_CONTEXT_SYMBOL;
identifier func;
@@
PROBE_CONTEXT_SYMBOL(func);

@listed_body depends on report@
identifier listed.func;
type T;
expression list args;
identifier fn = {kmem_alloc, kmem_zalloc, kmem_cache_alloc, cv_wait,
                 cv_wait_sig, cv_timedwait, cv_timedwait_sig,
                 cv_reltimedwait, cv_reltimedwait_sig, sema_p, sema_p_sig,
                 mutex_enter};
position p;
@@
T func(...) {
<+...
fn@p(args)
...+>
}

@script:python depends on report@
func << listed.func;
fn << listed_body.fn;
args << listed_body.args;
p << listed_body.p;
@@
emit(fn, args, p, func)
