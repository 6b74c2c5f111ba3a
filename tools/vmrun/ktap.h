// SPDX-License-Identifier: GPL-2.0
// Reads KTAP (and TAP 13/14) results out of a kernel console capture.
#pragma once

#include <string>
#include <vector>

#include "testcase.h"

namespace solcompat::vmrun {

// Parses every KTAP document in `lines` (raw console lines; printk time prefixes are removed
// here). A document starts at a version line ("KTAP version 1", "TAP version 13/14") and runs
// to the next one at the same or a smaller indentation, or to the end of the capture. Lines
// that are not KTAP (kernel messages, userspace output) may be interleaved anywhere and are
// ignored, as the KTAP spec asks.
//
// - A result line is one case, named by its description ("test N" if it has none).
// - A nested block (indented further: a version line, "# Subtest:", a plan or results) holds
//   subtests; its cases are named "parent.child" after the parent's result line. That result
//   line adds a case of its own only when it reports a failure no subtest explains.
// - "# SKIP" and "# TODO" directives make a case skipped, with the rest as the reason.
// - "# ..." diagnostic lines just before a result line belong to that result and become its
//   details: the KTAP spec puts a test's diagnostics before its result line, and that is what
//   KUnit and tests/kernel/sctest_kmod.c print.
// - A plan that does not match the number of results, or a version line followed by neither a
//   plan nor a result, adds a failed case "ktap.plan" (top level) or "<parent>.plan".
// Case times are the gaps between printk time stamps of consecutive KTAP lines, where known.
std::vector<TestCase> parse_ktap(const std::vector<std::string> &lines);

} // namespace solcompat::vmrun
