// SPDX-License-Identifier: GPL-2.0
//
// Turning what the device returns into text: trace records, and merged
// aggregations (scalars as tables, quantize/lquantize as DTrace-style
// distributions). Pure functions of their input, so tests feed them bytes.
#ifndef SOLCOMPAT_TOOLS_TRACE_REPORT_H
#define SOLCOMPAT_TOOLS_TRACE_REPORT_H

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sys/dtrace_ioctl.h"

namespace trace {

// Probe id -> "provider:module:function:name", for labels.
using ProbeNames = std::map<uint32_t, std::string>;

// One aggregation record and its values, decoded from an AGGSNAP buffer.
struct AggRecord {
  dtrace_ioc_aggrec_t head{};
  std::vector<int64_t> vals;
};

// Decodes an AGGSNAP buffer; false (with why) on a malformed record.
bool decode_aggregations(const std::vector<uint8_t> &buf, size_t bytes,
                         std::vector<AggRecord> &out, std::string &why);

// Text for all aggregations, grouped by enabling and action, sorted by value.
std::string format_aggregations(const std::vector<AggRecord> &recs, const ProbeNames &names,
                                const std::map<uint32_t, std::string> &enabling_text);

// One line per trace record.
std::string format_trace_record(const dtrace_ioc_trace_rec_t &r, const ProbeNames &names);

// A distribution (quantize or lquantize buckets) as DTrace draws it.
std::string format_distribution(const AggRecord &rec);

}  // namespace trace

#endif
