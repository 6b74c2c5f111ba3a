// SPDX-License-Identifier: GPL-2.0
//
// raw_spinlock_t for the model (linux/spinlock.h), with deadlock detection.
//
// The lock word is 0 when free, else (frame serial << 8) | (CPU + 1): the
// holder's CPU and the interrupt frame (task, hardirq, NMI or probe) it held
// the lock in, taken atomically with the lock itself so that an interrupt
// landing right after the acquisition still sees who holds it.
//
// A CPU that finds the lock held by its own CPU can never get it: the holder
// is either the frame it is running in (recursion) or a frame below it on
// the same CPU (the code it interrupted, which cannot run until the spinner
// returns), or a frame that returned without unlocking. A real kernel hangs
// there; the model reports it as a fatal violation on the first attempt,
// naming the holder's context. A holder on another CPU may simply be slow;
// only after the lockup bound (SOLCOMPAT_MODEL_LOCKUP_MS, default 2 s) is
// that reported, also as fatal.
#include <atomic>
#include <chrono>

#include "model.hh"
#include "model_internal.hh"

namespace model::internal {

std::atomic<int64_t> lockup_ns{2000000000};

namespace {

inline uint64_t OwnerWord() {
  int d = cpu_local.depth;
  uint64_t serial = d > 0 ? cpu_local.frames[d - 1].serial : 0;
  return (serial << 8) | uint64_t(model_cpu_self.cpu + 1);
}

[[noreturn]] void SameCpuDeadlock(model_spinlock *lock, const char *api, uint64_t word,
                                  const void *caller) {
  uint64_t serial = word >> 8;
  int d = cpu_local.depth;
  if (d > 0 && cpu_local.frames[d - 1].serial == serial)
    Fatal(caller, api,
          "recursion: lock %p is already held by this %s context; spinning would hang "
          "forever",
          static_cast<void *>(lock), FrameKindName(cpu_local.frames[d - 1].kind));
  for (int i = d - 2; i >= 0; i--) {
    if (cpu_local.frames[i].serial != serial)
      continue;
    Fatal(caller, api,
          "deadlock: lock %p is held by the %s context this %s interrupted on the same "
          "CPU; it cannot release it until we return (take it with IRQs disabled, or "
          "use a trylock here)",
          static_cast<void *>(lock), FrameKindName(cpu_local.frames[i].kind),
          FrameKindName(cpu_local.frames[d - 1].kind));
  }
  Fatal(caller, api,
        "deadlock: lock %p is held by a context on this CPU that returned without "
        "unlocking it",
        static_cast<void *>(lock));
}

} // namespace
} // namespace model::internal

using namespace model::internal;

extern "C" void model_spin_lock(model_spinlock *lock, const char *api) {
  const void *caller = __builtin_return_address(0);
  if (model_cpu_self.cpu < 0)
    model_not_a_cpu(api);
  uint64_t me = OwnerWord();
  uint64_t expected = 0;
  if (__atomic_compare_exchange_n(&lock->owner, &expected, me, false, __ATOMIC_ACQUIRE,
                                  __ATOMIC_RELAXED))
    return;
  uint64_t start = MonoNs();
  for (unsigned spins = 1;; spins++) {
    uint64_t word = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
    if (word == 0) {
      expected = 0;
      if (__atomic_compare_exchange_n(&lock->owner, &expected, me, false, __ATOMIC_ACQUIRE,
                                      __ATOMIC_RELAXED))
        return;
      continue;
    }
    if (int((word & 0xff) - 1) == model_cpu_self.cpu)
      SameCpuDeadlock(lock, api, word, caller);
    if ((spins & 1023) == 0 &&
        int64_t(MonoNs() - start) > lockup_ns.load(std::memory_order_relaxed))
      Fatal(caller, api, "lockup: spun %lld ms on lock %p held by CPU %d",
            (long long)((MonoNs() - start) / 1000000), static_cast<void *>(lock),
            int((word & 0xff) - 1));
    asm volatile("pause" ::: "memory");
    if ((spins & 63) == 0)
      HostYield();
  }
}

extern "C" int model_spin_trylock(model_spinlock *lock) {
  if (model_cpu_self.cpu < 0)
    model_not_a_cpu("raw_spin_trylock");
  uint64_t expected = 0;
  return __atomic_compare_exchange_n(&lock->owner, &expected, OwnerWord(), false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED);
}

extern "C" void model_spin_unlock(model_spinlock *lock, const char *api) {
  const void *caller = __builtin_return_address(0);
  uint64_t word = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
  if (word == 0) {
    Violation(caller, api, "lock %p is not locked", static_cast<void *>(lock));
    return;
  }
  if (int((word & 0xff) - 1) != model_cpu_self.cpu) {
    Violation(caller, api, "lock %p is held by CPU %d, not this one", static_cast<void *>(lock),
              int((word & 0xff) - 1));
    return;
  }
  __atomic_store_n(&lock->owner, 0, __ATOMIC_RELEASE);
}

namespace model {

void SetLockupTimeout(std::chrono::milliseconds timeout) {
  lockup_ns.store(int64_t(timeout.count()) * 1000000);
}

} // namespace model
