// SPDX-License-Identifier: GPL-2.0
//
// tiercheck: the probe-context tier calls only into itself (STYLE.md rule 6).
//
//   solcompat-tiercheck <module.ko> <allowlist>
//
// The tier is every function the module lists in its _kprobe_blacklist
// section (NOKPROBE_SYMBOL). For each of them, objdump's disassembly with
// relocations is read and every call or jump to a symbol is checked: the
// target must be a tier function, a local label of the same function, or
// named in the allowlist (one symbol or prefix* per line, '#' comments,
// each with its reason). A tier function that calls __fentry__ is
// traceable (it lacks notrace): also a failure.
// Exit 0 when clean; otherwise one line per offending call and exit 1;
// exit 2 when the module cannot be read.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string run(const std::string &cmd) {
  std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) return {};
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe.get())) > 0) out.append(buf, n);
  return out;
}

std::string quote(const std::string &s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

struct Allow {
  std::set<std::string> exact;
  std::vector<std::string> prefixes;
  bool allows(const std::string &sym) const {
    if (exact.count(sym)) return true;
    for (const auto &p : prefixes)
      if (sym.rfind(p, 0) == 0) return true;
    return false;
  }
};

Allow read_allowlist(const std::string &path, bool &ok) {
  Allow a;
  std::ifstream in(path);
  ok = static_cast<bool>(in);
  for (std::string line; std::getline(in, line);) {
    auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    std::istringstream ss(line);
    std::string sym;
    if (!(ss >> sym)) continue;
    if (sym.back() == '*')
      a.prefixes.push_back(sym.substr(0, sym.size() - 1));
    else
      a.exact.insert(sym);
  }
  return a;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << "usage: solcompat-tiercheck <module.ko> <allowlist>\n";
    return 2;
  }
  const std::string ko = argv[1];
  bool ok;
  Allow allow = read_allowlist(argv[2], ok);
  if (!ok) {
    std::cerr << "solcompat-tiercheck: cannot read allowlist " << argv[2] << "\n";
    return 2;
  }

  // The tier: relocations of the _kprobe_blacklist section.
  // A global function is named in the relocation; a static one appears as
  // <section>+<offset>, which the symbol table turns back into its name.
  std::map<std::pair<std::string, unsigned long long>, std::string> local_funcs;
  std::istringstream syms(run("objdump -t " + quote(ko) + " 2>/dev/null"));
  static const std::regex sym_line(
      R"(^([0-9a-f]+)\s+l\s+F\s+(\S+)\s+[0-9a-f]+\s+([A-Za-z_][\w.]*)$)");
  for (std::string line; std::getline(syms, line);) {
    std::smatch m;
    if (std::regex_search(line, m, sym_line))
      local_funcs[{m[2], std::stoull(m[1], nullptr, 16)}] = m[3];
  }
  std::set<std::string> tier;
  std::istringstream bl(run("objdump -r -j _kprobe_blacklist " + quote(ko) + " 2>/dev/null"));
  static const std::regex reloc_line(R"(^[0-9a-f]+\s+R_X86_64_64\s+([A-Za-z_][\w.]*)$)");
  static const std::regex section_reloc(
      R"(^[0-9a-f]+\s+R_X86_64_64\s+(\.[\w.]+)(?:\+0x([0-9a-f]+))?$)");
  int unresolved = 0;
  for (std::string line; std::getline(bl, line);) {
    std::smatch m;
    if (std::regex_search(line, m, reloc_line)) {
      tier.insert(m[1]);
    } else if (std::regex_search(line, m, section_reloc)) {
      unsigned long long offset = m[2].matched ? std::stoull(m[2], nullptr, 16) : 0;
      auto it = local_funcs.find({m[1], offset});
      if (it != local_funcs.end())
        tier.insert(it->second);
      else
        unresolved++;
    }
  }
  if (unresolved)
    std::cerr << "solcompat-tiercheck: " << ko << ": " << unresolved
              << " _kprobe_blacklist entries name no function (ignored)\n";
  if (tier.empty()) {
    std::cerr << "solcompat-tiercheck: " << ko
              << ": no _kprobe_blacklist entries (not a module, or objdump missing)\n";
    return 2;
  }

  // Walk the disassembly; remember the current function and whether the
  // last instruction was a call or jump, then read its relocation.
  std::istringstream dis(run("objdump -dr --no-show-raw-insn " + quote(ko) + " 2>/dev/null"));
  static const std::regex func_line(R"(^[0-9a-f]+ <([^>]+)>:$)");
  static const std::regex insn_line(R"(^\s+[0-9a-f]+:\s+(\S+))");
  static const std::regex branch_reloc(
      R"(^\s+[0-9a-f]+: R_X86_64_(?:PLT32|PC32)\s+([A-Za-z_][\w.]*))");
  std::string func;
  bool in_tier = false, last_branch = false;
  int problems = 0, calls = 0;
  std::set<std::string> seen;
  for (std::string line; std::getline(dis, line);) {
    std::smatch m;
    if (std::regex_match(line, m, func_line)) {
      func = m[1];
      in_tier = tier.count(func) > 0;
      if (in_tier) seen.insert(func);
      last_branch = false;
      continue;
    }
    if (!in_tier) continue;
    if (std::regex_search(line, m, branch_reloc)) {
      if (!last_branch) continue;  // a data reference, not a call
      std::string target = m[1];
      ++calls;
      if (target == "__fentry__") {
        std::cout << ko << ": " << func << " is traceable (calls __fentry__): mark it notrace\n";
        ++problems;
      } else if (!tier.count(target) && !allow.allows(target) && target != func &&
                 target.rfind(".L", 0) != 0) {
        std::cout << ko << ": " << func << " calls " << target
                  << ", outside the probe-context tier (NOKPROBE it, or allowlist it with a reason)\n";
        ++problems;
      }
      last_branch = false;
      continue;
    }
    if (std::regex_search(line, m, insn_line)) {
      std::string op = m[1];
      last_branch = op.rfind("call", 0) == 0 || op[0] == 'j';
    }
  }
  std::cout << "tiercheck: " << ko << ": " << tier.size() << " tier functions, " << seen.size()
            << " found in the text, " << calls << " calls checked, " << problems << " problems\n";
  return problems ? 1 : 0;
}
