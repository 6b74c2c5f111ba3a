// SPDX-License-Identifier: GPL-2.0
//
// kmalloc/kfree for the model (linux/slab.h).
//
// Why not malloc: kernel code allocates in hardirq context, which in the
// model is a signal handler that may have interrupted malloc itself on the
// same thread. So each CPU has its own pool (size classes of powers of two,
// 16 bytes to 128 KiB, on a reserved mapping), used only by that CPU's
// thread with the model's interrupt mask held, exactly as the kernel's
// per-CPU slab caches are used with interrupts off. A block freed on another
// CPU joins that CPU's free list. NMIs do not respect the mask, which is one
// reason kmalloc is not allowed there; the model reports it and never
// touches a pool in NMI context.
//
// Checks: see linux/slab.h. Under AddressSanitizer, freed blocks and the
// slack after each allocation are poisoned, so use-after-free and overflow
// into the slack are reported as for malloc.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sys/mman.h>

#include "model.hh"
#include "model_internal.hh"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace model::internal {

std::atomic<int> alloc_failure_percent{0};

namespace {

constexpr int kClasses = 14; // 16 B .. 128 KiB
constexpr size_t kMinClass = 16;
constexpr size_t kPoolBytes = size_t(256) << 20; // reserved, not committed
constexpr uint32_t kMagic = 0x6b6d616c;          // "kmal"
enum : uint32_t { kAllocated = 1, kFree = 2 };

struct Header { // 16 bytes before every block: keeps 16-byte alignment
  uint32_t magic;
  uint32_t state;
  uint32_t cls;
  uint32_t size;
};

struct FreeBlock {
  FreeBlock *next;
};

struct Pool {
  FreeBlock *free[kClasses];
  char *start;
  char *bump;
  char *end;
};
Pool pools[MODEL_MAX_CPUS];
std::atomic<long> outstanding{0};

inline size_t ClassSize(int cls) { return kMinClass << cls; }

int ClassFor(size_t size) {
  for (int c = 0; c < kClasses; c++)
    if (size <= ClassSize(c))
      return c;
  return -1;
}

uint64_t NextRandom() {
  uint64_t x = cpu_local.rng;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  cpu_local.rng = x;
  return x;
}

} // namespace

// The pools, one after the other in one reservation: the model's direct
// map (linux/mm.h). Reserved once, at the first use, never unmapped.
char *DirectMap() {
  static char *const base = [] {
    void *m = mmap(nullptr, kPoolBytes * MODEL_MAX_CPUS, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
      perror("model: reserving the slab pools");
      abort();
    }
    return static_cast<char *>(m);
  }();
  return base;
}

void AllocCpuInit(int cpu) {
  Pool &p = pools[cpu];
  if (p.bump)
    return; // kept across restarts of the CPU thread
  p.start = DirectMap() + kPoolBytes * size_t(cpu);
  p.end = p.start + kPoolBytes;
  POISON(p.start, kPoolBytes);
  p.bump = p.start;
}

} // namespace model::internal

using namespace model::internal;

extern "C" void *model_kmalloc(unsigned long size, unsigned int gfp_flags, unsigned int may_sleep,
                               unsigned int zero, const char *api) {
  const void *caller = __builtin_return_address(0);
  (void)gfp_flags;
  if (model_cpu_self.cpu < 0)
    model_not_a_cpu(api);
  if (model_cpu_self.preempt_count & MODEL_NMI_MASK) {
    Violation(caller, api, "called in NMI context: the slab allocator is not NMI-safe");
    return nullptr;
  }
  if (may_sleep && (model_cpu_self.preempt_count || model_cpu_self.irqs_off))
    Violation(caller, api,
              "GFP flags that may sleep (GFP_KERNEL) in atomic context: use GFP_ATOMIC "
              "or GFP_NOWAIT");
  if (size == 0)
    return MODEL_ZERO_SIZE_PTR;
  int cls = ClassFor(size);
  if (cls < 0)
    return nullptr; // larger than KMALLOC_MAX_CACHE_SIZE here
  int percent = alloc_failure_percent.load(std::memory_order_relaxed);
  if (percent && !may_sleep && int(NextRandom() % 100) < percent)
    return nullptr;

  Pool &p = pools[model_cpu_self.cpu];
  unsigned long flags = IrqSave();
  char *block;
  if (FreeBlock *f = p.free[cls]) {
    UNPOISON(f, sizeof(*f));
    p.free[cls] = f->next;
    block = reinterpret_cast<char *>(f) - sizeof(Header);
  } else if (p.bump && size_t(p.end - p.bump) >= sizeof(Header) + ClassSize(cls)) {
    block = p.bump;
    p.bump += sizeof(Header) + ClassSize(cls);
  } else {
    block = nullptr;
  }
  IrqRestore(flags);
  if (!block)
    return nullptr;

  UNPOISON(block, sizeof(Header) + size);
  auto *h = reinterpret_cast<Header *>(block);
  h->magic = kMagic;
  h->state = kAllocated;
  h->cls = uint32_t(cls);
  h->size = uint32_t(size);
  char *user = block + sizeof(Header);
  if (zero)
    memset(user, 0, size);
  outstanding.fetch_add(1, std::memory_order_relaxed);
  return user;
}

extern "C" void model_kfree(const void *objp, const char *api) {
  const void *caller = __builtin_return_address(0);
  if (reinterpret_cast<uintptr_t>(objp) <= reinterpret_cast<uintptr_t>(MODEL_ZERO_SIZE_PTR))
    return;
  if (model_cpu_self.cpu < 0)
    model_not_a_cpu(api);
  if (model_cpu_self.preempt_count & MODEL_NMI_MASK) {
    Violation(caller, api, "called in NMI context: the slab allocator is not NMI-safe (leaked)");
    return;
  }
  auto *user = static_cast<char *>(const_cast<void *>(objp));
  auto *h = reinterpret_cast<Header *>(user - sizeof(Header));
  if (h->magic != kMagic || (h->state != kAllocated && h->state != kFree)) {
    Violation(caller, api, "%p was not returned by kmalloc", objp);
    return;
  }
  if (h->state == kFree) {
    Violation(caller, api, "double free of %p", objp);
    return;
  }
  const char *what;
  const void *at;
  if (LiveTimerOrWorkIn(objp, h->size, &what, &at)) {
    Violation(caller, api, "frees %p, which holds %s at %p: it would run on freed memory (leaked)",
              objp, what, at);
    return;
  }
  h->state = kFree;
  int cls = int(h->cls);
  outstanding.fetch_sub(1, std::memory_order_relaxed);
  Pool &p = pools[model_cpu_self.cpu];
  // Poisoned inside the masked section: once on the list, an interrupt on
  // this CPU may hand the block out again.
  unsigned long flags = IrqSave();
  auto *f = reinterpret_cast<FreeBlock *>(user);
  UNPOISON(f, sizeof(*f));
  f->next = p.free[cls];
  POISON(user, ClassSize(cls));
  p.free[cls] = f;
  IrqRestore(flags);
}

// kvmalloc's vmalloc side: big blocks on mappings of their own, listed so
// that is_vmalloc_addr and kvfree recognise them.
namespace {

// The kernel's vmalloc space is large: a consumer of the probe core with
// 64 enablings on 16 CPUs holds about a thousand blocks. Lookups scan only
// up to the highest slot ever used (vmaps_used), so the common case of a
// few blocks stays cheap.
constexpr int kMaxVmaps = 16384;
constexpr uintptr_t kVmapClaimed = 1; // a slot being filled
struct Vmap {
  std::atomic<uintptr_t> start{0}; // 0: unused slot
  size_t len = 0;
};
Vmap vmaps[kMaxVmaps];
std::atomic<int> vmaps_used{0};
// VMALLOC_START/VMALLOC_END: the lowest start and highest end mapped so far
// (0, 0: none yet, an empty range).
std::atomic<uintptr_t> vmalloc_lo{0}, vmalloc_hi{0};

void VmallocSpan(uintptr_t start, uintptr_t end) {
  uintptr_t lo = vmalloc_lo.load(std::memory_order_relaxed);
  while ((lo == 0 || start < lo) &&
         !vmalloc_lo.compare_exchange_weak(lo, start, std::memory_order_acq_rel))
    ;
  uintptr_t hi = vmalloc_hi.load(std::memory_order_relaxed);
  while (end > hi && !vmalloc_hi.compare_exchange_weak(hi, end, std::memory_order_acq_rel))
    ;
}

Vmap *FindVmap(const void *addr) {
  auto a = reinterpret_cast<uintptr_t>(addr);
  const int used = vmaps_used.load(std::memory_order_acquire);
  for (int i = 0; i < used; i++) {
    Vmap &v = vmaps[i];
    uintptr_t s = v.start.load(std::memory_order_acquire);
    if (s > kVmapClaimed && a >= s && a < s + v.len)
      return &v;
  }
  return nullptr;
}

} // namespace

namespace {

// A block of its own mapping, which is_vmalloc_addr recognises.
void *MapBlock(const void *caller, const char *api, unsigned long size) {
  if (model_cpu_self.preempt_count || model_cpu_self.irqs_off) {
    Violation(caller, api, "GFP flags that may sleep in atomic context");
    return nullptr;
  }
  size_t len = (size + 4095) & ~size_t(4095);
  void *p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return nullptr;
  VmallocSpan(reinterpret_cast<uintptr_t>(p), reinterpret_cast<uintptr_t>(p) + len);
  for (int i = 0; i < kMaxVmaps; i++) {
    Vmap &v = vmaps[i];
    uintptr_t expected = 0;
    if (v.start.compare_exchange_strong(expected, kVmapClaimed, std::memory_order_acq_rel)) {
      v.len = len; // readers see len only once start is published
      int used = vmaps_used.load(std::memory_order_relaxed);
      while (used < i + 1 &&
             !vmaps_used.compare_exchange_weak(used, i + 1, std::memory_order_acq_rel))
        ;
      v.start.store(reinterpret_cast<uintptr_t>(p), std::memory_order_release);
      outstanding.fetch_add(1, std::memory_order_relaxed);
      return p; // mmap memory is zeroed
    }
  }
  munmap(p, len);
  return nullptr;
}

} // namespace

extern "C" void *model_kvmalloc(unsigned long size, unsigned int gfp_flags, unsigned int may_sleep,
                                unsigned int zero) {
  if (size <= 2 * 4096 || !may_sleep)
    return model_kmalloc(size, gfp_flags, may_sleep, zero, "kvmalloc");
  return MapBlock(__builtin_return_address(0), "kvmalloc", size);
}

extern "C" void *model_vzalloc(unsigned long size) {
  return MapBlock(__builtin_return_address(0), "vzalloc", size);
}

extern "C" int model_is_vmalloc_addr(const void *addr) { return FindVmap(addr) != nullptr; }

extern "C" unsigned long model_direct_map_start(void) {
  return reinterpret_cast<unsigned long>(DirectMap());
}

extern "C" unsigned long model_direct_map_end(void) {
  return reinterpret_cast<unsigned long>(DirectMap() + kPoolBytes * MODEL_MAX_CPUS);
}

extern "C" unsigned long model_vmalloc_start(void) {
  return vmalloc_lo.load(std::memory_order_acquire);
}

extern "C" unsigned long model_vmalloc_end(void) {
  return vmalloc_hi.load(std::memory_order_acquire);
}

extern "C" void model_vfree(const void *addr) {
  if (addr && !FindVmap(addr)) {
    Violation(__builtin_return_address(0), "vfree", "%p was not returned by vmalloc", addr);
    return;
  }
  model_kvfree(addr);
}

extern "C" void model_kvfree(const void *addr) {
  const void *caller = __builtin_return_address(0);
  Vmap *v = FindVmap(addr);
  if (!v) {
    model_kfree(addr, "kvfree");
    return;
  }
  if (model_cpu_self.preempt_count & MODEL_NMI_MASK) {
    Violation(caller, "kvfree", "vfree in NMI context (leaked)");
    return;
  }
  bool in_interrupt = model_cpu_self.preempt_count & (MODEL_HARDIRQ_MASK | MODEL_SOFTIRQ_MASK);
  if (!in_interrupt && (model_cpu_self.preempt_count || model_cpu_self.irqs_off))
    Violation(caller, "kvfree", "vfree may sleep outside interrupts: atomic context here");
  if (reinterpret_cast<uintptr_t>(addr) != v->start.load(std::memory_order_relaxed)) {
    Violation(caller, "kvfree", "%p is inside a vmalloc block, not its start", addr);
    return;
  }
  size_t len = v->len;
  void *start = reinterpret_cast<void *>(v->start.load(std::memory_order_relaxed));
  v->start.store(0, std::memory_order_release);
  munmap(start, len);
  outstanding.fetch_sub(1, std::memory_order_relaxed);
}

namespace model {

void SetAllocFailurePercent(int percent) { alloc_failure_percent.store(percent); }

long KmallocOutstanding() { return outstanding.load(); }

} // namespace model
