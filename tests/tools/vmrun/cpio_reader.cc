// SPDX-License-Identifier: GPL-2.0
#include "cpio_reader.h"

#include <charconv>
#include <stdexcept>

namespace solcompat::vmrun::testing {

namespace {

constexpr std::size_t header_size = 110; // "070701" and 13 fields of 8 hex digits

std::uint32_t hex_field(std::string_view header, int index) {
  const std::string_view text = header.substr(6 + 8 * static_cast<std::size_t>(index), 8);
  std::uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (ec != std::errc() || end != text.data() + text.size())
    throw std::runtime_error("bad hex field '" + std::string(text) + "'");
  return value;
}

} // namespace

std::vector<CpioEntry> read_cpio(std::string_view archive) {
  std::vector<CpioEntry> entries;
  std::size_t pos = 0;
  while (true) {
    if (pos % 4 != 0)
      throw std::runtime_error("header at " + std::to_string(pos) + " is not 4-byte aligned");
    if (archive.size() < pos + header_size)
      throw std::runtime_error("archive ends inside a header (no trailer?)");
    const std::string_view header = archive.substr(pos, header_size);
    if (!header.starts_with("070701"))
      throw std::runtime_error("bad magic at " + std::to_string(pos));
    CpioEntry e;
    e.ino = hex_field(header, 0);
    e.mode = hex_field(header, 1);
    e.nlink = hex_field(header, 4);
    const std::uint32_t size = hex_field(header, 6);
    e.rdev_major = hex_field(header, 9);
    e.rdev_minor = hex_field(header, 10);
    const std::uint32_t namesize = hex_field(header, 11);
    if (namesize == 0 || archive.size() < pos + header_size + namesize)
      throw std::runtime_error("bad name size");
    const std::string_view name = archive.substr(pos + header_size, namesize);
    if (name.back() != '\0')
      throw std::runtime_error("name is not NUL-terminated");
    e.name = std::string(name.substr(0, namesize - 1));
    std::size_t data = pos + header_size + namesize;
    while (data % 4 != 0) {
      if (archive.at(data++) != '\0')
        throw std::runtime_error("non-zero padding after the name of " + e.name);
    }
    if (archive.size() < data + size)
      throw std::runtime_error("data of " + e.name + " runs past the end");
    e.data = std::string(archive.substr(data, size));
    pos = data + size;
    while (pos % 4 != 0) {
      if (archive.at(pos++) != '\0')
        throw std::runtime_error("non-zero padding after the data of " + e.name);
    }
    if (e.name == "TRAILER!!!")
      break;
    entries.push_back(std::move(e));
  }
  if (pos != archive.size())
    throw std::runtime_error("bytes after the trailer");
  return entries;
}

} // namespace solcompat::vmrun::testing
