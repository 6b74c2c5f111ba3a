// SPDX-License-Identifier: GPL-2.0
//
// soltrace's program: the D subset of its -n arguments, parsed into
// ioctl-ready enablings and the aggregations they feed.
//
// The subset (whitespace and newlines are allowed between any two tokens):
//
//   program  := clause+
//   clause   := descs [ '{' stmt* '}' ]
//   descs    := desc (',' desc)*
//   desc     := provider:module:function:name, each field a glob (* ? [set]);
//               fewer fields fill from the right ("tick-1s" is ":::tick-1s")
//   stmt     := '@'[name] [ '[' key (',' key)* ']' ] '=' aggfunc ';'
//             | 'trace' '(' expr ')' ';'
//   aggfunc  := count() | sum(expr) | min(expr) | max(expr) | avg(expr)
//             | quantize(expr) | lquantize(expr, base, limit, step)
//   key/expr := probeprov | probemod | probefunc | probename | cpu | pid
//             | execname | arg0 .. arg4 | timestamp
//
// The ';' before a '}' may be left out. A clause without a body, or with an
// empty one, traces each firing (DTrace's default action). Each desc
// becomes one ENABLE with its clause's actions; the trace() statements of a
// clause share one TRACE action (one record per firing, all values on one
// line).
//
// Mapping to the kernel interface: every aggregation is keyed by probe id,
// so the probe* keys cost nothing (the consumer names the ids and merges
// entries that agree on the names asked for). The other keys fill the
// action's key and key2 words in order; execname takes both words, so at
// most two words of keys remain. Values (sum, min, ...) are cpu, pid,
// timestamp or argN. An @name used in several clauses or -n arguments is one
// aggregation if the function (lquantize: with its base, limit and step)
// and the key list agree; '@' alone is the anonymous aggregation.
#ifndef SOLCOMPAT_TOOLS_TRACE_PROGRAM_H
#define SOLCOMPAT_TOOLS_TRACE_PROGRAM_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sys/dtrace_ioctl.h"

namespace trace {

// The built-in variables of the subset.
enum class Var {
  probeprov,
  probemod,
  probefunc,
  probename,
  cpu,
  pid,
  execname,
  arg0,
  arg1,
  arg2,
  arg3,
  arg4,
  timestamp,
};

// Its D name ("probefunc").
const char *var_name(Var v);
// True for probeprov..probename and execname: strings, not numbers.
bool var_is_string(Var v);

// One aggregation (@name), possibly fed by several actions.
struct Aggregation {
  std::string name;  // without '@'; empty for the anonymous one
  uint32_t kind = 0; // DTRACE_IOC_ACT_*
  std::vector<Var> keys;
  int64_t lq_base = 0, lq_limit = 0, lq_step = 0;
  std::string where; // "-n 1, column 12": where it was first defined
};

// One ENABLE: a probe description and its clause's actions.
struct Enabling {
  std::string desc_text;        // as written
  size_t arg = 0;               // index of the -n argument it came from
  dtrace_ioc_enable_t ioc{};    // enabling_id set once enabled
  std::vector<int> action_agg;  // per action: index in Program::aggs, -1 for trace
  std::vector<Var> trace_exprs; // the values the TRACE action prints
};

struct Program {
  std::vector<Aggregation> aggs;
  std::vector<Enabling> enablings;
  size_t nargs = 0; // -n arguments parsed so far

  // The aggregation an AGGSNAP record belongs to, or nullptr.
  const Aggregation *aggregation_of(uint32_t enabling_id, uint32_t action) const;
  // The enabling with that id, or nullptr.
  const Enabling *enabling(uint32_t enabling_id) const;
};

struct ParseError {
  size_t column; // 1-based, in the -n argument
  std::string message;
};

// Parses one -n argument into prog (aggregations merge with those of the
// arguments parsed before). On an error prog is left unchanged.
std::optional<ParseError> parse_program(std::string_view text, Program &prog);

// Parses "provider:module:function:name" into desc; error text on failure.
std::optional<std::string> parse_desc(std::string_view text, dtrace_ioc_desc_t &desc);

// A duration: a number of seconds, or with suffix ns, us, ms, s or m; in ns.
std::optional<long long> parse_duration_ns(std::string_view text);

// The aggregating function's name ("count", "lquantize").
std::string function_name(const Aggregation &a);

} // namespace trace

#endif
