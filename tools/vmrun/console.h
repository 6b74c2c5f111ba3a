// SPDX-License-Identifier: GPL-2.0
// The guest's serial console as QEMU hands it over: CRLF line ends, and kernel messages that
// carry printk's "[    1.234567] " time prefix while userspace output does not.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace solcompat::vmrun {

struct ConsoleLine {
  std::string_view text;      // the message without the time prefix
  std::optional<double> time; // seconds since boot, for kernel messages
};

// Splits a console capture into lines without their "\r\n"; a last unterminated line is kept.
std::vector<std::string> split_lines(std::string_view log);

// Separates printk's time prefix from the message. Lines without one come back unchanged.
ConsoleLine parse_console_line(std::string_view raw);

// Joins lines [first, first + count) (clamped to the end) with '\n', for quoting in reports.
std::string join_lines(const std::vector<std::string> &lines, std::size_t first, std::size_t count);

} // namespace solcompat::vmrun
