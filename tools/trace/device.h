// SPDX-License-Identifier: GPL-2.0
//
// soltrace's access to the dtrace pseudo-device (/dev/dtrace): open, version check, and one
// method per ioctl, each failing with a message that says what went wrong
// and what to do.
#ifndef SOLCOMPAT_TOOLS_TRACE_DEVICE_H
#define SOLCOMPAT_TOOLS_TRACE_DEVICE_H

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sys/dtrace_ioctl.h"

namespace trace {

class DeviceError : public std::runtime_error {
public:
  explicit DeviceError(const std::string &what, int err = 0)
      : std::runtime_error(what), err_(err) {}
  int err() const { return err_; } // the errno, 0 if none
private:
  int err_;
};

class Device {
public:
  // Opens path and checks the interface version; throws DeviceError.
  explicit Device(const std::string &path);
  ~Device();
  Device(const Device &) = delete;
  Device &operator=(const Device &) = delete;

  const dtrace_ioc_version_t &version() const { return version_; }
  std::vector<dtrace_ioc_probe_t> list(const dtrace_ioc_desc_t &filter, bool provide);
  // Probes the providers would not create, with the reason (REFUSED);
  // *dropped: refusals the kernel could not record.
  std::vector<dtrace_ioc_refusal_t> refused(const dtrace_ioc_desc_t &filter, uint32_t *dropped);
  // Throws DeviceError with err() == ENOENT when no probe matches.
  void enable(dtrace_ioc_enable_t &e);
  void go(uint64_t bufsize);
  void stop();
  // Records traced on cpu since the last snapshot; drops in *drops.
  std::vector<dtrace_ioc_trace_rec_t> bufsnap(uint32_t cpu, uint64_t *drops);
  // All aggregation bytes (grows the buffer until everything fits).
  std::vector<uint8_t> aggsnap(size_t &bytes);
  dtrace_ioc_status_t status();

private:
  void ioctl_or_throw(int cmd, void *arg, const char *what);
  int fd_ = -1;
  std::string path_;
  dtrace_ioc_version_t version_{};
  uint64_t bufsize_ = 0;
};

} // namespace trace

#endif
