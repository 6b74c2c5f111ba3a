// SPDX-License-Identifier: GPL-2.0
#include "ktap.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace solcompat::vmrun {
namespace {

const TestCase *find(const std::vector<TestCase> &cases, const std::string &name) {
  for (const TestCase &c : cases)
    if (c.name == name)
      return &c;
  return nullptr;
}

std::vector<std::string> names(const std::vector<TestCase> &cases) {
  std::vector<std::string> out;
  for (const TestCase &c : cases)
    out.push_back(c.name);
  return out;
}

TEST(Ktap, FlatSuite) {
  const auto cases = parse_ktap({
      "KTAP version 1",
      "1..3",
      "ok 1 alpha",
      "not ok 2 beta",
      "ok 3 - gamma",
  });
  ASSERT_EQ(names(cases), (std::vector<std::string>{"alpha", "beta", "gamma"}));
  EXPECT_EQ(cases[0].status, Status::passed);
  EXPECT_EQ(cases[1].status, Status::failed);
  EXPECT_EQ(cases[1].message, "KTAP beta: not ok");
  EXPECT_EQ(cases[2].status, Status::passed);
}

TEST(Ktap, TapVersionHeadersStartADocument) {
  EXPECT_EQ(parse_ktap({"TAP version 14", "1..1", "ok 1 a"}).size(), 1u);
  EXPECT_EQ(parse_ktap({"TAP version 13", "1..1", "ok 1 a"}).size(), 1u);
}

TEST(Ktap, ResultsOutsideADocumentAreIgnored) {
  EXPECT_TRUE(parse_ktap({"1..2", "ok 1 a", "not ok 2 b"}).empty());
}

TEST(Ktap, SkipAndTodoDirectives) {
  const auto cases = parse_ktap({
      "KTAP version 1",
      "1..4",
      "ok 1 a # SKIP no NMI on this machine",
      "ok 2 # SKIP",
      "not ok 3 c # TODO not written yet",
      "not ok 4 d # TIMEOUT",
  });
  ASSERT_EQ(cases.size(), 4u);
  EXPECT_EQ(cases[0].status, Status::skipped);
  EXPECT_EQ(cases[0].message, "no NMI on this machine");
  EXPECT_EQ(cases[1].name, "test 2");
  EXPECT_EQ(cases[1].status, Status::skipped);
  EXPECT_EQ(cases[1].message, "skipped");
  EXPECT_EQ(cases[2].status, Status::skipped);
  EXPECT_EQ(cases[2].message, "not written yet");
  EXPECT_EQ(cases[3].status, Status::failed);
  EXPECT_EQ(cases[3].message, "KTAP d: TIMEOUT");
}

TEST(Ktap, DiagnosticsBeforeAResultBelongToIt) {
  // What tests/kernel/sctest_kmod.c and KUnit print: the reason, then "not ok".
  const auto cases = parse_ktap({
      "KTAP version 1",
      "1..2",
      "ok 1 a",
      "# x.c:10: check failed: v == 2 (left 1, right 2)",
      "# second line",
      "not ok 2 b",
      "# sctest: 2 cases, 1 failed",
  });
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_TRUE(cases[0].details.empty());
  EXPECT_EQ(cases[1].details, "# x.c:10: check failed: v == 2 (left 1, right 2)\n# second line");
  EXPECT_EQ(cases[1].message, "KTAP b: not ok: # x.c:10: check failed: v == 2 (left 1, right 2)");
}

TEST(Ktap, NestedSubtestsWithVersionLines) {
  // KUnit's layout since 5.18.
  const auto cases = parse_ktap({
      "KTAP version 1",
      "1..2",
      "    KTAP version 1",
      "    # Subtest: suite_a",
      "    # module: suite_a_test",
      "    1..2",
      "    ok 1 one",
      "    # two: EXPECTATION FAILED at lib/a.c:5",
      "    not ok 2 two",
      "# suite_a: pass:1 fail:1 skip:0 total:2",
      "not ok 1 suite_a",
      "    KTAP version 1",
      "    # Subtest: suite_b",
      "    1..1",
      "    ok 1 three # SKIP not here",
      "ok 2 suite_b # SKIP",
  });
  ASSERT_EQ(names(cases),
            (std::vector<std::string>{"suite_a.one", "suite_a.two", "suite_b.three"}));
  EXPECT_EQ(cases[0].status, Status::passed);
  EXPECT_EQ(cases[1].status, Status::failed);
  EXPECT_EQ(cases[1].details, "# two: EXPECTATION FAILED at lib/a.c:5");
  EXPECT_EQ(cases[2].status, Status::skipped);
}

TEST(Ktap, NestedSubtestsByIndentationOnly) {
  // Older KUnit: "# Subtest:" and an indented plan, no nested version line.
  const auto cases = parse_ktap({
      "TAP version 14",
      "1..1",
      "    # Subtest: example",
      "    1..2",
      "    ok 1 - simple",
      "    ok 2 - other",
      "ok 1 - example",
  });
  EXPECT_EQ(names(cases), (std::vector<std::string>{"example.simple", "example.other"}));
}

TEST(Ktap, ParentFailureWithoutFailingSubtestIsACase) {
  const auto cases = parse_ktap({
      "KTAP version 1",
      "1..1",
      "    KTAP version 1",
      "    # Subtest: suite",
      "    1..1",
      "    ok 1 fine",
      "# suite init failed",
      "not ok 1 suite",
  });
  ASSERT_EQ(names(cases), (std::vector<std::string>{"suite.fine", "suite"}));
  EXPECT_EQ(cases[1].status, Status::failed);
  EXPECT_EQ(cases[1].details, "# suite init failed");
}

TEST(Ktap, EmptyNestedBlockLeavesTheParentResult) {
  const auto cases = parse_ktap({
      "KTAP version 1",
      "1..1",
      "    KTAP version 1",
      "    # Subtest: empty",
      "    1..0",
      "ok 1 empty # SKIP nothing to test",
  });
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].name, "empty");
  EXPECT_EQ(cases[0].status, Status::skipped);
}

TEST(Ktap, PlanMismatchIsAFailure) {
  const auto cases = parse_ktap({"KTAP version 1", "1..3", "ok 1 a", "ok 2 b"});
  const TestCase *plan = find(cases, "ktap.plan");
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->status, Status::failed);
  EXPECT_EQ(plan->message, "KTAP ktap.plan: planned 1..3 but got 2 results (output cut short?)");

  const auto extra = parse_ktap({"KTAP version 1", "1..1", "ok 1 a", "ok 2 b"});
  ASSERT_NE(find(extra, "ktap.plan"), nullptr);
  EXPECT_EQ(find(extra, "ktap.plan")->message, "KTAP ktap.plan: planned 1..1 but got 2 results");
}

TEST(Ktap, NestedPlanMismatchIsNamedAfterTheSuite) {
  const auto cases = parse_ktap({
      "KTAP version 1",
      "1..1",
      "    KTAP version 1",
      "    # Subtest: s",
      "    1..2",
      "    ok 1 a",
      "ok 1 s",
  });
  const TestCase *plan = find(cases, "s.plan");
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->status, Status::failed);
  EXPECT_EQ(find(cases, "ktap.plan"), nullptr);
}

TEST(Ktap, OutputCutShortInsideASubtest) {
  const auto cases = parse_ktap({
      "KTAP version 1",
      "1..1",
      "    KTAP version 1",
      "    # Subtest: s",
      "    1..3",
      "    ok 1 a",
  });
  EXPECT_EQ(names(cases), (std::vector<std::string>{"s.a", "s.plan", "ktap.plan"}));
}

TEST(Ktap, MissingPlanIsAllowed) {
  // KTAP lets a document leave the plan out when the count is not known in advance.
  const auto cases = parse_ktap({"KTAP version 1", "ok 1 a", "ok 2 b"});
  EXPECT_EQ(names(cases), (std::vector<std::string>{"a", "b"}));
}

TEST(Ktap, VersionLineAloneIsAFailure) {
  const auto cases = parse_ktap({"KTAP version 1", "some kernel message"});
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].name, "ktap.plan");
  EXPECT_EQ(cases[0].status, Status::failed);
}

TEST(Ktap, TimestampsAreStrippedAndGiveTimes) {
  const auto cases = parse_ktap({
      "[    1.000000] KTAP version 1",
      "[    1.000100] 1..2",
      "[    1.250100] ok 1 slow",
      "[    1.250200]     KTAP version 1",
      "[    1.250300]     # Subtest: s",
      "[    1.250400]     1..1",
      "[    2.250400]     not ok 1 nested",
      "[    2.250500] not ok 2 s",
  });
  ASSERT_EQ(names(cases), (std::vector<std::string>{"slow", "s.nested"}));
  ASSERT_TRUE(cases[0].seconds.has_value());
  EXPECT_NEAR(*cases[0].seconds, 0.25, 1e-6);
  ASSERT_TRUE(cases[1].seconds.has_value());
  EXPECT_NEAR(*cases[1].seconds, 1.0, 1e-6);
  EXPECT_EQ(cases[1].status, Status::failed);
}

TEST(Ktap, KernelMessagesInterleaved) {
  const auto cases = parse_ktap({
      "SeaBIOS (version 1.16.2-debian-1.16.2-1)",
      "[    0.000000] Linux version 6.1.0-56-amd64",
      "[    3.100000] KTAP version 1",
      "[    3.100001] sctest: register_kprobe failed: -22",
      "[    3.100002] 1..2",
      "[    3.100003] random: crng init done",
      "[    3.100004] ok 1 a",
      "some userspace output",
      "[    3.100005] ok 2 b # SKIP",
      "[    3.100006] SOLCOMPAT-VM: insmod x.ko rc=0",
      "[    3.100007] ok 3 not-in-any-plan-but-still-in-the-document",
  });
  EXPECT_EQ(names(cases), (std::vector<std::string>{
                              "a", "b", "not-in-any-plan-but-still-in-the-document", "ktap.plan"}));
}

TEST(Ktap, EachVersionLineStartsANewDocument) {
  // Two modules, each printing its own KTAP.
  const auto cases = parse_ktap({
      "KTAP version 1",
      "1..1",
      "ok 1 first",
      "KTAP version 1",
      "1..2",
      "ok 1 second",
      "ok 2 third",
  });
  EXPECT_EQ(names(cases), (std::vector<std::string>{"first", "second", "third"}));
}

TEST(Ktap, NotResultLookalikesAreIgnored) {
  const auto cases = parse_ktap({
      "KTAP version 1",
      "1..1",
      "okay then",
      "ok one",
      "not ok",
      "1..x",
      "ok 1 real",
  });
  EXPECT_EQ(names(cases), (std::vector<std::string>{"real"}));
}

} // namespace
} // namespace solcompat::vmrun
