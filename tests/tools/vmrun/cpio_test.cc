// SPDX-License-Identifier: GPL-2.0
#include "cpio.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "cpio_reader.h"

namespace solcompat::vmrun {
namespace {

using testing::CpioEntry;
using testing::read_cpio;

std::string build(const std::function<void(CpioWriter &)> &fill) {
  std::ostringstream out;
  CpioWriter writer(out);
  fill(writer);
  writer.finish();
  return out.str();
}

TEST(Cpio, EmptyArchiveIsJustTheTrailer) {
  const std::string archive = build([](CpioWriter &) {});
  EXPECT_EQ(archive.size(), 124u); // 110 + "TRAILER!!!\0" (11) padded to 4
  EXPECT_TRUE(read_cpio(archive).empty());
}

TEST(Cpio, EntriesReadBackWithNamesModesAndContents) {
  const std::string archive = build([](CpioWriter &w) {
    w.add_directory("/bin");
    w.add_file("/bin/tool", "#!/bin/sh\necho hi\n", 0755);
    w.add_symlink("/bin/sh", "tool");
    w.add_char_device("/dev/console", 0600, 5, 1);
    w.add_file("/empty", "", 0644);
  });
  const std::vector<CpioEntry> entries = read_cpio(archive);
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_EQ(entries[0].name, "bin");
  EXPECT_EQ(entries[0].mode, static_cast<std::uint32_t>(S_IFDIR | 0755));
  EXPECT_EQ(entries[0].nlink, 2u);
  EXPECT_EQ(entries[1].name, "bin/tool");
  EXPECT_EQ(entries[1].mode, static_cast<std::uint32_t>(S_IFREG | 0755));
  EXPECT_EQ(entries[1].data, "#!/bin/sh\necho hi\n");
  EXPECT_EQ(entries[2].name, "bin/sh");
  EXPECT_EQ(entries[2].mode, static_cast<std::uint32_t>(S_IFLNK | 0777));
  EXPECT_EQ(entries[2].data, "tool");
  EXPECT_EQ(entries[3].name, "dev"); // parent added on demand, before its child
  EXPECT_EQ(entries[3].mode, static_cast<std::uint32_t>(S_IFDIR | 0755));
  EXPECT_EQ(entries[4].name, "dev/console");
  EXPECT_EQ(entries[4].mode, static_cast<std::uint32_t>(S_IFCHR | 0600));
  EXPECT_EQ(entries[4].rdev_major, 5u);
  EXPECT_EQ(entries[4].rdev_minor, 1u);
  EXPECT_EQ(entries[5].name, "empty");
  EXPECT_TRUE(entries[5].data.empty());
  std::set<std::uint32_t> inodes;
  for (const CpioEntry &e : entries)
    EXPECT_TRUE(inodes.insert(e.ino).second) << "inode reused by " << e.name;
}

TEST(Cpio, AlignmentHoldsForEveryNameAndDataLength) {
  // Name lengths 1..8 and data lengths 0..8 cover every padding case of both rules: header
  // plus name, and data, each end on a multiple of 4.
  const std::string archive = build([](CpioWriter &w) {
    for (int name_len = 1; name_len <= 8; ++name_len)
      for (int data_len = 0; data_len <= 8; ++data_len)
        w.add_file(std::string(static_cast<std::size_t>(name_len), 'a') + "/" +
                       std::to_string(data_len),
                   std::string(static_cast<std::size_t>(data_len), 'x'), 0644);
  });
  EXPECT_EQ(archive.size() % 4, 0u);
  const std::vector<CpioEntry> entries = read_cpio(archive); // throws on misalignment
  std::size_t files = 0;
  for (const CpioEntry &e : entries) {
    if ((e.mode & S_IFMT) != S_IFREG)
      continue;
    ++files;
    EXPECT_EQ(e.data, std::string(std::stoul(e.name.substr(e.name.find('/') + 1)), 'x'));
  }
  EXPECT_EQ(files, 72u);
}

TEST(Cpio, RejectsBadAndDuplicatePaths) {
  std::ostringstream out;
  CpioWriter w(out);
  w.add_file("/a/b", "x", 0644);
  EXPECT_THROW(w.add_file("a/b", "y", 0644), std::invalid_argument);
  EXPECT_THROW(w.add_directory("/a"), std::invalid_argument);
  EXPECT_THROW(w.add_file("", "x", 0644), std::invalid_argument);
  EXPECT_THROW(w.add_file("/", "x", 0644), std::invalid_argument);
  EXPECT_THROW(w.add_file("a/../etc", "x", 0644), std::invalid_argument);
  EXPECT_THROW(w.add_file("a//c", "x", 0644), std::invalid_argument);
  EXPECT_THROW(w.add_file("./c", "x", 0644), std::invalid_argument);
  EXPECT_THROW(w.add_file("TRAILER!!!", "x", 0644), std::invalid_argument);
}

TEST(Cpio, SystemCpioListsTheArchive) {
  // A second opinion from GNU cpio, when it is installed.
  if (::access("/usr/bin/cpio", X_OK) != 0)
    GTEST_SKIP() << "cpio is not installed (apt-get install cpio); the reader tests cover this";
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("vmrun-cpio-test-" + std::to_string(::getpid()));
  {
    std::ofstream file(path, std::ios::binary);
    file << build([](CpioWriter &w) {
      w.add_file("/bin/busybox", "ELF", 0755);
      w.add_symlink("/bin/sh", "busybox");
      w.add_file("/init", "#!/bin/sh\n", 0755);
    });
  }
  FILE *pipe = ::popen(("cpio -it --quiet < " + path.string() + " 2>&1").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string listing;
  char buf[256];
  while (std::fgets(buf, sizeof buf, pipe))
    listing += buf;
  EXPECT_EQ(::pclose(pipe), 0) << listing;
  std::filesystem::remove(path);
  EXPECT_EQ(listing, "bin\nbin/busybox\nbin/sh\ninit\n");
}

} // namespace
} // namespace solcompat::vmrun
