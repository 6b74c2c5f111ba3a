// SPDX-License-Identifier: GPL-2.0
// Unit tests of soltrace's parser of the D subset and of its reporting
// (hand-made AGGSNAP bytes and probe names; no device needed).
#include <gtest/gtest.h>

#include <cstring>

#include "program.h"
#include "report.h"

namespace {

using trace::Var;

trace::Program parse_ok(std::initializer_list<std::string_view> args) {
  trace::Program p;
  for (auto a : args) {
    auto err = trace::parse_program(a, p);
    EXPECT_FALSE(err) << a << ": column " << err->column << ": " << err->message;
  }
  return p;
}

trace::ParseError parse_err(std::string_view text) {
  trace::Program p;
  auto err = trace::parse_program(text, p);
  EXPECT_TRUE(err) << text;
  EXPECT_TRUE(p.enablings.empty() && p.aggs.empty()) << "an error leaves the program unchanged";
  return err ? *err : trace::ParseError{0, ""};
}

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
  EXPECT_TRUE(trace::parse_desc("a:b:c:d:e", d));
  EXPECT_TRUE(trace::parse_desc(std::string(200, 'x') + ":::", d));
}

TEST(Parse, ClauseWithoutBodyTraces) {
  auto p = parse_ok({"tick-1s"});
  ASSERT_EQ(p.enablings.size(), 1u);
  EXPECT_STREQ(p.enablings[0].ioc.desc.name, "tick-1s");
  ASSERT_EQ(p.enablings[0].ioc.nactions, 1u);
  EXPECT_EQ(p.enablings[0].ioc.actions[0].kind, unsigned(DTRACE_IOC_ACT_TRACE));
  EXPECT_EQ(p.enablings[0].action_agg, std::vector<int>{-1});
  auto q = parse_ok({"tick-1s { }"});
  EXPECT_EQ(q.enablings[0].ioc.actions[0].kind, unsigned(DTRACE_IOC_ACT_TRACE));
}

TEST(Parse, EveryBuiltinAsKey) {
  struct {
    const char *key;
    uint32_t ioc_key; // 0: a probe* key, no kernel word
  } cases[] = {{"probeprov", 0},
               {"probemod", 0},
               {"probefunc", 0},
               {"probename", 0},
               {"cpu", DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_CPU)},
               {"pid", DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_PID)},
               {"execname", DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_EXECNAME)},
               {"arg0", DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_ARG0)},
               {"arg4", DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_ARG0 + 4)},
               {"timestamp", DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_TIMESTAMP)}};
  for (const auto &c : cases) {
    std::string text = std::string("sdt:::hit { @a[") + c.key + "] = count(); }";
    auto p = parse_ok({text});
    ASSERT_EQ(p.enablings.size(), 1u) << text;
    const auto &a = p.enablings[0].ioc.actions[0];
    EXPECT_EQ(a.kind, unsigned(DTRACE_IOC_ACT_COUNT)) << text;
    EXPECT_EQ(a.key, c.ioc_key) << text;
    EXPECT_EQ(a.key2, 0u) << text;
    ASSERT_EQ(p.aggs.size(), 1u);
    EXPECT_STREQ(trace::var_name(p.aggs[0].keys.at(0)), c.key);
  }
}

TEST(Parse, EveryNumericBuiltinAsValue) {
  struct {
    const char *var;
    uint32_t ioc_var;
  } cases[] = {{"cpu", DTRACE_IOC_VAR_CPU},
               {"pid", DTRACE_IOC_VAR_PID},
               {"timestamp", DTRACE_IOC_VAR_TIMESTAMP},
               {"arg0", DTRACE_IOC_VAR_ARG0},
               {"arg3", DTRACE_IOC_VAR_ARG0 + 3}};
  const char *funcs[] = {"sum", "min", "max", "avg", "quantize"};
  for (const auto &c : cases)
    for (const char *f : funcs) {
      std::string text = std::string("tick-1s{@x=") + f + "(" + c.var + ")}";
      auto p = parse_ok({text});
      ASSERT_EQ(p.enablings.size(), 1u) << text;
      EXPECT_EQ(p.enablings[0].ioc.actions[0].value, c.ioc_var) << text;
      EXPECT_EQ(trace::function_name(p.aggs[0]), f);
    }
  for (const char *v : {"probeprov", "probemod", "probefunc", "probename", "execname"}) {
    std::string text = std::string("tick-1s { @ = sum(") + v + "); }";
    auto err = parse_err(text);
    EXPECT_EQ(err.column, 19u) << err.message;
    EXPECT_NE(err.message.find("string"), std::string::npos) << err.message;
  }
}

TEST(Parse, TwoWordsOfKeysAndTheExecnameRule) {
  auto p = parse_ok({"sdt:::hit { @[probefunc, cpu, probename, arg1] = count(); }"});
  const auto &a = p.enablings[0].ioc.actions[0];
  EXPECT_EQ(a.key, unsigned(DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_CPU)));
  EXPECT_EQ(a.key2, unsigned(DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_ARG0 + 1)));
  EXPECT_EQ(p.aggs[0].keys.size(), 4u);

  auto e = parse_ok({"sdt:::hit { @[probefunc, execname] = count(); }"});
  EXPECT_EQ(e.enablings[0].ioc.actions[0].key,
            unsigned(DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_EXECNAME)));
  EXPECT_EQ(e.enablings[0].ioc.actions[0].key2, 0u);

  auto err = parse_err("sdt:::hit { @[cpu, pid, arg0] = count(); }");
  EXPECT_EQ(err.column, 25u);
  EXPECT_NE(err.message.find("'arg0' does not fit"), std::string::npos) << err.message;
  err = parse_err("sdt:::hit { @[cpu, execname] = count(); }");
  EXPECT_EQ(err.column, 20u);
  EXPECT_NE(err.message.find("'execname' does not fit"), std::string::npos) << err.message;
  err = parse_err("sdt:::hit { @[execname, pid] = count(); }");
  EXPECT_NE(err.message.find("'pid' does not fit"), std::string::npos) << err.message;
}

TEST(Parse, SeveralClausesAndDescriptions) {
  auto p = parse_ok({"profile:::tick-10ms, profile:::tick-1s { @t[probename] = count(); }\n"
                     "sdt:sdt_test:fire:hit\n{\n  @h = quantize(arg0)\n  ;trace(execname); "
                     "trace(arg1)\n}\n"
                     "tick-5s"});
  ASSERT_EQ(p.enablings.size(), 4u);
  EXPECT_STREQ(p.enablings[0].ioc.desc.name, "tick-10ms");
  EXPECT_STREQ(p.enablings[1].ioc.desc.name, "tick-1s");
  EXPECT_EQ(p.enablings[0].action_agg, p.enablings[1].action_agg);
  const auto &hit = p.enablings[2];
  EXPECT_STREQ(hit.ioc.desc.mod, "sdt_test");
  ASSERT_EQ(hit.ioc.nactions, 2u); // quantize, and one TRACE for both trace()s
  EXPECT_EQ(hit.ioc.actions[0].kind, unsigned(DTRACE_IOC_ACT_QUANTIZE));
  EXPECT_EQ(hit.ioc.actions[1].kind, unsigned(DTRACE_IOC_ACT_TRACE));
  EXPECT_EQ(hit.trace_exprs, (std::vector<Var>{Var::execname, Var::arg1}));
  EXPECT_EQ(p.enablings[3].ioc.actions[0].kind, unsigned(DTRACE_IOC_ACT_TRACE));
  EXPECT_EQ(p.aggs.size(), 2u);
}

TEST(Parse, SameNameMergesAcrossClausesAndArguments) {
  auto p = parse_ok({"sdt:::hit { @n[probefunc] = count(); } tick-1s { @n[probefunc] = count(); }",
                     "profile:::tick-10ms { @n[probefunc] = count(); @ = count(); }"});
  ASSERT_EQ(p.aggs.size(), 2u);
  ASSERT_EQ(p.enablings.size(), 3u);
  for (auto &e : p.enablings)
    EXPECT_EQ(e.action_agg[0], 0);
  EXPECT_EQ(p.enablings[2].action_agg[1], 1);
  EXPECT_EQ(p.enablings[2].arg, 1u);
  EXPECT_EQ(p.aggs[1].name, "");
}

TEST(Parse, SameNameConflictNamesBothPlaces) {
  trace::Program p;
  ASSERT_FALSE(trace::parse_program("sdt:::hit { @n[probefunc] = count(); }", p));
  auto err = trace::parse_program("tick-1s { @n[cpu] = count(); }", p);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->column, 11u);
  EXPECT_NE(err->message.find("-n 1, column 13"), std::string::npos) << err->message;
  EXPECT_NE(err->message.find("[cpu]"), std::string::npos) << err->message;
  EXPECT_NE(err->message.find("[probefunc]"), std::string::npos) << err->message;
  EXPECT_EQ(p.enablings.size(), 1u); // the failed argument added nothing
  err = trace::parse_program("tick-1s { @n[probefunc] = sum(arg0); }", p);
  ASSERT_TRUE(err);
  EXPECT_NE(err->message.find("sum(value)"), std::string::npos) << err->message;
  EXPECT_NE(err->message.find("count()"), std::string::npos) << err->message;
  auto lq =
      parse_err("a { @q = lquantize(arg0, 0, 10, 1); } b { @q = lquantize(arg0, 0, 20, 1); }");
  EXPECT_NE(lq.message.find("at -n 1, column 5"), std::string::npos) << lq.message;
}

TEST(Parse, LquantizeArguments) {
  auto p = parse_ok({"sdt:::hit { @l = lquantize(arg0, -10, 1000, 100); }"});
  const auto &a = p.enablings[0].ioc.actions[0];
  EXPECT_EQ(a.kind, unsigned(DTRACE_IOC_ACT_LQUANTIZE));
  EXPECT_EQ(a.value, unsigned(DTRACE_IOC_VAR_ARG0));
  EXPECT_EQ(a.lq_base, -10);
  EXPECT_EQ(a.lq_limit, 1000);
  EXPECT_EQ(a.lq_step, 100);
  EXPECT_NE(parse_err("x { @ = lquantize(arg0, 5, 1, 1); }").message.find("limit"),
            std::string::npos);
  EXPECT_NE(parse_err("x { @ = lquantize(arg0, 0, 10, 0); }").message.find("step"),
            std::string::npos);
  EXPECT_NE(parse_err("x { @ = lquantize(arg0, 0, 100000, 1); }").message.find("levels"),
            std::string::npos);
  auto err = parse_err("x { @ = lquantize(arg0, 0, 10); }");
  EXPECT_EQ(err.column, 30u) << err.message;
  err = parse_err("x { @ = lquantize(arg0, zero, 10, 1); }");
  EXPECT_EQ(err.column, 25u) << err.message;
}

TEST(Parse, ErrorColumns) {
  struct {
    const char *text;
    size_t column;
    const char *says;
  } cases[] = {
      {"sdt:::hit { @ = cnt(); }", 17, "unknown function 'cnt' (expected count, sum, min"},
      {"sdt:::hit { @ = count(arg0); }", 23, "count() takes no argument"},
      {"sdt:::hit { @ = sum(arg9); }", 21, "unknown variable 'arg9'"},
      {"sdt:::hit { @ = count() }", 25, ""}, // ';' before '}' may be omitted: no error
      {"sdt:::hit { @ count(); }", 15, "expected '='"},
      {"sdt:::hit { @a = count(); @b = count() @c = count(); }", 40, "expected ';'"},
      {"sdt:::hit { printf(arg0); }", 13, "unknown statement 'printf'"},
      {"sdt:::hit { @ = count();", 25, "missing '}'"},
      {"sdt:::hit { @[cpu = count(); }", 19, "expected ',' or ']'"},
      {"a:b:c:d:e { @ = count(); }", 1, "more than four fields"},
      {"  ", 3, "empty program"},
      {"tick-1s { trace(arg0) trace(arg1); }", 23, "expected ';'"},
      {"tick-1s { @ = quantize(arg0, 1); }", 28, "expected ')'"},
  };
  for (const auto &c : cases) {
    trace::Program p;
    auto err = trace::parse_program(c.text, p);
    if (!*c.says) {
      EXPECT_FALSE(err) << c.text;
      continue;
    }
    ASSERT_TRUE(err) << c.text;
    EXPECT_EQ(err->column, c.column) << c.text << ": " << err->message;
    EXPECT_NE(err->message.find(c.says), std::string::npos) << c.text << ": " << err->message;
  }
}

TEST(Parse, AtMostEightActionsPerClause) {
  std::string body;
  for (int i = 0; i < 8; ++i)
    body += "@a" + std::to_string(i) + " = count(); ";
  parse_ok({"tick-1s { " + body + "}"});
  auto err = parse_err("tick-1s { " + body + "trace(cpu); }");
  EXPECT_NE(err.message.find("more than 8 actions"), std::string::npos) << err.message;
  err = parse_err("tick-1s { " + body + "@z = count(); }");
  EXPECT_NE(err.message.find("more than 8 actions"), std::string::npos) << err.message;
}

TEST(ParseDuration, Units) {
  EXPECT_EQ(trace::parse_duration_ns("5"), 5000000000LL);
  EXPECT_EQ(trace::parse_duration_ns("5s"), 5000000000LL);
  EXPECT_EQ(trace::parse_duration_ns("250ms"), 250000000LL);
  EXPECT_EQ(trace::parse_duration_ns("10us"), 10000LL);
  EXPECT_EQ(trace::parse_duration_ns("7ns"), 7LL);
  EXPECT_EQ(trace::parse_duration_ns("2m"), 120000000000LL);
  EXPECT_FALSE(trace::parse_duration_ns("fast"));
  EXPECT_FALSE(trace::parse_duration_ns("5h"));
  EXPECT_FALSE(trace::parse_duration_ns(""));
  EXPECT_FALSE(trace::parse_duration_ns("0"));
  EXPECT_FALSE(trace::parse_duration_ns("-1s"));
}

// --- Reporting -----------------------------------------------------------

struct Rec {
  uint32_t enabling, action, kind, probe;
  std::vector<int64_t> vals;
  uint32_t key_kind = 0;
  int64_t key = 0;
  uint32_t key2_kind = 0;
  int64_t key2 = 0;
  int64_t lq_base = 0, lq_step = 0;
};

std::vector<uint8_t> bytes_of(const std::vector<Rec> &recs) {
  std::vector<uint8_t> out;
  for (const auto &r : recs) {
    dtrace_ioc_aggrec_t h{};
    h.size = static_cast<uint32_t>(sizeof(h) + r.vals.size() * 8);
    h.enabling_id = r.enabling;
    h.action = r.action;
    h.kind = r.kind;
    h.probe_id = r.probe;
    h.key_kind = r.key_kind;
    h.key = r.key;
    h.key2_kind = r.key2_kind;
    h.key2 = r.key2;
    h.nvals = static_cast<uint32_t>(r.vals.size());
    h.lq_base = r.lq_base;
    h.lq_step = r.lq_step;
    size_t at = out.size();
    out.resize(at + h.size);
    std::memcpy(out.data() + at, &h, sizeof(h));
    std::memcpy(out.data() + at + sizeof(h), r.vals.data(), r.vals.size() * 8);
  }
  return out;
}

// Parses the programs, numbers the enablings 1.. as the device would, and
// merges the records.
struct Fixture {
  trace::Program prog;
  std::vector<trace::AggResult> results;
  Fixture(std::initializer_list<std::string_view> args, const std::vector<Rec> &recs,
          const trace::ProbeNames &names) {
    prog = parse_ok(args);
    for (size_t i = 0; i < prog.enablings.size(); ++i)
      prog.enablings[i].ioc.enabling_id = static_cast<uint32_t>(i + 1);
    auto buf = bytes_of(recs);
    std::vector<trace::AggRecord> decoded;
    std::string why;
    EXPECT_TRUE(trace::decode_aggregations(buf, buf.size(), decoded, why)) << why;
    results = trace::merge_aggregations(prog, decoded, names);
  }
  std::string text() const { return trace::format_aggregations(results, prog.aggs.size() > 1); }
};

const trace::ProbeNames kNames = {
    {7, {"sdt", "sdt_test", "fire", "hit"}},
    {8, {"sdt", "sdt_other", "fire", "hit"}},
    {9, {"sdt", "sdt_test", "reset", "done"}},
    {20, {"profile", "", "", "tick-10ms"}},
};

TEST(Report, RejectsMalformedRecords) {
  auto a = bytes_of({{1, 0, DTRACE_IOC_ACT_COUNT, 7, {30}}});
  std::vector<trace::AggRecord> recs;
  std::string why;
  EXPECT_FALSE(trace::decode_aggregations(a, a.size() - 1, recs, why));
  a[0] = 9; // header size lies
  recs.clear();
  EXPECT_FALSE(trace::decode_aggregations(a, a.size(), recs, why));
}

TEST(Report, ProjectionByProbefuncMergesProbes) {
  // Probes 7 and 8 are both function "fire": one line of 30 + 12; "reset"
  // is 5 and sorts first.
  Fixture f({"sdt:::{ @[probefunc] = count(); }"},
            {{1, 0, DTRACE_IOC_ACT_COUNT, 7, {30}},
             {1, 0, DTRACE_IOC_ACT_COUNT, 8, {12}},
             {1, 0, DTRACE_IOC_ACT_COUNT, 9, {5}}},
            kNames);
  EXPECT_EQ(f.text(), "\n"
                      "  reset             5\n"
                      "  fire             42\n");
}

TEST(Report, KeysInColumnsSortedByValueThenKeys) {
  Fixture f({"sdt:::hit { @c[probemod, cpu] = sum(arg0); }"},
            {{1, 0, DTRACE_IOC_ACT_SUM, 7, {9}, DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_CPU), 1},
             {1, 0, DTRACE_IOC_ACT_SUM, 8, {9}, DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_CPU), 0},
             {1, 0, DTRACE_IOC_ACT_SUM, 7, {100}, DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_CPU), 12},
             {1, 0, DTRACE_IOC_ACT_SUM, 7, {2}, DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_CPU), 0}},
            kNames);
  EXPECT_EQ(f.text(), "\n"
                      "  sdt_test   0              2\n"
                      "  sdt_other  0              9\n"
                      "  sdt_test   1              9\n"
                      "  sdt_test   12           100\n");
}

TEST(Report, ExecnameKeyDecodedFromBothWords) {
  auto comm = [](const char *s, int64_t &k1, int64_t &k2) {
    char b[16] = {};
    std::memcpy(b, s, std::strlen(s));
    std::memcpy(&k1, b, 8);
    std::memcpy(&k2, b + 8, 8);
  };
  Rec a{1, 0, DTRACE_IOC_ACT_COUNT, 7, {3}, DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_EXECNAME)};
  comm("kworker/u8:2-ev", a.key, a.key2); // 15 characters: both words
  Rec b{1, 0, DTRACE_IOC_ACT_COUNT, 7, {4}, DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_EXECNAME)};
  comm("sh", b.key, b.key2);
  Fixture f({"sdt:::hit { @[execname, probename] = count(); }"}, {a, b}, kNames);
  EXPECT_EQ(f.text(), "\n"
                      "  kworker/u8:2-ev  hit             3\n"
                      "  sh               hit             4\n");
}

TEST(Report, AvgMinMaxAndMergingAcrossClauses) {
  Fixture f({"sdt:::hit { @a = avg(arg0); @lo = min(arg0); @hi = max(arg0); }",
             "tick-10ms { @a = avg(arg0); @lo = min(arg0); @hi = max(arg0); }"},
            {{1, 0, DTRACE_IOC_ACT_AVG, 7, {4, 10}},
             {1, 1, DTRACE_IOC_ACT_MIN, 7, {-3}},
             {1, 2, DTRACE_IOC_ACT_MAX, 7, {50}},
             {2, 0, DTRACE_IOC_ACT_AVG, 20, {1, 25}},
             {2, 1, DTRACE_IOC_ACT_MIN, 20, {4}},
             {2, 2, DTRACE_IOC_ACT_MAX, 20, {70}}},
            kNames);
  EXPECT_EQ(f.text(), "\n@a\n  " + std::string(11, ' ') + "7\n" + // 35 / 5
                          "\n@lo\n  " + std::string(10, ' ') + "-3\n" + "\n@hi\n  " +
                          std::string(10, ' ') + "70\n");
}

TEST(Report, QuantizeRowsTrimmedWithOneZeroRowEachSide) {
  std::vector<int64_t> vals(DTRACE_IOC_QUANTIZE_BUCKETS, 0);
  vals[DTRACE_IOC_QUANTIZE_ZERO] = 1;     // 0
  vals[DTRACE_IOC_QUANTIZE_ZERO + 1] = 1; // 1
  vals[DTRACE_IOC_QUANTIZE_ZERO + 4] = 2; // 8..15
  std::vector<int64_t> more(DTRACE_IOC_QUANTIZE_BUCKETS, 0);
  more[DTRACE_IOC_QUANTIZE_ZERO + 4] = 4;
  Fixture f({"sdt:::hit { @[probefunc] = quantize(arg0); }"},
            {{1, 0, DTRACE_IOC_ACT_QUANTIZE, 7, vals}, {1, 0, DTRACE_IOC_ACT_QUANTIZE, 8, more}},
            kNames);
  EXPECT_EQ(f.text(), "\n"
                      "  fire\n"
                      "           value  ------------- Distribution ------------- count\n"
                      "              -1 |                                         0\n"
                      "               0 |@@@@@                                    1\n"
                      "               1 |@@@@@                                    1\n"
                      "               2 |                                         0\n"
                      "               4 |                                         0\n"
                      "               8 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@           6\n"
                      "              16 |                                         0\n"
                      "\n");
}

TEST(Report, LquantizeLabels) {
  std::vector<int64_t> vals(12, 0); // levels 10 + 2
  vals[0] = 1;                      // < 0
  vals[3] = 2;                      // 200..299
  vals[11] = 1;                     // >= 1000
  auto text = trace::format_distribution(DTRACE_IOC_ACT_LQUANTIZE, vals, 0, 100);
  EXPECT_NE(text.find("             < 0 |@@@@@@@@@@"), std::string::npos) << text;
  EXPECT_NE(text.find("             200 |@@@@@@@@@@@@@@@@@@@@"), std::string::npos) << text;
  EXPECT_NE(text.find("         >= 1000 |@@@@@@@@@@"), std::string::npos) << text;
}

TEST(Report, JsonParsesBackAndEscapes) {
  trace::ProbeNames names = kNames;
  names[9] = {"sdt", "m", "we\"ird\\fn\n", "x"};
  std::vector<int64_t> q(DTRACE_IOC_QUANTIZE_BUCKETS, 0);
  q[DTRACE_IOC_QUANTIZE_ZERO + 2] = 5; // 2..3
  Fixture f({"sdt::: { @hits[probefunc, cpu] = count(); @d = quantize(arg0); }"},
            {{1, 0, DTRACE_IOC_ACT_COUNT, 7, {100}, DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_CPU), 0},
             {1, 0, DTRACE_IOC_ACT_COUNT, 9, {1}, DTRACE_IOC_KEY_VAR(DTRACE_IOC_VAR_CPU), 3},
             {1, 1, DTRACE_IOC_ACT_QUANTIZE, 7, q}},
            names);
  trace::Drops d;
  d.aggregation = 2;
  dtrace_ioc_trace_rec_t r{};
  r.cpu = 1;
  r.probe_id = 7;
  r.args[0] = static_cast<uint64_t>(-5);
  std::memcpy(r.comm, "a\"b", 3);
  auto json = trace::format_json(
      f.results, {trace::trace_record_json(r, names, {Var::execname, Var::arg0})}, d);
  EXPECT_NE(json.find("{\"name\":\"hits\",\"function\":\"count\",\"keys\":[\"probefunc\",\"cpu\"]"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("{\"keys\":[\"fire\",0],\"value\":100}"), std::string::npos) << json;
  EXPECT_NE(json.find("{\"keys\":[\"we\\\"ird\\\\fn\\n\",3],\"value\":1}"), std::string::npos)
      << json;
  EXPECT_NE(json.find("\"buckets\":[{\"value\":2,\"count\":5}]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"values\":[\"a\\\"b\",-5]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"drops\":{\"buffer\":0,\"aggregation\":2,\"nested\":0}"), std::string::npos)
      << json;
  // Structurally sound: brackets balance outside strings, no raw control
  // character inside one.
  int depth = 0;
  bool in_str = false;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_str) {
      ASSERT_GE(static_cast<unsigned char>(c), 0x20) << "raw control character at " << i;
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_str = false;
      continue;
    }
    if (c == '"')
      in_str = true;
    if (c == '{' || c == '[')
      ++depth;
    if (c == '}' || c == ']') {
      ASSERT_GE(--depth, 0) << json;
    }
  }
  EXPECT_EQ(depth, 0);
  EXPECT_FALSE(in_str);
  EXPECT_EQ(trace::json_string("\x01\t"), "\"\\u0001\\t\"");
}

TEST(Report, TraceRecordLines) {
  EXPECT_EQ(trace::trace_header(), "CPU     ID                    FUNCTION:NAME\n");
  dtrace_ioc_trace_rec_t r{};
  r.cpu = 1;
  r.probe_id = 7;
  r.pid = 42;
  std::memcpy(r.comm, "insmod", 6);
  r.args[0] = 16;
  EXPECT_EQ(trace::format_trace_record(r, kNames, {}),
            "  1      7                         fire:hit\n");
  EXPECT_EQ(trace::format_trace_record(r, kNames, {Var::execname, Var::arg0, Var::probemod}),
            "  1      7                         fire:hit  insmod  16  sdt_test\n");
}

TEST(Report, DropsSummary) {
  EXPECT_EQ(trace::drops_summary(10, {}),
            "soltrace: 10 firings; dropped: 0 trace records (buffer full), 0 aggregation updates "
            "(table full), 0 nested firings\n");
  trace::Drops d;
  d.buffer = 3;
  EXPECT_NE(trace::drops_summary(10, d).find("incomplete"), std::string::npos);
}

// The lines tests/kernel/trace_smoke.sh greps for, formatted from the
// program it runs; the patterns here are the script's (as ERE).
TEST(Report, WhatTraceSmokeGrepsFor) {
  std::vector<int64_t> q(DTRACE_IOC_QUANTIZE_BUCKETS, 0);
  q[DTRACE_IOC_QUANTIZE_ZERO] = 1;
  for (int b = 1; b <= 7; ++b)
    q[DTRACE_IOC_QUANTIZE_ZERO + b] = int64_t(1) << (b - 1);
  q[DTRACE_IOC_QUANTIZE_ZERO + 7] = 36; // 64..99
  Fixture f({"profile:::tick-10ms { @ticks = count(); }",
             "sdt:sdt_test:fire:hit { @hits[probefunc] = count(); @dist = quantize(arg0); }"},
            {{1, 0, DTRACE_IOC_ACT_COUNT, 20, {301}},
             {2, 0, DTRACE_IOC_ACT_COUNT, 7, {100}},
             {2, 1, DTRACE_IOC_ACT_QUANTIZE, 7, q}},
            kNames);
  auto text = f.text();
  EXPECT_NE(text.find("\n@ticks\n           301\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n@hits\n  fire           100\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n@dist\n           value  ------------- Distribution"), std::string::npos)
      << text;
  // The hotplug run: one aggregation, no name line, the count alone.
  Fixture h({"profile:::profile-199 { @ = count(); }"}, {{1, 0, DTRACE_IOC_ACT_COUNT, 30, {995}}},
            {{30, {"profile", "", "", "profile-199"}}});
  EXPECT_EQ(h.text(), "\n           995\n");
  auto json = trace::format_json(f.results, {}, {});
  EXPECT_NE(json.find("{\"keys\":[\"fire\"],\"value\":100}"), std::string::npos) << json;
}

} // namespace
