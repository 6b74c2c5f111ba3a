// SPDX-License-Identifier: GPL-2.0
//
// The dtrace pseudo-device (probes/dtrace_dev.c) in the userspace model:
// the dtrace module (_init: the probe core, profile, sdt and fbt, then
// mod_install of /dev/dtrace) compiled unchanged, loaded through
// solcompat_mod_enter as linux/modglue.h's module_init does, and used
// through the misc device path of tests/model/misc.c (open, ioctl, close
// in the calling task) with user memory the model's copyin accepts.
//
// The hostile part is dtrace_misuse.hh, the same code the guest program
// solcompat-dtrace-misuse runs against /dev/dtrace in every boot.
// Each test loads the module first and unloads it last (exit 0 of _fini:
// nothing left open or enabled); the model's checks (contexts, locks,
// leaks, violations) run throughout, under random interrupts and NMIs.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "dtrace_misuse.hh"
#include "model.hh"
#include "model_gtest.hh"

extern "C" {
// The driver's _init and _fini (renamed at compile time: see CMakeLists.txt).
int dtrace_model_init(void);
int dtrace_model_fini(void);
int solcompat_mod_enter(void *owner, int (*init)(void));
void sdt_test_fire(int count);
int sdt_test_init(void);
int sdt_test_fini(void);
struct model_dev_file;
int model_dev_open(const char *name, struct model_dev_file **fp);
int model_dev_ioctl(struct model_dev_file *f, unsigned int cmd, unsigned long arg, int *rval);
void model_dev_close(struct model_dev_file *f);
// What random interrupts run (tests/model/solcompat_workload.c).
void solcompat_workload_hardirq(void *arg);
void solcompat_workload_nmi(void *arg);
}

namespace {

constexpr size_t kScratch = 64 * 1024;
int not_user_memory; // an address that is not user memory: copies fault

// /dev/dtrace opened by a task on CPU 0; every call runs there.
class ModelDevice : public dtrace_misuse::Device {
public:
  ModelDevice() { scratch_ = static_cast<unsigned char *>(model::UserAlloc(kScratch)); }
  ~ModelDevice() override {
    Close();
    model::UserFree(scratch_, kScratch);
  }
  int Open() {
    int err = 0;
    model::RunOn(0, [&] { err = model_dev_open("dtrace", &file_); });
    if (err)
      file_ = nullptr;
    return err;
  }
  void Close() {
    if (file_)
      model::RunOn(0, [&] { model_dev_close(file_); });
    file_ = nullptr;
  }
  long Raw(unsigned int cmd, void *uptr, int *err) override {
    int rval = 0, e = 0;
    model::RunOn(0, [&] { e = model_dev_ioctl(file_, cmd, (unsigned long)uptr, &rval); });
    *err = e;
    return e ? -1 : rval;
  }
  long Call(unsigned int cmd, void *buf, int *err) override {
    size_t size = (cmd >> 16) & 0x3fff;
    memcpy(scratch_, buf, size);
    long rc = Raw(cmd, scratch_, err);
    memcpy(buf, scratch_, size);
    return rc;
  }
  void Sleep(unsigned int ms) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  }
  unsigned char *scratch() { return scratch_; }

private:
  struct model_dev_file *file_ = nullptr;
  unsigned char *scratch_ = nullptr;
};

class DtraceDev : public model::Test {
protected:
  void SetUp() override {
    model::Test::SetUp();
    int err = -1;
    model::RunOn(0, [&] { err = solcompat_mod_enter(nullptr, dtrace_model_init); });
    ASSERT_EQ(err, 0) << "_init of the dtrace module";
    loaded_ = true;
  }
  void TearDown() override {
    if (loaded_) {
      int err = -1;
      model::RunOn(0, [&] { err = dtrace_model_fini(); });
      EXPECT_EQ(err, 0) << "_fini of the dtrace module";
    }
    model::Test::TearDown();
  }
  bool loaded_ = false;
};

TEST_F(DtraceDev, ValidSessionCountsProfileFirings) {
  ModelDevice dev;
  ASSERT_EQ(dev.Open(), 0);
  dtrace_misuse::Checker ck;
  uint64_t fired = dtrace_misuse::ValidSession(dev, ck);
  EXPECT_EQ(ck.failures(), 0);
  EXPECT_GE(fired, 1u) << "profile:::tick-10ms over 100 ms";
}

TEST_F(DtraceDev, OpenWithoutCapSysAdminIsRefused) {
  model::SetTaskIdentity(0, 65534, 65534, false);
  ModelDevice dev;
  int err = dev.Open();
  model::SetTaskIdentity(0, 0, 0, true);
  EXPECT_TRUE(err == EPERM || err == EACCES) << "open as uid 65534: " << err;
  EXPECT_EQ(dev.Open(), 0) << "as root again";
}

// Misuse on one open, then a valid session on a fresh open.
class DtraceDevMisuse : public DtraceDev {
protected:
  void SetUp() override {
    DtraceDev::SetUp();
    ASSERT_EQ(dev_.Open(), 0);
    // A hole: user memory whose second page is gone again.
    page_ = static_cast<char *>(model::UserAlloc(2 * 4096));
    ASSERT_NE(page_, nullptr);
    model::UserFree(page_ + 4096, 4096);
  }
  void TearDown() override {
    EXPECT_EQ(ck_.failures(), 0);
    dev_.Close();
    if (page_) {
      EXPECT_EQ(dev_.Open(), 0);
      dtrace_misuse::ValidSession(dev_, ck_);
      EXPECT_EQ(ck_.failures(), 0) << "a valid session after the misuse";
      dev_.Close();
      model::UserFree(page_, 4096);
    }
    DtraceDev::TearDown();
  }
  ModelDevice dev_;
  dtrace_misuse::Checker ck_;
  char *page_ = nullptr;
};

TEST_F(DtraceDevMisuse, BadPointersAndUnknownCommandsFailCleanly) {
  int calls = dtrace_misuse::BadPointers(dev_, ck_, page_ + 4096, nullptr, &not_user_memory,
                                         dev_.scratch());
  EXPECT_GT(calls, 200);
}

TEST_F(DtraceDevMisuse, RandomAndHalfValidCallsFailCleanly) {
  const int iterations = 2000;
  // Where random output pointers may point: 1 MiB of user memory, then a
  // hole (see RandomCalls).
  const size_t sink_size = 1 << 20;
  auto *sink = static_cast<unsigned char *>(model::UserAlloc(sink_size + 4096));
  ASSERT_NE(sink, nullptr);
  model::UserFree(sink + sink_size, 4096);
  int rejected = dtrace_misuse::RandomCalls(dev_, ck_, model::DerivedSeed(model::CurrentTestName()),
                                            iterations, page_ + 4096 - 16, dev_.scratch(), sink);
  EXPECT_GT(rejected, 0);
  model::UserFree(sink, sink_size);
}

// sdt probes of the test provider, fired a known number of times: the
// count aggregation through AGGSNAP is exact.
TEST_F(DtraceDev, SdtProbeCountIsExact) {
  int err = -1;
  model::RunOn(0, [&] { err = sdt_test_init(); });
  ASSERT_EQ(err, 0);
  ModelDevice dev;
  ASSERT_EQ(dev.Open(), 0);
  dtrace_ioc_enable_t en{};
  strcpy(en.desc.provider, "sdt");
  strcpy(en.desc.mod, "sdt_test");
  strcpy(en.desc.name, "hit");
  en.nactions = 1;
  en.actions[0].kind = DTRACE_IOC_ACT_COUNT;
  en.actions[0].key = DTRACE_IOC_KEY_PROBE;
  int e = 0;
  ASSERT_EQ(dev.Call(DTRACEIOC_ENABLE, &en, &e), 0) << e;
  EXPECT_EQ(en.nprobes, 1u);
  dtrace_ioc_go_t go{};
  ASSERT_EQ(dev.Call(DTRACEIOC_GO, &go, &e), 0) << e;
  for (int cpu = 0; cpu < model::CpuCount(); cpu++)
    model::RunOn(cpu, [] { sdt_test_fire(250); });
  dtrace_ioc_stop_t st{};
  ASSERT_EQ(dev.Call(DTRACEIOC_STOP, &st, &e), 0) << e;
  // The records go to user memory: the second half of the scratch area.
  unsigned char *recs = dev.scratch() + kScratch / 2;
  dtrace_ioc_aggsnap_t snap{};
  snap.enabling_id = en.enabling_id;
  snap.buf = uint64_t(uintptr_t(recs));
  snap.size = kScratch / 2;
  ASSERT_EQ(dev.Call(DTRACEIOC_AGGSNAP, &snap, &e), 0) << e;
  ASSERT_EQ(snap.nrecs, 1u);
  dtrace_ioc_aggrec_t rec;
  memcpy(&rec, recs, sizeof(rec));
  ASSERT_EQ(rec.nvals, 1u);
  int64_t count;
  memcpy(&count, recs + sizeof(rec), sizeof(count));
  EXPECT_EQ(count, int64_t(250) * model::CpuCount());
  dev.Close();
  model::RunOn(0, [&] { err = sdt_test_fini(); });
  EXPECT_EQ(err, 0);
}

// Unloading while a consumer has the device open is refused (the driver's
// detach says busy); after the close it succeeds (TearDown).
TEST_F(DtraceDev, UnloadWhileOpenIsRefused) {
  ModelDevice dev;
  ASSERT_EQ(dev.Open(), 0);
  int err = 0;
  model::RunOn(0, [&] { err = dtrace_model_fini(); });
  EXPECT_NE(err, 0);
  dev.Close();
}

} // namespace

// solcompat itself is loaded first (module_init on CPU 0, as insmod), as
// in the kernels, where dtrace.ko depends on solcompat.ko.
class SolcompatLoaded : public ::testing::Environment {
public:
  void SetUp() override {
    model_set_workloads(solcompat_workload_hardirq, solcompat_workload_nmi, nullptr);
    int err = model::ModuleLoad();
    model::Quiesce();
    for (auto &v : model::TakeViolations())
      ADD_FAILURE() << "model violation while loading solcompat: " << v.message;
    if (err)
      ADD_FAILURE() << "solcompat's module_init returned " << err;
  }
  void TearDown() override {
    model::Quiesce();
    model::ModuleUnload();
    model::Quiesce();
    for (auto &v : model::TakeViolations())
      ADD_FAILURE() << "model violation while unloading solcompat: " << v.message;
    model_set_workloads(nullptr, nullptr, nullptr);
  }
};

int main(int argc, char **argv) {
  testing::InitGoogleTest(&argc, argv);
  testing::AddGlobalTestEnvironment(new model::Environment);
  testing::AddGlobalTestEnvironment(new SolcompatLoaded);
  return RUN_ALL_TESTS();
}
