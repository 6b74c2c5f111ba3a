// SPDX-License-Identifier: GPL-2.0
//
// solcompat-dtrace-misuse: hostile use of /dev/dtrace (probes/dtrace_dev.c),
// run in the guest by the boot test (tests/kernel/trace_smoke.sh) before the
// trace CLI, so the device must still work afterwards.
//
//   1. Without CAP_SYS_ADMIN (a child that drops to uid/gid 65534 and all
//      capabilities) open() fails with EPERM or EACCES.
//   2. As root: every command with a NULL, an unmapped, a kernel and a
//      read-only pointer; unknown command numbers and sizes; then
//      --iterations random and half-valid commands (valid numbers, random
//      bytes, counts, sizes, unterminated strings, pointers into a hole)
//      from a seeded generator (the seed is printed). Every call must
//      return 0 or fail with an errno from the interface's documented set;
//      an oops or a hang is caught by the boot test (serial log, timeout).
//   3. A full valid session still works afterwards: VERSION, ENABLE,
//      GO, STOP, STATUS.
// Exit status 0 when all holds; each failure is printed with the command.
#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <set>
#include <string>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys/dtrace_ioctl.h"

namespace {

const char *kDevice = "/dev/dtrace";
int failures = 0;

void Fail(const std::string &what) {
  fprintf(stderr, "dtrace_misuse: FAIL: %s\n", what.c_str());
  failures++;
}

struct Command {
  const char *name;
  unsigned int cmd; // the header's numbers are ints; the kernel reads 32 bits
  size_t size;
};

const Command kCommands[] = {
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
const std::set<int> kAllowedErrno = {EINVAL, EFAULT, E2BIG,  ENOENT, EBUSY,
                                     ENOTTY, ENOMEM, ENOSPC, ENXIO,  EAGAIN};

void Check(const char *what, long rc, int err) {
  if (rc == 0 || (rc == -1 && kAllowedErrno.count(err)))
    return;
  char buf[160];
  snprintf(buf, sizeof(buf), "%s returned %ld errno %d (%s)", what, rc, err, strerror(err));
  Fail(buf);
}

long Ioctl(int fd, unsigned int cmd, void *arg, int *err) {
  errno = 0;
  long rc = ioctl(fd, cmd, arg);
  *err = errno;
  return rc;
}

void NonRootOpen() {
  pid_t pid = fork();
  if (pid == 0) {
    // Drop to nobody: with a non-zero uid and no keep-caps, the capability
    // sets are cleared.
    if (setgid(65534) != 0 || setuid(65534) != 0)
      _exit(3);
    int fd = open(kDevice, O_RDWR);
    if (fd >= 0)
      _exit(1);
    _exit(errno == EPERM || errno == EACCES ? 0 : 2);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 100;
  if (code == 0)
    printf("dtrace_misuse: open as uid 65534 refused (EPERM/EACCES): ok\n");
  else if (code == 1)
    Fail("open as uid 65534 succeeded: the device must need CAP_SYS_ADMIN");
  else if (code == 2)
    Fail("open as uid 65534 failed with an errno other than EPERM/EACCES");
  else
    Fail("could not drop to uid 65534 for the non-root test");
}

void BadPointers(int fd, void *hole, void *readonly) {
  void *bad[] = {nullptr, hole, reinterpret_cast<void *>(0xffffffff81000000ul), readonly,
                 reinterpret_cast<void *>(1)};
  const char *bad_names[] = {"NULL", "unmapped", "kernel", "read-only", "misaligned-low"};
  int calls = 0;
  for (const Command &c : kCommands)
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
      int err;
      long rc = Ioctl(fd, c.cmd, bad[i], &err);
      calls++;
      std::string what = std::string(c.name) + " with a " + bad_names[i] + " pointer";
      // Read-only memory reads as zeroes: some commands accept that input
      // and then fail to write back (EFAULT), STOP may just succeed.
      if (rc == 0 && i != 3)
        Fail(what + " succeeded");
      Check(what.c_str(), rc, err);
    }
  // Unknown numbers, and known numbers with the wrong size.
  for (unsigned nr = 0; nr < 64; nr++) {
    for (size_t size : {size_t(0), size_t(1), size_t(8), size_t(4095)}) {
      unsigned int cmd = (3u << 30) | unsigned(size << 16) | ('D' << 8) | nr;
      bool known = false;
      for (const Command &c : kCommands)
        known |= c.cmd == cmd;
      if (known)
        continue;
      char arg[4096] = {};
      int err;
      long rc = Ioctl(fd, cmd, arg, &err);
      calls++;
      if (rc == 0) {
        char buf[96];
        snprintf(buf, sizeof(buf), "unknown command nr %u size %zu succeeded", nr, size);
        Fail(buf);
      }
      Check("unknown command", rc, err);
    }
  }
  printf("dtrace_misuse: %d calls with bad pointers or unknown commands\n", calls);
}

void RandomCalls(int fd, uint64_t seed, int iterations, char *hole) {
  std::mt19937_64 rng(seed);
  alignas(8) unsigned char arg[1024];
  int rejected = 0;
  for (int i = 0; i < iterations; i++) {
    const Command &c = kCommands[rng() % (sizeof(kCommands) / sizeof(kCommands[0]))];
    for (auto &b : arg)
      b = uint8_t(rng());
    // Half-valid: zero the struct and plant a few plausible values, or
    // keep the random bytes; strings left unterminated on purpose.
    if (rng() % 2) {
      memset(arg, 0, sizeof(arg));
      auto *words = reinterpret_cast<uint32_t *>(arg);
      for (int k = 0; k < 4; k++)
        words[rng() % (c.size / 4)] = uint32_t(rng() % 3 == 0 ? rng() : rng() % 16);
      if (rng() % 4 == 0)
        memset(arg, 'A', std::min(c.size, sizeof(arg)));
    }
    // User addresses inside the struct: into a hole, or past its end.
    if (c.cmd == unsigned(DTRACEIOC_LIST) || c.cmd == unsigned(DTRACEIOC_BUFSNAP) ||
        c.cmd == unsigned(DTRACEIOC_AGGSNAP) || c.cmd == unsigned(DTRACEIOC_REFUSED)) {
      uint64_t where = rng() % 3 == 0   ? uint64_t(uintptr_t(hole))
                       : rng() % 2 == 0 ? uint64_t(uintptr_t(arg))
                                        : rng();
      size_t off = c.cmd == unsigned(DTRACEIOC_LIST)      ? offsetof(dtrace_ioc_list_t, buf)
                   : c.cmd == unsigned(DTRACEIOC_BUFSNAP) ? offsetof(dtrace_ioc_bufsnap_t, buf)
                   : c.cmd == unsigned(DTRACEIOC_REFUSED) ? offsetof(dtrace_ioc_refused_t, buf)
                                                          : offsetof(dtrace_ioc_aggsnap_t, buf);
      memcpy(arg + off, &where, sizeof(where));
    }
    int err;
    long rc = Ioctl(fd, c.cmd, arg, &err);
    if (rc != 0)
      rejected++;
    Check(c.name, rc, err);
    if (c.cmd == unsigned(DTRACEIOC_GO) && rc == 0) {
      int e2;
      dtrace_ioc_stop_t st{};
      Ioctl(fd, DTRACEIOC_STOP, &st, &e2);
    }
  }
  printf("dtrace_misuse: %d random and half-valid calls (seed %" PRIu64 "), %d rejected, "
         "%d accepted\n",
         iterations, seed, rejected, iterations - rejected);
}

void ValidSession() {
  int fd = open(kDevice, O_RDWR);
  if (fd < 0) {
    Fail(std::string("open after the misuse: ") + strerror(errno));
    return;
  }
  int err;
  dtrace_ioc_version_t v{};
  if (Ioctl(fd, DTRACEIOC_VERSION, &v, &err) != 0 || v.version != DTRACE_IOC_VERSION_CURRENT)
    Fail("VERSION after the misuse");
  dtrace_ioc_enable_t en{};
  strcpy(en.desc.provider, "profile");
  strcpy(en.desc.name, "tick-10ms");
  en.nactions = 1;
  en.actions[0].kind = DTRACE_IOC_ACT_COUNT;
  if (Ioctl(fd, DTRACEIOC_ENABLE, &en, &err) != 0 || en.nprobes != 1)
    Fail("ENABLE profile:::tick-10ms after the misuse");
  dtrace_ioc_go_t go{};
  if (Ioctl(fd, DTRACEIOC_GO, &go, &err) != 0)
    Fail("GO after the misuse");
  usleep(100 * 1000);
  dtrace_ioc_stop_t st{};
  if (Ioctl(fd, DTRACEIOC_STOP, &st, &err) != 0)
    Fail("STOP after the misuse");
  dtrace_ioc_status_t status{};
  if (Ioctl(fd, DTRACEIOC_STATUS, &status, &err) != 0 || status.state != DTRACE_IOC_STATE_STOPPED)
    Fail("STATUS after the misuse");
  close(fd);
  if (!failures)
    printf("dtrace_misuse: a valid session works after the misuse\n");
}

} // namespace

int main(int argc, char **argv) {
  int iterations = 20000;
  uint64_t seed = std::random_device{}();
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
      iterations = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
      seed = strtoull(argv[++i], nullptr, 0);
    else {
      fprintf(stderr, "usage: %s [--iterations N] [--seed S]\n", argv[0]);
      return 2;
    }
  }
  NonRootOpen();
  int fd = open(kDevice, O_RDWR);
  if (fd < 0) {
    fprintf(stderr, "dtrace_misuse: cannot open %s as root: %s (is dtrace.ko loaded?)\n", kDevice,
            strerror(errno));
    return 1;
  }
  // A hole: a mapped page followed by an unmapped one; and a read-only page.
  char *page = static_cast<char *>(
      mmap(nullptr, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  void *readonly = mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED || readonly == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  munmap(page + 4096, 4096);
  BadPointers(fd, page + 4096, readonly);
  RandomCalls(fd, seed, iterations, page + 4096 - 16);
  close(fd);
  ValidSession();
  if (failures) {
    fprintf(stderr, "dtrace_misuse: %d failure(s) (seed %" PRIu64 ")\n", failures, seed);
    return 1;
  }
  printf("dtrace_misuse: ok\n");
  return 0;
}
