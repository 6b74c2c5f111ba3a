// SPDX-License-Identifier: GPL-2.0
#include "program.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace trace {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool copy_field(std::string_view v, char *dst, size_t size) {
  if (v.size() >= size) return false;
  std::memcpy(dst, v.data(), v.size());
  dst[v.size()] = '\0';
  return true;
}

// "arg3" -> 3
std::optional<unsigned> parse_arg(std::string_view s) {
  s = trim(s);
  if (s.size() != 4 || s.substr(0, 3) != "arg" || s[3] < '0' || s[3] > '4') return std::nullopt;
  return static_cast<unsigned>(s[3] - '0');
}

std::optional<long long> parse_int(std::string_view s) {
  s = trim(s);
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Splits the action list into words, keeping parenthesised groups whole.
std::vector<std::string_view> words(std::string_view s, std::string &error) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size()) break;
    size_t start = i;
    int depth = 0;
    while (i < s.size() && (depth > 0 || !std::isspace(static_cast<unsigned char>(s[i])))) {
      if (s[i] == '(') ++depth;
      if (s[i] == ')' && --depth < 0) {
        error = "unbalanced ')' in '" + std::string(s.substr(start)) + "'";
        return {};
      }
      ++i;
    }
    if (depth != 0) {
      error = "missing ')' in '" + std::string(s.substr(start)) + "'";
      return {};
    }
    out.push_back(s.substr(start, i - start));
  }
  return out;
}

const char *kind_name(unsigned kind) {
  switch (kind) {
    case DTRACE_IOC_ACT_TRACE: return "trace";
    case DTRACE_IOC_ACT_COUNT: return "count";
    case DTRACE_IOC_ACT_SUM: return "sum";
    case DTRACE_IOC_ACT_MIN: return "min";
    case DTRACE_IOC_ACT_MAX: return "max";
    case DTRACE_IOC_ACT_AVG: return "avg";
    case DTRACE_IOC_ACT_QUANTIZE: return "quantize";
    case DTRACE_IOC_ACT_LQUANTIZE: return "lquantize";
    default: return "?";
  }
}

}  // namespace

std::optional<std::string> parse_desc(std::string_view text, dtrace_ioc_desc_t &desc) {
  std::memset(&desc, 0, sizeof(desc));
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ':') {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() > 4)
    return "probe description '" + std::string(text) +
           "' has more than four fields (provider:module:function:name)";
  // Fewer fields fill from the right, as DTrace does.
  std::vector<std::string_view> f(4 - parts.size(), std::string_view{});
  f.insert(f.end(), parts.begin(), parts.end());
  struct {
    char *dst;
    size_t size;
    const char *what;
  } fields[] = {{desc.provider, sizeof(desc.provider), "provider"},
                {desc.mod, sizeof(desc.mod), "module"},
                {desc.func, sizeof(desc.func), "function"},
                {desc.name, sizeof(desc.name), "name"}};
  for (int i = 0; i < 4; ++i)
    if (!copy_field(f[i], fields[i].dst, fields[i].size))
      return std::string(fields[i].what) + " '" + std::string(f[i]) + "' is longer than " +
             std::to_string(fields[i].size - 1) + " characters";
  return std::nullopt;
}

std::optional<std::string> parse_enabling(std::string_view text, Enabling &out) {
  out = Enabling{};
  out.text = std::string(text);
  text = trim(text);
  size_t sp = text.find_first_of(" \t");
  if (text.empty() || sp == std::string_view::npos)
    return "'" + std::string(text) +
           "': expected a probe description followed by actions, e.g. 'profile:::tick-1s count'";
  if (auto err = parse_desc(text.substr(0, sp), out.ioc.desc)) return err;
  std::string error;
  auto list = words(text.substr(sp), error);
  if (!error.empty()) return error;
  auto &ioc = out.ioc;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string_view w = list[i];
    if (w == "by") {
      if (ioc.nactions == 0 || i + 1 >= list.size())
        return "'by' must follow an aggregating action and name an argument, e.g. 'count by arg0'";
      auto arg = parse_arg(list[++i]);
      auto &prev = ioc.actions[ioc.nactions - 1];
      if (!arg) return "'by " + std::string(list[i]) + "': expected arg0..arg4";
      if (prev.kind == DTRACE_IOC_ACT_TRACE) return "'by' cannot key 'trace'";
      prev.key = DTRACE_IOC_KEY_ARG0 + *arg;
      continue;
    }
    if (ioc.nactions >= DTRACE_IOC_MAXACTIONS)
      return "more than " + std::to_string(DTRACE_IOC_MAXACTIONS) + " actions in one -e";
    dtrace_ioc_action_t a{};
    std::string_view name = w, args;
    if (auto open = w.find('('); open != std::string_view::npos) {
      name = w.substr(0, open);
      args = w.substr(open + 1, w.size() - open - 2);
      if (w.back() != ')') return "'" + std::string(w) + "': text after ')'";
    }
    static const struct {
      const char *name;
      unsigned kind;
      int nargs;  // 0: no parentheses; 1: (argN); 4: lquantize
    } kinds[] = {{"trace", DTRACE_IOC_ACT_TRACE, 0},  {"count", DTRACE_IOC_ACT_COUNT, 0},
                 {"sum", DTRACE_IOC_ACT_SUM, 1},      {"min", DTRACE_IOC_ACT_MIN, 1},
                 {"max", DTRACE_IOC_ACT_MAX, 1},      {"avg", DTRACE_IOC_ACT_AVG, 1},
                 {"quantize", DTRACE_IOC_ACT_QUANTIZE, 1},
                 {"lquantize", DTRACE_IOC_ACT_LQUANTIZE, 4}};
    const auto *k = std::find_if(std::begin(kinds), std::end(kinds),
                                 [&](const auto &k) { return name == k.name; });
    if (k == std::end(kinds))
      return "unknown action '" + std::string(w) +
             "' (known: trace count sum(argN) min(argN) max(argN) avg(argN) quantize(argN) "
             "lquantize(argN, base, limit, step))";
    a.kind = k->kind;
    if (k->nargs == 0 && !args.empty()) return "'" + std::string(name) + "' takes no argument";
    if (k->nargs == 0 && w.find('(') != std::string_view::npos)
      return "'" + std::string(name) + "' takes no argument";
    if (k->nargs > 0) {
      std::vector<std::string_view> parts;
      size_t s = 0;
      for (size_t j = 0; j <= args.size(); ++j)
        if (j == args.size() || args[j] == ',') {
          parts.push_back(args.substr(s, j - s));
          s = j + 1;
        }
      if (static_cast<int>(parts.size()) != k->nargs || args.empty())
        return "'" + std::string(w) + "': expected " +
               (k->nargs == 1 ? std::string(name) + "(argN)"
                              : std::string("lquantize(argN, base, limit, step)"));
      auto arg = parse_arg(parts[0]);
      if (!arg) return "'" + std::string(w) + "': the value must be arg0..arg4";
      a.value = *arg;
      if (k->nargs == 4) {
        auto base = parse_int(parts[1]), limit = parse_int(parts[2]), step = parse_int(parts[3]);
        if (!base || !limit || !step)
          return "'" + std::string(w) + "': base, limit and step must be integers";
        if (*step <= 0 || *limit <= *base ||
            (*limit - *base) / *step > DTRACE_IOC_LQUANTIZE_MAXLEVELS)
          return "'" + std::string(w) + "': need step > 0, limit > base and at most " +
                 std::to_string(DTRACE_IOC_LQUANTIZE_MAXLEVELS) + " levels";
        a.lq_base = *base;
        a.lq_limit = *limit;
        a.lq_step = *step;
      }
    }
    ioc.actions[ioc.nactions++] = a;
  }
  if (ioc.nactions == 0) return "'" + std::string(text) + "': no action given";
  return std::nullopt;
}

std::optional<long long> parse_duration_ms(std::string_view text) {
  text = trim(text);
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0) return std::nullopt;
  auto n = parse_int(text.substr(0, digits));
  std::string_view unit = text.substr(digits);
  if (!n) return std::nullopt;
  if (unit.empty() || unit == "s") return *n * 1000;
  if (unit == "ms") return *n;
  if (unit == "m") return *n * 60 * 1000;
  return std::nullopt;
}

std::string action_name(const dtrace_ioc_action_t &a) {
  std::string s = kind_name(a.kind);
  if (a.kind == DTRACE_IOC_ACT_TRACE || a.kind == DTRACE_IOC_ACT_COUNT) return s;
  s += "(arg" + std::to_string(a.value);
  if (a.kind == DTRACE_IOC_ACT_LQUANTIZE)
    s += ", " + std::to_string(a.lq_base) + ", " + std::to_string(a.lq_limit) + ", " +
         std::to_string(a.lq_step);
  return s + ")";
}

}  // namespace trace
