// SPDX-License-Identifier: GPL-2.0
//
// abicheck: keeps the Context: lines, the code and ABI.md in agreement
// (STYLE.md rule 4).
//
//   solcompat-abicheck <solcompat dir> <ABI.md>
//
// For every function declared in the solcompat headers (prefixed
// declarations in impl/, static inline Solaris wrappers in sys/), the comment
// block right above it must end with a Context: line from the closed
// vocabulary of CONTRACTS.md section 1:
//     Context: Any context.
//     Context: <class>[, <class>...][ or <class>] context.[ May sleep.]
// with classes process, atomic, hardirq, nmi, probe. A comment may cover a
// run of declarations with no blank line between them.
// Every prefixed function (solcompat_*) must have a row in ABI.md whose
// context column names the same classes. Exit 0 when all agree; otherwise one
// line per problem, file:line first, and exit 1.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kClasses = {"process", "atomic", "hardirq", "nmi", "probe"};

// Parses "Any context." / "Process, atomic or hardirq context. May sleep."
// into a set of classes; nullopt if outside the vocabulary.
std::optional<std::set<std::string>> parse_context(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '*' || text.back() == '/'))
    text.pop_back();
  std::set<std::string> classes;
  if (text == "Any context.") return std::set<std::string>(kClasses.begin(), kClasses.end());
  static const std::regex form(R"(^([A-Za-z, ]+?) context\.( May sleep\.)?$)");
  std::smatch m;
  if (!std::regex_match(text, m, form)) return std::nullopt;
  std::string list = m[1];
  for (auto &c : list) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::regex sep(R"(, | or )");
  for (std::sregex_token_iterator it(list.begin(), list.end(), sep, -1), end; it != end; ++it) {
    std::string cls = *it;
    if (std::find(kClasses.begin(), kClasses.end(), cls) == kClasses.end()) return std::nullopt;
    classes.insert(cls);
  }
  if (m[2].matched && (classes.size() != 1 || !classes.count("process"))) return std::nullopt;
  return classes;
}

std::string join(const std::set<std::string> &s) {
  std::string out;
  for (const auto &c : kClasses)
    if (s.count(c)) out += (out.empty() ? "" : ",") + c;
  return out;
}

struct Declaration {
  std::string name;
  std::string file;
  int line;
  std::optional<std::set<std::string>> context;
};

// A function declaration or inline definition starts a line at file scope:
// [SOLCOMPAT_EXTERN_C|extern|static inline] <type> name(
const std::regex kFunction(
    R"(^(?:SOLCOMPAT_EXTERN_C\s+|extern\s+|static\s+inline\s+)+[A-Za-z_][\w\s\*]*?\b([a-z_][a-z0-9_]*)\s*\()");
// The same with the name on the next line (kernel style long declarations).
const std::regex kFunctionSplit(R"(^(?:SOLCOMPAT_EXTERN_C\s+|extern\s+|static\s+inline\s+)+[A-Za-z_][\w\s\*]*$)");
const std::regex kNameLine(R"(^([a-z_][a-z0-9_]*)\s*\()");

// Net open parentheses in a line of code, up to a // comment; string and
// character literals do not count.
int paren_balance(const std::string &code) {
  int n = 0;
  char quote = 0;
  for (size_t k = 0; k < code.size(); ++k) {
    char c = code[k];
    if (quote) {
      if (c == '\\')
        ++k;
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '/' && k + 1 < code.size() && code[k + 1] == '/') {
      break;
    } else if (c == '(') {
      ++n;
    } else if (c == ')') {
      --n;
    }
  }
  return n;
}

std::vector<Declaration> scan_header(const fs::path &path, std::vector<std::string> &problems) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::vector<Declaration> out;
  std::optional<std::string> context_text;  // from the last comment block
  int context_line = 0;
  bool in_comment = false;
  int depth = 0;  // brace depth: only file-scope declarations count
  int parens = 0; // open parentheses: a declaration continues on later lines
  // Attributes sit between the storage class and the name; drop them so the
  // declaration patterns below see "static inline void\nname(".
  static const std::regex attribute(R"(__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)\s*)");
  for (auto &l : lines) l = std::regex_replace(l, attribute, "");
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string &l = lines[i];
    if (in_comment || l.find("/*") != std::string::npos) {
      // Code before a comment still opens or closes a declaration.
      if (!in_comment) {
        parens = std::max(0, parens + paren_balance(l.substr(0, l.find("/*"))));
        context_text.reset();
      }
      in_comment = l.find("*/") == std::string::npos;
      auto p = l.find("Context:");
      if (p != std::string::npos) {
        context_text = l.substr(p + 8);
        context_line = static_cast<int>(i + 1);
        while (!context_text->empty() && context_text->front() == ' ') context_text->erase(0, 1);
      }
      if (l.find("*/") == std::string::npos || l.find("/*") != std::string::npos) {
        if (in_comment) continue;
      }
      continue;
    }
    std::smatch m;
    std::string name;
    if (depth == 0 && std::regex_search(l, m, kFunction)) {
      name = m[1];
    } else if (depth == 0 && std::regex_match(l, kFunctionSplit) && i + 1 < lines.size() &&
               std::regex_search(lines[i + 1], m, kNameLine)) {
      name = m[1];
    }
    if (!name.empty()) {
      Declaration d{name, path.string(), static_cast<int>(i + 1), std::nullopt};
      if (!context_text)
        problems.push_back(d.file + ":" + std::to_string(d.line) + ": " + name +
                           ": no Context: line in the comment above it");
      else if (!(d.context = parse_context(*context_text)))
        problems.push_back(d.file + ":" + std::to_string(context_line) + ": " + name +
                           ": Context line outside the vocabulary: '" + *context_text + "'");
      out.push_back(d);
    }
    bool continued = parens > 0; // the rest of a declaration begun above
    depth += static_cast<int>(std::count(l.begin(), l.end(), '{'));
    depth -= static_cast<int>(std::count(l.begin(), l.end(), '}'));
    parens = std::max(0, parens + paren_balance(l));
    // A blank line or a preprocessor line is never inside a declaration.
    auto first = l.find_first_not_of(" \t");
    if (first == std::string::npos || l[first] == '#')
      parens = 0;
    // A blank line or any other code ends the reach of the last comment.
    if (l.find_first_not_of(" \t") == std::string::npos ||
        (name.empty() && !continued && depth == 0 && l.find(';') != std::string::npos &&
         l.find('(') == std::string::npos))
      context_text.reset();
  }
  return out;
}

// ABI.md rows: | `solcompat_name` | ... | context | ...; the context column is
// the one whose header is "Context".
std::map<std::string, std::pair<std::string, int>> read_abi(const fs::path &path,
                                                           std::vector<std::string> &problems) {
  std::ifstream in(path);
  if (!in) {
    problems.push_back(path.string() + ": cannot read");
    return {};
  }
  std::map<std::string, std::pair<std::string, int>> rows;
  int context_col = -1, n = 0;
  for (std::string l; std::getline(in, l);) {
    ++n;
    if (l.rfind("|", 0) != 0) {
      context_col = -1;
      continue;
    }
    std::vector<std::string> cells;
    std::stringstream ss(l.substr(1));
    for (std::string c; std::getline(ss, c, '|');) {
      c.erase(0, c.find_first_not_of(" `"));
      c.erase(c.find_last_not_of(" `") + 1);
      cells.push_back(c);
    }
    if (context_col < 0) {
      for (size_t k = 0; k < cells.size(); ++k)
        if (cells[k] == "Context") context_col = static_cast<int>(k);
      continue;
    }
    if (cells.empty() || cells[0].rfind("solcompat_", 0) != 0 ||
        static_cast<size_t>(context_col) >= cells.size())
      continue;
    rows[cells[0]] = {cells[context_col], n};
  }
  return rows;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << "usage: solcompat-abicheck <solcompat dir> <ABI.md>\n";
    return 2;
  }
  std::vector<std::string> problems;
  std::vector<Declaration> decls;
  std::vector<fs::path> headers;
  for (const auto &e : fs::recursive_directory_iterator(argv[1]))
    if (e.path().extension() == ".h") headers.push_back(e.path());
  if (headers.empty()) {
    std::cerr << "solcompat-abicheck: no headers under " << argv[1] << "\n";
    return 2;
  }
  std::sort(headers.begin(), headers.end());
  for (const auto &h : headers)
    for (auto &d : scan_header(h, problems)) decls.push_back(d);
  auto abi = read_abi(argv[2], problems);
  int prefixed = 0;
  for (const auto &d : decls) {
    if (d.name.rfind("solcompat_", 0) != 0 || !d.context) continue;
    ++prefixed;
    auto it = abi.find(d.name);
    if (it == abi.end()) {
      problems.push_back(d.file + ":" + std::to_string(d.line) + ": " + d.name +
                         ": no row in " + argv[2]);
      continue;
    }
    auto listed = parse_context(it->second.first);
    if (!listed || *listed != *d.context)
      problems.push_back(std::string(argv[2]) + ":" + std::to_string(it->second.second) + ": " +
                         d.name + ": ABI.md says '" + it->second.first + "', the header says '" +
                         join(*d.context) + "'");
  }
  for (const auto &p : problems) std::cout << p << "\n";
  std::cout << "abicheck: " << decls.size() << " functions, " << prefixed
            << " prefixed, " << problems.size() << " problems\n";
  return problems.empty() ? 0 : 1;
}
