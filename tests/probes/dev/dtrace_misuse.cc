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
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dtrace_misuse.hh"

namespace {

const char *kDevice = "/dev/dtrace";
dtrace_misuse::Checker checker;

// /dev/dtrace through a file descriptor: every buffer is user memory.
class FdDevice : public dtrace_misuse::Device {
public:
  explicit FdDevice(int fd) : fd_(fd) {}
  long Raw(unsigned int cmd, void *uptr, int *err) override {
    errno = 0;
    long rc = ioctl(fd_, cmd, uptr);
    *err = errno;
    return rc;
  }
  long Call(unsigned int cmd, void *buf, int *err) override { return Raw(cmd, buf, err); }
  void Sleep(unsigned int ms) override { usleep(ms * 1000); }

private:
  int fd_;
};

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
    checker.Fail("open as uid 65534 succeeded: the device must need CAP_SYS_ADMIN");
  else if (code == 2)
    checker.Fail("open as uid 65534 failed with an errno other than EPERM/EACCES");
  else
    checker.Fail("could not drop to uid 65534 for the non-root test");
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
  // Where random output pointers may point: 1 MiB, then a hole.
  const size_t sink_size = 1 << 20;
  auto *sink = static_cast<unsigned char *>(
      mmap(nullptr, sink_size + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  if (sink == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  munmap(sink + sink_size, 4096);
  static unsigned char arg[4096] __attribute__((aligned(8)));
  FdDevice dev(fd);
  int calls = dtrace_misuse::BadPointers(dev, checker, page + 4096, readonly,
                                         reinterpret_cast<void *>(0xffffffff81000000ul), arg);
  printf("dtrace_misuse: %d calls with bad pointers or unknown commands\n", calls);
  int rejected =
      dtrace_misuse::RandomCalls(dev, checker, seed, iterations, page + 4096 - 16, arg, sink);
  printf("dtrace_misuse: %d random and half-valid calls (seed %" PRIu64 "), %d rejected, "
         "%d accepted\n",
         iterations, seed, rejected, iterations - rejected);
  close(fd);
  fd = open(kDevice, O_RDWR);
  if (fd < 0) {
    checker.Fail(std::string("open after the misuse: ") + strerror(errno));
  } else {
    FdDevice again(fd);
    int before = checker.failures();
    dtrace_misuse::ValidSession(again, checker);
    close(fd);
    if (checker.failures() == before)
      printf("dtrace_misuse: a valid session works after the misuse\n");
  }
  if (checker.failures()) {
    fprintf(stderr, "dtrace_misuse: %d failure(s) (seed %" PRIu64 ")\n", checker.failures(), seed);
    return 1;
  }
  printf("dtrace_misuse: ok\n");
  return 0;
}
