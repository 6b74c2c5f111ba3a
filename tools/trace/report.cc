// SPDX-License-Identifier: GPL-2.0
//
// soltrace's output (see report.h): merging AGGSNAP records by the keys the
// program names, and printing them as text or JSON.
#include "report.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <tuple>

namespace trace {
namespace {

std::string probe_field(const ProbeNames &names, uint32_t id, Var v) {
  auto it = names.find(id);
  if (it == names.end())
    return v == Var::probename ? "probe" + std::to_string(id) : "";
  switch (v) {
  case Var::probeprov:
    return it->second.provider;
  case Var::probemod:
    return it->second.mod;
  case Var::probefunc:
    return it->second.func;
  default:
    return it->second.name;
  }
}

std::string comm_text(const char *bytes, size_t n) {
  std::string s(bytes, n);
  return s.substr(0, s.find('\0'));
}

// A variable's value in a trace record.
KeyValue record_value(const dtrace_ioc_trace_rec_t &r, const ProbeNames &names, Var v) {
  KeyValue k;
  switch (v) {
  case Var::probeprov:
  case Var::probemod:
  case Var::probefunc:
  case Var::probename:
    k.is_string = true;
    k.str = probe_field(names, r.probe_id, v);
    break;
  case Var::execname:
    k.is_string = true;
    k.str = comm_text(r.comm, sizeof(r.comm));
    break;
  case Var::cpu:
    k.num = r.cpu;
    break;
  case Var::pid:
    k.num = r.pid;
    break;
  case Var::timestamp:
    k.num = r.timestamp;
    break;
  default:
    k.num = static_cast<int64_t>(r.args[static_cast<int>(v) - static_cast<int>(Var::arg0)]);
    break;
  }
  return k;
}

std::string key_text(const KeyValue &k) { return k.is_string ? k.str : std::to_string(k.num); }

// Lower bound of quantize bucket i (see dtrace_ioctl.h); negative buckets
// are labelled by their value nearest zero, as DTrace does.
int64_t quantize_label(size_t i) {
  if (i == DTRACE_IOC_QUANTIZE_ZERO)
    return 0;
  if (i > DTRACE_IOC_QUANTIZE_ZERO)
    return int64_t(1) << (i - 64);
  return -(int64_t(1) << (62 - i));
}

std::string bar(int64_t count, int64_t total) {
  const int width = 40;
  int n = total > 0 ? static_cast<int>((count * width + total / 2) / total) : 0;
  return std::string(n, '@') + std::string(width - n, ' ');
}

void merge_vals(uint32_t kind, std::vector<int64_t> &into, const std::vector<int64_t> &v) {
  if (into.empty()) {
    into = v;
    return;
  }
  if (into.size() < v.size())
    into.resize(v.size(), 0);
  for (size_t i = 0; i < v.size(); ++i) {
    if (kind == DTRACE_IOC_ACT_MIN)
      into[i] = std::min(into[i], v[i]);
    else if (kind == DTRACE_IOC_ACT_MAX)
      into[i] = std::max(into[i], v[i]);
    else
      into[i] += v[i];
  }
}

std::string pad_right(const std::string &s, size_t w) {
  return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
}
std::string pad_left(const std::string &s, size_t w) {
  return s.size() >= w ? s : std::string(w - s.size(), ' ') + s;
}

bool is_distribution(uint32_t kind) {
  return kind == DTRACE_IOC_ACT_QUANTIZE || kind == DTRACE_IOC_ACT_LQUANTIZE;
}

} // namespace

bool KeyValue::operator<(const KeyValue &o) const {
  return std::tie(is_string, num, str) < std::tie(o.is_string, o.num, o.str);
}
bool KeyValue::operator==(const KeyValue &o) const {
  return is_string == o.is_string && num == o.num && str == o.str;
}

bool decode_aggregations(const std::vector<uint8_t> &buf, size_t bytes, std::vector<AggRecord> &out,
                         std::string &why) {
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

std::vector<AggResult> merge_aggregations(const Program &prog, const std::vector<AggRecord> &recs,
                                          const ProbeNames &names) {
  std::vector<std::map<std::vector<KeyValue>, AggEntry>> merged(prog.aggs.size());
  for (const auto &r : recs) {
    const Aggregation *agg = prog.aggregation_of(r.head.enabling_id, r.head.action);
    if (!agg || agg->kind != r.head.kind)
      continue;
    std::vector<KeyValue> keys;
    int word = 0;
    for (Var v : agg->keys) {
      KeyValue k;
      if (v <= Var::probename) {
        k.is_string = true;
        k.str = probe_field(names, r.head.probe_id, v);
      } else if (v == Var::execname) {
        char comm[DTRACE_IOC_COMMLEN];
        std::memcpy(comm, &r.head.key, 8);
        std::memcpy(comm + 8, &r.head.key2, 8);
        k.is_string = true;
        k.str = comm_text(comm, sizeof comm);
        word += 2;
      } else {
        k.num = word == 0 ? r.head.key : r.head.key2;
        ++word;
      }
      keys.push_back(std::move(k));
    }
    AggEntry &e = merged[static_cast<size_t>(agg - prog.aggs.data())][keys];
    e.keys = keys;
    e.lq_base = r.head.lq_base;
    e.lq_step = r.head.lq_step;
    merge_vals(agg->kind, e.vals, r.vals);
  }
  std::vector<AggResult> out;
  for (size_t i = 0; i < prog.aggs.size(); ++i) {
    AggResult res{&prog.aggs[i], {}};
    for (auto &[k, e] : merged[i])
      res.entries.push_back(std::move(e));
    auto value = [&](const AggEntry &e) -> int64_t {
      const auto &v = e.vals;
      if (v.empty())
        return 0;
      if (prog.aggs[i].kind == DTRACE_IOC_ACT_AVG)
        return v.size() >= 2 && v[0] ? v[1] / v[0] : 0;
      if (is_distribution(prog.aggs[i].kind)) {
        int64_t t = 0;
        for (auto c : v)
          t += c;
        return t;
      }
      return v[0];
    };
    std::stable_sort(res.entries.begin(), res.entries.end(),
                     [&](const AggEntry &a, const AggEntry &b) {
                       int64_t va = value(a), vb = value(b);
                       if (va != vb)
                         return va < vb;
                       return a.keys < b.keys;
                     });
    out.push_back(std::move(res));
  }
  return out;
}

namespace {
// The value printed for an entry of agg.
int64_t scalar(const Aggregation &agg, const AggEntry &e) {
  const auto &v = e.vals;
  if (v.empty())
    return 0;
  if (agg.kind == DTRACE_IOC_ACT_AVG)
    return v.size() >= 2 && v[0] ? v[1] / v[0] : 0;
  return v[0];
}
} // namespace

std::string format_distribution(uint32_t kind, const std::vector<int64_t> &v, int64_t lq_base,
                                int64_t lq_step) {
  if (v.empty())
    return "";
  int64_t total = 0;
  for (auto c : v)
    total += c;
  size_t first = 0, last = v.size() - 1;
  while (first < v.size() && v[first] == 0)
    ++first;
  while (last > first && v[last] == 0)
    --last;
  if (first == v.size())
    first = last = kind == DTRACE_IOC_ACT_QUANTIZE ? DTRACE_IOC_QUANTIZE_ZERO : 0;
  // One empty bucket of context on each side, as DTrace prints.
  if (first > 0)
    --first;
  if (last + 1 < v.size())
    ++last;
  std::string out = "           value  ------------- Distribution ------------- count\n";
  char line[160];
  for (size_t i = first; i <= last; ++i) {
    std::string value;
    if (kind == DTRACE_IOC_ACT_QUANTIZE)
      value = std::to_string(quantize_label(i));
    else if (i == 0)
      value = "< " + std::to_string(lq_base);
    else if (i == v.size() - 1)
      value = ">= " + std::to_string(lq_base + int64_t(v.size() - 2) * lq_step);
    else
      value = std::to_string(lq_base + int64_t(i - 1) * lq_step);
    std::snprintf(line, sizeof line, "%16s |%s %" PRId64 "\n", value.c_str(),
                  bar(v[i], total).c_str(), v[i]);
    out += line;
  }
  return out;
}

std::string format_aggregations(const std::vector<AggResult> &results, bool several) {
  std::string out;
  for (const auto &res : results) {
    if (res.entries.empty())
      continue;
    const Aggregation &agg = *res.agg;
    out += "\n";
    if (several)
      out += "@" + agg.name + "\n";
    std::vector<size_t> widths(agg.keys.size(), 0);
    size_t vwidth = 12;
    for (const auto &e : res.entries) {
      for (size_t k = 0; k < e.keys.size() && k < widths.size(); ++k)
        widths[k] = std::max(widths[k], key_text(e.keys[k]).size());
      vwidth = std::max(vwidth, std::to_string(scalar(agg, e)).size());
    }
    for (const auto &e : res.entries) {
      std::string keys;
      for (size_t k = 0; k < e.keys.size(); ++k)
        keys += "  " + pad_right(key_text(e.keys[k]), widths[k]);
      if (is_distribution(agg.kind)) {
        while (!keys.empty() && keys.back() == ' ')
          keys.pop_back();
        if (!keys.empty())
          out += keys + "\n";
        out += format_distribution(agg.kind, e.vals, e.lq_base, e.lq_step) + "\n";
      } else {
        out += keys + "  " + pad_left(std::to_string(scalar(agg, e)), vwidth) + "\n";
      }
    }
  }
  return out;
}

std::string trace_header() {
  char line[80];
  std::snprintf(line, sizeof line, "%3s %6s %32s\n", "CPU", "ID", "FUNCTION:NAME");
  return line;
}

std::string format_trace_record(const dtrace_ioc_trace_rec_t &r, const ProbeNames &names,
                                const std::vector<Var> &exprs) {
  std::string fn = probe_field(names, r.probe_id, Var::probefunc) + ":" +
                   probe_field(names, r.probe_id, Var::probename);
  char head[96];
  std::snprintf(head, sizeof head, "%3u %6u %32s", r.cpu, r.probe_id, fn.c_str());
  std::string out = head;
  if (r.depth)
    out += "  (nested)";
  for (Var v : exprs)
    out += "  " + key_text(record_value(r, names, v));
  return out + "\n";
}

std::string drops_summary(uint64_t fired, const Drops &d) {
  return "soltrace: " + std::to_string(fired) + " firings; dropped: " + std::to_string(d.buffer) +
         " trace records (buffer full), " + std::to_string(d.aggregation) +
         " aggregation updates (table full), " + std::to_string(d.nested) + " nested firings" +
         (d.buffer || d.aggregation || d.nested ? " -- results are incomplete" : "") + "\n";
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (u < 0x20 || u == 0x7f) {
        char esc[8];
        std::snprintf(esc, sizeof esc, "\\u%04x", u);
        out += esc;
      } else {
        out += c;
      }
    }
  }
  return out + "\"";
}

namespace {
std::string json_value(const KeyValue &k) {
  return k.is_string ? json_string(k.str) : std::to_string(k.num);
}
} // namespace

std::string trace_record_json(const dtrace_ioc_trace_rec_t &r, const ProbeNames &names,
                              const std::vector<Var> &exprs) {
  std::string out = "{\"cpu\":" + std::to_string(r.cpu) + ",\"id\":" + std::to_string(r.probe_id) +
                    ",\"probe\":" +
                    json_string(probe_field(names, r.probe_id, Var::probeprov) + ":" +
                                probe_field(names, r.probe_id, Var::probemod) + ":" +
                                probe_field(names, r.probe_id, Var::probefunc) + ":" +
                                probe_field(names, r.probe_id, Var::probename)) +
                    ",\"timestamp\":" + std::to_string(r.timestamp) +
                    ",\"nested\":" + (r.depth ? "true" : "false") + ",\"values\":[";
  for (size_t i = 0; i < exprs.size(); ++i)
    out += (i ? "," : "") + json_value(record_value(r, names, exprs[i]));
  return out + "]}";
}

std::string format_json(const std::vector<AggResult> &results,
                        const std::vector<std::string> &records_json, const Drops &d) {
  std::string out = "{\"aggregations\":[";
  for (size_t a = 0; a < results.size(); ++a) {
    const Aggregation &agg = *results[a].agg;
    out += std::string(a ? "," : "") + "\n {\"name\":" + json_string(agg.name) +
           ",\"function\":" + json_string(function_name(agg)) + ",\"keys\":[";
    for (size_t k = 0; k < agg.keys.size(); ++k)
      out += (k ? "," : "") + json_string(var_name(agg.keys[k]));
    out += "],\"entries\":[";
    for (size_t i = 0; i < results[a].entries.size(); ++i) {
      const AggEntry &e = results[a].entries[i];
      out += std::string(i ? "," : "") + "\n  {\"keys\":[";
      for (size_t k = 0; k < e.keys.size(); ++k)
        out += (k ? "," : "") + json_value(e.keys[k]);
      out += "],";
      if (is_distribution(agg.kind)) {
        // The non-zero buckets, each labelled by its lowest value (the
        // lquantize underflow bucket by INT64_MIN).
        out += "\"buckets\":[";
        bool first = true;
        for (size_t b = 0; b < e.vals.size(); ++b) {
          if (!e.vals[b])
            continue;
          int64_t low = agg.kind == DTRACE_IOC_ACT_QUANTIZE
                            ? (b == 0 ? INT64_MIN : quantize_label(b))
                        : b == 0 ? INT64_MIN
                                 : e.lq_base + int64_t(b - 1) * e.lq_step;
          if (agg.kind == DTRACE_IOC_ACT_QUANTIZE && b < DTRACE_IOC_QUANTIZE_ZERO && b > 0)
            low = -((int64_t(1) << (63 - b)) - 1);
          out += std::string(first ? "" : ",") + "{\"value\":" + std::to_string(low) +
                 ",\"count\":" + std::to_string(e.vals[b]) + "}";
          first = false;
        }
        out += "]}";
      } else {
        out += "\"value\":" + std::to_string(scalar(agg, e)) + "}";
      }
    }
    out += "]}";
  }
  out += "],\n\"records\":[";
  for (size_t i = 0; i < records_json.size(); ++i)
    out += std::string(i ? "," : "") + "\n " + records_json[i];
  out += "],\n\"drops\":{\"buffer\":" + std::to_string(d.buffer) +
         ",\"aggregation\":" + std::to_string(d.aggregation) +
         ",\"nested\":" + std::to_string(d.nested) + "}}\n";
  return out;
}

} // namespace trace
