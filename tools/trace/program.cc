// SPDX-License-Identifier: GPL-2.0
//
// soltrace's parser of the D subset (grammar in program.h): a hand-written
// recursive descent over the -n argument, reporting 1-based columns.
#include "program.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <map>

namespace trace {
namespace {

struct VarInfo {
  const char *name;
  Var var;
};
const VarInfo kVars[] = {
    {"probeprov", Var::probeprov}, {"probemod", Var::probemod}, {"probefunc", Var::probefunc},
    {"probename", Var::probename}, {"cpu", Var::cpu},           {"pid", Var::pid},
    {"execname", Var::execname},   {"arg0", Var::arg0},         {"arg1", Var::arg1},
    {"arg2", Var::arg2},           {"arg3", Var::arg3},         {"arg4", Var::arg4},
    {"timestamp", Var::timestamp},
};
const char *const kVarList = "probeprov, probemod, probefunc, probename, cpu, pid, execname, "
                             "arg0..arg4, timestamp";

struct FuncInfo {
  const char *name;
  uint32_t kind;
};
const FuncInfo kFuncs[] = {
    {"count", DTRACE_IOC_ACT_COUNT},
    {"sum", DTRACE_IOC_ACT_SUM},
    {"min", DTRACE_IOC_ACT_MIN},
    {"max", DTRACE_IOC_ACT_MAX},
    {"avg", DTRACE_IOC_ACT_AVG},
    {"quantize", DTRACE_IOC_ACT_QUANTIZE},
    {"lquantize", DTRACE_IOC_ACT_LQUANTIZE},
};

bool is_probe_var(Var v) { return v <= Var::probename; }

// The kernel variable (DTRACE_IOC_VAR_*) of a non-probe variable.
uint32_t ioc_var(Var v) {
  switch (v) {
  case Var::cpu:
    return DTRACE_IOC_VAR_CPU;
  case Var::pid:
    return DTRACE_IOC_VAR_PID;
  case Var::timestamp:
    return DTRACE_IOC_VAR_TIMESTAMP;
  case Var::execname:
    return DTRACE_IOC_VAR_EXECNAME;
  default:
    return DTRACE_IOC_VAR_ARG0 + static_cast<uint32_t>(v) - static_cast<uint32_t>(Var::arg0);
  }
}

// "count()", "lquantize(value, 0, 100, 10)": for messages.
std::string describe(const Aggregation &a);

std::string keys_text(const std::vector<Var> &keys) {
  std::string s = "[";
  for (size_t i = 0; i < keys.size(); ++i)
    s += (i ? ", " : "") + std::string(var_name(keys[i]));
  return s + "]";
}

// Thrown inside the parser, turned into a ParseError at the top.
struct Fail {
  size_t pos; // 0-based
  std::string message;
};

class Parser {
public:
  Parser(std::string_view text, Program &prog) : s_(text), prog_(prog) {}

  void program() {
    skip_ws();
    if (eof())
      fail(pos_, "empty program: expected a probe description, e.g. 'tick-1s'");
    while (!eof()) {
      clause();
      skip_ws();
    }
  }

private:
  [[noreturn]] void fail(size_t pos, std::string message) { throw Fail{pos, std::move(message)}; }
  bool eof() const { return pos_ >= s_.size(); }
  char peek() const { return eof() ? '\0' : s_[pos_]; }
  void skip_ws() {
    while (!eof() && std::isspace(static_cast<unsigned char>(s_[pos_])))
      ++pos_;
  }
  std::string found() const {
    if (eof())
      return "the end of the program";
    if (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_')
      return "'" + std::string(s_.substr(pos_, ident_len())) + "'";
    return "'" + std::string(1, peek()) + "'";
  }
  size_t ident_len() const {
    size_t n = 0;
    while (pos_ + n < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_ + n])) || s_[pos_ + n] == '_'))
      ++n;
    return n;
  }
  void expect(char c, const char *what) {
    skip_ws();
    if (peek() != c)
      fail(pos_, std::string("expected ") + what + ", found " + found());
    ++pos_;
  }
  std::string_view ident(const char *what) {
    skip_ws();
    size_t n = ident_len();
    if (n == 0)
      fail(pos_, std::string("expected ") + what + ", found " + found());
    auto id = s_.substr(pos_, n);
    pos_ += n;
    return id;
  }

  // A probe description: up to whitespace, ',' or '{' outside a [set].
  void desc(std::vector<std::pair<std::string, size_t>> &out) {
    skip_ws();
    size_t start = pos_;
    bool in_set = false;
    while (!eof()) {
      char c = s_[pos_];
      if (c == '\\' && pos_ + 1 < s_.size()) {
        pos_ += 2;
        continue;
      }
      if (in_set) {
        if (c == ']')
          in_set = false;
      } else if (c == '[') {
        in_set = true;
      } else if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '{' || c == '}' ||
                 c == ';') {
        break;
      }
      ++pos_;
    }
    if (in_set)
      fail(start, "unterminated '[' in probe description");
    if (pos_ == start)
      fail(pos_, "expected a probe description (provider:module:function:name), found " + found());
    std::string text(s_.substr(start, pos_ - start));
    dtrace_ioc_desc_t d;
    if (auto err = parse_desc(text, d))
      fail(start, *err);
    out.emplace_back(text, start);
  }

  Var var(const char *what) {
    skip_ws();
    size_t at = pos_;
    auto id = ident(what);
    for (const auto &v : kVars)
      if (id == v.name)
        return v.var;
    fail(at, "unknown variable '" + std::string(id) + "' (expected " + kVarList + ")");
  }

  // A value: cpu, pid, timestamp or argN.
  Var value_var(std::string_view func) {
    skip_ws();
    size_t at = pos_;
    Var v = var("a variable");
    if (var_is_string(v))
      fail(at, std::string("'") + var_name(v) + "' is a string and cannot be the value of " +
                   std::string(func) + "() (use cpu, pid, timestamp or arg0..arg4; '" +
                   var_name(v) + "' can be a key: @[" + var_name(v) + "] = count())");
    return v;
  }

  int64_t integer(const char *what) {
    skip_ws();
    size_t at = pos_;
    size_t end = pos_;
    if (end < s_.size() && s_[end] == '-')
      ++end;
    while (end < s_.size() && std::isdigit(static_cast<unsigned char>(s_[end])))
      ++end;
    long long v = 0;
    auto [p, ec] = std::from_chars(s_.data() + at, s_.data() + end, v);
    if (ec != std::errc() || p != s_.data() + end || end == at)
      fail(at, std::string("expected ") + what + " (an integer), found " + found());
    pos_ = end;
    return v;
  }

  struct Stmt {
    bool is_trace = false;
    Var trace_expr{};
    Aggregation agg; // when !is_trace
    uint32_t value = 0;
    size_t pos = 0;
  };

  Stmt statement() {
    skip_ws();
    Stmt st;
    st.pos = pos_;
    if (peek() == '@') {
      ++pos_;
      st.agg.name = std::string(s_.substr(pos_, ident_len()));
      if (!st.agg.name.empty() && std::isdigit(static_cast<unsigned char>(st.agg.name[0])))
        fail(pos_, "an aggregation name starts with a letter or '_'");
      pos_ += st.agg.name.size();
      st.agg.where =
          "-n " + std::to_string(prog_.nargs + 1) + ", column " + std::to_string(st.pos + 1);
      skip_ws();
      if (peek() == '[') {
        ++pos_;
        size_t words = 0;
        for (;;) {
          skip_ws();
          size_t at = pos_;
          Var k = var("a key");
          if (!is_probe_var(k)) {
            words += k == Var::execname ? 2 : 1;
            if (words > 2)
              fail(at, std::string("key '") + var_name(k) +
                           "' does not fit: besides the probe* keys an aggregation has two "
                           "words of keys, and execname takes both");
          }
          st.agg.keys.push_back(k);
          skip_ws();
          if (peek() == ',') {
            ++pos_;
            continue;
          }
          expect(']', "',' or ']' after a key");
          break;
        }
      }
      expect('=', "'=' after the aggregation");
      skip_ws();
      size_t fpos = pos_;
      auto fname = ident("an aggregating function");
      const FuncInfo *f = nullptr;
      for (const auto &fi : kFuncs)
        if (fname == fi.name)
          f = &fi;
      if (!f)
        fail(fpos, "unknown function '" + std::string(fname) +
                       "' (expected count, sum, min, max, avg, quantize, lquantize)");
      st.agg.kind = f->kind;
      expect('(', "'(' after the function name");
      if (f->kind != DTRACE_IOC_ACT_COUNT) {
        st.value = ioc_var(value_var(fname));
        if (f->kind == DTRACE_IOC_ACT_LQUANTIZE) {
          expect(',', "',' and the base of lquantize(value, base, limit, step)");
          size_t bpos = pos_;
          st.agg.lq_base = integer("the base");
          expect(',', "',' and the limit of lquantize(value, base, limit, step)");
          size_t lpos = pos_;
          st.agg.lq_limit = integer("the limit");
          expect(',', "',' and the step of lquantize(value, base, limit, step)");
          size_t spos = pos_;
          st.agg.lq_step = integer("the step");
          if (st.agg.lq_limit <= st.agg.lq_base)
            fail(lpos + 1, "the limit of lquantize must be greater than its base (" +
                               std::to_string(st.agg.lq_base) + ")");
          if (st.agg.lq_step <= 0)
            fail(spos + 1, "the step of lquantize must be positive");
          if ((st.agg.lq_limit - st.agg.lq_base) / st.agg.lq_step > DTRACE_IOC_LQUANTIZE_MAXLEVELS)
            fail(bpos + 1, "lquantize has more than " +
                               std::to_string(DTRACE_IOC_LQUANTIZE_MAXLEVELS) +
                               " levels: (limit - base) / step must be at most that");
        }
      }
      skip_ws();
      if (peek() != ')')
        fail(pos_, f->kind == DTRACE_IOC_ACT_COUNT
                       ? "count() takes no argument"
                       : "expected ')', found " + found() + " (" + std::string(fname) +
                             (f->kind == DTRACE_IOC_ACT_LQUANTIZE ? "(value, base, limit, step))"
                                                                  : "(value) takes one variable)"));
      ++pos_;
    } else {
      size_t at = pos_;
      auto id = ident("a statement ('@name = function(...);' or 'trace(...);')");
      if (id != "trace")
        fail(at, "unknown statement '" + std::string(id) +
                     "' (expected '@name[keys] = function(...);' or 'trace(variable);')");
      st.is_trace = true;
      expect('(', "'(' after trace");
      st.trace_expr = var("a variable");
      expect(')', "')' after the traced variable");
    }
    skip_ws();
    if (peek() == ';')
      ++pos_;
    else if (peek() != '}')
      fail(pos_, "expected ';' after the statement, found " + found());
    return st;
  }

  void clause() {
    std::vector<std::pair<std::string, size_t>> descs;
    desc(descs);
    skip_ws();
    while (peek() == ',') {
      ++pos_;
      desc(descs);
      skip_ws();
    }
    std::vector<Stmt> stmts;
    size_t body = pos_;
    if (peek() == '{') {
      ++pos_;
      for (;;) {
        skip_ws();
        if (eof())
          fail(pos_,
               "missing '}' at the end of the clause opened at column " + std::to_string(body + 1));
        if (peek() == '}') {
          ++pos_;
          break;
        }
        stmts.push_back(statement());
      }
    } else if (peek() == '}' || peek() == ';') {
      fail(pos_, "unexpected " + found() + " (a clause body starts with '{')");
    }

    // Actions: each aggregation statement, then one TRACE for the trace()
    // statements (or for an empty body).
    std::vector<int> action_agg;
    std::vector<dtrace_ioc_action_t> actions;
    std::vector<Var> trace_exprs;
    bool traces = stmts.empty();
    for (const auto &st : stmts) {
      if (st.is_trace) {
        traces = true;
        trace_exprs.push_back(st.trace_expr);
        continue;
      }
      if (actions.size() >= DTRACE_IOC_MAXACTIONS)
        fail(st.pos,
             "more than " + std::to_string(DTRACE_IOC_MAXACTIONS) + " actions in one clause");
      dtrace_ioc_action_t a{};
      a.kind = st.agg.kind;
      a.value = st.value;
      uint32_t *slot = &a.key;
      for (Var k : st.agg.keys) {
        if (is_probe_var(k))
          continue;
        *slot = DTRACE_IOC_KEY_VAR(ioc_var(k));
        slot = &a.key2;
      }
      a.lq_base = st.agg.lq_base;
      a.lq_limit = st.agg.lq_limit;
      a.lq_step = st.agg.lq_step;
      actions.push_back(a);
      action_agg.push_back(agg_index(st.agg, st.pos));
    }
    if (traces) {
      if (actions.size() >= DTRACE_IOC_MAXACTIONS)
        fail(body, "more than " + std::to_string(DTRACE_IOC_MAXACTIONS) +
                       " actions in one clause (the trace() statements count as one)");
      dtrace_ioc_action_t a{};
      a.kind = DTRACE_IOC_ACT_TRACE;
      actions.push_back(a);
      action_agg.push_back(-1);
    }
    for (const auto &[text, at] : descs) {
      Enabling e;
      e.desc_text = text;
      e.arg = prog_.nargs;
      parse_desc(text, e.ioc.desc);
      e.ioc.nactions = static_cast<uint32_t>(actions.size());
      std::copy(actions.begin(), actions.end(), e.ioc.actions);
      e.action_agg = action_agg;
      e.trace_exprs = trace_exprs;
      prog_.enablings.push_back(std::move(e));
    }
  }

  // The index of the aggregation st names, adding it if new; an error if an
  // earlier use disagrees.
  int agg_index(const Aggregation &a, size_t pos) {
    for (size_t i = 0; i < prog_.aggs.size(); ++i) {
      const Aggregation &o = prog_.aggs[i];
      if (o.name != a.name)
        continue;
      if (o.kind != a.kind || o.keys != a.keys || o.lq_base != a.lq_base ||
          o.lq_limit != a.lq_limit || o.lq_step != a.lq_step)
        fail(pos, "@" + a.name + " is " + describe(a) + " keyed by " + keys_text(a.keys) +
                      " here but " + describe(o) + " keyed by " + keys_text(o.keys) + " at " +
                      o.where +
                      ": one aggregation needs the same function and keys everywhere (or use "
                      "another name)");
      return static_cast<int>(i);
    }
    prog_.aggs.push_back(a);
    return static_cast<int>(prog_.aggs.size() - 1);
  }

  std::string_view s_;
  Program &prog_;
  size_t pos_ = 0;
};

std::string describe(const Aggregation &a) {
  std::string f = function_name(a);
  if (a.kind == DTRACE_IOC_ACT_COUNT)
    return f + "()";
  if (a.kind == DTRACE_IOC_ACT_LQUANTIZE)
    return f + "(value, " + std::to_string(a.lq_base) + ", " + std::to_string(a.lq_limit) + ", " +
           std::to_string(a.lq_step) + ")";
  return f + "(value)";
}

} // namespace

const char *var_name(Var v) {
  for (const auto &i : kVars)
    if (i.var == v)
      return i.name;
  return "?";
}

bool var_is_string(Var v) { return is_probe_var(v) || v == Var::execname; }

const Aggregation *Program::aggregation_of(uint32_t enabling_id, uint32_t action) const {
  const Enabling *e = enabling(enabling_id);
  if (!e || action >= e->action_agg.size() || e->action_agg[action] < 0)
    return nullptr;
  return &aggs[static_cast<size_t>(e->action_agg[action])];
}

const Enabling *Program::enabling(uint32_t enabling_id) const {
  for (const auto &e : enablings)
    if (e.ioc.enabling_id == enabling_id)
      return &e;
  return nullptr;
}

std::optional<ParseError> parse_program(std::string_view text, Program &prog) {
  Program copy = prog;
  try {
    Parser(text, copy).program();
  } catch (const Fail &f) {
    return ParseError{f.pos + 1, f.message};
  }
  ++copy.nargs;
  prog = std::move(copy);
  return std::nullopt;
}

std::optional<std::string> parse_desc(std::string_view text, dtrace_ioc_desc_t &desc) {
  std::memset(&desc, 0, sizeof(desc));
  std::vector<std::string_view> parts;
  size_t start = 0;
  bool in_set = false;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] == '\\') {
      ++i;
      continue;
    }
    if (i < text.size() && text[i] == '[')
      in_set = true;
    if (i < text.size() && text[i] == ']')
      in_set = false;
    if (i == text.size() || (text[i] == ':' && !in_set)) {
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
  for (int i = 0; i < 4; ++i) {
    if (f[i].size() >= fields[i].size)
      return std::string(fields[i].what) + " '" + std::string(f[i]) + "' is longer than " +
             std::to_string(fields[i].size - 1) + " characters";
    std::memcpy(fields[i].dst, f[i].data(), f[i].size());
    fields[i].dst[f[i].size()] = '\0';
  }
  return std::nullopt;
}

std::optional<long long> parse_duration_ns(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])))
    ++digits;
  if (digits == 0 || digits > 12)
    return std::nullopt;
  long long n = 0;
  std::from_chars(text.data(), text.data() + digits, n);
  std::string_view unit = text.substr(digits);
  static const std::map<std::string_view, long long> units = {
      {"ns", 1},           {"us", 1000},       {"ms", 1000000},
      {"s", 1000000000LL}, {"", 1000000000LL}, {"m", 60 * 1000000000LL}};
  auto it = units.find(unit);
  if (it == units.end() || n == 0)
    return std::nullopt;
  return n * it->second;
}

std::string function_name(const Aggregation &a) {
  for (const auto &f : kFuncs)
    if (f.kind == a.kind)
      return f.name;
  return "?";
}

} // namespace trace
