// SPDX-License-Identifier: GPL-2.0
//
// GoogleTest glue for the kernel model.
//
// model::Environment boots the simulated CPUs, prints the seed and, at the
// end, the interrupt statistics. model::Test is the fixture every model
// test derives from:
//   SetUp     (re)boots the CPUs the test wants, quiesces, discards what
//             happened between tests, seeds the injector from the test's
//             name and starts random interrupt injection (unless the test
//             turned it off);
//   TearDown  quiesces, turns every violation the model recorded into a
//             test failure with its message, and prints the captured kernel
//             log if the test failed (always with SOLCOMPAT_MODEL_VERBOSE).
// A test that provokes violations on purpose takes them with
// TakeViolations() (after model::Quiesce()) and checks them itself.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "model.hh"

namespace model {

class Environment : public ::testing::Environment {
public:
  void SetUp() override;
  void TearDown() override;
};

class Test : public ::testing::Test {
protected:
  void SetUp() override;
  void TearDown() override;

  // Set in a subclass constructor.
  int cpus_ = 0;       // 0: SOLCOMPAT_MODEL_CPUS or kDefaultCpus
  bool inject_ = true; // random interrupts during the test
  // This test's seed (DerivedSeed of its full name).
  uint64_t seed_ = 0;
};

// "Suite.Name" of the running test.
std::string CurrentTestName();

// Default number of CPUs (SOLCOMPAT_MODEL_CPUS, else kDefaultCpus).
int DefaultCpus();

} // namespace model
