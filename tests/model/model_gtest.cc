// SPDX-License-Identifier: GPL-2.0
#include "model_gtest.hh"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "model_internal.hh"

namespace model {

std::string CurrentTestName() {
  const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (!info)
    return "";
  return std::string(info->test_suite_name()) + "." + info->name();
}

int DefaultCpus() { return int(internal::EnvU64("SOLCOMPAT_MODEL_CPUS", kDefaultCpus)); }

void Environment::SetUp() {
  Boot(DefaultCpus());
  uint64_t seed = Seed();
  printf("[  model   ] seed %#llx (SOLCOMPAT_MODEL_SEED=%#llx repeats it); %d CPUs; random "
         "interrupts %s; single-step injection %s\n",
         (unsigned long long)seed, (unsigned long long)seed, CpuCount(),
         InjectionEnabledByDefault() ? "on" : "off", SteppingEnabled() ? "on" : "off");
  fflush(stdout);
}

void Environment::TearDown() {
  Quiesce();
  printf("[  model   ] %s\n", FormatStats(GetStats()).c_str());
  printf("[  model   ] seed was %#llx\n", (unsigned long long)Seed());
  fflush(stdout);
  Shutdown();
}

namespace {

// A test that runs longer than SOLCOMPAT_MODEL_HANG_S seconds (default 200,
// under ctest's 300 s timeout, which kills without a word) is taken to be
// hung: the watchdog prints what the CPUs hold, the kernel log and the
// violations recorded so far, and the seed, then ends the process (exit
// status 70). A hang becomes a failure that says where to look instead of
// a bare timeout.
struct Watchdog {
  std::mutex mu;
  std::condition_variable cv;
  std::thread thread;
  bool armed = false;

  void Start(const std::string &name, uint64_t seed) {
    uint64_t limit_s = internal::EnvU64("SOLCOMPAT_MODEL_HANG_S", 200);
    if (!limit_s)
      return;
    armed = true;
    thread = std::thread([this, name, seed, limit_s] {
      std::unique_lock<std::mutex> lock(mu);
      if (cv.wait_for(lock, std::chrono::seconds(limit_s), [this] { return !armed; }))
        return;
      printf("[  model   ] HANG: %s still runs after %llu s (SOLCOMPAT_MODEL_HANG_S); "
             "ending the run\n[  model   ] CPUs: %s\n",
             name.c_str(), (unsigned long long)limit_s, DescribeCpus().c_str());
      for (auto &v : TakeViolations())
        printf("[  model   ] violation so far: %s\n", v.message.c_str());
      auto log = TakeLog();
      printf("--- kernel log of %s so far ---\n%s--- end of kernel log ---\n", name.c_str(),
             FormatLog(log).c_str());
      printf("[  model   ] repeat with: SOLCOMPAT_MODEL_SEED=%#llx --gtest_filter=%s\n",
             (unsigned long long)seed, name.c_str());
      fflush(stdout);
      std::_Exit(70); // the CPUs' threads may hold anything: no destructors
    });
  }

  void Stop() {
    if (!thread.joinable())
      return;
    {
      std::lock_guard<std::mutex> lock(mu);
      armed = false;
    }
    cv.notify_all();
    thread.join();
  }
} watchdog;

// The first test in which a fatal violation (panic, deadlock) happened that
// the test did not take itself: the CPU that hit it abandoned kernel code
// half-way, so kernel state (a raised spl level, a held lock) may be left
// inconsistent, as after a real panic. Later tests in this process are not
// trustworthy and are skipped; ctest runs each test in its own process.
std::string tainted_by;
} // namespace

void Test::SetUp() {
  if (!tainted_by.empty())
    GTEST_SKIP() << "an unexpected fatal violation in " << tainted_by
                 << " may have left kernel state inconsistent; run this test on its own";
  Boot(cpus_ ? cpus_ : DefaultCpus());
  Quiesce();
  for (auto &v : TakeViolations())
    ADD_FAILURE() << "model violation before this test started (from the previous one or "
                     "between tests): "
                  << v.message;
  TakeLog();
  seed_ = DerivedSeed(CurrentTestName());
  RecordProperty("model_seed", std::to_string(Seed()));
  SeedInjector(seed_);
  if (inject_ && InjectionEnabledByDefault())
    ResumeInjection();
  watchdog.Start(CurrentTestName(), Seed());
}

void Test::TearDown() {
  watchdog.Stop();
  Quiesce();
  for (auto &v : TakeViolations()) {
    ADD_FAILURE() << (v.fatal ? "fatal model violation: " : "model violation: ") << v.message;
    if (v.fatal && tainted_by.empty())
      tainted_by = CurrentTestName();
  }
  auto log = TakeLog();
  bool verbose = internal::EnvU64("SOLCOMPAT_MODEL_VERBOSE", 0) != 0;
  if ((HasFailure() || verbose) && !log.empty())
    printf("--- kernel log of %s ---\n%s--- end of kernel log ---\n", CurrentTestName().c_str(),
           FormatLog(log).c_str());
  if (HasFailure())
    printf("[  model   ] repeat with: SOLCOMPAT_MODEL_SEED=%#llx --gtest_filter=%s\n",
           (unsigned long long)Seed(), CurrentTestName().c_str());
  fflush(stdout);
}

} // namespace model

#if defined(__SANITIZE_THREAD__)
// ThreadSanitizer sleeps a second at exit by default (atexit_sleep_ms) so
// that late threads can still report. Every model test is its own process
// (one per case and context) and joins its CPU threads before it returns,
// so the sleep only costs time: about 500 test-seconds per sanitizer stage.
// TSAN_OPTIONS still overrides this.
extern "C" const char *__tsan_default_options();
extern "C" const char *__tsan_default_options() { return "atexit_sleep_ms=0"; }
#endif
