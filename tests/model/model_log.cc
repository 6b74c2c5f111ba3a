// SPDX-License-Identifier: GPL-2.0
//
// The model's printk, panic and violation records.
//
// Both the kernel log and the violation list are fixed arrays of records
// filled from any context, NMI included: a writer reserves a slot with one
// atomic increment, fills it, and publishes it with a release store; nothing
// blocks and nothing allocates, which is what printk from NMI needs (the
// kernel's lockless ring buffer makes the same promise). When a ring is full
// further records are counted as dropped. Readers drain the rings between
// tests, after model::Quiesce(), when no writer is active.
//
// Formatting is the kernel's vsnprintf dialect, implemented here because
// libc's printf is not async-signal-safe and knows neither %pS nor %pV.
// Symbol names are not looked up while formatting (that reads files and
// allocates): %pS stores the address in a marker, and the reader expands it
// from the test program's ELF symbol table (static functions included) or
// dladdr.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include <cxxabi.h>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.hh"
#include "model_internal.hh"

extern "C" int _printk(const char *fmt, ...);
extern "C" int _printk_deferred(const char *fmt, ...);

namespace model::internal {
namespace {

constexpr char kSymStart = '\001';
constexpr char kSymEnd = '\002';

template <int N, int kText> struct Ring {
  struct Record {
    std::atomic<int> ready{0};
    int cpu;
    int level;
    int cont;
    int fatal;
    char text[kText];
  };
  std::atomic<uint32_t> head{0};
  std::atomic<uint64_t> dropped{0};
  std::atomic<uint64_t> total{0};
  Record records[N];

  Record *Reserve() {
    uint32_t i = head.fetch_add(1, std::memory_order_acq_rel);
    if (i >= uint32_t(N)) {
      dropped.fetch_add(1, std::memory_order_relaxed);
      return nullptr;
    }
    return &records[i];
  }
  void Commit(Record *r) {
    r->ready.store(1, std::memory_order_release);
    total.fetch_add(1, std::memory_order_relaxed);
  }
  template <typename F> uint64_t Drain(F &&f) {
    uint32_t n = std::min(head.load(std::memory_order_acquire), uint32_t(N));
    for (uint32_t i = 0; i < n; i++) {
      if (!records[i].ready.load(std::memory_order_acquire))
        continue;
      f(records[i]);
      records[i].ready.store(0, std::memory_order_relaxed);
    }
    head.store(0, std::memory_order_release);
    return dropped.exchange(0);
  }
};

Ring<4096, 512> log_ring;
Ring<256, 1024> violation_ring;
bool console_echo = getenv("SOLCOMPAT_MODEL_CONSOLE") != nullptr;

// The kernel's vsnprintf dialect ----------------------------------------------

struct Out {
  char *buf;
  size_t size;
  size_t n = 0;
  void Put(char c) {
    if (n + 1 < size)
      buf[n] = c;
    n++;
  }
  void Puts(const char *s, int max = -1) {
    for (int i = 0; s[i] && (max < 0 || i < max); i++)
      Put(s[i]);
  }
};

struct Spec {
  bool left = false, zero = false, plus = false, space = false, alt = false;
  int width = -1, precision = -1;
};

void PutNumber(Out &o, unsigned long long v, bool negative, int base, bool upper, const Spec &s) {
  char digits[32];
  int nd = 0;
  const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    digits[nd++] = set[v % base];
    v /= base;
  } while (v);
  if (s.precision == 0 && nd == 1 && digits[0] == '0')
    nd = 0;
  char prefix[3] = {};
  int np = 0;
  if (negative)
    prefix[np++] = '-';
  else if (s.plus)
    prefix[np++] = '+';
  else if (s.space)
    prefix[np++] = ' ';
  if (s.alt && base == 16) {
    prefix[np++] = '0';
    prefix[np++] = upper ? 'X' : 'x';
  } else if (s.alt && base == 8 && nd && digits[nd - 1] != '0') {
    prefix[np++] = '0';
  }
  int zeros = s.precision > nd ? s.precision - nd : 0;
  int len = np + zeros + nd;
  int pad = s.width > len ? s.width - len : 0;
  if (s.zero && !s.left && s.precision < 0) {
    zeros += pad;
    pad = 0;
  }
  if (!s.left)
    while (pad--)
      o.Put(' ');
  for (int i = 0; i < np; i++)
    o.Put(prefix[i]);
  while (zeros-- > 0)
    o.Put('0');
  while (nd--)
    o.Put(digits[nd]);
  if (s.left)
    while (pad-- > 0)
      o.Put(' ');
}

void PutString(Out &o, const char *str, const Spec &s) {
  if (!str)
    str = "(null)";
  int len = 0;
  while (str[len] && (s.precision < 0 || len < s.precision))
    len++;
  int pad = s.width > len ? s.width - len : 0;
  if (!s.left)
    while (pad-- > 0)
      o.Put(' ');
  o.Puts(str, len);
  if (s.left)
    while (pad-- > 0)
      o.Put(' ');
}

void PutSymbolMarker(Out &o, const void *p, char form) {
  o.Put(kSymStart);
  o.Put(form);
  auto v = reinterpret_cast<uintptr_t>(p);
  for (int shift = 60; shift >= 0; shift -= 4)
    o.Put("0123456789abcdef"[(v >> shift) & 15]);
  o.Put(kSymEnd);
}

// The layout of the kernel's struct va_format (linux/printk.h).
struct VaFormat {
  const char *fmt;
  va_list *va;
};

void FormatInto(Out &o, const char *fmt, va_list ap, int depth);

void FormatInto(Out &o, const char *fmt, va_list ap, int depth) {
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      o.Put(*fmt);
      continue;
    }
    Spec s;
    for (;;) {
      char f = *++fmt;
      if (f == '-')
        s.left = true;
      else if (f == '0')
        s.zero = true;
      else if (f == '+')
        s.plus = true;
      else if (f == ' ')
        s.space = true;
      else if (f == '#')
        s.alt = true;
      else
        break;
    }
    if (*fmt == '*') {
      s.width = va_arg(ap, int);
      if (s.width < 0) {
        s.left = true;
        s.width = -s.width;
      }
      fmt++;
    } else if (*fmt >= '0' && *fmt <= '9') {
      s.width = 0;
      while (*fmt >= '0' && *fmt <= '9')
        s.width = s.width * 10 + (*fmt++ - '0');
    }
    if (*fmt == '.') {
      fmt++;
      s.precision = 0;
      if (*fmt == '*') {
        s.precision = std::max(0, va_arg(ap, int));
        fmt++;
      } else {
        while (*fmt >= '0' && *fmt <= '9')
          s.precision = s.precision * 10 + (*fmt++ - '0');
      }
    }
    int length = 0; // -2 hh, -1 h, 1 l, 2 ll, 3 size_t/ptrdiff_t
    if (*fmt == 'h') {
      length = -1;
      if (*++fmt == 'h') {
        length = -2;
        fmt++;
      }
    } else if (*fmt == 'l') {
      length = 1;
      if (*++fmt == 'l') {
        length = 2;
        fmt++;
      }
    } else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') {
      length = 3;
      fmt++;
    }
    char conv = *fmt;
    switch (conv) {
    case 'd':
    case 'i': {
      long long v;
      if (length >= 2)
        v = va_arg(ap, long long);
      else if (length == 1 || length == 3)
        v = va_arg(ap, long);
      else
        v = va_arg(ap, int);
      if (length == -1)
        v = short(v);
      if (length == -2)
        v = static_cast<signed char>(v);
      bool neg = v < 0;
      PutNumber(o, neg ? 0ull - static_cast<unsigned long long>(v) : v, neg, 10, false, s);
      break;
    }
    case 'u':
    case 'x':
    case 'X':
    case 'o': {
      unsigned long long v;
      if (length >= 2)
        v = va_arg(ap, unsigned long long);
      else if (length == 1 || length == 3)
        v = va_arg(ap, unsigned long);
      else
        v = va_arg(ap, unsigned int);
      if (length == -1)
        v = static_cast<unsigned short>(v);
      if (length == -2)
        v = static_cast<unsigned char>(v);
      int base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
      PutNumber(o, v, false, base, conv == 'X', s);
      break;
    }
    case 'c': {
      char c = char(va_arg(ap, int));
      char str[2] = {c, 0};
      PutString(o, str, s);
      break;
    }
    case 's':
      PutString(o, va_arg(ap, const char *), s);
      break;
    case 'p': {
      void *p = va_arg(ap, void *);
      char ext = fmt[1];
      if (ext == 'S' || ext == 'F') {
        fmt++;
        PutSymbolMarker(o, p, 'S');
      } else if (ext == 'B') {
        fmt++;
        PutSymbolMarker(o, p, 'B');
      } else if (ext == 's' || ext == 'f') {
        fmt++;
        PutSymbolMarker(o, p, 's');
      } else if (ext == 'V') {
        fmt++;
        auto *vaf = static_cast<VaFormat *>(p);
        if (depth < 4 && vaf && vaf->fmt) {
          va_list copy;
          va_copy(copy, *vaf->va);
          FormatInto(o, vaf->fmt, copy, depth + 1);
          va_end(copy);
        }
      } else {
        // The kernel hashes plain %p; the model prints the address.
        // Other extensions (%px, %pK, ...) consume their letters too.
        while ((fmt[1] >= 'a' && fmt[1] <= 'z') || (fmt[1] >= 'A' && fmt[1] <= 'Z'))
          fmt++;
        Spec ps = s;
        ps.alt = true;
        PutNumber(o, reinterpret_cast<uintptr_t>(p), false, 16, false, ps);
      }
      break;
    }
    case '%':
      o.Put('%');
      break;
    case '\0':
      fmt--; // a lone '%' at the end
      break;
    default:
      o.Put('%');
      o.Put(conv);
      break;
    }
  }
}

// Symbols ---------------------------------------------------------------------

struct Sym {
  uintptr_t addr;
  size_t size;
  std::string name;
};
std::vector<Sym> exe_syms;
std::once_flag syms_once;

int FindBias(struct dl_phdr_info *info, size_t, void *data) {
  *static_cast<uintptr_t *>(data) = info->dlpi_addr;
  return 1; // the first object is the executable
}

void LoadExeSymbols() {
  uintptr_t bias = 0;
  dl_iterate_phdr(FindBias, &bias);
  int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return;
  }
  void *map = mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED)
    return;
  auto *base = static_cast<const char *>(map);
  auto *eh = reinterpret_cast<const Elf64_Ehdr *>(base);
  if (size_t(st.st_size) >= sizeof(*eh) && memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
      eh->e_ident[EI_CLASS] == ELFCLASS64) {
    auto *sh = reinterpret_cast<const Elf64_Shdr *>(base + eh->e_shoff);
    for (int i = 0; i < eh->e_shnum; i++) {
      if (sh[i].sh_type != SHT_SYMTAB)
        continue;
      auto *syms = reinterpret_cast<const Elf64_Sym *>(base + sh[i].sh_offset);
      const char *strtab = base + sh[sh[i].sh_link].sh_offset;
      size_t count = sh[i].sh_size / sizeof(Elf64_Sym);
      for (size_t k = 0; k < count; k++) {
        if (ELF64_ST_TYPE(syms[k].st_info) != STT_FUNC || !syms[k].st_value)
          continue;
        exe_syms.push_back({bias + syms[k].st_value, syms[k].st_size, strtab + syms[k].st_name});
      }
    }
    std::sort(exe_syms.begin(), exe_syms.end(),
              [](const Sym &a, const Sym &b) { return a.addr < b.addr; });
  }
  munmap(map, size_t(st.st_size));
}

std::string Demangle(const char *name) {
  int status = 0;
  char *d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string out = status == 0 && d ? d : name;
  free(d);
  return out;
}

// A return address (%pB) is looked up one byte earlier: after a call to a
// noreturn function it is already past the end of the caller.
std::string SymbolFor(uintptr_t pc, bool with_offset, bool return_address = false) {
  std::call_once(syms_once, LoadExeSymbols);
  char buf[64];
  uintptr_t lookup = return_address ? pc - 1 : pc;
  auto it = std::upper_bound(exe_syms.begin(), exe_syms.end(), lookup,
                             [](uintptr_t v, const Sym &s) { return v < s.addr; });
  if (it != exe_syms.begin()) {
    --it;
    if (lookup < it->addr + std::max<size_t>(it->size, 1)) {
      std::string name = Demangle(it->name.c_str());
      if (!with_offset)
        return name;
      snprintf(buf, sizeof(buf), "+0x%zx/0x%zx", size_t(pc - it->addr), it->size);
      return name + buf;
    }
  }
  Dl_info info;
  if (dladdr(reinterpret_cast<void *>(lookup), &info) && info.dli_sname) {
    std::string name = Demangle(info.dli_sname);
    if (!with_offset)
      return name;
    snprintf(buf, sizeof(buf), "+0x%zx", size_t(pc - uintptr_t(info.dli_saddr)));
    return name + buf;
  }
  snprintf(buf, sizeof(buf), "0x%zx", size_t(pc));
  return buf;
}

std::string ExpandSymbols(const char *text) {
  std::string out;
  for (const char *p = text; *p; p++) {
    if (*p != kSymStart || !p[1] || strlen(p) < 19 || p[18] != kSymEnd) {
      out += *p;
      continue;
    }
    bool offset = p[1] != 's';
    bool return_address = p[1] == 'B';
    uintptr_t v = 0;
    for (int i = 2; i < 18; i++) {
      char c = p[i];
      v = v * 16 + uintptr_t(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    out += v ? SymbolFor(v, offset, return_address) : "0x0";
    p += 18;
  }
  return out;
}

int VprintkImpl(const char *fmt, va_list ap) {
  char text[512];
  size_t len = FormatV(text, sizeof(text), fmt, ap);
  // The level may have come in through an argument ("%s%s" with KERN_*),
  // so it is parsed from the formatted text, as the kernel does.
  int level = -1, cont = 0;
  const char *p = text;
  while (p[0] == '\001' && p[1]) {
    if (p[1] >= '0' && p[1] <= '7')
      level = p[1] - '0';
    else if (p[1] == 'c')
      cont = 1;
    p += 2;
  }
  if (auto *r = log_ring.Reserve()) {
    r->cpu = model_cpu_self.cpu;
    r->level = level < 0 ? 4 : level;
    r->cont = cont && level < 0;
    r->fatal = 0;
    size_t n = std::min(strlen(p), sizeof(r->text) - 1);
    memcpy(r->text, p, n);
    r->text[n] = 0;
    log_ring.Commit(r);
  }
  if (console_echo)
    RawWrite(p);
  return int(len);
}

} // namespace

size_t FormatV(char *buf, size_t size, const char *fmt, va_list ap) {
  Out o{buf, size};
  va_list copy;
  va_copy(copy, ap);
  FormatInto(o, fmt, copy, 0);
  va_end(copy);
  if (size)
    buf[std::min(o.n, size - 1)] = 0;
  return std::min(o.n, size ? size - 1 : 0);
}

size_t Format(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  size_t n = FormatV(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

void RawWrite(const char *s) {
  size_t len = strlen(s);
  while (len) {
    ssize_t w = write(2, s, len);
    if (w <= 0)
      return;
    s += w;
    len -= size_t(w);
  }
}

void RecordViolation(bool fatal, const void *caller, const char *api, const char *fmt, va_list ap) {
  char msg[1024];
  size_t n = Format(msg, sizeof(msg), "%s: ", api);
  n += FormatV(msg + n, sizeof(msg) - n, fmt, ap);
  while (n && msg[n - 1] == '\n')
    msg[--n] = 0;
  char ctx[200];
  DescribeContext(ctx, sizeof(ctx));
  n += Format(msg + n, sizeof(msg) - n, " [%s]", ctx);
  if (caller)
    Format(msg + n, sizeof(msg) - n, " (caller %pB)", caller);
  if (auto *r = violation_ring.Reserve()) {
    r->cpu = model_cpu_self.cpu;
    r->level = 0;
    r->cont = 0;
    r->fatal = fatal;
    memcpy(r->text, msg, sizeof(r->text));
    violation_ring.Commit(r);
  }
  // Also in the kernel log, where it shows among the messages around it.
  Format(ctx, sizeof(ctx), "%s", fatal ? "fatal model violation" : "model violation");
  _printk_deferred("\001"
                   "3"
                   "%s: %s\n",
                   ctx, msg);
  if (fatal)
    FatalAbort(msg);
}

void Violation(const void *caller, const char *api, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  RecordViolation(false, caller, api, fmt, ap);
  va_end(ap);
}

void Fatal(const void *caller, const char *api, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  RecordViolation(true, caller, api, fmt, ap);
  va_end(ap);
  FatalAbort("unreachable");
}

} // namespace model::internal

using namespace model::internal;

extern "C" int model_vprintk(const char *fmt, va_list ap) { return VprintkImpl(fmt, ap); }

extern "C" int vprintk(const char *fmt, va_list ap) {
  if (InProbeFrame())
    Violation(__builtin_return_address(0), "vprintk",
              "in probe context: the console driver's lock may be held by the probed code "
              "(use printk_deferred)");
  return VprintkImpl(fmt, ap);
}

// printk writes to the consoles at once, taking their drivers' locks; a
// probe may have fired inside such a driver with its lock held (the 8250
// port lock), so printk in a probe frame is a violation: the kernel would
// deadlock there. printk_deferred leaves the console output to an irq_work.
extern "C" int _printk(const char *fmt, ...) {
  if (InProbeFrame())
    Violation(__builtin_return_address(0), "printk",
              "in probe context: the console driver's lock may be held by the probed code "
              "(use printk_deferred)");
  va_list ap;
  va_start(ap, fmt);
  int n = VprintkImpl(fmt, ap);
  va_end(ap);
  return n;
}

// Only the deferring level is modelled: the record, no console at once.
extern "C" int vprintk_emit(int facility, int level, const struct dev_printk_info *dev_info,
                            const char *fmt, va_list ap) {
  (void)facility;
  (void)dev_info;
  if (level != -2 /* LOGLEVEL_SCHED */ && InProbeFrame())
    Violation(__builtin_return_address(0), "vprintk_emit",
              "in probe context without LOGLEVEL_SCHED: the console driver's lock may be held "
              "by the probed code");
  return VprintkImpl(fmt, ap);
}

extern "C" int _printk_deferred(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = VprintkImpl(fmt, ap);
  va_end(ap);
  return n;
}

// panic() in NMI context (an int3 probe frame included) is a violation:
// re-entered on a CPU that is panicking already it runs the panic path
// again, and a CPU that lost the race to panic stops without saving its
// registers for a crash dump. nmi_panic() is the NMI path.
extern "C" [[noreturn]] void panic(const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  FormatV(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  if (model_cpu_self.preempt_count & MODEL_NMI_MASK)
    Violation(__builtin_return_address(0), "panic", "in NMI context: use nmi_panic");
  Fatal(__builtin_return_address(0), "panic", "Kernel panic - not syncing: %s", msg);
}

extern "C" [[noreturn]] void nmi_panic(struct pt_regs *regs, const char *msg) {
  (void)regs;
  Fatal(__builtin_return_address(0), "nmi_panic", "Kernel panic - not syncing: %s", msg);
}

extern "C" void model_violation(const char *api, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  RecordViolation(false, __builtin_return_address(0), api, fmt, ap);
  va_end(ap);
}

namespace model {

std::vector<Violation> TakeViolations() {
  std::vector<Violation> out;
  uint64_t dropped = violation_ring.Drain([&](auto &r) {
    out.push_back({r.fatal != 0, r.cpu, ExpandSymbols(r.text)});
  });
  if (dropped)
    out.push_back({false, -1, "model: " + std::to_string(dropped) + " more violations dropped"});
  return out;
}

uint64_t ViolationCount() { return violation_ring.total.load(std::memory_order_relaxed); }

std::vector<LogLine> TakeLog() {
  std::vector<LogLine> out;
  // A continuation joins the last unfinished line of the same CPU.
  std::vector<int> open_line(MODEL_MAX_CPUS + 1, -1);
  uint64_t dropped = log_ring.Drain([&](auto &r) {
    int slot = r.cpu < 0 ? MODEL_MAX_CPUS : r.cpu;
    std::string text = ExpandSymbols(r.text);
    if (r.cont && open_line[slot] >= 0) {
      out[open_line[slot]].text += text;
    } else {
      out.push_back({r.level, r.cpu, text});
      open_line[slot] = int(out.size() - 1);
    }
    auto &line = out[open_line[slot]].text;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      open_line[slot] = -1;
    }
  });
  if (dropped)
    out.push_back({4, -1, "model: " + std::to_string(dropped) + " log records dropped"});
  return out;
}

std::string FormatLog(const std::vector<LogLine> &lines) {
  std::string out;
  for (auto &l : lines) {
    char prefix[32];
    if (l.cpu >= 0)
      snprintf(prefix, sizeof(prefix), "<%d>[cpu%d] ", l.level, l.cpu);
    else
      snprintf(prefix, sizeof(prefix), "<%d>[----] ", l.level);
    out += prefix + l.text + "\n";
  }
  return out;
}

std::string Symbolize(const void *addr) {
  return SymbolFor(reinterpret_cast<uintptr_t>(addr), true);
}

} // namespace model
