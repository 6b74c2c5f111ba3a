// SPDX-License-Identifier: GPL-2.0
#include "logscan.h"

#include <array>

#include "console.h"

namespace solcompat::vmrun {

namespace {

constexpr std::size_t context_lines = 20; // quoted after the first hit: a whole oops is ~40
constexpr std::size_t listed_hits = 20;   // further hits listed, one line each

constexpr std::array<std::string_view, 13> patterns = {
    "BUG:",
    "WARNING:",
    "Oops",
    "Call Trace",
    "soft lockup",
    "hard LOCKUP",
    "Kernel panic",
    "rcu: INFO: rcu_",
    "general protection fault",
    "kernel BUG at",
    "UBSAN:",
    "list_add corruption",
    "list_del corruption",
};

} // namespace

std::span<const std::string_view> failure_patterns() { return patterns; }

std::vector<PatternHit> scan_for_failures(const std::vector<std::string> &lines) {
  std::vector<PatternHit> hits;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    for (const std::string_view pattern : failure_patterns()) {
      if (lines[i].find(pattern) != std::string::npos) {
        hits.push_back({i, pattern});
        break;
      }
    }
  }
  return hits;
}

TestCase check_clean_log(const std::vector<std::string> &lines) {
  TestCase c{.name = "clean-log"};
  const std::vector<PatternHit> hits = scan_for_failures(lines);
  if (hits.empty())
    return c;
  const PatternHit &first = hits.front();
  c.status = Status::failed;
  c.message = "kernel reported a problem (" + std::to_string(hits.size()) +
              (hits.size() == 1 ? " line" : " lines") + " with failure patterns, first at line " +
              std::to_string(first.line + 1) +
              "): " + std::string(parse_console_line(lines[first.line]).text);
  c.details = join_lines(lines, first.line, context_lines + 1);
  const std::size_t quoted_end = first.line + context_lines + 1;
  std::size_t listed = 0;
  for (const PatternHit &hit : hits) {
    if (hit.line < quoted_end)
      continue;
    if (listed == 0)
      c.details += "\n--- further lines with failure patterns:";
    if (listed++ == listed_hits) {
      c.details += "\n...";
      break;
    }
    c.details += "\n" + lines[hit.line];
  }
  return c;
}

} // namespace solcompat::vmrun
