// SPDX-License-Identifier: GPL-2.0
#include "junit.h"

#include <algorithm>
#include <cstdio>

namespace solcompat::vmrun {

namespace {

// Length of the valid UTF-8 sequence at the start of `s`, or 0 if there is none.
std::size_t utf8_length(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  std::size_t len = 0;
  unsigned min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < len)
    return 0;
  unsigned cp = lead & (0x7F >> len);
  for (std::size_t i = 1; i < len; ++i) {
    if ((byte(i) & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (byte(i) & 0x3F);
  }
  const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  return cp < min || cp > 0x10FFFF || surrogate ? 0 : len;
}

std::string seconds_attr(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", std::max(s, 0.0));
  return buf;
}

} // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const unsigned char c = static_cast<unsigned char>(text.front());
    std::size_t used = 1;
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    // Kept as references so that attribute values keep their line breaks.
    case '\n':
      out += "&#10;";
      break;
    case '\t':
      out += "&#9;";
      break;
    default:
      if (c >= 0x20 && c < 0x7F) {
        out += static_cast<char>(c);
      } else if (const std::size_t len = c >= 0x80 ? utf8_length(text) : 0; len != 0) {
        out.append(text.substr(0, len));
        used = len;
      } else {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02X", c);
        out += hex;
      }
    }
    text.remove_prefix(used);
  }
  return out;
}

void write_junit(std::ostream &out, std::string_view suite, const std::vector<TestCase> &cases,
                 std::optional<double> seconds) {
  const auto count = [&](Status s) { return std::ranges::count(cases, s, &TestCase::status); };
  const std::string name = xml_escape(suite);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuite name=\"" << name << "\" tests=\"" << cases.size() << "\" failures=\""
      << count(Status::failed) << "\" errors=\"0\" skipped=\"" << count(Status::skipped) << '"';
  if (seconds)
    out << " time=\"" << seconds_attr(*seconds) << '"';
  out << ">\n";
  for (const TestCase &c : cases) {
    out << "  <testcase classname=\"" << name << "\" name=\"" << xml_escape(c.name) << '"';
    if (c.seconds)
      out << " time=\"" << seconds_attr(*c.seconds) << '"';
    if (c.status == Status::passed) {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    const char *tag = c.status == Status::failed ? "failure" : "skipped";
    out << "    <" << tag << " message=\"" << xml_escape(c.message) << '"';
    if (c.details.empty())
      out << "/>\n";
    else
      out << ">" << xml_escape(c.details) << "</" << tag << ">\n";
    out << "  </testcase>\n";
  }
  out << "</testsuite>\n";
}

} // namespace solcompat::vmrun
