// SPDX-License-Identifier: GPL-2.0
/// Spell symbol namespaces as string literals, as 6.13 and later require:
/// MODULE_IMPORT_NS(NS) becomes MODULE_IMPORT_NS("NS"), and likewise the
/// namespace of EXPORT_SYMBOL_NS[_GPL]() and a #define of
/// DEFAULT_SYMBOL_NAMESPACE.
///
// Kernel: 6.13, "module: Convert symbol namespace to string literal".
// Probe: probes/module_import_ns_string.c (feature module_import_ns_string)
// Direction: forward, for the day a 6.13+ kernel enters the matrix; run by
//   forward.sh over the repository, never by apply.sh (the probe says "no"
//   on every kernel of the matrix today). backport/module_import_ns_string
//   is the inverse.
// Confidence: High
// Comments: Before 6.13 the macros stringify their argument; from 6.13 they
//   paste it after "import_ns=" and so need a literal. A namespace passed
//   with -DDEFAULT_SYMBOL_NAMESPACE=NS in a Kbuild file is out of reach of
//   spatch and must be changed by hand. A literal is not an identifier, so
//   the rule is idempotent.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

@bare depends on patch@
declarer name MODULE_IMPORT_NS, EXPORT_SYMBOL_NS, EXPORT_SYMBOL_NS_GPL;
identifier nsid, sym;
@@
(
MODULE_IMPORT_NS(nsid);
|
EXPORT_SYMBOL_NS(sym, nsid);
|
EXPORT_SYMBOL_NS_GPL(sym, nsid);
)

@script:python literal depends on patch@
nsid << bare.nsid;
lit;
@@
coccinelle.lit = cocci.make_expr('"%s"' % nsid)

@depends on patch@
declarer name MODULE_IMPORT_NS, EXPORT_SYMBOL_NS, EXPORT_SYMBOL_NS_GPL;
identifier bare.nsid, sym;
expression literal.lit;
@@
(
  MODULE_IMPORT_NS(
- nsid
+ lit
  );
|
  EXPORT_SYMBOL_NS(sym,
- nsid
+ lit
  );
|
  EXPORT_SYMBOL_NS_GPL(sym,
- nsid
+ lit
  );
)

// A #define cannot be one branch of a disjunction: a rule of its own.
@bare_default depends on patch@
identifier nsid;
@@
#define DEFAULT_SYMBOL_NAMESPACE nsid

@script:python literal_default depends on patch@
nsid << bare_default.nsid;
lit;
@@
coccinelle.lit = cocci.make_expr('"%s"' % nsid)

@depends on patch@
identifier bare_default.nsid;
expression literal_default.lit;
@@
  #define DEFAULT_SYMBOL_NAMESPACE
- nsid
+ lit
