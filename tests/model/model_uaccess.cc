// SPDX-License-Identifier: GPL-2.0
//
// User memory of the kernel model: the regions a test registered with
// UserAlloc are "user space"; every other address faults in
// copy_from_user, copy_to_user and strncpy_from_user, which copy up to the
// first faulting byte as the kernel's do (exception tables, no oops). The
// copies may fault and sleep in the kernel, so might_sleep is checked
// first. Regions are a fixed table of atomics: readers (the copies, on any
// simulated CPU) take no lock; UserAlloc/UserFree serialise on a mutex.
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>

#include <sys/mman.h>

#include "model.hh"
#include "model_internal.hh"

namespace model {

namespace {

constexpr int kMaxRegions = 256;
struct Region {
  std::atomic<uintptr_t> start{0};
  std::atomic<uintptr_t> end{0}; // 0: slot unused
};
Region regions[kMaxRegions];
std::mutex regions_mutex;

// The end of the user range that holds addr, or 0 if addr faults.
uintptr_t UserEnd(uintptr_t addr) {
  for (Region &r : regions) {
    uintptr_t end = r.end.load(std::memory_order_acquire);
    if (end && addr >= r.start.load(std::memory_order_acquire) && addr < end)
      return end;
  }
  return 0;
}

bool AddRegion(uintptr_t start, uintptr_t end) {
  for (Region &r : regions)
    if (!r.end.load(std::memory_order_relaxed)) {
      r.start.store(start, std::memory_order_relaxed);
      r.end.store(end, std::memory_order_release);
      return true;
    }
  return false;
}

// How many bytes at user address `u` can be accessed, up to n.
unsigned long Accessible(uintptr_t u, unsigned long n) {
  unsigned long done = 0;
  while (done < n) {
    uintptr_t end = UserEnd(u + done);
    if (!end)
      break;
    unsigned long chunk = (unsigned long)(end - (u + done));
    done += chunk < n - done ? chunk : n - done;
  }
  return done;
}

} // namespace

void *UserAlloc(unsigned long len) {
  if (!len)
    return nullptr;
  void *p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return nullptr;
  std::lock_guard<std::mutex> lock(regions_mutex);
  if (!AddRegion(uintptr_t(p), uintptr_t(p) + len)) {
    munmap(p, len);
    return nullptr;
  }
  return p;
}

void UserFree(void *addr, unsigned long len) {
  uintptr_t a = uintptr_t(addr), b = a + len;
  std::lock_guard<std::mutex> lock(regions_mutex);
  for (Region &r : regions) {
    uintptr_t start = r.start.load(std::memory_order_relaxed);
    uintptr_t end = r.end.load(std::memory_order_relaxed);
    if (!end || a < start || b > end)
      continue;
    if (a == start && b == end) {
      r.end.store(0, std::memory_order_release);
    } else if (a == start) {
      r.start.store(b, std::memory_order_release);
    } else if (b == end) {
      r.end.store(a, std::memory_order_release);
    } else {
      r.end.store(a, std::memory_order_release);
      AddRegion(b, end);
    }
    munmap(addr, len);
    return;
  }
  model_violation("UserFree", "%p+%lu is not registered user memory", addr, len);
}

} // namespace model

using namespace model;

extern "C" unsigned long model_copy_from_user(void *to, const void *from, unsigned long n) {
  model_might_sleep(__FILE__, __LINE__, "copy_from_user");
  unsigned long ok = Accessible(uintptr_t(from), n);
  if (ok) // memcpy's pointers must be valid even for 0 bytes (a NULL from)
    memcpy(to, from, ok);
  memset(static_cast<char *>(to) + ok, 0, n - ok);
  return n - ok;
}

extern "C" unsigned long model_copy_to_user(void *to, const void *from, unsigned long n) {
  model_might_sleep(__FILE__, __LINE__, "copy_to_user");
  unsigned long ok = Accessible(uintptr_t(to), n);
  if (ok)
    memcpy(to, from, ok);
  return n - ok;
}

extern "C" long model_strncpy_from_user(char *dst, const char *src, long count) {
  model_might_sleep(__FILE__, __LINE__, "strncpy_from_user");
  if (count <= 0)
    return 0;
  for (long i = 0; i < count; i++) {
    if (!UserEnd(uintptr_t(src + i)))
      return -EFAULT;
    dst[i] = src[i];
    if (!src[i])
      return i;
  }
  return count;
}
