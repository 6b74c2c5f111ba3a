// SPDX-License-Identifier: GPL-2.0
//
// What solcompat does with objects a client leaked when it unloads. The
// conformance cases cannot see this: they run while the module is loaded.
// Here a test unloads the module that ConformanceEnvironment loaded (each
// ctest test is its own process), checks the reports and that nothing
// fires afterwards, and loads it again for the environment's unload.
//
// Cyclics (linux/cyclic.c): each one still added is reported
// (SOLCOMPAT_MISUSE_MEMORY, naming the caller of cyclic_add) and removed,
// plain and omni alike, so no timer fires into code that is gone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <impl/cyclic.h>
#include <impl/debug.h>

#include "model.hh"
#include "model_gtest.hh"

namespace
{

std::atomic<unsigned> fires{0};
std::atomic<unsigned> offlines{0};

void Fire(void *)
{
	fires.fetch_add(1, std::memory_order_relaxed);
}

void OmniOnline(void *, solcompat_cpu_t *, solcompat_cyc_handler_t *h,
		solcompat_cyc_time_t *when)
{
	h->cyh_func = Fire;
	h->cyh_arg = nullptr;
	h->cyh_level = SOLCOMPAT_CY_HIGH_LEVEL;
	when->cyt_when = 0;
	when->cyt_interval = 1000 * 1000;
}

void OmniOffline(void *, solcompat_cpu_t *, void *)
{
	offlines.fetch_add(1, std::memory_order_relaxed);
}

// Waits up to about 5 s for fires to pass n.
bool FiresPass(unsigned n)
{
	for (int i = 0; i < 500; i++) {
		if (fires.load() > n)
			return true;
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	return false;
}

class Unload : public model::Test
{
      protected:
	Unload()
	{
		inject_ = false;
	}
};

TEST_F(Unload, LeakedCyclicsAreReportedAndRemoved)
{
	unsigned long before = solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY);
	solcompat_cyc_omni_handler_t omni = {OmniOnline, OmniOffline, nullptr};
	solcompat_cyclic_id_t ids[3] = {};

	model::RunOn(0, [&] {
		solcompat_cyc_handler_t high = {Fire, nullptr,
						SOLCOMPAT_CY_HIGH_LEVEL};
		solcompat_cyc_handler_t low = {Fire, nullptr,
					       SOLCOMPAT_CY_LOW_LEVEL};
		solcompat_cyc_time_t when = {0, 1000 * 1000};

		ids[0] = solcompat_cyclic_add(&high, &when);
		ids[1] = solcompat_cyclic_add(&low, &when);
		ids[2] = solcompat_cyclic_add_omni(&omni);
	});
	for (auto id : ids)
		ASSERT_NE(id, SOLCOMPAT_CYCLIC_NONE);
	ASSERT_TRUE(FiresPass(10)) << "the cyclics never fired";

	model::Quiesce();
	model::TakeLog();
	model::ModuleUnload();
	model::Quiesce();
	auto log = model::FormatLog(model::TakeLog());
	EXPECT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_MEMORY), before + 3)
		<< log;
	// Only the first reports of a kind are printed: one line at least.
	if (before < 10) {
		EXPECT_NE(log.find("cyclic still added when solcompat unloads"),
			  std::string::npos)
			<< log;
	}
	// The omni cyclic was removed CPU by CPU, each going offline.
	EXPECT_EQ(offlines.load(), static_cast<unsigned>(model::CpuCount()));
	unsigned after = fires.load();
	std::this_thread::sleep_for(std::chrono::milliseconds(50));
	EXPECT_EQ(fires.load(), after) << "a cyclic fired after the unload";

	// Back as the environment expects it (it unloads at the end).
	EXPECT_EQ(model::ModuleLoad(), 0);
	model::Quiesce();
	model::TakeLog();
}

} // namespace
