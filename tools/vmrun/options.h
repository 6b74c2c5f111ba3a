// SPDX-License-Identifier: GPL-2.0
// solcompat-vm's command line.
#pragma once

#include <filesystem>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "initramfs.h"

namespace solcompat::vmrun {

struct Options {
  std::filesystem::path kernel;
  std::string release;
  std::vector<std::filesystem::path> modules;
  std::map<std::string, std::string> module_params; // --params NAME.ko=ARGS
  std::vector<std::string> runs;
  int cpus = 2;
  int memory_mib = 512;
  int timeout_s = 180;
  std::filesystem::path log;     // default: <workdir>/serial-<release>.log
  std::filesystem::path junit;   // empty: no JUnit file
  std::filesystem::path workdir; // default: ./vm-<release>
  std::filesystem::path busybox = "/bin/busybox";
  std::string append;
  bool console = false;
  std::vector<GuestFile> files;
  std::string accel = "tcg"; // tcg, tcg-single, tcg-icount, kvm or auto
  bool help = false;
};

// A command line that cannot be run; the message says what is wrong.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr std::string_view usage_line =
    "solcompat-vm --kernel VMLINUZ --release REL [--module FILE.ko]... [--params NAME.ko=ARGS]... "
    "[--run 'SHELL CMD']... "
    "[--cpus N] [--memory MiB] [--timeout SEC] [--log FILE] [--junit FILE] [--workdir DIR] "
    "[--busybox PATH] [--append 'CMDLINE'] [--console] [--file HOSTPATH:GUESTPATH]... "
    "[--accel tcg|tcg-single|tcg-icount|kvm|auto]";

// The --help text.
std::string help_text();

// Parses the arguments after the program name ("--opt VALUE" or "--opt=VALUE") and fills in
// the defaults that depend on other options. Throws UsageError.
Options parse_options(std::span<const std::string_view> args);

} // namespace solcompat::vmrun
