// SPDX-License-Identifier: GPL-2.0
// One test case of a VM run: a KTAP result or one of the rig's own steps (boot, insmod, ...).
#pragma once

#include <optional>
#include <string>

namespace solcompat::vmrun {

enum class Status { passed, failed, skipped };

// Members have initialisers so that designated initialisers may leave any of them out.
struct TestCase {
  std::string name{};
  Status status = Status::passed;
  std::string message{}; // one line: why it failed or was skipped
  std::string details{}; // several lines: the console lines that back the message
  std::optional<double> seconds{};
};

} // namespace solcompat::vmrun
