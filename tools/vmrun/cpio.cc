// SPDX-License-Identifier: GPL-2.0
#include "cpio.h"

#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace solcompat::vmrun {

namespace {

// Splits "a/b/c" (leading '/' allowed) into its normalised form, rejecting anything the
// kernel's unpacker would resolve outside the archive root or treat ambiguously.
std::string normalise(std::string_view path) {
  while (path.starts_with('/'))
    path.remove_prefix(1);
  if (path.empty())
    throw std::invalid_argument("cpio: empty path");
  std::string out;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (part.empty() || part == "." || part == "..")
      throw std::invalid_argument("cpio: bad path component in '" + std::string(path) + "'");
    if (!out.empty())
      out += '/';
    out += part;
    if (slash == std::string_view::npos)
      break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

} // namespace

std::string CpioWriter::claim(std::string_view path) {
  std::string name = normalise(path);
  for (std::size_t slash = name.find('/'); slash != std::string::npos;
       slash = name.find('/', slash + 1)) {
    const std::string parent = name.substr(0, slash);
    if (!paths_.contains(parent))
      add_directory(parent);
  }
  if (name == "TRAILER!!!")
    throw std::invalid_argument("cpio: 'TRAILER!!!' would end the archive early");
  if (!paths_.insert(name).second)
    throw std::invalid_argument("cpio: duplicate path '/" + name + "'");
  return name;
}

void CpioWriter::add_directory(std::string_view path, std::uint32_t perm) {
  const std::string name = claim(path);
  write_entry(name, {.mode = S_IFDIR | (perm & 07777), .nlink = 2}, {});
}

void CpioWriter::add_file(std::string_view path, std::string_view data, std::uint32_t perm) {
  if (data.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("cpio: '" + std::string(path) + "' is 4 GiB or larger");
  const std::string name = claim(path);
  write_entry(name, {.mode = S_IFREG | (perm & 07777)}, data);
}

void CpioWriter::add_symlink(std::string_view path, std::string_view target) {
  const std::string name = claim(path);
  write_entry(name, {.mode = S_IFLNK | 0777}, target);
}

void CpioWriter::add_char_device(std::string_view path, std::uint32_t perm, std::uint32_t major,
                                 std::uint32_t minor) {
  const std::string name = claim(path);
  write_entry(name, {.mode = S_IFCHR | (perm & 07777), .rdev_major = major, .rdev_minor = minor},
              {});
}

void CpioWriter::finish() { write_entry("TRAILER!!!", {}, {}); }

void CpioWriter::write_entry(std::string_view name, const Entry &entry, std::string_view data) {
  // newc header: magic and 13 fields of 8 hex digits. Owner root, mtime 0 so that the same
  // inputs give the same archive; the trailer gets inode 0 like every other cpio writer's.
  const bool trailer = name == "TRAILER!!!";
  const std::array<std::uint32_t, 13> fields = {
      trailer ? 0 : next_ino_++,                   // c_ino
      entry.mode,                                  // c_mode
      0,                                           // c_uid
      0,                                           // c_gid
      entry.nlink,                                 // c_nlink
      0,                                           // c_mtime
      static_cast<std::uint32_t>(data.size()),     // c_filesize
      0,                                           // c_devmajor
      0,                                           // c_devminor
      entry.rdev_major,                            // c_rdevmajor
      entry.rdev_minor,                            // c_rdevminor
      static_cast<std::uint32_t>(name.size() + 1), // c_namesize, with the NUL
      0,                                           // c_check, unused by newc
  };
  std::string header = "070701";
  for (const std::uint32_t field : fields) {
    std::array<char, 9> hex{};
    std::snprintf(hex.data(), hex.size(), "%08X", static_cast<unsigned>(field));
    header.append(hex.data(), 8);
  }
  header.append(name);
  header.push_back('\0');
  // The header plus name, and then the data, each end on a 4-byte boundary of the archive.
  const auto pad = [](std::uint64_t n) { return static_cast<std::size_t>((4 - n % 4) % 4); };
  header.append(pad(offset_ + header.size()), '\0');
  out_.write(header.data(), static_cast<std::streamsize>(header.size()));
  out_.write(data.data(), static_cast<std::streamsize>(data.size()));
  out_.write("\0\0\0", static_cast<std::streamsize>(pad(data.size())));
  offset_ += header.size() + data.size() + pad(data.size());
}

} // namespace solcompat::vmrun
