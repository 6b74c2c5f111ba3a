// SPDX-License-Identifier: GPL-2.0
#include "options.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>

namespace solcompat::vmrun {

namespace {

int to_int(std::string_view option, std::string_view value, int min, int max) {
  int n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || n < min || n > max)
    throw UsageError(std::string(option) + " wants a whole number from " + std::to_string(min) +
                     " to " + std::to_string(max) + ", not '" + std::string(value) + "'");
  return n;
}

// Module file names end up in /init and in the guest's file system: keep them to characters
// that need no quoting.
void check_module(const std::filesystem::path &path) {
  const std::string name = path.filename().string();
  const bool plain = std::ranges::all_of(name, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
  if (!name.ends_with(".ko") || name.size() == 3 || !plain)
    throw UsageError("--module " + path.string() +
                     ": expected a file name like name.ko (letters, digits, '_', '-', '.')");
}

GuestFile to_guest_file(std::string_view value) {
  // The guest path is absolute, so the split is at the last ":/" (host paths may hold ':').
  const std::size_t split = value.rfind(":/");
  if (split == std::string_view::npos || split == 0)
    throw UsageError("--file wants HOSTPATH:GUESTPATH with an absolute GUESTPATH, not '" +
                     std::string(value) + "'");
  GuestFile f{std::filesystem::path(value.substr(0, split)), std::string(value.substr(split + 1))};
  if (f.guest.ends_with('/') || f.guest.find("/../") != std::string::npos ||
      f.guest.ends_with("/.."))
    throw UsageError("--file " + std::string(value) + ": GUESTPATH must name a file");
  return f;
}

} // namespace

std::string help_text() {
  return "Usage: " + std::string(usage_line) + R"(

Boots a kernel in QEMU with a generated busybox initramfs, loads the given modules in order,
runs the given shell commands, unloads the modules, powers off, and turns the serial console
(KTAP results, module load status, kernel warnings and oopses) into test results.
A crash the code under test cannot have caused (the kernel ended before /init ran, or
faulted right after a cmpxchg16b outside the modules: QEMU's TCG fault) is booted once more;
the first boot's serial log is kept as <log>.boot1.

  --kernel VMLINUZ     kernel image to boot (see /var/cache/solcompat/matrix.txt)
  --release REL        its release (uname -r); names the results and default paths
  --module FILE.ko     module to insmod, in order; repeatable
  --params NAME.ko=ARGS  parameters for a --module's insmod (e.g. 'x.ko=debug=1 n=2');
                       repeatable
  --run 'SHELL CMD'    command to run in the guest after the modules load; repeatable
  --cpus N             guest CPUs (default 2)
  --memory MiB         guest memory (default 512)
  --timeout SEC        hard limit for the whole boot (default 180)
  --log FILE           serial console log (default <workdir>/serial-<REL>.log)
  --junit FILE         also write JUnit XML results here
  --workdir DIR        where the initramfs goes (default ./vm-<REL>)
  --busybox PATH       statically linked busybox for the guest (default /bin/busybox)
  --append 'CMDLINE'   extra kernel command line
  --console            stream the guest console to stdout as it runs
  --file HOST:GUEST    copy a host file into the initramfs at GUEST; repeatable
  --accel tcg|tcg-single|tcg-icount|kvm|auto  QEMU accelerator (default tcg; tcg-single:
                       one host thread for all vCPUs; tcg-icount: tcg-single with guest time
                       counted in instructions, 1 ns each, for steady benchmark ratios; auto
                       picks tcg and says why)
  --help               show this text

Exit status: 0 all test cases passed, 1 a test case failed, 2 bad usage or setup (a missing
kernel, busybox or QEMU: run tools/setup.sh).
)";
}

Options parse_options(std::span<const std::string_view> args) {
  Options o;
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (!arg.starts_with("--"))
      throw UsageError("unexpected argument '" + std::string(arg) + "' (options start with --)");
    std::string_view name = arg;
    std::optional<std::string_view> inline_value;
    if (const std::size_t eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    const auto flag = [&] {
      if (inline_value)
        throw UsageError(std::string(name) + " takes no value");
    };
    const auto value = [&]() -> std::string_view {
      if (inline_value)
        return *inline_value;
      if (i + 1 >= args.size())
        throw UsageError(std::string(name) + " needs a value");
      return args[++i];
    };
    const bool repeatable =
        name == "--module" || name == "--run" || name == "--file" || name == "--params";
    if (!repeatable && !seen.insert(std::string(name)).second)
      throw UsageError(std::string(name) + " given twice");

    if (name == "--help") {
      flag();
      o.help = true;
    } else if (name == "--console") {
      flag();
      o.console = true;
    } else if (name == "--kernel") {
      o.kernel = value();
    } else if (name == "--release") {
      o.release = value();
    } else if (name == "--module") {
      o.modules.emplace_back(value());
    } else if (name == "--params") {
      const std::string v(value());
      const std::size_t eq = v.find('=');
      if (eq == std::string::npos || eq == 0)
        throw UsageError("--params wants NAME.ko=ARGS, not '" + v + "'");
      const std::string args = v.substr(eq + 1);
      // Words for insmod, split by the guest shell: no characters it would expand.
      const bool plain = std::ranges::all_of(args, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '.' || c == '=' || c == ',' || c == ' ' || c == '/';
      });
      if (!plain)
        throw UsageError("--params " + v +
                         ": parameters may hold letters, digits and _ - . = , / and spaces");
      if (!o.module_params.emplace(v.substr(0, eq), args).second)
        throw UsageError("--params for " + v.substr(0, eq) + " given twice");
    } else if (name == "--run") {
      o.runs.emplace_back(value());
    } else if (name == "--cpus") {
      o.cpus = to_int(name, value(), 1, 64);
    } else if (name == "--memory") {
      o.memory_mib = to_int(name, value(), 128, 65536);
    } else if (name == "--timeout") {
      o.timeout_s = to_int(name, value(), 1, 86400);
    } else if (name == "--log") {
      o.log = value();
    } else if (name == "--junit") {
      o.junit = value();
    } else if (name == "--workdir") {
      o.workdir = value();
    } else if (name == "--busybox") {
      o.busybox = value();
    } else if (name == "--append") {
      o.append = value();
    } else if (name == "--file") {
      o.files.push_back(to_guest_file(value()));
    } else if (name == "--accel") {
      o.accel = value();
      if (o.accel != "tcg" && o.accel != "tcg-single" && o.accel != "tcg-icount" &&
          o.accel != "kvm" && o.accel != "auto")
        throw UsageError("--accel wants tcg, tcg-single, tcg-icount, kvm or auto, not '" + o.accel +
                         "'");
    } else {
      throw UsageError("unknown option " + std::string(name));
    }
  }
  if (o.help)
    return o;
  if (o.kernel.empty())
    throw UsageError("--kernel is required (a vmlinuz from /var/cache/solcompat/matrix.txt)");
  if (o.release.empty())
    throw UsageError("--release is required (the kernel's uname -r)");
  if (o.release.find('/') != std::string::npos || o.release.starts_with('.'))
    throw UsageError("--release '" + o.release + "' is not a kernel release name");
  std::set<std::string> names;
  for (const std::filesystem::path &m : o.modules) {
    check_module(m);
    if (!names.insert(m.filename().string()).second)
      throw UsageError("--module " + m.filename().string() + " given twice");
  }
  for (const auto &[module, args] : o.module_params)
    if (!names.contains(module))
      throw UsageError("--params " + module + "=" + args + ": no --module named " + module);
  if (o.workdir.empty())
    o.workdir = "vm-" + o.release;
  if (o.log.empty())
    o.log = o.workdir / ("serial-" + o.release + ".log");
  return o;
}

} // namespace solcompat::vmrun
