// SPDX-License-Identifier: GPL-2.0
//
// The trace program: what the user asked for on the command line, parsed
// into ioctl-ready enablings. Grammar of one -e argument:
//
//   DESC ACTION [ACTION ...]
//   DESC    provider:module:function:name (fewer fields fill from the right:
//           "tick-1s" is :::tick-1s, as in DTrace); globs * ? [set]
//   ACTION  trace | count | sum(argN) | min(argN) | max(argN) | avg(argN)
//           | quantize(argN) | lquantize(argN, base, limit, step)
//           optionally followed by "by argN" to key the aggregation by an
//           argument in addition to the probe
//
// Errors name the offending word and say what would be accepted.
#ifndef SOLCOMPAT_TOOLS_TRACE_PROGRAM_H
#define SOLCOMPAT_TOOLS_TRACE_PROGRAM_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sys/dtrace_ioctl.h"

namespace trace {

struct Enabling {
  std::string text;  // the -e argument, for messages
  dtrace_ioc_enable_t ioc{};
};

// Parses "provider:module:function:name" into desc; error text on failure.
std::optional<std::string> parse_desc(std::string_view text, dtrace_ioc_desc_t &desc);

// Parses one -e argument; error text on failure.
std::optional<std::string> parse_enabling(std::string_view text, Enabling &out);

// Parses a duration like "5", "5s", "250ms", "2m" into milliseconds.
std::optional<long long> parse_duration_ms(std::string_view text);

// The action's name as written ("quantize(arg1)").
std::string action_name(const dtrace_ioc_action_t &a);

}  // namespace trace

#endif
