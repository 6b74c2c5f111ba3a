// SPDX-License-Identifier: GPL-2.0
//
// Hostile use of the dtrace pseudo-device (probes/dtrace_dev.c), written
// once for the two places it runs: solcompat-dtrace-misuse (a program in
// the guest, over open/ioctl on /dev/dtrace) and solcompat_dtrace_dev_model
// (the same device in the userspace model, over tests/model/misc.c's
// open/ioctl/close path). A Device says how one ioctl is issued; buffers
// whose address is passed as-is (Raw) must be user memory of that world.
#ifndef SOLCOMPAT_TESTS_DTRACE_MISUSE_HH
#define SOLCOMPAT_TESTS_DTRACE_MISUSE_HH

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <set>
#include <string>

#include "sys/dtrace_ioctl.h"

namespace dtrace_misuse {

class Device {
public:
  virtual ~Device() = default;
  // ioctl(cmd, uptr) with the pointer passed unchanged: -1 and *err, or
  // the result.
  virtual long Raw(unsigned int cmd, void *uptr, int *err) = 0;
  // ioctl(cmd, buf) for a buffer of the caller's (copied through user
  // memory where the world needs it).
  virtual long Call(unsigned int cmd, void *buf, int *err) = 0;
  // Let about ms milliseconds pass (probes keep firing meanwhile).
  virtual void Sleep(unsigned int ms) = 0;
};

struct Command {
  const char *name;
  unsigned int cmd; // the header's numbers are ints; the kernel reads 32 bits
  size_t size;
};

inline const Command kCommands[] = {
    {"VERSION", unsigned(DTRACEIOC_VERSION), sizeof(dtrace_ioc_version_t)},
    {"LIST", unsigned(DTRACEIOC_LIST), sizeof(dtrace_ioc_list_t)},
    {"ENABLE", unsigned(DTRACEIOC_ENABLE), sizeof(dtrace_ioc_enable_t)},
    {"DISABLE", unsigned(DTRACEIOC_DISABLE), sizeof(dtrace_ioc_disable_t)},
    {"GO", unsigned(DTRACEIOC_GO), sizeof(dtrace_ioc_go_t)},
    {"STOP", unsigned(DTRACEIOC_STOP), sizeof(dtrace_ioc_stop_t)},
    {"BUFSNAP", unsigned(DTRACEIOC_BUFSNAP), sizeof(dtrace_ioc_bufsnap_t)},
    {"AGGSNAP", unsigned(DTRACEIOC_AGGSNAP), sizeof(dtrace_ioc_aggsnap_t)},
    {"STATUS", unsigned(DTRACEIOC_STATUS), sizeof(dtrace_ioc_status_t)},
    {"REFUSED", unsigned(DTRACEIOC_REFUSED), sizeof(dtrace_ioc_refused_t)},
};

// What a rejected call may say: bad argument, bad address, too big, no
// such enabling/probe, wrong state, unknown command, out of memory.
inline const std::set<int> kAllowedErrno = {EINVAL, EFAULT, E2BIG,  ENOENT, EBUSY,
                                            ENOTTY, ENOMEM, ENOSPC, ENXIO,  EAGAIN};

// Failures are printed and counted.
class Checker {
public:
  void Fail(const std::string &what) {
    fprintf(stderr, "dtrace_misuse: FAIL: %s\n", what.c_str());
    failures_++;
  }
  void Check(const char *what, long rc, int err) {
    if (rc == 0 || (rc == -1 && kAllowedErrno.count(err)))
      return;
    char buf[160];
    snprintf(buf, sizeof(buf), "%s returned %ld errno %d (%s)", what, rc, err, strerror(err));
    Fail(buf);
  }
  int failures() const { return failures_; }

private:
  int failures_ = 0;
};

// Every command with each bad pointer (nullptr entries are skipped: a
// world without read-only user memory passes none), then unknown numbers
// and known numbers with the wrong size, arg (>= 4096 bytes of user
// memory) as their argument. Returns the number of calls.
inline int BadPointers(Device &dev, Checker &ck, void *hole, void *readonly, void *kernel,
                       unsigned char *arg) {
  void *bad[] = {nullptr, hole, kernel, readonly, reinterpret_cast<void *>(1)};
  const char *bad_names[] = {"NULL", "unmapped", "kernel", "read-only", "misaligned-low"};
  int calls = 0;
  for (const Command &c : kCommands)
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
      if (i > 0 && !bad[i])
        continue;
      int err;
      long rc = dev.Raw(c.cmd, bad[i], &err);
      calls++;
      std::string what = std::string(c.name) + " with a " + bad_names[i] + " pointer";
      // Read-only memory reads as zeroes: some commands accept that input
      // and then fail to write back (EFAULT), STOP may just succeed.
      if (rc == 0 && i != 3)
        ck.Fail(what + " succeeded");
      ck.Check(what.c_str(), rc, err);
    }
  for (unsigned nr = 0; nr < 64; nr++) {
    for (size_t size : {size_t(0), size_t(1), size_t(8), size_t(4095)}) {
      unsigned int cmd = (3u << 30) | unsigned(size << 16) | ('D' << 8) | nr;
      bool known = false;
      for (const Command &c : kCommands)
        known |= c.cmd == cmd;
      if (known)
        continue;
      memset(arg, 0, 4096);
      int err;
      long rc = dev.Raw(cmd, arg, &err);
      calls++;
      if (rc == 0) {
        char buf[96];
        snprintf(buf, sizeof(buf), "unknown command nr %u size %zu succeeded", nr, size);
        ck.Fail(buf);
      }
      ck.Check("unknown command", rc, err);
    }
  }
  return calls;
}

// iterations random and half-valid commands from seed: valid numbers,
// random bytes, counts, sizes, unterminated strings, output pointers into
// a hole, into sink, or anywhere. arg: >= 1024 bytes of user memory,
// 8-aligned. sink: writable user memory followed by a hole, so that
// however much a command writes there it faults at the end instead of
// overwriting the program (pointing the output at arg itself let a LIST
// with a large count run over arg into the program's data, in a boot).
// Returns how many were rejected.
inline int RandomCalls(Device &dev, Checker &ck, uint64_t seed, int iterations, char *hole,
                       unsigned char *arg, unsigned char *sink) {
  std::mt19937_64 rng(seed);
  const size_t arg_size = 1024;
  int rejected = 0;
  for (int i = 0; i < iterations; i++) {
    const Command &c = kCommands[rng() % (sizeof(kCommands) / sizeof(kCommands[0]))];
    for (size_t k = 0; k < arg_size; k++)
      arg[k] = uint8_t(rng());
    // Half-valid: zero the struct and plant a few plausible values, or
    // keep the random bytes; strings left unterminated on purpose.
    if (rng() % 2) {
      memset(arg, 0, arg_size);
      auto *words = reinterpret_cast<uint32_t *>(arg);
      for (int k = 0; k < 4; k++)
        words[rng() % (c.size / 4)] = uint32_t(rng() % 3 == 0 ? rng() : rng() % 16);
      if (rng() % 4 == 0)
        memset(arg, 'A', std::min(c.size, arg_size));
    }
    // A description whose provider may be fbt (empty, "fbt", or a glob)
    // has fbt enumerate every kernel function it matches: with an empty
    // function, a census of the kernel (minutes under TCG, a hang to the
    // boot test). Ask a cheap provider instead; the strings stay random.
    if (c.cmd == unsigned(DTRACEIOC_LIST) || c.cmd == unsigned(DTRACEIOC_ENABLE)) {
      char *prov = reinterpret_cast<char *>(arg) + offsetof(dtrace_ioc_desc_t, provider);
      const size_t n = sizeof(dtrace_ioc_desc_t::provider);
      size_t len = strnlen(prov, n);
      if (len == 0 || (len == 3 && !memcmp(prov, "fbt", 3)) ||
          std::find_first_of(prov, prov + len, "*?[\\", "*?[\\" + 4) != prov + len)
        memcpy(prov, "sdt", 4);
    }
    // Output addresses inside the struct: a hole, the sink, or random.
    if (c.cmd == unsigned(DTRACEIOC_LIST) || c.cmd == unsigned(DTRACEIOC_BUFSNAP) ||
        c.cmd == unsigned(DTRACEIOC_AGGSNAP) || c.cmd == unsigned(DTRACEIOC_REFUSED)) {
      uint64_t where = rng() % 3 == 0   ? uint64_t(uintptr_t(hole))
                       : rng() % 2 == 0 ? uint64_t(uintptr_t(sink))
                                        : rng();
      size_t off = c.cmd == unsigned(DTRACEIOC_LIST)      ? offsetof(dtrace_ioc_list_t, buf)
                   : c.cmd == unsigned(DTRACEIOC_BUFSNAP) ? offsetof(dtrace_ioc_bufsnap_t, buf)
                   : c.cmd == unsigned(DTRACEIOC_REFUSED) ? offsetof(dtrace_ioc_refused_t, buf)
                                                          : offsetof(dtrace_ioc_aggsnap_t, buf);
      memcpy(arg + off, &where, sizeof(where));
    }
    int err;
    long rc = dev.Raw(c.cmd, arg, &err);
    if (rc != 0)
      rejected++;
    ck.Check(c.name, rc, err);
    if (c.cmd == unsigned(DTRACEIOC_GO) && rc == 0) {
      int e2;
      dtrace_ioc_stop_t st{};
      dev.Call(DTRACEIOC_STOP, &st, &e2);
    }
  }
  return rejected;
}

// A full valid session: VERSION, ENABLE profile:::tick-10ms with count,
// GO, a pause, STOP, STATUS (stopped). Returns the number of firings the
// status reported.
inline uint64_t ValidSession(Device &dev, Checker &ck) {
  int err;
  dtrace_ioc_version_t v{};
  if (dev.Call(DTRACEIOC_VERSION, &v, &err) != 0 || v.version != DTRACE_IOC_VERSION_CURRENT)
    ck.Fail("VERSION");
  dtrace_ioc_enable_t en{};
  strcpy(en.desc.provider, "profile");
  strcpy(en.desc.name, "tick-10ms");
  en.nactions = 1;
  en.actions[0].kind = DTRACE_IOC_ACT_COUNT;
  if (dev.Call(DTRACEIOC_ENABLE, &en, &err) != 0 || en.nprobes != 1)
    ck.Fail("ENABLE profile:::tick-10ms");
  dtrace_ioc_go_t go{};
  if (dev.Call(DTRACEIOC_GO, &go, &err) != 0)
    ck.Fail("GO");
  dev.Sleep(100);
  dtrace_ioc_stop_t st{};
  if (dev.Call(DTRACEIOC_STOP, &st, &err) != 0)
    ck.Fail("STOP");
  dtrace_ioc_status_t status{};
  if (dev.Call(DTRACEIOC_STATUS, &status, &err) != 0 || status.state != DTRACE_IOC_STATE_STOPPED)
    ck.Fail("STATUS");
  return status.fired;
}

} // namespace dtrace_misuse

#endif // SOLCOMPAT_TESTS_DTRACE_MISUSE_HH
