// SPDX-License-Identifier: GPL-2.0
#include "report.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace trace {
namespace {

std::string label(const ProbeNames &names, uint32_t id) {
  auto it = names.find(id);
  return it != names.end() ? it->second : "probe " + std::to_string(id);
}

// Lower bound of quantize bucket i (see dtrace_ioctl.h).
int64_t quantize_low(int i) {
  if (i == DTRACE_IOC_QUANTIZE_ZERO) return 0;
  if (i > DTRACE_IOC_QUANTIZE_ZERO) return int64_t(1) << (i - 64);
  int k = 63 - i;  // bucket holds [-(2^k - 1), -2^(k-1)]
  return k >= 63 ? INT64_MIN : -((int64_t(1) << k) - 1);
}

std::string bar(int64_t count, int64_t total) {
  const int width = 40;
  int n = total > 0 ? static_cast<int>((count * width + total / 2) / total) : 0;
  return std::string(n, '@') + std::string(width - n, ' ');
}

std::string key_text(const AggRecord &r) {
  if (r.head.key_kind == DTRACE_IOC_KEY_PROBE) return "";
  return "  arg" + std::to_string(r.head.key_kind - DTRACE_IOC_KEY_ARG0) + "=" +
         std::to_string(r.head.key);
}

int64_t scalar(const AggRecord &r) {
  if (r.vals.empty()) return 0;
  if (r.head.kind == DTRACE_IOC_ACT_AVG) return r.vals.size() >= 2 && r.vals[0] ? r.vals[1] / r.vals[0] : 0;
  return r.vals[0];
}

}  // namespace

bool decode_aggregations(const std::vector<uint8_t> &buf, size_t bytes,
                         std::vector<AggRecord> &out, std::string &why) {
  size_t off = 0;
  bytes = std::min(bytes, buf.size());
  while (off < bytes) {
    AggRecord r;
    if (bytes - off < sizeof(r.head)) {
      why = "truncated aggregation header at byte " + std::to_string(off);
      return false;
    }
    std::memcpy(&r.head, buf.data() + off, sizeof(r.head));
    size_t need = sizeof(r.head) + size_t(r.head.nvals) * 8;
    if (r.head.size != need || bytes - off < need) {
      why = "aggregation record at byte " + std::to_string(off) + " has size " +
            std::to_string(r.head.size) + ", expected " + std::to_string(need);
      return false;
    }
    r.vals.resize(r.head.nvals);
    std::memcpy(r.vals.data(), buf.data() + off + sizeof(r.head), size_t(r.head.nvals) * 8);
    out.push_back(std::move(r));
    off += need;
  }
  return true;
}

std::string format_distribution(const AggRecord &rec) {
  const auto &v = rec.vals;
  if (v.empty()) return "";
  int64_t total = 0;
  for (auto c : v) total += c;
  size_t first = 0, last = v.size() - 1;
  while (first < v.size() && v[first] == 0) ++first;
  while (last > first && v[last] == 0) --last;
  if (first == v.size()) first = last = (rec.head.kind == DTRACE_IOC_ACT_QUANTIZE) ? DTRACE_IOC_QUANTIZE_ZERO : 0;
  // One empty bucket of context on each side, as DTrace prints.
  if (first > 0) --first;
  if (last + 1 < v.size()) ++last;
  std::string out = "           value  ------------- Distribution ------------- count\n";
  char line[160];
  for (size_t i = first; i <= last; ++i) {
    std::string value;
    if (rec.head.kind == DTRACE_IOC_ACT_QUANTIZE) {
      value = std::to_string(quantize_low(static_cast<int>(i)));
    } else if (i == 0) {
      value = "< " + std::to_string(rec.head.lq_base);
    } else if (i == v.size() - 1) {
      value = ">= " + std::to_string(rec.head.lq_base + int64_t(v.size() - 2) * rec.head.lq_step);
    } else {
      value = std::to_string(rec.head.lq_base + int64_t(i - 1) * rec.head.lq_step);
    }
    std::snprintf(line, sizeof line, "%16s |%s %" PRId64 "\n", value.c_str(),
                  bar(v[i], total).c_str(), v[i]);
    out += line;
  }
  return out;
}

std::string format_aggregations(const std::vector<AggRecord> &recs, const ProbeNames &names,
                                const std::map<uint32_t, std::string> &enabling_text) {
  // Group by (enabling, action); print scalars sorted by value like DTrace.
  std::map<std::pair<uint32_t, uint32_t>, std::vector<const AggRecord *>> groups;
  for (const auto &r : recs) groups[{r.head.enabling_id, r.head.action}].push_back(&r);
  std::string out;
  for (auto &[key, list] : groups) {
    const AggRecord &first = *list.front();
    auto et = enabling_text.find(key.first);
    out += "\n-- enabling " + std::to_string(key.first) +
           (et != enabling_text.end() ? " (" + et->second + ")" : "") + ", action " +
           std::to_string(key.second) + "\n";
    bool dist = first.head.kind == DTRACE_IOC_ACT_QUANTIZE || first.head.kind == DTRACE_IOC_ACT_LQUANTIZE;
    if (dist) {
      for (const auto *r : list)
        out += "  " + label(names, r->head.probe_id) + key_text(*r) + "\n" + format_distribution(*r);
      continue;
    }
    std::sort(list.begin(), list.end(),
              [](const AggRecord *a, const AggRecord *b) { return scalar(*a) < scalar(*b); });
    for (const auto *r : list) {
      char line[400];
      std::snprintf(line, sizeof line, "  %-60s %16" PRId64 "\n",
                    (label(names, r->head.probe_id) + key_text(*r)).c_str(), scalar(*r));
      out += line;
    }
  }
  return out;
}

std::string format_trace_record(const dtrace_ioc_trace_rec_t &r, const ProbeNames &names) {
  char comm[DTRACE_IOC_COMMLEN + 1] = {};
  std::memcpy(comm, r.comm, DTRACE_IOC_COMMLEN);
  char line[512];
  std::snprintf(line, sizeof line,
                "%3u %18lld %-40s pid %-6d %-16s %s0x%llx 0x%llx 0x%llx 0x%llx 0x%llx\n",
                r.cpu, r.timestamp, label(names, r.probe_id).c_str(), r.pid, comm,
                r.depth ? "(nested) " : "", r.args[0], r.args[1], r.args[2], r.args[3],
                r.args[4]);
  return line;
}

}  // namespace trace
