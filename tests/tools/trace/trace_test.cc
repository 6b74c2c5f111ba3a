// SPDX-License-Identifier: GPL-2.0
// Unit tests of the trace CLI's parsing and reporting (no device needed).
#include <gtest/gtest.h>

#include <cstring>

#include "program.h"
#include "report.h"

namespace {

TEST(ParseDesc, FewerFieldsFillFromTheRight) {
  dtrace_ioc_desc_t d;
  ASSERT_FALSE(trace::parse_desc("tick-1s", d));
  EXPECT_STREQ(d.provider, "");
  EXPECT_STREQ(d.name, "tick-1s");
  ASSERT_FALSE(trace::parse_desc("sdt::fire:hit", d));
  EXPECT_STREQ(d.provider, "sdt");
  EXPECT_STREQ(d.mod, "");
  EXPECT_STREQ(d.func, "fire");
  EXPECT_STREQ(d.name, "hit");
}

TEST(ParseDesc, RejectsTooManyFieldsAndLongNames) {
  dtrace_ioc_desc_t d;
  EXPECT_TRUE(trace::parse_desc("a:b:c:d:e", d));
  EXPECT_TRUE(trace::parse_desc(std::string(200, 'x') + ":::", d));
}

TEST(ParseEnabling, ActionsAndKeys) {
  trace::Enabling e;
  ASSERT_FALSE(trace::parse_enabling(
      "profile:::profile-97 count quantize(arg1) by arg0 lquantize(arg2, 0, 100, 10) trace", e));
  ASSERT_EQ(e.ioc.nactions, 4u);
  EXPECT_EQ(e.ioc.actions[0].kind, unsigned(DTRACE_IOC_ACT_COUNT));
  EXPECT_EQ(e.ioc.actions[1].kind, unsigned(DTRACE_IOC_ACT_QUANTIZE));
  EXPECT_EQ(e.ioc.actions[1].value, 1u);
  EXPECT_EQ(e.ioc.actions[1].key, unsigned(DTRACE_IOC_KEY_ARG0));
  EXPECT_EQ(e.ioc.actions[2].lq_step, 10);
  EXPECT_EQ(e.ioc.actions[2].lq_limit, 100);
  EXPECT_EQ(e.ioc.actions[3].kind, unsigned(DTRACE_IOC_ACT_TRACE));
  EXPECT_EQ(trace::action_name(e.ioc.actions[2]), "lquantize(arg2, 0, 100, 10)");
}

TEST(ParseEnabling, ErrorsSayWhatIsWrong) {
  trace::Enabling e;
  auto err = trace::parse_enabling("tick-1s sum(arg7)", e);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("arg0..arg4"), std::string::npos) << *err;
  EXPECT_TRUE(trace::parse_enabling("tick-1s", e));                     // no action
  EXPECT_TRUE(trace::parse_enabling("tick-1s count(arg0)", e));         // count takes none
  EXPECT_TRUE(trace::parse_enabling("tick-1s quantize(arg0", e));       // unbalanced
  EXPECT_TRUE(trace::parse_enabling("tick-1s by arg0", e));             // by without action
  EXPECT_TRUE(trace::parse_enabling("tick-1s trace by arg0", e));       // trace has no key
  EXPECT_TRUE(trace::parse_enabling("tick-1s lquantize(arg0,5,1,1)", e));  // limit <= base
  EXPECT_TRUE(trace::parse_enabling(
      "tick-1s count count count count count count count count count", e));  // > 8
}

TEST(ParseDuration, Units) {
  EXPECT_EQ(trace::parse_duration_ms("5"), 5000);
  EXPECT_EQ(trace::parse_duration_ms("5s"), 5000);
  EXPECT_EQ(trace::parse_duration_ms("250ms"), 250);
  EXPECT_EQ(trace::parse_duration_ms("2m"), 120000);
  EXPECT_FALSE(trace::parse_duration_ms("fast"));
  EXPECT_FALSE(trace::parse_duration_ms("5h"));
}

std::vector<uint8_t> record(uint32_t enabling, uint32_t action, uint32_t kind, uint32_t probe,
                            std::vector<int64_t> vals, int64_t lq_base = 0, int64_t lq_step = 0) {
  dtrace_ioc_aggrec_t h{};
  h.size = static_cast<uint32_t>(sizeof(h) + vals.size() * 8);
  h.enabling_id = enabling;
  h.action = action;
  h.kind = kind;
  h.probe_id = probe;
  h.nvals = static_cast<uint32_t>(vals.size());
  h.lq_base = lq_base;
  h.lq_step = lq_step;
  std::vector<uint8_t> out(h.size);
  std::memcpy(out.data(), &h, sizeof(h));
  std::memcpy(out.data() + sizeof(h), vals.data(), vals.size() * 8);
  return out;
}

TEST(Report, DecodesAndPrintsScalarsSorted) {
  auto a = record(1, 0, DTRACE_IOC_ACT_COUNT, 7, {30});
  auto b = record(1, 0, DTRACE_IOC_ACT_COUNT, 8, {4});
  std::vector<uint8_t> buf(a);
  buf.insert(buf.end(), b.begin(), b.end());
  std::vector<trace::AggRecord> recs;
  std::string why;
  ASSERT_TRUE(trace::decode_aggregations(buf, buf.size(), recs, why)) << why;
  ASSERT_EQ(recs.size(), 2u);
  auto text = trace::format_aggregations(recs, {{7, "p:m:f:seven"}, {8, "p:m:f:eight"}},
                                         {{1, "p::: count"}});
  auto eight = text.find("eight"), seven = text.find("seven");
  ASSERT_NE(eight, std::string::npos);
  ASSERT_NE(seven, std::string::npos);
  EXPECT_LT(eight, seven) << text;  // ascending by value, as DTrace
}

TEST(Report, RejectsMalformedRecords) {
  auto a = record(1, 0, DTRACE_IOC_ACT_COUNT, 7, {30});
  std::vector<trace::AggRecord> recs;
  std::string why;
  EXPECT_FALSE(trace::decode_aggregations(a, a.size() - 1, recs, why));
  a[0] = 9;  // header size lies
  recs.clear();
  EXPECT_FALSE(trace::decode_aggregations(a, a.size(), recs, why));
}

TEST(Report, QuantizeBucketsAreLabelledByPowersOfTwo) {
  std::vector<int64_t> vals(DTRACE_IOC_QUANTIZE_BUCKETS, 0);
  vals[DTRACE_IOC_QUANTIZE_ZERO] = 1;      // value 0
  vals[DTRACE_IOC_QUANTIZE_ZERO + 1] = 3;  // value 1
  vals[DTRACE_IOC_QUANTIZE_ZERO + 4] = 6;  // values 8..15
  auto buf = record(2, 0, DTRACE_IOC_ACT_QUANTIZE, 1, vals);
  std::vector<trace::AggRecord> recs;
  std::string why;
  ASSERT_TRUE(trace::decode_aggregations(buf, buf.size(), recs, why));
  auto text = trace::format_distribution(recs[0]);
  EXPECT_NE(text.find("               8 |"), std::string::npos) << text;
  EXPECT_NE(text.find("               1 |"), std::string::npos) << text;
  EXPECT_NE(text.find(" 6\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("              32 |"), std::string::npos) << text;  // beyond context
}

TEST(Report, TraceRecordLine) {
  dtrace_ioc_trace_rec_t r{};
  r.cpu = 1;
  r.timestamp = 123456789;
  r.probe_id = 3;
  r.pid = 42;
  std::memcpy(r.comm, "insmod", 6);
  r.args[0] = 0x10;
  auto line = trace::format_trace_record(r, {{3, "sdt:sdt_test:fire:hit"}});
  EXPECT_NE(line.find("sdt:sdt_test:fire:hit"), std::string::npos);
  EXPECT_NE(line.find("insmod"), std::string::npos);
  EXPECT_NE(line.find("0x10"), std::string::npos);
}

}  // namespace
