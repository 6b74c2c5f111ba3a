// SPDX-License-Identifier: GPL-2.0
//
// soltrace's output: trace records, and aggregations merged from AGGSNAP
// records by the keys the program asked for, as DTrace prints them (or as
// one JSON document). Pure functions of their input, so tests feed them
// bytes.
//
// Text layout of the aggregations (after the trace records): for each
// aggregation with data, a blank line; when the program defines more than
// one aggregation, a line "@name" ("@" for the anonymous one) so the
// reader knows which is which (dtrace prints no name); then one line per
// key tuple, sorted by value ascending and ties by keys: two spaces, each
// key left-aligned in a column as wide as its widest value, two spaces,
// the value right-aligned. quantize and lquantize print the key line (if
// there are keys) followed by the distribution and a blank line.
#ifndef SOLCOMPAT_TOOLS_TRACE_REPORT_H
#define SOLCOMPAT_TOOLS_TRACE_REPORT_H

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "program.h"
#include "sys/dtrace_ioctl.h"

namespace trace {

// A probe's four names, from LIST.
struct ProbeName {
  std::string provider, mod, func, name;
};
using ProbeNames = std::map<uint32_t, ProbeName>;

// One aggregation record and its values, decoded from an AGGSNAP buffer.
struct AggRecord {
  dtrace_ioc_aggrec_t head{};
  std::vector<int64_t> vals;
};

// Decodes an AGGSNAP buffer; false (with why) on a malformed record.
bool decode_aggregations(const std::vector<uint8_t> &buf, size_t bytes, std::vector<AggRecord> &out,
                         std::string &why);

// One key of an entry: a number or a string.
struct KeyValue {
  bool is_string = false;
  int64_t num = 0;
  std::string str;
  bool operator<(const KeyValue &o) const;
  bool operator==(const KeyValue &o) const;
};

struct AggEntry {
  std::vector<KeyValue> keys;
  std::vector<int64_t> vals; // as the kernel reports them, merged
  int64_t lq_base = 0, lq_step = 0;
};

// An aggregation's entries, sorted as printed.
struct AggResult {
  const Aggregation *agg;
  std::vector<AggEntry> entries;
};

// Merges the records by aggregation and key tuple (several probes, clauses
// or -n arguments feeding one entry), in the program's aggregation order.
std::vector<AggResult> merge_aggregations(const Program &prog, const std::vector<AggRecord> &recs,
                                          const ProbeNames &names);

// The text of all aggregations (see the top of this file); several: print
// each one's name.
std::string format_aggregations(const std::vector<AggResult> &results, bool several);

// A distribution (quantize or lquantize buckets) as DTrace draws it.
std::string format_distribution(uint32_t kind, const std::vector<int64_t> &vals, int64_t lq_base,
                                int64_t lq_step);

// The header line printed before the first trace record.
std::string trace_header();
// One trace record: CPU, probe id, FUNCTION:NAME, then the traced values.
std::string format_trace_record(const dtrace_ioc_trace_rec_t &r, const ProbeNames &names,
                                const std::vector<Var> &exprs);

// What was lost, from STATUS and BUFSNAP.
struct Drops {
  uint64_t buffer = 0, aggregation = 0, nested = 0;
};
std::string drops_summary(uint64_t fired, const Drops &d);

// JSON.
std::string json_string(std::string_view s); // quoted and escaped
std::string trace_record_json(const dtrace_ioc_trace_rec_t &r, const ProbeNames &names,
                              const std::vector<Var> &exprs);
std::string format_json(const std::vector<AggResult> &results,
                        const std::vector<std::string> &records_json, const Drops &d);

} // namespace trace

#endif
