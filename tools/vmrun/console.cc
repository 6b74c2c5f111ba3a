// SPDX-License-Identifier: GPL-2.0
#include "console.h"

#include <algorithm>
#include <charconv>

namespace solcompat::vmrun {

std::vector<std::string> split_lines(std::string_view log) {
  std::vector<std::string> lines;
  while (!log.empty()) {
    const std::size_t nl = log.find('\n');
    std::string_view line = log.substr(0, nl);
    // The serial port turns "\n" into "\r\n", and the tty layer can add one more '\r'.
    while (line.ends_with('\r'))
      line.remove_suffix(1);
    lines.emplace_back(line);
    if (nl == std::string_view::npos)
      break;
    log.remove_prefix(nl + 1);
  }
  return lines;
}

ConsoleLine parse_console_line(std::string_view raw) {
  // printk pads the seconds to five columns: "[    1.234567] message".
  if (!raw.starts_with('['))
    return {raw, std::nullopt};
  const std::size_t close = raw.find(']');
  if (close == std::string_view::npos)
    return {raw, std::nullopt};
  std::string_view stamp = raw.substr(1, close - 1);
  stamp.remove_prefix(std::min(stamp.find_first_not_of(' '), stamp.size()));
  const std::size_t dot = stamp.find('.');
  const auto is_digits = [](std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (dot == std::string_view::npos || !is_digits(stamp.substr(0, dot)) ||
      !is_digits(stamp.substr(dot + 1)))
    return {raw, std::nullopt};
  double seconds = 0;
  std::from_chars(stamp.data(), stamp.data() + stamp.size(), seconds);
  std::string_view text = raw.substr(close + 1);
  if (text.starts_with(' '))
    text.remove_prefix(1);
  return {text, seconds};
}

std::string join_lines(const std::vector<std::string> &lines, std::size_t first,
                       std::size_t count) {
  std::string out;
  const std::size_t end = std::min(lines.size(), first + count);
  for (std::size_t i = first; i < end; ++i) {
    if (!out.empty())
      out += '\n';
    out += lines[i];
  }
  return out;
}

} // namespace solcompat::vmrun
