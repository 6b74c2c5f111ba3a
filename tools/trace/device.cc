// SPDX-License-Identifier: GPL-2.0
//
// soltrace's access to the dtrace pseudo-device: the ioctls of
// sys/dtrace_ioctl.h, with error messages that say what to do.
#include "device.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace trace {

Device::Device(const std::string &path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd_ < 0) {
    int e = errno;
    std::string hint =
        e == ENOENT || e == ENODEV || e == ENXIO
            ? "the dtrace module is not loaded: insmod solcompat.ko, then insmod dtrace.ko"
        : e == EPERM || e == EACCES ? "tracing needs CAP_SYS_ADMIN: run soltrace as root"
        : e == EBUSY ? "too many consumers have the device open: end another tracing session"
                     : "";
    throw DeviceError(
        "cannot open " + path + ": " + std::strerror(e) + (hint.empty() ? "" : "; " + hint), e);
  }
  if (::ioctl(fd_, static_cast<unsigned long>(static_cast<unsigned int>(DTRACEIOC_VERSION)),
              &version_) != 0) {
    int e = errno;
    ::close(fd_);
    fd_ = -1;
    throw DeviceError(path + ": VERSION failed: " + std::strerror(e) +
                          "; the module does not speak soltrace's interface version " +
                          std::to_string(DTRACE_IOC_VERSION_CURRENT) +
                          ": build soltrace and dtrace.ko from the same tree",
                      e);
  }
  if (version_.version != DTRACE_IOC_VERSION_CURRENT)
    throw DeviceError(path + " speaks interface version " + std::to_string(version_.version) +
                      ", soltrace speaks version " + std::to_string(DTRACE_IOC_VERSION_CURRENT) +
                      ": build soltrace and dtrace.ko from the same tree");
  if (version_.trace_rec_size != sizeof(dtrace_ioc_trace_rec_t))
    throw DeviceError(path + ": trace record size mismatch (" +
                      std::to_string(version_.trace_rec_size) + " vs " +
                      std::to_string(sizeof(dtrace_ioc_trace_rec_t)) + ")");
}

Device::~Device() {
  if (fd_ >= 0)
    ::close(fd_);
}

void Device::ioctl_or_throw(int cmd, void *arg, const char *what) {
  if (::ioctl(fd_, static_cast<unsigned long>(static_cast<unsigned int>(cmd)), arg) == 0)
    return;
  int e = errno;
  throw DeviceError(std::string(what) + " on " + path_ + " failed: " + std::strerror(e), e);
}

std::vector<dtrace_ioc_probe_t> Device::list(const dtrace_ioc_desc_t &filter, bool provide) {
  std::vector<dtrace_ioc_probe_t> all;
  std::vector<dtrace_ioc_probe_t> page(256);
  dtrace_ioc_list_t l{};
  l.filter = filter;
  l.provide = provide ? 1 : 0;
  l.first_id = 0;
  for (;;) {
    l.count = static_cast<uint32_t>(page.size());
    l.buf = reinterpret_cast<uintptr_t>(page.data());
    ioctl_or_throw(DTRACEIOC_LIST, &l, "LIST");
    all.insert(all.end(), page.begin(), page.begin() + l.returned);
    if (l.next_id == 0)
      break;
    l.first_id = l.next_id;
    l.provide = 0;
  }
  return all;
}

std::vector<dtrace_ioc_refusal_t> Device::refused(const dtrace_ioc_desc_t &filter,
                                                  uint32_t *dropped) {
  std::vector<dtrace_ioc_refusal_t> all;
  std::vector<dtrace_ioc_refusal_t> page(64);
  dtrace_ioc_refused_t r{};
  r.filter = filter;
  for (;;) {
    r.count = static_cast<uint32_t>(page.size());
    r.buf = reinterpret_cast<uintptr_t>(page.data());
    ioctl_or_throw(DTRACEIOC_REFUSED, &r, "REFUSED");
    all.insert(all.end(), page.begin(), page.begin() + r.returned);
    if (r.next == 0)
      break;
    r.first = r.next;
  }
  if (dropped != nullptr)
    *dropped = r.dropped;
  return all;
}

void Device::enable(dtrace_ioc_enable_t &e) {
  if (::ioctl(fd_, static_cast<unsigned long>(static_cast<unsigned int>(DTRACEIOC_ENABLE)), &e) ==
      0)
    return;
  int err = errno;
  if (err == ENOENT)
    throw DeviceError("no probe matches", err);
  if (err == ENOSPC)
    throw DeviceError("too many probe descriptions (at most " +
                          std::to_string(DTRACE_IOC_MAXENABLINGS) + " per session)",
                      err);
  throw DeviceError(std::string("ENABLE failed: ") + std::strerror(err), err);
}

void Device::go(uint64_t bufsize) {
  dtrace_ioc_go_t g{};
  g.bufsize = bufsize;
  ioctl_or_throw(DTRACEIOC_GO, &g, "GO");
  bufsize_ = g.bufsize;
}

void Device::stop() {
  dtrace_ioc_stop_t s{};
  ioctl_or_throw(DTRACEIOC_STOP, &s, "STOP");
}

std::vector<dtrace_ioc_trace_rec_t> Device::bufsnap(uint32_t cpu, uint64_t *drops) {
  std::vector<dtrace_ioc_trace_rec_t> recs(bufsize_ / sizeof(dtrace_ioc_trace_rec_t) + 1);
  dtrace_ioc_bufsnap_t b{};
  b.cpu = cpu;
  b.buf = reinterpret_cast<uintptr_t>(recs.data());
  b.size = recs.size() * sizeof(dtrace_ioc_trace_rec_t);
  ioctl_or_throw(DTRACEIOC_BUFSNAP, &b, "BUFSNAP");
  recs.resize(b.nrecs);
  if (drops)
    *drops = b.drops;
  return recs;
}

std::vector<uint8_t> Device::aggsnap(size_t &bytes) {
  std::vector<uint8_t> buf(64 * 1024);
  for (;;) {
    dtrace_ioc_aggsnap_t a{};
    a.buf = reinterpret_cast<uintptr_t>(buf.data());
    a.size = buf.size();
    ioctl_or_throw(DTRACEIOC_AGGSNAP, &a, "AGGSNAP");
    if (a.needed <= a.bytes || buf.size() >= DTRACE_IOC_AGGSNAP_MAX) {
      bytes = a.bytes;
      return buf;
    }
    buf.resize(std::min<uint64_t>(DTRACE_IOC_AGGSNAP_MAX, a.needed + 4096));
  }
}

dtrace_ioc_status_t Device::status() {
  dtrace_ioc_status_t s{};
  ioctl_or_throw(DTRACEIOC_STATUS, &s, "STATUS");
  return s;
}

} // namespace trace
