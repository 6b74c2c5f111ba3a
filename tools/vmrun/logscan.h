// SPDX-License-Identifier: GPL-2.0
// Finds the kernel's own reports of trouble (oopses, warnings, lockups, ...) in a console
// capture. Any of them fails a run, whatever the tests printed.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "testcase.h"

namespace solcompat::vmrun {

struct PatternHit {
  std::size_t line; // index into the scanned lines
  std::string_view pattern;
};

// The substrings that mark a kernel problem, matched case-sensitively anywhere in a line.
std::span<const std::string_view> failure_patterns();

// Every line that holds a failure pattern, in order (the first pattern found names the hit).
std::vector<PatternHit> scan_for_failures(const std::vector<std::string> &lines);

// The rig's "clean-log" case: passes when no line holds a failure pattern, else fails quoting
// the first hit with the 20 lines that follow it, and then the other hits.
TestCase check_clean_log(const std::vector<std::string> &lines);

} // namespace solcompat::vmrun
