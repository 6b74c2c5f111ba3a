// SPDX-License-Identifier: GPL-2.0
#include "console.h"

#include <gtest/gtest.h>

namespace solcompat::vmrun {
namespace {

TEST(Console, SplitLinesDropsCarriageReturns) {
  EXPECT_EQ(split_lines("a\r\nb\r\r\n\r\nc"), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(split_lines("a\n"), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(split_lines("").empty());
}

TEST(Console, PrintkTimePrefix) {
  const ConsoleLine line = parse_console_line("[   12.345678]     ok 1 x");
  EXPECT_EQ(line.text, "    ok 1 x"); // the message's own indentation stays
  ASSERT_TRUE(line.time.has_value());
  EXPECT_DOUBLE_EQ(*line.time, 12.345678);

  const ConsoleLine big = parse_console_line("[12345.000001] x");
  EXPECT_EQ(big.text, "x");
  EXPECT_DOUBLE_EQ(*big.time, 12345.000001);
}

TEST(Console, LinesWithoutATimePrefixStayAsTheyAre) {
  for (const char *raw :
       {"hello-from-guest", "[ ok ] started", "[1.2.3] x", "[    1.5", "[] x", "[   .5] x", ""}) {
    const ConsoleLine line = parse_console_line(raw);
    EXPECT_EQ(line.text, raw);
    EXPECT_FALSE(line.time.has_value()) << raw;
  }
}

TEST(Console, JoinLinesClampsToTheEnd) {
  const std::vector<std::string> lines = {"a", "b", "c"};
  EXPECT_EQ(join_lines(lines, 1, 5), "b\nc");
  EXPECT_EQ(join_lines(lines, 0, 2), "a\nb");
  EXPECT_EQ(join_lines(lines, 3, 2), "");
}

} // namespace
} // namespace solcompat::vmrun
