// SPDX-License-Identifier: GPL-2.0
// Writer for the "newc" cpio format (magic 070701), the one the kernel unpacks as an initramfs.
#pragma once

#include <cstdint>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

namespace solcompat::vmrun {

// Streams entries to `out` as they are added. Paths are absolute or relative to the archive
// root; missing parent directories are added first (mode 0755), because the kernel's
// unpacker does not create them. Bad or duplicate paths throw std::invalid_argument; stream
// errors are left for the caller to check on `out`.
class CpioWriter {
public:
  explicit CpioWriter(std::ostream &out) : out_(out) {}

  void add_directory(std::string_view path, std::uint32_t perm = 0755);
  void add_file(std::string_view path, std::string_view data, std::uint32_t perm);
  void add_symlink(std::string_view path, std::string_view target);
  void add_char_device(std::string_view path, std::uint32_t perm, std::uint32_t major,
                       std::uint32_t minor);
  // Writes the "TRAILER!!!" entry that ends the archive.
  void finish();

private:
  struct Entry {
    std::uint32_t mode = 0;
    std::uint32_t nlink = 1;
    std::uint32_t rdev_major = 0;
    std::uint32_t rdev_minor = 0;
  };

  std::string claim(std::string_view path);
  void write_entry(std::string_view name, const Entry &entry, std::string_view data);

  std::ostream &out_;
  std::set<std::string, std::less<>> paths_;
  std::uint32_t next_ino_ = 1;
  std::uint64_t offset_ = 0;
};

} // namespace solcompat::vmrun
