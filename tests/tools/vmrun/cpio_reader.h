// SPDX-License-Identifier: GPL-2.0
// A strict newc reader for the tests: it checks what the kernel's unpacker relies on (magic,
// 4-byte alignment of headers and data, the trailer) while reading the archive back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace solcompat::vmrun::testing {

struct CpioEntry {
  std::string name;
  std::uint32_t ino = 0;
  std::uint32_t mode = 0;
  std::uint32_t nlink = 0;
  std::uint32_t rdev_major = 0;
  std::uint32_t rdev_minor = 0;
  std::string data;
};

// Returns the entries before the trailer; throws std::runtime_error on any format error.
std::vector<CpioEntry> read_cpio(std::string_view archive);

} // namespace solcompat::vmrun::testing
