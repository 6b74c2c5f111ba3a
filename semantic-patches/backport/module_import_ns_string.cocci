// SPDX-License-Identifier: GPL-2.0
/// Spell symbol namespaces as bare tokens, as kernels before 6.13 require:
/// MODULE_IMPORT_NS("NS") becomes MODULE_IMPORT_NS(NS), and likewise the
/// namespace of EXPORT_SYMBOL_NS[_GPL]() and a #define of
/// DEFAULT_SYMBOL_NAMESPACE.
///
// Kernel: 6.13, "module: Convert symbol namespace to string literal".
// Probe: probes/module_import_ns_string.c (feature module_import_ns_string)
// Direction: backport, applied when the probe says "no". A no-op until the
//   tree is moved to 6.13 spelling by forward/module_import_ns_string, the
//   inverse; it is in the series now so that the move needs no new rule.
// Confidence: High
// Comments: Before 6.13 the macros stringify their argument, so a literal
//   would still compile but name the namespace "\"NS\"", which modpost then
//   rejects. Only a literal that is a C identifier is converted. A bare
//   token is not a literal, so the rule is idempotent.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

@quoted depends on patch@
declarer name MODULE_IMPORT_NS, EXPORT_SYMBOL_NS, EXPORT_SYMBOL_NS_GPL;
identifier sym;
constant lit;
@@
(
MODULE_IMPORT_NS(lit);
|
EXPORT_SYMBOL_NS(sym, lit);
|
EXPORT_SYMBOL_NS_GPL(sym, lit);
)

@script:python token depends on patch@
lit << quoted.lit;
nsid;
@@
import re
m = re.fullmatch(r'"([A-Za-z_][A-Za-z0-9_]*)"', lit)
if m:
    coccinelle.nsid = cocci.make_ident(m.group(1))
else:
    cocci.include_match(False)

@depends on patch@
declarer name MODULE_IMPORT_NS, EXPORT_SYMBOL_NS, EXPORT_SYMBOL_NS_GPL;
identifier sym, token.nsid;
constant quoted.lit;
@@
(
  MODULE_IMPORT_NS(
- lit
+ nsid
  );
|
  EXPORT_SYMBOL_NS(sym,
- lit
+ nsid
  );
|
  EXPORT_SYMBOL_NS_GPL(sym,
- lit
+ nsid
  );
)

// A #define cannot be one branch of a disjunction: a rule of its own.
@quoted_default depends on patch@
constant lit;
@@
#define DEFAULT_SYMBOL_NAMESPACE lit

@script:python token_default depends on patch@
lit << quoted_default.lit;
nsid;
@@
import re
m = re.fullmatch(r'"([A-Za-z_][A-Za-z0-9_]*)"', lit)
if m:
    coccinelle.nsid = cocci.make_ident(m.group(1))
else:
    cocci.include_match(False)

@depends on patch@
identifier token_default.nsid;
constant quoted_default.lit;
@@
  #define DEFAULT_SYMBOL_NAMESPACE
- lit
+ nsid
