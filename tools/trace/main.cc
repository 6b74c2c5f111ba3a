// SPDX-License-Identifier: GPL-2.0
//
// solcompat-trace: the consumer of the dtrace pseudo-device.
//
//   solcompat-trace [-d DEVICE] list [DESC]
//   solcompat-trace [-d DEVICE] [-t DURATION] [-b BYTES] [-q] -e 'DESC ACTIONS' [-e ...]
//
// Enables each -e program, starts tracing, prints trace records as they
// are switched out of the per-CPU buffers, and after DURATION (default
// 5s) or Ctrl-C stops and prints the aggregations.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
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
        "  solcompat-trace [-d DEVICE] list [PROBE-DESCRIPTION]\n"
        "  solcompat-trace [-d DEVICE] [-t DURATION] [-b BYTES] [-q] -e 'DESC ACTIONS' [-e ...]\n"
        "\n"
        "DESC is provider:module:function:name (globs allowed; 'tick-1s' means :::tick-1s).\n"
        "ACTIONS: trace count sum(argN) min(argN) max(argN) avg(argN) quantize(argN)\n"
        "         lquantize(argN, base, limit, step); an aggregation may add 'by argN'.\n"
        "DURATION: 5 (seconds), 500ms, 2m. -q: no trace records, aggregations only.\n"
        "DEVICE defaults to /dev/dtrace.\n"
        "example: solcompat-trace -t 3s -e 'profile:::profile-97 count' -e 'tick-1s trace'\n";
}

std::string desc_text(const dtrace_ioc_desc_t &d) {
  return std::string(d.provider) + ":" + d.mod + ":" + d.func + ":" + d.name;
}

int do_list(trace::Device &dev, const std::string &filter_text) {
  dtrace_ioc_desc_t filter{};
  if (auto err = trace::parse_desc(filter_text, filter)) {
    std::cerr << "solcompat-trace: " << *err << "\n";
    return 2;
  }
  auto probes = dev.list(filter, !filter_text.empty());
  std::printf("%6s %-16s %-24s %-32s %s\n", "ID", "PROVIDER", "MODULE", "FUNCTION", "NAME");
  for (const auto &p : probes)
    std::printf("%6u %-16s %-24s %-32s %s\n", p.id, p.desc.provider, p.desc.mod, p.desc.func,
                p.desc.name);
  std::fprintf(stderr, "%zu probes\n", probes.size());
  return 0;
}

int do_run(trace::Device &dev, std::vector<trace::Enabling> &programs, long long duration_ms,
           uint64_t bufsize, bool quiet) {
  std::map<uint32_t, std::string> enabling_text;
  for (auto &p : programs) {
    try {
      dev.enable(p.ioc);
    } catch (const trace::DeviceError &e) {
      std::cerr << "solcompat-trace: -e '" << p.text << "': " << e.what() << "\n";
      return 1;
    }
    enabling_text[p.ioc.enabling_id] = p.text;
    std::fprintf(stderr, "enabling %u: %s: %u probes\n", p.ioc.enabling_id, p.text.c_str(),
                 p.ioc.nprobes);
  }
  trace::ProbeNames names;
  for (const auto &p : dev.list(dtrace_ioc_desc_t{}, false)) names[p.id] = desc_text(p.desc);

  dev.go(bufsize);
  std::signal(SIGINT, [](int) { interrupted = 1; });
  std::signal(SIGTERM, [](int) { interrupted = 1; });
  const uint32_t ncpu = dev.version().max_cpus;
  uint64_t drops = 0;
  auto drain = [&] {
    for (uint32_t cpu = 0; cpu < ncpu; ++cpu) {
      uint64_t d = 0;
      for (const auto &r : dev.bufsnap(cpu, &d))
        if (!quiet) std::fputs(trace::format_trace_record(r, names).c_str(), stdout);
      drops += d;
    }
    std::fflush(stdout);
  };
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(duration_ms);
  while (!interrupted && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    drain();
  }
  dev.stop();
  drain();

  size_t bytes = 0;
  auto buf = dev.aggsnap(bytes);
  std::vector<trace::AggRecord> recs;
  std::string why;
  if (!trace::decode_aggregations(buf, bytes, recs, why)) {
    std::cerr << "solcompat-trace: malformed aggregation data: " << why << "\n";
    return 1;
  }
  std::fputs(trace::format_aggregations(recs, names, enabling_text).c_str(), stdout);
  auto st = dev.status();
  std::printf("\n%llu firings (%llu nested), %llu records dropped (buffer full), %llu aggregation "
              "updates dropped, %llu nested firings dropped\n",
              static_cast<unsigned long long>(st.fired), static_cast<unsigned long long>(st.nested),
              static_cast<unsigned long long>(st.buf_drops),
              static_cast<unsigned long long>(st.agg_drops),
              static_cast<unsigned long long>(st.nested_drops));
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  std::string device = "/dev/dtrace";
  long long duration_ms = 5000;
  uint64_t bufsize = 0;
  bool quiet = false;
  std::vector<trace::Enabling> programs;
  std::vector<std::string> rest;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto need = [&](const char *what) -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "solcompat-trace: " << a << " needs " << what << "\n";
        usage(std::cerr);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "-h" || a == "--help") {
      usage(std::cout);
      return 0;
    } else if (a == "-d") {
      device = need("a device path");
    } else if (a == "-t") {
      auto v = trace::parse_duration_ms(need("a duration"));
      if (!v) {
        std::cerr << "solcompat-trace: -t: expected a duration like 5, 5s, 500ms or 2m\n";
        return 2;
      }
      duration_ms = *v;
    } else if (a == "-b") {
      bufsize = std::strtoull(need("a size in bytes").c_str(), nullptr, 0);
    } else if (a == "-q") {
      quiet = true;
    } else if (a == "-e") {
      trace::Enabling e;
      if (auto err = trace::parse_enabling(need("a program"), e)) {
        std::cerr << "solcompat-trace: -e: " << *err << "\n";
        return 2;
      }
      programs.push_back(std::move(e));
    } else {
      rest.push_back(a);
    }
  }
  try {
    if (!rest.empty() && rest[0] == "list") {
      trace::Device dev(device);
      return do_list(dev, rest.size() > 1 ? rest[1] : "");
    }
    if (!rest.empty() || programs.empty()) {
      if (!rest.empty()) std::cerr << "solcompat-trace: unexpected argument '" << rest[0] << "'\n";
      usage(std::cerr);
      return 2;
    }
    trace::Device dev(device);
    return do_run(dev, programs, duration_ms, bufsize, quiet);
  } catch (const trace::DeviceError &e) {
    std::cerr << "solcompat-trace: " << e.what() << "\n";
    return 1;
  }
}
