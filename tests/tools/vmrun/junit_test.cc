// SPDX-License-Identifier: GPL-2.0
#include "junit.h"

#include <gtest/gtest.h>

#include <sstream>

namespace solcompat::vmrun {
namespace {

TEST(Junit, EscapesMarkup) {
  EXPECT_EQ(xml_escape(R"(<a href="x">&'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
}

TEST(Junit, EscapesControlCharactersVisibly) {
  // XML 1.0 cannot carry these at all, not even as character references.
  EXPECT_EQ(xml_escape("\x1b[0m"), "\\x1B[0m");
  EXPECT_EQ(xml_escape(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(xml_escape("\x7f"), "\\x7F");
  // Line breaks and tabs are kept, as references so attributes keep them too.
  EXPECT_EQ(xml_escape("a\nb\tc"), "a&#10;b&#9;c");
}

TEST(Junit, KeepsValidUtf8AndMarksInvalidBytes) {
  EXPECT_EQ(xml_escape("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x90\xa7"),
            "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x90\xa7");
  EXPECT_EQ(xml_escape("\xff"), "\\xFF");
  EXPECT_EQ(xml_escape("\xc3"), "\\xC3");                   // truncated sequence
  EXPECT_EQ(xml_escape("\xc0\xaf"), "\\xC0\\xAF");          // overlong '/'
  EXPECT_EQ(xml_escape("\xed\xa0\x80"), "\\xED\\xA0\\x80"); // surrogate
}

TEST(Junit, WritesOneSuiteWithFailuresAndSkips) {
  const std::vector<TestCase> cases = {
      {.name = "boot", .seconds = 3.25},
      {.name = "insmod x.ko",
       .status = Status::failed,
       .message = "insmod x.ko failed (rc=1): x: Unknown symbol <y>",
       .details = "[    4.0] x: Unknown symbol <y>\n\x1b[0m"},
      {.name = "run 1", .status = Status::skipped, .message = "not run: insmod x.ko failed"},
  };
  std::ostringstream out;
  write_junit(out, "6.1.0-56-amd64", cases, 9.5);
  EXPECT_EQ(out.str(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuite name=\"6.1.0-56-amd64\" tests=\"3\" failures=\"1\" errors=\"0\" "
            "skipped=\"1\" time=\"9.500\">\n"
            "  <testcase classname=\"6.1.0-56-amd64\" name=\"boot\" time=\"3.250\"/>\n"
            "  <testcase classname=\"6.1.0-56-amd64\" name=\"insmod x.ko\">\n"
            "    <failure message=\"insmod x.ko failed (rc=1): x: Unknown symbol &lt;y&gt;\">"
            "[    4.0] x: Unknown symbol &lt;y&gt;&#10;\\x1B[0m</failure>\n"
            "  </testcase>\n"
            "  <testcase classname=\"6.1.0-56-amd64\" name=\"run 1\">\n"
            "    <skipped message=\"not run: insmod x.ko failed\"/>\n"
            "  </testcase>\n"
            "</testsuite>\n");
}

TEST(Junit, EscapesSuiteAndCaseNames) {
  std::ostringstream out;
  write_junit(out, "a&b", {{.name = "c\"d"}}, std::nullopt);
  EXPECT_NE(out.str().find("<testsuite name=\"a&amp;b\" tests=\"1\""), std::string::npos);
  EXPECT_NE(out.str().find("classname=\"a&amp;b\" name=\"c&quot;d\"/>"), std::string::npos);
  EXPECT_EQ(out.str().find("time="), std::string::npos);
}

} // namespace
} // namespace solcompat::vmrun
