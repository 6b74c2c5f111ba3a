// SPDX-License-Identifier: GPL-2.0
//
// Kprobes, kallsyms and modules of the kernel model: what linux/trap.c
// needs, real enough that probes/fbt.c runs on it unchanged.
//
// Big Theory Statement
// --------------------
// Kernel text. The test program is the kernel image ("vmlinux"). A model
// module is a shared object the test program links, named <module>.model.so
// (fbt_test.model.so is the fbt provider's test module), whose glue
// (model_module_glue.c) calls model_module_register() from a constructor:
// its name, an address in its text and its _kprobe_blacklist records.
// Symbols come from the ELF symbol tables of those files (.symtab: static
// functions too), read once, in process context, on first use; each
// function runs to the next symbol, as kallsyms sizes them. sprint_symbol
// prints "name+0xoff/0xsize" and " [module]" for a module; a module's
// struct module is the data symbol module:__this_module, which only
// register_kprobe resolves, as in the kernel. The test program's own
// module (THIS_MODULE of linux/) has no text range here (see
// include/linux/module.h).
//
// A probe. register_kprobe checks what kprobes checks: the address is in
// kernel or module text, not on a blacklist (NOKPROBE_SYMBOL, or a
// module's _kprobe_blacklist), at an instruction boundary of its function
// (decoded from the function's start with probes/dis/x86_decode over the
// original bytes), and the instruction can run out of line (it relocates:
// %rip-relative operands and relative branches, within +-2 GB). Arming
// writes int3 (0xcc) over the first byte; the page is made writable once,
// in process context. Disarming writes the byte back.
//
// A hit. The int3 raises SIGTRAP (si_code SI_KERNEL) on the thread of the
// CPU that ran it, with the probed code's registers in the signal context:
//   1. the probe is looked up in a lock-free table by address. Not found:
//      it was just removed; if the int3 is gone too, the thread resumes at
//      the address (the original instruction runs);
//   2. if a kprobe handler already runs on this CPU (or the CPU is in a
//      probe frame not an ftrace callback's: runner 1's probe context,
//      say) the hit only counts a miss
//      (kp->nmissed), as kprobes does; otherwise the pre_handler runs with
//      a struct pt_regs made from the signal context, in a probe frame for
//      a function's first instruction (an ftrace-based probe: interrupts as
//      found) or an NMI-like frame elsewhere (int3: in_nmi(), interrupts
//      off), through RunTrapHandler;
//   3. the displaced instruction is relocated into a slot near the text
//      (within reach of its %rip-relative operand) and single-stepped
//      there (EFLAGS.TF), with the CPU's interrupts masked as kprobes
//      masks them. The step's SIGTRAP puts the thread back: after the copy
//      falls through, at the instruction after the original; after a taken
//      branch or a ret, where it went; a call's pushed return address is
//      corrected to the original's. Steps nest (an NMI that hits another
//      probe between the int3 and the step) as a per-thread stack.
// ftrace. Every function's first instruction in a model image is an ftrace
// site (in the kernel, its fentry call): register_kprobe there sets
// KPROBE_FLAG_FTRACE, as kprobes does, and ftrace_set_filter_ips accepts
// only such addresses (of functions kprobes may probe: the blacklisted ones
// are notrace in the kernel). A registered ftrace_ops hooks itself on the
// record of each address in its filter (one record per address, shared
// with a kprobe there), which arms the same int3; a hit calls each hooked
// ops' callback after the kprobe's handler, in a probe frame (interrupts
// as found): with FTRACE_OPS_FL_RECURSION inside ftrace's recursion lock
// (preemption off; one bit per context level: a callback is not
// re-entered at its own level), without it bare (preempt_count as at the
// probed instruction, no recursion protection), with the probed code's
// registers when the ops asked FTRACE_OPS_FL_SAVE_REGS.
// Unlike a kprobe it also runs inside another kprobe's handler, and a
// kprobe hit inside the callback is no miss (the callback is not a kprobe
// handler). unregister_ftrace_function waits as unregister_kprobes does.
// The model's rules, reported as violations: a registered ops with an
// empty filter (in the kernel it traces every function), an address
// added to a filter that holds it
// (a kernel may keep a duplicate, and one removal leaves it traced),
// registering a registered ops or unregistering an unregistered one (the
// kernel warns). At most kOpsPerSite ops per address. Not modelled:
// ftrace's one-time re-entry at the same context level (its transition
// bit). Up to kKprobesPerSite kprobes on one address are aggregated (run
// in registration order, each counting its own misses), as kprobes does.
// Removal. unregister_kprobes disarms and unlinks (keeping the record of
// an address an ftrace_ops still uses), then waits until every
// CPU that was inside the trap path when it started has left it (a
// per-CPU depth and sequence count, as synchronize_rcu waits for kprobe
// handlers): afterwards nothing uses the kprobe.
//
// Limits: the model's text is user-space code compiled by the host
// compiler; a probe on the functions the trap path itself runs (this file,
// model_cpu.cc's frames, libc) would recurse: those are not kernel text
// of any model module and the vmlinux ones are refused by address (the
// runtime's own text). ThreadSanitizer: see the fbt family's note in
// tests/probes/CMakeLists.txt.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <mutex>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>
#include <vector>

#include "model.hh"
#include "model_internal.hh"

extern "C" {
#include "../../probes/dis/x86_decode.h"
}

// struct module and struct kprobe as include/linux/{module,kprobes}.h lay
// them out (C, compiled against the stand-ins).
namespace {
struct ModelModuleMem {
  void *base;
  unsigned int size;
};
struct ModelModule {
  char name[56];
  ModelModuleMem mem[3];
};
struct ModelPtRegs {
  unsigned long r15, r14, r13, r12, bp, bx;
  unsigned long r11, r10, r9, r8, ax, cx, dx, si, di;
  unsigned long orig_ax, ip, cs, flags, sp, ss;
};
struct ModelKprobe;
typedef int (*PreHandler)(ModelKprobe *, ModelPtRegs *);
struct ModelKprobe {
  unsigned char *addr;
  const char *symbol_name;
  unsigned int offset;
  PreHandler pre_handler;
  void *post_handler;
  unsigned long nmissed;
  unsigned int flags;
  void *model;
};
constexpr unsigned int kFlagDisabled = 2;
constexpr unsigned int kFlagFtrace = 8;
// struct ftrace_ops and struct ftrace_regs (include/linux/ftrace.h).
struct ModelFtraceOps;
struct ModelFtraceRegs {
  ModelPtRegs regs;
  int has_regs;
};
typedef void (*FtraceFunc)(unsigned long ip, unsigned long parent_ip, ModelFtraceOps *op,
                           ModelFtraceRegs *fregs);
struct ModelFtraceOps {
  FtraceFunc func;
  unsigned long flags;
  void *model;
};
constexpr unsigned long kOpsSaveRegs = 1ul << 2;
constexpr unsigned long kOpsRecursion = 1ul << 4;
} // namespace

struct kprobe;
struct module;
extern "C" void unregister_kprobes(struct kprobe **kps, int num);

// include/linux/kallsyms.h's KSYM_SYMBOL_LEN.
constexpr size_t KSYM_SYMBOL_LEN_MODEL =
    sizeof("%s+%#lx/%#lx [%s %s]") + (512 - 1) + 2 * (64 * 3 / 10) + (56 - 1) + 1;

// The glue of each model module (model_module_glue.c).
extern "C" void model_module_register(const char *name, const void *text_addr,
                                      const unsigned long *blacklist_start,
                                      const unsigned long *blacklist_stop);

// The test program's own _kprobe_blacklist (PROBE_CONTEXT_SYMBOL), if any.
extern "C" const unsigned long __start__kprobe_blacklist[]
    __attribute__((weak, visibility("hidden")));
extern "C" const unsigned long __stop__kprobe_blacklist[]
    __attribute__((weak, visibility("hidden")));

namespace model {
namespace internal {
namespace {

constexpr int kMaxModules = 8;
constexpr size_t kSlotSize = 32;
constexpr size_t kSlotArea = 1 << 20;
constexpr int kTableSize = 1 << 14; // open addressing, power of two
constexpr int kMaxSteps = 8;        // nested single steps per thread

// Filled by constructors before main: plain data only.
struct Registered {
  const char *name;
  const void *text_addr;
  const unsigned long *bl_start, *bl_stop;
};
Registered registered[kMaxModules];
std::atomic<int> nregistered{0};

struct Sym {
  uintptr_t addr;
  std::string name;
};

struct Image {
  std::string module; // empty: the kernel image
  uintptr_t text_start = 0, text_end = 0;
  std::vector<Sym> syms; // sorted by address, one per address
  std::vector<uintptr_t> blacklist;
  ModelModule *mod = nullptr;
  unsigned char *slots = nullptr; // single-step slots near this text
  std::atomic<unsigned> next_slot{0};
};

ModelModule module_structs[kMaxModules];
// Never destroyed: the images live as long as the process (and stay
// reachable for LeakSanitizer after static destructors ran).
std::vector<Image *> &images = *new std::vector<Image *>;
std::once_flag images_once;
uintptr_t runtime_text_start, runtime_text_end; // this file's own object: never probed

bool ReadFile(const char *path, std::vector<unsigned char> *out) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && st.st_size > 0;
  if (ok) {
    out->resize(size_t(st.st_size));
    size_t done = 0;
    while (done < out->size()) {
      ssize_t n = read(fd, out->data() + done, out->size() - done);
      if (n <= 0) {
        ok = false;
        break;
      }
      done += size_t(n);
    }
  }
  close(fd);
  return ok;
}

// The function symbols of an ELF file, relocated by bias, within the text.
void LoadSymbols(const char *path, uintptr_t bias, Image *img) {
  std::vector<unsigned char> f;
  if (!ReadFile(path, &f) || f.size() < sizeof(Elf64_Ehdr))
    return;
  auto *eh = reinterpret_cast<const Elf64_Ehdr *>(f.data());
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_shoff == 0 ||
      eh->e_shoff + size_t(eh->e_shnum) * sizeof(Elf64_Shdr) > f.size())
    return;
  auto *sh = reinterpret_cast<const Elf64_Shdr *>(f.data() + eh->e_shoff);
  for (int i = 0; i < eh->e_shnum; i++) {
    if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
      continue;
    const Elf64_Shdr &strs = sh[sh[i].sh_link];
    if (sh[i].sh_offset + sh[i].sh_size > f.size() || strs.sh_offset + strs.sh_size > f.size())
      continue;
    auto *sym = reinterpret_cast<const Elf64_Sym *>(f.data() + sh[i].sh_offset);
    size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
    const char *names = reinterpret_cast<const char *>(f.data() + strs.sh_offset);
    for (size_t k = 0; k < n; k++) {
      if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || sym[k].st_shndx == SHN_UNDEF ||
          sym[k].st_name >= strs.sh_size)
        continue;
      uintptr_t a = bias + sym[k].st_value;
      const char *name = names + sym[k].st_name;
      if (a < img->text_start || a >= img->text_end || !name[0])
        continue;
      img->syms.push_back({a, name});
    }
  }
  // One name per address: the first in the table, as kallsyms shows one.
  std::stable_sort(img->syms.begin(), img->syms.end(),
                   [](const Sym &x, const Sym &y) { return x.addr < y.addr; });
  img->syms.erase(std::unique(img->syms.begin(), img->syms.end(),
                              [](const Sym &x, const Sym &y) { return x.addr == y.addr; }),
                  img->syms.end());
}

// A slot area within +-2 GB of the image's text.
unsigned char *SlotAreaNear(uintptr_t text) {
  for (uintptr_t step = 64u << 20; step < (1ull << 31) - kSlotArea; step += 64u << 20) {
    for (int dir = 0; dir < 2; dir++) {
      uintptr_t hint =
          dir ? (text + step) & ~uintptr_t(0xfffff) : (text - step) & ~uintptr_t(0xfffff);
      void *p = mmap(reinterpret_cast<void *>(hint), kSlotArea, PROT_READ | PROT_WRITE | PROT_EXEC,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
      if (p != MAP_FAILED) {
        memset(p, 0xcc, kSlotArea);
        return static_cast<unsigned char *>(p);
      }
    }
  }
  return nullptr;
}

struct PhdrScan {
  std::vector<Image *> *out;
};

int ScanObject(struct dl_phdr_info *info, size_t, void *arg) {
  auto *scan = static_cast<PhdrScan *>(arg);
  uintptr_t lo = UINTPTR_MAX, hi = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) &ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
      continue;
    lo = std::min<uintptr_t>(lo, info->dlpi_addr + ph.p_vaddr);
    hi = std::max<uintptr_t>(hi, info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
  }
  if (lo >= hi)
    return 0;
  bool main_program = !info->dlpi_name || !info->dlpi_name[0];
  const Registered *reg = nullptr;
  for (int i = 0; i < nregistered.load(std::memory_order_acquire); i++) {
    uintptr_t a = reinterpret_cast<uintptr_t>(registered[i].text_addr);
    if (a >= lo && a < hi)
      reg = &registered[i];
  }
  if (!main_program && !reg)
    return 0; // libc, the C++ runtime, the sanitizer runtime, the vDSO
  auto *img = new Image;
  img->text_start = lo;
  img->text_end = hi;
  LoadSymbols(main_program ? "/proc/self/exe" : info->dlpi_name, info->dlpi_addr, img);
  if (reg && !main_program) {
    int n = int(scan->out->size());
    img->module = reg->name;
    img->mod = &module_structs[n < kMaxModules ? n : kMaxModules - 1];
    snprintf(img->mod->name, sizeof(img->mod->name), "%s", reg->name);
    img->mod->mem[0].base = reinterpret_cast<void *>(lo);
    img->mod->mem[0].size = unsigned(hi - lo);
    for (const unsigned long *p = reg->bl_start; p && p < reg->bl_stop; p++)
      img->blacklist.push_back(*p);
  } else if (__start__kprobe_blacklist) {
    for (const unsigned long *p = __start__kprobe_blacklist; p < __stop__kprobe_blacklist; p++)
      img->blacklist.push_back(*p);
  }
  scan->out->push_back(img);
  return 0;
}

void LoadImages() {
  std::call_once(images_once, [] {
    PhdrScan scan{&images};
    dl_iterate_phdr(ScanObject, &scan);
    // This file's functions run the trap path: never probed.
    uintptr_t self = reinterpret_cast<uintptr_t>(&LoadImages);
    for (Image *img : images)
      for (size_t i = 0; i < img->syms.size(); i++)
        if (img->syms[i].addr <= self &&
            (i + 1 == img->syms.size() || img->syms[i + 1].addr > self)) {
          runtime_text_start = img->syms[i].addr;
          runtime_text_end = i + 1 < img->syms.size() ? img->syms[i + 1].addr : img->text_end;
        }
  });
}

Image *ImageOf(uintptr_t addr) {
  for (Image *img : images)
    if (addr >= img->text_start && addr < img->text_end)
      return img;
  return nullptr;
}

// The symbol containing addr and its size, or nullptr.
const Sym *SymOf(Image *img, uintptr_t addr, uintptr_t *size) {
  auto it = std::upper_bound(img->syms.begin(), img->syms.end(), addr,
                             [](uintptr_t a, const Sym &s) { return a < s.addr; });
  if (it == img->syms.begin())
    return nullptr;
  const Sym *s = &*(it - 1);
  *size = (it == img->syms.end() ? img->text_end : it->addr) - s->addr;
  return s;
}

// ---- probes ----

constexpr int kOpsPerSite = 4;
constexpr int kKprobesPerSite = 4;
struct Ops;

// What is at one address: kprobes (aggregated, as kprobes aggregates a
// second one on an address), ftrace_ops whose filter holds it (an ftrace
// site, a function's first instruction), or both. Armed (int3) while a
// kprobe there is enabled or an ops is registered there.
struct Probe {
  uintptr_t addr;
  std::atomic<ModelKprobe *> kps[kKprobesPerSite]; // all null: an ftrace site only
  Image *img;
  unsigned char orig[16]; // the original bytes at addr
  x86_insn_t insn;
  bool entry; // the function's first instruction
  bool armed;
  std::atomic<Ops *> ops[kOpsPerSite]; // registered ops hooked here
};

// A struct ftrace_ops the model has seen (its ->model).
struct Ops {
  ModelFtraceOps *ops;
  std::vector<uintptr_t> filter; // sorted
  bool registered = false;
};

// Lookup table: nullptr = empty, kTomb = deleted.
Probe *const kTomb = reinterpret_cast<Probe *>(1);
std::atomic<Probe *> table[kTableSize];
std::mutex probes_mutex; // registration, arming, the page set
std::vector<uintptr_t> writable_pages;

unsigned Hash(uintptr_t addr) {
  return unsigned((addr * 0x9e3779b97f4a7c15ull) >> 50) & (kTableSize - 1);
}

Probe *Lookup(uintptr_t addr) {
  for (unsigned i = Hash(addr), n = 0; n < kTableSize; i = (i + 1) & (kTableSize - 1), n++) {
    Probe *p = table[i].load(std::memory_order_acquire);
    if (!p)
      return nullptr;
    if (p != kTomb && p->addr == addr)
      return p;
  }
  return nullptr;
}

bool Insert(Probe *probe) {
  for (unsigned i = Hash(probe->addr), n = 0; n < kTableSize; i = (i + 1) & (kTableSize - 1), n++) {
    Probe *p = table[i].load(std::memory_order_relaxed);
    if (!p || p == kTomb) {
      table[i].store(probe, std::memory_order_release);
      return true;
    }
  }
  return false;
}

void Unlink(Probe *probe) {
  for (unsigned i = Hash(probe->addr), n = 0; n < kTableSize; i = (i + 1) & (kTableSize - 1), n++) {
    Probe *p = table[i].load(std::memory_order_relaxed);
    if (!p)
      return;
    if (p == probe) {
      table[i].store(kTomb, std::memory_order_release);
      return;
    }
  }
}

// Who is inside the trap path: per CPU, plus one slot for other threads.
struct TrapCpu {
  std::atomic<int> depth{0};
  std::atomic<uint64_t> seq{0};
  int running = 0; // a pre_handler runs on this CPU (its own thread only)
  int ftrace_frames = 0;         // ftrace callbacks running (likewise)
  unsigned ftrace_recursion = 0; // ftrace's recursion bits, per context
};
TrapCpu trap_cpus[MODEL_MAX_CPUS + 1];

TrapCpu &ThisTrapCpu() {
  int cpu = model_cpu_self.cpu;
  return trap_cpus[cpu >= 0 && cpu < MODEL_MAX_CPUS ? cpu : MODEL_MAX_CPUS];
}

// The single steps this thread has in flight.
struct Step {
  uintptr_t slot, orig;
  unsigned len;
  bool call;
  bool tf;      // EFLAGS.TF before the int3 (single-step injection)
  int irqs_off; // the CPU's mask before the step
};
thread_local Step steps[kMaxSteps];
thread_local int nsteps;

bool MakeWritable(uintptr_t addr) {
  uintptr_t page = addr & ~uintptr_t(4095);
  for (uintptr_t p = page; p <= ((addr + 1) & ~uintptr_t(4095)); p += 4096) {
    if (std::find(writable_pages.begin(), writable_pages.end(), p) != writable_pages.end())
      continue;
    if (mprotect(reinterpret_cast<void *>(p), 4096, PROT_READ | PROT_WRITE | PROT_EXEC))
      return false;
    writable_pages.push_back(p);
  }
  return true;
}

// One byte store into text, as text_poke does: a plain mov in assembly,
// which ThreadSanitizer does not instrument (it has no shadow for text and
// faulted on the instrumented store).
void Poke(uintptr_t addr, unsigned char byte) {
  __asm__ __volatile__("movb %1, %0\n\tmfence"
                       : "=m"(*reinterpret_cast<unsigned char *>(addr))
                       : "q"(byte)
                       : "memory");
}

void Arm(Probe *p) {
  if (!p->armed) {
    Poke(p->addr, 0xcc);
    p->armed = true;
  }
}

void Disarm(Probe *p) {
  if (p->armed) {
    Poke(p->addr, p->orig[0]);
    p->armed = false;
  }
}

// The original bytes of [addr, addr + len): text with our int3s undone.
void ReadOriginal(uintptr_t addr, unsigned char *out, size_t len) {
  memcpy(out, reinterpret_cast<const void *>(addr), len);
  for (size_t i = 0; i < len; i++)
    if (out[i] == 0xcc)
      if (Probe *p = Lookup(addr + i))
        out[i] = p->orig[0];
}

// Is addr an instruction boundary of its function?
bool AtBoundary(uintptr_t func, uintptr_t addr) {
  uintptr_t pc = func;
  while (pc < addr) {
    unsigned char buf[16];
    x86_insn_t xi;
    ReadOriginal(pc, buf, sizeof(buf));
    if (x86_insn_decode(buf, sizeof(buf), &xi) != X86_OK)
      return false;
    pc += xi.xi_length;
  }
  return pc == addr;
}

ModelKprobe *AsKprobe(struct kprobe *kp) { return reinterpret_cast<ModelKprobe *>(kp); }

int Resolve(ModelKprobe *kp, uintptr_t *addr) {
  if (!kp->symbol_name) {
    *addr = reinterpret_cast<uintptr_t>(kp->addr) + kp->offset;
    return 0;
  }
  if (kp->addr)
    return -EINVAL;
  std::string name = kp->symbol_name, module;
  size_t colon = name.find(':');
  if (colon != std::string::npos) {
    module = name.substr(0, colon);
    name = name.substr(colon + 1);
  }
  for (Image *img : images) {
    if (img->module != module)
      continue;
    if (name == "__this_module" && img->mod) {
      kp->addr = reinterpret_cast<unsigned char *>(img->mod);
      return -EINVAL; // data, not text (kp->addr is set, as kprobes leaves it)
    }
    for (const Sym &s : img->syms)
      if (s.name == name) {
        *addr = s.addr + kp->offset;
        kp->addr = reinterpret_cast<unsigned char *>(*addr);
        return 0;
      }
  }
  return -ENOENT;
}

// The function of kernel text that may be probed at addr, or nullptr.
const Sym *ProbeableSym(uintptr_t addr, Image **imgp) {
  Image *img = ImageOf(addr);
  uintptr_t size;
  const Sym *sym = img ? SymOf(img, addr, &size) : nullptr;
  if (!sym || (addr >= runtime_text_start && addr < runtime_text_end))
    return nullptr; // not kernel text, or the trap path's own
  for (uintptr_t b : img->blacklist)
    if (b == sym->addr)
      return nullptr;
  if (IsNoKprobe(reinterpret_cast<const void *>(sym->addr)))
    return nullptr;
  *imgp = img;
  return sym;
}

// Is addr an ftrace site? A function's first instruction, in a function
// kprobes may probe: in the kernel the functions the model refuses (the
// blacklisted probe-context ones) are notrace, without an fentry call.
bool FtraceLocation(uintptr_t addr) {
  Image *img;
  const Sym *sym = ProbeableSym(addr, &img);
  return sym && sym->addr == addr;
}

// A new, disarmed record at addr in the table (probes_mutex held).
int NewProbe(uintptr_t addr, Image *img, const Sym *sym, Probe **out) {
  auto *p = new Probe{};
  p->addr = addr;
  p->img = img;
  p->entry = addr == sym->addr;
  if (!AtBoundary(sym->addr, addr)) {
    delete p;
    return -EILSEQ;
  }
  ReadOriginal(addr, p->orig, sizeof(p->orig));
  if (!img->slots)
    img->slots = SlotAreaNear(img->text_start);
  unsigned char scratch[16];
  if (x86_insn_decode(p->orig, sizeof(p->orig), &p->insn) != X86_OK || p->orig[0] == 0xcc ||
      !img->slots ||
      x86_insn_relocate(p->orig, sizeof(p->orig), &p->insn, addr,
                        reinterpret_cast<uintptr_t>(img->slots), scratch,
                        sizeof(scratch)) != X86_OK ||
      x86_insn_relocate(p->orig, sizeof(p->orig), &p->insn, addr,
                        reinterpret_cast<uintptr_t>(img->slots) + kSlotArea - kSlotSize, scratch,
                        sizeof(scratch)) != X86_OK ||
      !MakeWritable(addr) || !Insert(p)) {
    delete p;
    return -EINVAL;
  }
  *out = p;
  return 0;
}

bool HasOps(const Probe *p) {
  for (const auto &o : p->ops)
    if (o.load(std::memory_order_relaxed))
      return true;
  return false;
}

bool HasKprobes(const Probe *p) {
  for (const auto &k : p->kps)
    if (k.load(std::memory_order_relaxed))
      return true;
  return false;
}

// Arm or disarm what is at p as its users want (probes_mutex held).
void Update(Probe *p) {
  bool want = HasOps(p);
  for (const auto &k : p->kps) {
    ModelKprobe *kp = k.load(std::memory_order_relaxed);
    want = want || (kp && !(kp->flags & kFlagDisabled));
  }
  if (want)
    Arm(p);
  else
    Disarm(p);
}

int Register(ModelKprobe *kp) {
  LoadImages();
  uintptr_t addr;
  int err = Resolve(kp, &addr);
  if (err)
    return err;
  kp->addr = reinterpret_cast<unsigned char *>(addr);
  Image *img;
  const Sym *sym = ProbeableSym(addr, &img);
  if (!sym)
    return -EINVAL;
  std::lock_guard<std::mutex> lock(probes_mutex);
  Probe *p = Lookup(addr);
  if (!p) {
    err = NewProbe(addr, img, sym, &p);
    if (err)
      return err;
  }
  auto slot = std::find(std::begin(p->kps), std::end(p->kps), nullptr);
  if (slot == std::end(p->kps))
    return -EBUSY; // a limit of the model (kKprobesPerSite)
  kp->model = p;
  kp->nmissed = 0;
  if (p->entry) // an fentry site: kprobes arms it through ftrace
    kp->flags |= kFlagFtrace;
  slot->store(kp, std::memory_order_release);
  Update(p);
  return 0;
}

// Wait until every CPU inside the trap path now has left it.
void SynchronizeTraps() {
  // The unlinking stores before the depth loads (OnInt3 raises its depth
  // with a locked instruction before it looks a record up).
  std::atomic_thread_fence(std::memory_order_seq_cst);
  uint64_t seen[MODEL_MAX_CPUS + 1];
  for (int c = 0; c <= MODEL_MAX_CPUS; c++)
    seen[c] = trap_cpus[c].seq.load(std::memory_order_acquire);
  for (int c = 0; c <= MODEL_MAX_CPUS; c++)
    while (trap_cpus[c].depth.load(std::memory_order_acquire) > 0 &&
           trap_cpus[c].seq.load(std::memory_order_acquire) == seen[c])
      HostYield();
}

struct HandlerCall {
  ModelKprobe *kps[kKprobesPerSite];
  int n;
  ModelPtRegs *regs;
};

// The pre_handlers of the enabled kprobes at one address, in order, until
// one returns nonzero (it changed regs->ip), as kprobes' aggregate does.
void CallPre(void *arg) {
  auto *call = static_cast<HandlerCall *>(arg);
  for (int i = 0; i < call->n; i++)
    if (call->kps[i]->pre_handler(call->kps[i], call->regs))
      break;
}

void ToRegs(const greg_t *g, ModelPtRegs *r) {
  memset(r, 0, sizeof(*r));
  r->r15 = g[REG_R15], r->r14 = g[REG_R14], r->r13 = g[REG_R13], r->r12 = g[REG_R12];
  r->bp = g[REG_RBP], r->bx = g[REG_RBX], r->r11 = g[REG_R11], r->r10 = g[REG_R10];
  r->r9 = g[REG_R9], r->r8 = g[REG_R8], r->ax = g[REG_RAX], r->cx = g[REG_RCX];
  r->dx = g[REG_RDX], r->si = g[REG_RSI], r->di = g[REG_RDI];
  r->flags = g[REG_EFL], r->sp = g[REG_RSP];
}

constexpr greg_t kTrapFlag = 0x100;

// ---- ftrace ----

struct FtraceCall {
  Ops *o;
  uintptr_t ip, parent_ip;
  ModelFtraceRegs fregs;
};

// ftrace's recursion lock (ftrace_test_recursion_trylock): one bit per
// context level; a callback is not called again at a level it runs at.
unsigned ContextBit() {
  unsigned pc = model_cpu_self.preempt_count;
  if (pc & MODEL_NMI_MASK)
    return 1u << 3;
  if (pc & MODEL_HARDIRQ_MASK)
    return 1u << 2;
  if (pc & MODEL_SOFTIRQ_OFFSET)
    return 1u << 1;
  return 1u;
}

// In the probe frame RunTrapHandler made, interrupts as found. With
// FTRACE_OPS_FL_RECURSION inside the recursion lock, preemption off (the
// frame's count); without it bare, as the kernel's trampoline calls it:
// the frame's preempt_count is lifted for the call, so preemptible() is
// what it was at the probed instruction.
void CallFtrace(void *arg) {
  auto *call = static_cast<FtraceCall *>(arg);
  TrapCpu &tc = ThisTrapCpu();
  bool locked = (call->o->ops->flags & kOpsRecursion) != 0;
  unsigned bit = ContextBit();
  if (locked && (tc.ftrace_recursion & bit))
    return;
  if (locked)
    tc.ftrace_recursion |= bit;
  else
    model_cpu_self.preempt_count -= 1;
  tc.ftrace_frames++;
  call->o->ops->func(call->ip, call->parent_ip, call->o->ops, &call->fregs);
  tc.ftrace_frames--;
  if (locked)
    tc.ftrace_recursion &= ~bit;
  else
    model_cpu_self.preempt_count += 1;
}

// The ftrace site at addr was hit: call every ops hooked there.
void FtraceHit(Probe *p, const greg_t *g, uintptr_t addr, bool timers_posted) {
  for (auto &slot : p->ops) {
    Ops *o = slot.load(std::memory_order_acquire);
    if (!o)
      continue;
    FtraceCall call{o, addr, *reinterpret_cast<const uintptr_t *>(g[REG_RSP]), {}};
    ToRegs(g, &call.fregs.regs);
    call.fregs.regs.ip = addr;
    call.fregs.has_regs = (o->ops->flags & kOpsSaveRegs) != 0;
    if (!timers_posted) {
      PostDueHardTimers(); // taken inside the callback (interrupts on there)
      timers_posted = true;
    }
    RunTrapHandler(false, CallFtrace, &call);
  }
}

// The int3 at addr: run the handler, then step the displaced instruction.
bool OnInt3(greg_t *g, uintptr_t addr) {
  TrapCpu &tc = ThisTrapCpu();
  tc.depth.fetch_add(1, std::memory_order_acq_rel);
  Probe *p = Lookup(addr);
  if (!p) {
    bool ours = *reinterpret_cast<const unsigned char *>(addr) != 0xcc;
    if (tc.depth.fetch_sub(1, std::memory_order_acq_rel) == 1)
      tc.seq.fetch_add(1, std::memory_order_release);
    if (ours)
      g[REG_RIP] = greg_t(addr); // removed meanwhile: run the original
    return ours;
  }
  // The kprobes: not inside another kprobe handler (an ftrace callback's
  // probe frame is not one); each enabled one counts the miss.
  bool blocked = model_cpu_self.cpu < 0 || tc.running || ProbeFrames() > tc.ftrace_frames;
  bool posted = false;
  ModelPtRegs regs;
  HandlerCall pre{{}, 0, &regs};
  for (auto &k : p->kps) {
    ModelKprobe *kp = k.load(std::memory_order_acquire);
    if (!kp || (__atomic_load_n(&kp->flags, __ATOMIC_RELAXED) & kFlagDisabled))
      continue; // none, or disabled since the int3 ran
    if (blocked)
      __atomic_fetch_add(&kp->nmissed, 1, __ATOMIC_RELAXED);
    else if (kp->pre_handler)
      pre.kps[pre.n++] = kp;
  }
  if (pre.n > 0) {
    ToRegs(g, &regs);
    regs.ip = addr + 1;
    if (p->entry) {
      PostDueHardTimers(); // taken inside the handler (interrupts on there)
      posted = true;
    }
    tc.running = 1;
    RunTrapHandler(!p->entry, CallPre, &pre);
    tc.running = 0;
  }
  if (model_cpu_self.cpu >= 0)
    FtraceHit(p, g, addr, posted);
  // Step a relocated copy of the instruction, interrupts masked.
  unsigned len = p->insn.xi_length;
  bool call =
      p->insn.xi_class == X86_CLASS_CALL_REL32 || p->insn.xi_class == X86_CLASS_CALL_INDIRECT;
  Image *img = p->img;
  unsigned slot_index =
      img->next_slot.fetch_add(1, std::memory_order_relaxed) % unsigned(kSlotArea / kSlotSize);
  auto *slot = img->slots + size_t(slot_index) * kSlotSize;
  int err = x86_insn_relocate(p->orig, sizeof(p->orig), &p->insn, addr,
                              reinterpret_cast<uintptr_t>(slot), slot, kSlotSize);
  if (tc.depth.fetch_sub(1, std::memory_order_acq_rel) == 1)
    tc.seq.fetch_add(1, std::memory_order_release);
  if (err != X86_OK || nsteps >= kMaxSteps) {
    Fatal(reinterpret_cast<const void *>(addr), "kprobes", "cannot step the instruction at %#lx",
          (unsigned long)addr);
  }
  Step &s = steps[nsteps++];
  s.slot = reinterpret_cast<uintptr_t>(slot);
  s.orig = addr;
  s.len = len;
  s.call = call;
  s.tf = (g[REG_EFL] & kTrapFlag) != 0;
  s.irqs_off = model_cpu_self.irqs_off;
  if (model_cpu_self.cpu >= 0)
    model_cpu_self.irqs_off = 1;
  g[REG_RIP] = greg_t(s.slot);
  g[REG_EFL] |= kTrapFlag;
  return true;
}

// The single step of the copy in the top slot is done.
void OnStepDone(greg_t *g) {
  Step s = steps[--nsteps];
  auto pc = uintptr_t(g[REG_RIP]);
  if (pc == s.slot + s.len)
    g[REG_RIP] = greg_t(s.orig + s.len);
  if (s.call) {
    auto *ret = reinterpret_cast<uintptr_t *>(g[REG_RSP]);
    if (*ret == s.slot + s.len)
      *ret = s.orig + s.len;
  }
  if (!s.tf)
    g[REG_EFL] &= ~kTrapFlag;
  if (model_cpu_self.cpu >= 0) {
    model_cpu_self.irqs_off = s.irqs_off;
    if (!s.irqs_off && model_cpu_self.irq_pending)
      model_irq_replay();
  }
}

} // namespace

bool KprobeTrap(siginfo_t *si, void *ucv) {
  auto *uc = static_cast<ucontext_t *>(ucv);
  greg_t *g = uc->uc_mcontext.gregs;
  auto pc = uintptr_t(g[REG_RIP]);
  // An int3 of ours, even if another thread has taken it out (or removed
  // its record) since this CPU ran it: then OnInt3 resumes at its address.
  if (si->si_code == SI_KERNEL && pc > 0 &&
      (*reinterpret_cast<const unsigned char *>(pc - 1) == 0xcc || ImageOf(pc - 1)))
    if (OnInt3(g, pc - 1))
      return true;
  if (si->si_code != SI_KERNEL && nsteps > 0) {
    const Step &top = steps[nsteps - 1];
    if (pc != top.slot) { // the copy ran (at the slot: a signal came first)
      OnStepDone(g);
      return true;
    }
  }
  return false;
}

} // namespace internal
} // namespace model

using namespace model::internal;

extern "C" void model_module_register(const char *name, const void *text_addr,
                                      const unsigned long *blacklist_start,
                                      const unsigned long *blacklist_stop) {
  int n = nregistered.load(std::memory_order_relaxed);
  if (n >= kMaxModules) {
    RawWrite("model: too many model modules\n");
    abort();
  }
  registered[n] = {name, text_addr, blacklist_start, blacklist_stop};
  nregistered.store(n + 1, std::memory_order_release);
}

extern "C" int sprint_symbol(char *buffer, unsigned long address) {
  LoadImages();
  for (Image *img : images)
    if (img->mod && address >= uintptr_t(img->mod) && address < uintptr_t(img->mod + 1))
      return snprintf(buffer, KSYM_SYMBOL_LEN_MODEL, "__this_module+0x%lx/0x%zx [%s]",
                      address - uintptr_t(img->mod), sizeof(ModelModule), img->module.c_str());
  Image *img = ImageOf(address);
  uintptr_t size;
  const Sym *s = img ? SymOf(img, address, &size) : nullptr;
  if (!s)
    return snprintf(buffer, KSYM_SYMBOL_LEN_MODEL, "0x%lx", address);
  if (img->module.empty())
    return snprintf(buffer, KSYM_SYMBOL_LEN_MODEL, "%s+0x%lx/0x%lx", s->name.c_str(),
                    address - s->addr, (unsigned long)size);
  return snprintf(buffer, KSYM_SYMBOL_LEN_MODEL, "%s+0x%lx/0x%lx [%s]", s->name.c_str(),
                  address - s->addr, (unsigned long)size, img->module.c_str());
}

extern "C" int register_kprobe(struct kprobe *kp) {
  if (model_cpu_self.cpu >= 0)
    model_might_sleep(__FILE__, __LINE__, "register_kprobe");
  return Register(AsKprobe(kp));
}

extern "C" int register_kprobes(struct kprobe **kps, int num) {
  for (int i = 0; i < num; i++) {
    int err = register_kprobe(kps[i]);
    if (err) {
      unregister_kprobes(kps, i);
      return err;
    }
  }
  return 0;
}

extern "C" void unregister_kprobes(struct kprobe **kps, int num) {
  if (model_cpu_self.cpu >= 0)
    model_might_sleep(__FILE__, __LINE__, "unregister_kprobes");
  std::vector<Probe *> gone;
  {
    std::lock_guard<std::mutex> lock(probes_mutex);
    for (int i = 0; i < num; i++) {
      auto *p = static_cast<Probe *>(AsKprobe(kps[i])->model);
      if (!p)
        continue;
      for (auto &k : p->kps)
        if (k.load(std::memory_order_relaxed) == AsKprobe(kps[i]))
          k.store(nullptr, std::memory_order_release);
      AsKprobe(kps[i])->model = nullptr;
      Update(p);
      if (!HasOps(p) && !HasKprobes(p)) { // nothing else uses the address
        Unlink(p);
        gone.push_back(p);
      }
    }
  }
  SynchronizeTraps();
  for (Probe *p : gone)
    delete p;
}

extern "C" void unregister_kprobe(struct kprobe *kp) { unregister_kprobes(&kp, 1); }

extern "C" int enable_kprobe(struct kprobe *kp) {
  auto *p = static_cast<Probe *>(AsKprobe(kp)->model);
  if (!p)
    return -EINVAL;
  std::lock_guard<std::mutex> lock(probes_mutex);
  __atomic_fetch_and(&AsKprobe(kp)->flags, ~kFlagDisabled, __ATOMIC_RELAXED);
  Update(p);
  return 0;
}

extern "C" int disable_kprobe(struct kprobe *kp) {
  auto *p = static_cast<Probe *>(AsKprobe(kp)->model);
  if (!p)
    return -EINVAL;
  std::lock_guard<std::mutex> lock(probes_mutex);
  __atomic_fetch_or(&AsKprobe(kp)->flags, kFlagDisabled, __ATOMIC_RELAXED);
  Update(p);
  return 0;
}

// ---- ftrace_ops ----

namespace {

Ops *OpsOf(ModelFtraceOps *ops) {
  if (!ops->model)
    ops->model = new Ops{ops, {}, false};
  return static_cast<Ops *>(ops->model);
}

// Hook a registered ops at the ftrace site ip (probes_mutex held).
void FreeGone(const std::vector<Probe *> &gone);

// Hook a registered ops at the ftrace sites ips, all or none (probes_mutex
// held): first a record for each, then the hooks, which arm.
int Hook(Ops *o, const std::vector<uintptr_t> &ips) {
  std::vector<Probe *> made;
  for (uintptr_t ip : ips) {
    if (Lookup(ip))
      continue;
    Image *img;
    Probe *p;
    const Sym *sym = ProbeableSym(ip, &img);
    int err = sym ? NewProbe(ip, img, sym, &p) : -EINVAL;
    if (err) {
      for (Probe *q : made)
        Unlink(q);
      FreeGone(made); // never armed; the trap path takes no lock
      return err;
    }
    made.push_back(p);
  }
  for (uintptr_t ip : ips) {
    Probe *p = Lookup(ip);
    auto slot = std::find(std::begin(p->ops), std::end(p->ops), nullptr);
    if (slot == std::end(p->ops))
      Fatal(reinterpret_cast<const void *>(ip), "ftrace",
            "more than %d ftrace_ops on the site %#lx (a limit of the model)", kOpsPerSite,
            (unsigned long)ip);
    slot->store(o, std::memory_order_release);
    Update(p);
  }
  return 0;
}

// Unhook it; a record nothing uses any more is unlinked into gone, to be
// freed after SynchronizeTraps (probes_mutex held).
void Unhook(Ops *o, uintptr_t ip, std::vector<Probe *> *gone) {
  Probe *p = Lookup(ip);
  if (!p)
    return;
  for (auto &slot : p->ops)
    if (slot.load(std::memory_order_relaxed) == o)
      slot.store(nullptr, std::memory_order_release);
  Update(p);
  if (!HasOps(p) && !HasKprobes(p)) {
    Unlink(p);
    gone->push_back(p);
  }
}

void FreeGone(const std::vector<Probe *> &gone) {
  if (gone.empty())
    return;
  SynchronizeTraps();
  for (Probe *p : gone)
    delete p;
}

ModelFtraceOps *AsOps(struct ftrace_ops *ops) { return reinterpret_cast<ModelFtraceOps *>(ops); }

} // namespace

// kernel/trace/ftrace.c: the filter of an ops, registered or not. The ips
// must be ftrace sites; removing one that is not in the filter is -ENOENT.
// Either every change is made or none.
extern "C" int ftrace_set_filter_ips(struct ftrace_ops *fops, unsigned long *ips, unsigned int cnt,
                                     int remove, int reset) {
  if (model_cpu_self.cpu >= 0)
    model_might_sleep(__FILE__, __LINE__, "ftrace_set_filter_ips");
  LoadImages();
  std::vector<Probe *> gone;
  int err = 0;
  {
    std::lock_guard<std::mutex> lock(probes_mutex);
    Ops *o = OpsOf(AsOps(fops));
    std::vector<uintptr_t> next = reset ? std::vector<uintptr_t>() : o->filter;
    for (unsigned int i = 0; i < cnt && !err; i++) {
      uintptr_t ip = ips[i];
      auto at = std::lower_bound(next.begin(), next.end(), ip);
      bool in = at != next.end() && *at == ip;
      if (!FtraceLocation(ip))
        err = -EINVAL;
      else if (remove && !in)
        err = -ENOENT;
      else if (remove)
        next.erase(at);
      else if (!in)
        next.insert(at, ip);
      else
        Violation(__builtin_return_address(0), "ftrace_set_filter_ips",
                  "%#lx is in the filter already: a kernel may keep a duplicate, and "
                  "one removal then leaves the function traced",
                  (unsigned long)ip);
    }
    if (err)
      return err;
    if (o->registered) {
      std::vector<uintptr_t> added;
      for (uintptr_t ip : next)
        if (!std::binary_search(o->filter.begin(), o->filter.end(), ip))
          added.push_back(ip);
      err = Hook(o, added);
      if (!err)
        for (uintptr_t ip : o->filter)
          if (!std::binary_search(next.begin(), next.end(), ip))
            Unhook(o, ip, &gone);
      if (!err && next.empty())
        Violation(__builtin_return_address(0), "ftrace_set_filter_ips",
                  "the filter of a registered ftrace_ops is now empty: in the kernel it "
                  "traces every function");
    }
    if (!err)
      o->filter = next;
  }
  FreeGone(gone);
  return err;
}

// Hooks the ops at the sites of its filter. The model refuses an empty
// filter (in the kernel: every function).
extern "C" int register_ftrace_function(struct ftrace_ops *fops) {
  if (model_cpu_self.cpu >= 0)
    model_might_sleep(__FILE__, __LINE__, "register_ftrace_function");
  LoadImages();
  std::lock_guard<std::mutex> lock(probes_mutex);
  Ops *o = OpsOf(AsOps(fops));
  if (o->registered) {
    Violation(__builtin_return_address(0), "register_ftrace_function",
              "the ftrace_ops is registered already");
    return -EBUSY;
  }
  if (o->filter.empty()) {
    Violation(__builtin_return_address(0), "register_ftrace_function",
              "an ftrace_ops with an empty filter traces every function");
    return -EINVAL;
  }
  int err = Hook(o, o->filter);
  if (err)
    return err;
  o->registered = true;
  return 0;
}

// Unhooks the ops and waits until no CPU runs its callback.
extern "C" int unregister_ftrace_function(struct ftrace_ops *fops) {
  if (model_cpu_self.cpu >= 0)
    model_might_sleep(__FILE__, __LINE__, "unregister_ftrace_function");
  std::vector<Probe *> gone;
  {
    std::lock_guard<std::mutex> lock(probes_mutex);
    Ops *o = OpsOf(AsOps(fops));
    if (!o->registered) {
      Violation(__builtin_return_address(0), "unregister_ftrace_function",
                "the ftrace_ops is not registered");
      return -EINVAL;
    }
    for (uintptr_t ip : o->filter)
      Unhook(o, ip, &gone);
    o->registered = false;
  }
  SynchronizeTraps();
  FreeGone(gone);
  return 0;
}

// mm/maccess.c: never faults; the bytes or -EFAULT.
extern "C" long copy_from_kernel_nofault(void *dst, const void *src, size_t size) {
  struct iovec local = {dst, size}, remote = {const_cast<void *>(src), size};
  ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
  return n == ssize_t(size) ? 0 : -EFAULT;
}
