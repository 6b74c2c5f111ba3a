// SPDX-License-Identifier: GPL-2.0
/*
 * Volatile accesses as marked accesses, for ThreadSanitizer builds.
 *
 * Solaris-style code (probes/) publishes shared data the illumos way: the
 * fields another CPU reads without a lock are volatile, a writer fills an
 * object, calls membar_producer() and stores the pointer; a reader loads
 * the pointer (membar_consumer() where it reads more than one published
 * field) and dereferences it. On x86-64 that is correct (TSO; the barriers
 * stop the compiler), and the kernel's KCSAN treats a volatile access as a
 * marked one. ThreadSanitizer does not model stand-alone fences and sees a
 * volatile access as a plain one, so every such publication looks like a
 * race.
 *
 * Code compiled with GCC's --param=tsan-distinguish-volatile=1 calls
 * __tsan_volatile_readN/__tsan_volatile_writeN before each volatile access
 * instead of the plain-access hooks; libtsan does not define them, this
 * file does: a read is recorded as an acquire load of the location, a
 * write as a release read-modify-write that adds 0 (it leaves the value
 * alone; the access itself follows, uninstrumented). So TSan sees what the
 * hardware gives volatile accesses on x86-64 and the barriers order, and
 * still reports every race on a plain field. Only probes/ is compiled
 * with the parameter (tests/probes/CMakeLists.txt).
 *
 * Compiled without -fsanitize=thread (these are the sanitizer's hooks);
 * linked into TSan builds only.
 */

/* libtsan's atomic interface (sanitizer/tsan_interface_atomic.h, which
 * GCC does not install). Memory orders as in that header. */
#define TSANV_ACQUIRE 2
#define TSANV_RELEASE 3

#define TSANV_HOOKS(bytes, bits, type)                                                             \
  type __tsan_atomic##bits##_load(const volatile type *a, int mo);                                 \
  type __tsan_atomic##bits##_fetch_add(volatile type *a, type v, int mo);                          \
  void __tsan_volatile_read##bytes(void *addr);                                                    \
  void __tsan_volatile_write##bytes(void *addr);                                                   \
  void __tsan_unaligned_volatile_read##bytes(void *addr);                                          \
  void __tsan_unaligned_volatile_write##bytes(void *addr);                                         \
  void __tsan_volatile_read##bytes(void *addr) {                                                   \
    (void)__tsan_atomic##bits##_load((const volatile type *)addr, TSANV_ACQUIRE);                  \
  }                                                                                                \
  void __tsan_volatile_write##bytes(void *addr) {                                                  \
    (void)__tsan_atomic##bits##_fetch_add((volatile type *)addr, 0, TSANV_RELEASE);                \
  }                                                                                                \
  void __tsan_unaligned_volatile_read##bytes(void *addr) { __tsan_volatile_read##bytes(addr); }    \
  void __tsan_unaligned_volatile_write##bytes(void *addr) { __tsan_volatile_write##bytes(addr); }

TSANV_HOOKS(1, 8, char)
TSANV_HOOKS(2, 16, short)
TSANV_HOOKS(4, 32, int)
TSANV_HOOKS(8, 64, long)
