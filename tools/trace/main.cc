// SPDX-License-Identifier: GPL-2.0
//
// soltrace: the consumer of the dtrace pseudo-device, with DTrace's
// command-line conventions and a subset of D (program.h):
//
//   soltrace -l [-v] [-P provider] [-m module] [-f function] [-n description]
//   soltrace [-q] [--json] [-d DURATION] [-b BYTES] [--device PATH] -n 'PROGRAM' ...
//
// Enables every probe description of the programs, starts tracing, prints
// trace records as they are switched out of the per-CPU buffers, and after
// DURATION or Ctrl-C stops, drains the buffers and prints the aggregations.
// Exit status: 0 ok, 1 runtime or device error, 2 usage or syntax error.
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fnmatch.h>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "device.h"
#include "program.h"
#include "report.h"

namespace {

volatile std::sig_atomic_t interrupted = 0;

void usage(std::ostream &os) {
  os << "usage:\n"
        "  soltrace -l [-v] [-P provider] [-m module] [-f function] [-n description]\n"
        "  soltrace [-q] [--json] [-d DURATION] [-b BYTES] [--device PATH] -n 'PROGRAM' "
        "[-n 'PROGRAM' ...]\n"
        "\n"
        "  -l         list the probes (the filters combine; -n takes a full or partial\n"
        "             description, -P/-m/-f globs of one field); -v also shows enablings\n"
        "             and the probes a provider refused to create, with the reason\n"
        "  -n         a program (several -n are one program: the same @name merges)\n"
        "  -q         print no trace records, only the aggregations\n"
        "  --json     print one JSON document (aggregations, records, drops) at the end\n"
        "  -d         trace for DURATION: seconds, or with suffix ns, us, ms, s, m\n"
        "             (default: until Ctrl-C or SIGTERM)\n"
        "  -b         per-CPU trace buffer size in bytes (default 256 KiB)\n"
        "  --device   the device (default /dev/dtrace)\n"
        "\n"
        "PROGRAM (a subset of D):\n"
        "  program  := clause+\n"
        "  clause   := desc [, desc ...] [ { stmt ... } ]   (no body: trace each firing)\n"
        "  desc     := provider:module:function:name, globs * ? [set]; fewer fields\n"
        "              fill from the right ('tick-1s' is ':::tick-1s')\n"
        "  stmt     := @name[key, ...] = aggfunc;  |  trace(expr);\n"
        "  aggfunc  := count() sum(expr) min(expr) max(expr) avg(expr) quantize(expr)\n"
        "              lquantize(expr, base, limit, step)\n"
        "  key/expr := probeprov probemod probefunc probename cpu pid execname\n"
        "              arg0..arg4 timestamp\n"
        "  Keys other than probe* take one word each, execname two; two words at most.\n"
        "  Values are cpu, pid, timestamp or argN. '@' alone is the anonymous\n"
        "  aggregation. The ';' before '}' may be left out.\n"
        "\n"
        "Output: trace records as they arrive; at the end each aggregation sorted by\n"
        "value, preceded by its @name when the program has several; a summary of\n"
        "firings and drops on stderr.\n"
        "\n"
        "examples:\n"
        "  soltrace -l -n 'sdt:::'\n"
        "  soltrace -d 5s -n 'profile:::profile-997 { @[cpu] = count(); }'\n"
        "  soltrace -q -n 'sdt:sdt_test:fire:hit { @[probefunc] = count(); @q = quantize(arg0); "
        "}'\n";
}

void error(const std::string &msg) { std::cerr << "soltrace: " << msg << "\n"; }

trace::ProbeNames probe_names(trace::Device &dev) {
  trace::ProbeNames names;
  for (const auto &p : dev.list(dtrace_ioc_desc_t{}, false))
    names[p.id] = {p.desc.provider, p.desc.mod, p.desc.func, p.desc.name};
  return names;
}

struct ListOptions {
  bool verbose = false;
  std::string provider, mod, func;
  std::vector<std::string> descs;
};

int do_list(trace::Device &dev, const ListOptions &o) {
  std::map<uint32_t, dtrace_ioc_probe_t> found;
  std::vector<std::string> descs = o.descs;
  if (descs.empty())
    descs.push_back("");
  for (const auto &text : descs) {
    dtrace_ioc_desc_t filter{};
    if (auto err = trace::parse_desc(text, filter)) {
      error("-n '" + text + "': " + *err);
      return 2;
    }
    for (const auto &p : dev.list(filter, !text.empty())) {
      auto match = [](const std::string &glob, const char *s) {
        return glob.empty() || ::fnmatch(glob.c_str(), s, 0) == 0;
      };
      if (match(o.provider, p.desc.provider) && match(o.mod, p.desc.mod) &&
          match(o.func, p.desc.func))
        found[p.id] = p;
    }
  }
  std::printf("%5s %10s %17s %33s %s\n", "ID", "PROVIDER", "MODULE", "FUNCTION", "NAME");
  for (const auto &[id, p] : found) {
    std::printf("%5u %10s %17s %33s %s\n", p.id, p.desc.provider, p.desc.mod, p.desc.func,
                p.desc.name);
    if (o.verbose)
      std::printf("\tenablings (all consumers): %u\n", p.nenablings);
  }
  // -v: what the providers refused to probe for these descriptions, and why
  // (fbt: the kprobe blacklist, this project's own firing path, ...).
  size_t nrefused = 0;
  if (o.verbose) {
    std::map<std::string, dtrace_ioc_refusal_t> refused;
    uint32_t dropped = 0;
    for (const auto &text : descs) {
      dtrace_ioc_desc_t filter{};
      (void)trace::parse_desc(text, filter);
      for (const auto &r : dev.refused(filter, &dropped)) {
        auto match = [](const std::string &glob, const char *s) {
          return glob.empty() || ::fnmatch(glob.c_str(), s, 0) == 0;
        };
        if (match(o.provider, r.desc.provider) && match(o.mod, r.desc.mod) &&
            match(o.func, r.desc.func))
          refused[std::string(r.desc.provider) + ":" + r.desc.mod + ":" + r.desc.func + ":" +
                  r.desc.name] = r;
      }
    }
    for (const auto &[name, r] : refused)
      std::printf("%5s %10s %17s %33s %s\n\trefused: %s\n", "-", r.desc.provider, r.desc.mod,
                  r.desc.func, r.desc.name, r.reason);
    nrefused = refused.size();
    if (dropped > 0)
      error(std::to_string(dropped) + " refusals were not recorded (the kernel's table is full)");
  }
  if (found.empty() && nrefused == 0 &&
      (!o.descs.empty() || !o.provider.empty() || !o.mod.empty() || !o.func.empty())) {
    error("no probe matches the filters given; try a wider description, e.g. soltrace -l");
    return 1;
  }
  return 0;
}

struct RunOptions {
  bool quiet = false;
  bool json = false;
  long long duration_ns = -1; // -1: until a signal
  uint64_t bufsize = 0;
  std::vector<std::string> args; // the -n arguments, for messages
};

int do_run(trace::Device &dev, trace::Program &prog, const RunOptions &o) {
  if (prog.enablings.size() > DTRACE_IOC_MAXENABLINGS) {
    error("the programs have " + std::to_string(prog.enablings.size()) +
          " probe descriptions; at most " + std::to_string(DTRACE_IOC_MAXENABLINGS) +
          " can be enabled in one session: use globs to cover several probes with one");
    return 1;
  }
  for (auto &e : prog.enablings) {
    const std::string &arg = o.args[e.arg];
    try {
      dev.enable(e.ioc);
    } catch (const trace::DeviceError &err) {
      if (err.err() == ENOENT)
        error("-n '" + arg + "': no probe matches description '" + e.desc_text +
              "'; see which probes exist with: soltrace -l -n '" + e.desc_text + "'");
      else
        error("-n '" + arg + "': " + e.desc_text + ": " + err.what());
      return 1;
    }
    if (!o.quiet)
      std::fprintf(stderr, "soltrace: description '%s' matched %u probe%s\n", e.desc_text.c_str(),
                   e.ioc.nprobes, e.ioc.nprobes == 1 ? "" : "s");
  }
  trace::ProbeNames names = probe_names(dev);

  struct sigaction sa {};
  sa.sa_handler = [](int) { interrupted = 1; };
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  dev.go(o.bufsize);
  const uint32_t ncpu = dev.version().max_cpus;
  std::map<uint32_t, uint64_t> cpu_drops; // BUFSNAP reports totals per CPU
  std::vector<std::string> records_json;
  bool header = false;
  auto drain = [&] {
    for (uint32_t cpu = 0; cpu < ncpu; ++cpu) {
      uint64_t d = 0;
      for (const auto &r : dev.bufsnap(cpu, &d)) {
        if (o.quiet)
          continue;
        const trace::Enabling *e = prog.enabling(r.enabling_id);
        static const std::vector<trace::Var> none;
        const auto &exprs = e ? e->trace_exprs : none;
        if (o.json) {
          records_json.push_back(trace::trace_record_json(r, names, exprs));
          continue;
        }
        if (!header)
          std::fputs(trace::trace_header().c_str(), stdout);
        header = true;
        std::fputs(trace::format_trace_record(r, names, exprs).c_str(), stdout);
      }
      cpu_drops[cpu] = std::max(cpu_drops[cpu], d);
    }
    std::fflush(stdout);
  };
  auto start = std::chrono::steady_clock::now();
  while (!interrupted) {
    auto left = o.duration_ns < 0 ? std::chrono::nanoseconds(200000000)
                                  : std::chrono::nanoseconds(o.duration_ns) -
                                        (std::chrono::steady_clock::now() - start);
    if (left.count() <= 0)
      break;
    std::this_thread::sleep_for(std::min(left, std::chrono::nanoseconds(200000000)));
    drain();
  }
  dev.stop();
  drain();

  size_t bytes = 0;
  auto buf = dev.aggsnap(bytes);
  std::vector<trace::AggRecord> recs;
  std::string why;
  if (!trace::decode_aggregations(buf, bytes, recs, why)) {
    error("malformed aggregation data from the device: " + why);
    return 1;
  }
  // Probes created while tracing (none today) would be missing: name again.
  names = probe_names(dev);
  auto results = trace::merge_aggregations(prog, recs, names);
  auto st = dev.status();
  trace::Drops drops;
  drops.buffer = st.buf_drops;
  uint64_t snap_drops = 0;
  for (auto &[cpu, d] : cpu_drops)
    snap_drops += d;
  drops.buffer = std::max<uint64_t>(drops.buffer, snap_drops);
  drops.aggregation = st.agg_drops;
  drops.nested = st.nested_drops;
  if (o.json)
    std::fputs(trace::format_json(results, records_json, drops).c_str(), stdout);
  else
    std::fputs(trace::format_aggregations(results, prog.aggs.size() > 1).c_str(), stdout);
  std::fflush(stdout);
  std::fputs(trace::drops_summary(st.fired, drops).c_str(), stderr);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  std::string device = "/dev/dtrace";
  bool list = false;
  ListOptions lo;
  RunOptions ro;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto need = [&](const char *what) -> std::string {
      if (i + 1 >= argc) {
        error(a + " needs " + what + " (see soltrace --help)");
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "-h" || a == "--help") {
      usage(std::cout);
      return 0;
    } else if (a == "-l") {
      list = true;
    } else if (a == "-v") {
      lo.verbose = true;
    } else if (a == "-P") {
      lo.provider = need("a provider");
    } else if (a == "-m") {
      lo.mod = need("a module");
    } else if (a == "-f") {
      lo.func = need("a function");
    } else if (a == "-n") {
      ro.args.push_back(need("a program, e.g. -n 'tick-1s { @ = count(); }'"));
    } else if (a == "-q") {
      ro.quiet = true;
    } else if (a == "--json") {
      ro.json = true;
    } else if (a == "-d") {
      std::string v = need("a duration");
      auto ns = trace::parse_duration_ns(v);
      if (!ns) {
        error("-d '" + v + "': expected a duration like 5 (seconds), 500ms, 3s or 2m");
        return 2;
      }
      ro.duration_ns = *ns;
    } else if (a == "-b") {
      std::string v = need("a size in bytes");
      char *end = nullptr;
      ro.bufsize = std::strtoull(v.c_str(), &end, 0);
      if (v.empty() || *end || ro.bufsize < DTRACE_IOC_BUFSIZE_MIN ||
          ro.bufsize > DTRACE_IOC_BUFSIZE_MAX || ro.bufsize % 8) {
        error("-b '" + v + "': expected a multiple of 8 from " +
              std::to_string(DTRACE_IOC_BUFSIZE_MIN) + " to " +
              std::to_string(DTRACE_IOC_BUFSIZE_MAX));
        return 2;
      }
    } else if (a == "--device") {
      device = need("a device path");
    } else {
      error("unexpected argument '" + a + "' (see soltrace --help)");
      return 2;
    }
  }
  try {
    if (list) {
      lo.descs = ro.args;
      trace::Device dev(device);
      return do_list(dev, lo);
    }
    if (ro.args.empty()) {
      error("no program: give one with -n, or list probes with -l");
      usage(std::cerr);
      return 2;
    }
    trace::Program prog;
    for (const auto &text : ro.args) {
      if (auto err = trace::parse_program(text, prog)) {
        error("-n '" + text + "': column " + std::to_string(err->column) + ": " + err->message);
        return 2;
      }
    }
    trace::Device dev(device);
    return do_run(dev, prog, ro);
  } catch (const trace::DeviceError &e) {
    error(e.what());
    return 1;
  }
}
