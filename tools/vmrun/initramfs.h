// SPDX-License-Identifier: GPL-2.0
// The guest's whole userspace: busybox, a generated /init, the modules and extra files.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace solcompat::vmrun {

// The prefix of every line /init prints about its steps; the verdict is read from them.
inline constexpr std::string_view step_marker = "SOLCOMPAT-VM: ";

struct GuestFile {
  std::filesystem::path host;
  std::string guest; // absolute path in the guest
};

// Members have initialisers so that designated initialisers may leave any of them out.
struct InitramfsSpec {
  std::filesystem::path busybox{};
  std::vector<std::filesystem::path> modules{}; // loaded in this order, from /modules/<name>
  std::vector<std::string> runs{};              // shell commands, /solcompat/run-<n>.sh
  std::vector<GuestFile> files{};
  // Module parameters by module file name ("x.ko" -> "a=1 b=2"), written to
  // /modules/<name>.params, which /init passes to insmod.
  std::map<std::string, std::string> module_params{};
};

// The /init script for modules named `modules` (file names, "x.ko") and `runs` commands.
// Each insmod gets the words of /modules/<name>.params when that file exists.
// It prints "SOLCOMPAT-VM: boot ok <uname -r>", "insmod <name> rc=<rc>" per module (stopping
// at the first failure), "run <n> rc=<rc>" per command (none if an insmod failed),
// "rmmod <name> rc=<rc>" for each loaded module in reverse order, "done", and powers off.
std::string init_script(const std::vector<std::string> &modules, std::size_t runs);

// Writes the archive as uncompressed newc cpio, which the kernel accepts as an initrd.
// Throws std::runtime_error naming the file that could not be read or written.
void write_initramfs(const InitramfsSpec &spec, const std::filesystem::path &out);

// Why `path` cannot be the only program of an initramfs without libraries (not an x86-64 ELF
// executable, or dynamically linked); empty if it can.
std::string static_binary_problem(const std::filesystem::path &path);

} // namespace solcompat::vmrun
