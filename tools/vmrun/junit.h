// SPDX-License-Identifier: GPL-2.0
// JUnit XML for CI systems: one <testsuite> per kernel release.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "testcase.h"

namespace solcompat::vmrun {

// Escapes text for XML content and attribute values. Control characters that XML 1.0 cannot
// carry at all (console escape sequences, NULs) and bytes that are not valid UTF-8 become
// visible "\xNN" text instead of making the file unreadable.
std::string xml_escape(std::string_view text);

void write_junit(std::ostream &out, std::string_view suite, const std::vector<TestCase> &cases,
                 std::optional<double> seconds);

} // namespace solcompat::vmrun
