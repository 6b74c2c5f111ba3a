// SPDX-License-Identifier: GPL-2.0
#include "ktap.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>
#include <optional>
#include <string_view>
#include <utility>

#include "console.h"

namespace solcompat::vmrun {

namespace {

std::string_view trim(std::string_view s) {
  const std::size_t first = s.find_first_not_of(' ');
  if (first == std::string_view::npos)
    return {};
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

// Consumes a decimal number at the start of `s`.
std::optional<unsigned> take_number(std::string_view &s) {
  unsigned n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc())
    return std::nullopt;
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  return n;
}

struct Result {
  unsigned number = 0;
  std::string description;
  Status status = Status::passed;
  std::string note; // the reason of a SKIP/TODO, or any other directive text
};

std::optional<Result> parse_result(std::string_view body) {
  Result r;
  if (body.starts_with("ok ")) {
    body.remove_prefix(3);
  } else if (body.starts_with("not ok ")) {
    body.remove_prefix(7);
    r.status = Status::failed;
  } else {
    return std::nullopt;
  }
  const auto number = take_number(body);
  if (!number || !(body.empty() || body.starts_with(' ')))
    return std::nullopt;
  r.number = *number;
  body = trim(body);
  // "<description> # <directive> <reason>"; the '#' starts the directive only as a word.
  const std::size_t hash = body.starts_with('#') ? 0 : body.find(" #");
  std::string_view description = trim(body.substr(0, hash));
  if (description.starts_with("- ")) // TAP's optional dash
    description.remove_prefix(2);
  r.description = std::string(description);
  if (hash != std::string_view::npos) {
    const std::string_view directive = trim(body.substr(body.find('#', hash) + 1));
    std::string word(directive.substr(0, directive.find(' ')));
    std::ranges::transform(word, word.begin(), [](unsigned char c) { return std::toupper(c); });
    if (word == "SKIP" || word == "TODO") {
      r.status = Status::skipped;
      r.note = std::string(trim(directive.substr(word.size())));
      if (r.note.empty())
        r.note = word == "SKIP" ? "skipped" : "TODO";
    } else {
      r.note = std::string(directive);
    }
  }
  return r;
}

std::optional<unsigned> parse_plan(std::string_view body) {
  if (!body.starts_with("1.."))
    return std::nullopt;
  body.remove_prefix(3);
  const auto count = take_number(body);
  if (!count || !(body.empty() || body.starts_with(' ')))
    return std::nullopt;
  return count;
}

bool is_version(std::string_view body) {
  return body.starts_with("KTAP version ") || body.starts_with("TAP version ");
}

struct Level {
  std::size_t indent = 0;
  bool header = false;   // opened by a version line
  std::string subtest{}; // from "# Subtest: <name>"
  std::optional<unsigned> plan{};
  unsigned results = 0;
  std::vector<std::string> diagnostics{}; // since the last result line
  std::vector<TestCase> cases{};          // finished, named relative to this level
  // A nested block that closed since the last result line, waiting for that line's name.
  bool has_block = false;
  std::string block_subtest{};
  std::vector<TestCase> block_cases{};
};

class Parser {
public:
  void feed(std::string_view raw);
  std::vector<TestCase> finish() {
    close_document();
    return std::move(out_);
  }

private:
  void open(std::size_t indent, bool header) {
    stack_.push_back({.indent = indent, .header = header});
  }
  void close_nested();
  void close_document();
  void on_result(Result r, std::optional<double> time);
  static void check_plan(Level &level, std::string name);
  static void adopt_block(Level &level, const std::string &prefix);
  // Names the cases of a nested block whose result line never came: by its "# Subtest:" name,
  // else "ktap", so that its "plan" case does not stand there unexplained.
  static std::string orphan_prefix(const Level &level) {
    return level.block_subtest.empty() ? "ktap" : level.block_subtest;
  }

  std::vector<Level> stack_; // [0] is the document; more entries are nested blocks
  std::vector<TestCase> out_;
  std::optional<double> last_time_;
};

void Parser::feed(std::string_view raw) {
  const ConsoleLine line = parse_console_line(raw);
  const std::size_t indent = line.text.find_first_not_of(' ');
  if (indent == std::string_view::npos)
    return;
  const std::string_view body = line.text.substr(indent);
  const bool version = is_version(body);
  const auto plan = parse_plan(body);
  auto result = parse_result(body);
  const bool diagnostic = body.starts_with('#');
  if (!version && !plan && !result && !diagnostic)
    return; // an unknown line: kernel messages and other output, ignored

  if (stack_.empty() || (version && indent <= stack_.front().indent)) {
    if (!version)
      return; // KTAP lines outside a document are not KTAP
    close_document();
    open(indent, true);
    last_time_ = line.time;
    return;
  }
  while (stack_.size() > 1 && indent < stack_.back().indent)
    close_nested();
  if (indent > stack_.back().indent) {
    open(indent, version);
  } else if (version) { // the next nested block at the same depth
    close_nested();
    open(indent, true);
  }
  Level &level = stack_.back();
  if (version) {
    last_time_ = line.time;
  } else if (plan) {
    if (!level.plan)
      level.plan = plan;
    last_time_ = line.time;
  } else if (result) {
    on_result(std::move(*result), line.time);
  } else if (body.starts_with("# Subtest:")) {
    level.subtest = std::string(trim(body.substr(10)));
    last_time_ = line.time;
  } else {
    level.diagnostics.emplace_back(body);
  }
}

void Parser::on_result(Result r, std::optional<double> time) {
  Level &level = stack_.back();
  ++level.results;
  TestCase c;
  c.name = r.description;
  if (c.name.empty())
    c.name = level.has_block && !level.block_subtest.empty() ? level.block_subtest
                                                             : "test " + std::to_string(r.number);
  c.status = r.status;
  if (time && last_time_)
    c.seconds = *time - *last_time_;
  last_time_ = time;
  const auto failed = [](const TestCase &k) { return k.status == Status::failed; };
  const bool subtest_failed = std::ranges::any_of(level.block_cases, failed);
  const bool has_subtests = !level.block_cases.empty();
  adopt_block(level, c.name);
  // A parent's result summarises its subtests; it counts on its own only when it fails
  // without a failing subtest (e.g. the suite's init failed).
  if (!has_subtests || (c.status == Status::failed && !subtest_failed)) {
    c.message = r.note;
    for (const std::string &d : level.diagnostics)
      c.details += (c.details.empty() ? "" : "\n") + d;
    level.cases.push_back(std::move(c));
  }
  level.diagnostics.clear();
}

// Moves the cases of a closed nested block into `level`, under "prefix.".
void Parser::adopt_block(Level &level, const std::string &prefix) {
  for (TestCase &k : level.block_cases) {
    if (!prefix.empty())
      k.name = prefix + "." + k.name;
    level.cases.push_back(std::move(k));
  }
  level.block_cases.clear();
  level.block_subtest.clear();
  level.has_block = false;
}

void Parser::check_plan(Level &level, std::string name) {
  TestCase c{.name = std::move(name), .status = Status::failed};
  if (level.plan && *level.plan != level.results) {
    c.message = "planned 1.." + std::to_string(*level.plan) + " but got " +
                std::to_string(level.results) + " results";
    if (level.results < *level.plan)
      c.message += " (output cut short?)";
  } else if (level.header && !level.plan && level.results == 0) {
    c.message = "version line without a plan or any result";
  } else {
    return;
  }
  level.cases.push_back(std::move(c));
}

void Parser::close_nested() {
  Level block = std::move(stack_.back());
  stack_.pop_back();
  Level &parent = stack_.back();
  if (block.has_block) // its own nested block never got a result line
    adopt_block(block, orphan_prefix(block));
  if (!block.header && !block.plan && block.results == 0 && block.cases.empty()) {
    // Only indented diagnostics: they belong to the parent's next result.
    std::ranges::move(block.diagnostics, std::back_inserter(parent.diagnostics));
    return;
  }
  check_plan(block, "plan");
  if (parent.has_block)
    adopt_block(parent, orphan_prefix(parent));
  parent.has_block = true;
  parent.block_subtest = block.subtest;
  parent.block_cases = std::move(block.cases);
}

void Parser::close_document() {
  if (stack_.empty())
    return;
  while (stack_.size() > 1)
    close_nested();
  Level &root = stack_.front();
  if (root.has_block)
    adopt_block(root, orphan_prefix(root));
  check_plan(root, "ktap.plan");
  for (TestCase &c : root.cases) {
    if (c.status == Status::failed) {
      // The message names the case; the first diagnostic usually says what went wrong.
      std::string why = c.message.empty() ? "not ok" : c.message;
      if (const std::size_t nl = c.details.find('\n'); !c.details.empty())
        why += ": " + c.details.substr(0, nl);
      c.message = "KTAP " + c.name + ": " + why;
    }
    out_.push_back(std::move(c));
  }
  stack_.clear();
}

} // namespace

std::vector<TestCase> parse_ktap(const std::vector<std::string> &lines) {
  Parser parser;
  for (const std::string &line : lines)
    parser.feed(line);
  return parser.finish();
}

} // namespace solcompat::vmrun
