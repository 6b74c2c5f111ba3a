// SPDX-License-Identifier: GPL-2.0
//
// cmn_err(CE_PANIC) and panic() in the model, where a panic ends the work of
// the simulated CPU as a fatal violation that the test can take and check
// (tests/model/include/linux/panic.h). The conformance cases cannot do this:
// a case that panics stops runner 2's kernel. What is checked: the message
// reaches the panic, formatted, and in NMI context (an NMI or an int3
// probe's frame) the panic goes the nmi_panic way, which the model demands
// there (plain panic() in NMI context is a violation of its own).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdarg>
#include <vector>

#include "model.hh"
#include "model_gtest.hh"

extern "C" void solcompat_vcmn_err(int level, const char *fmt, va_list ap);
extern "C" [[noreturn]] void solcompat_vpanic(const char *fmt, va_list ap);

namespace
{

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr int kCePanic = 3; // SOLCOMPAT_CE_PANIC

void CmnErr(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	solcompat_vcmn_err(level, fmt, ap);
	va_end(ap);
}

[[noreturn]] void Panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	solcompat_vpanic(fmt, ap);
}

class CmnErrPanic : public model::Test
{
      protected:
	CmnErrPanic()
	{
		inject_ = false;
	}

	static std::vector<model::Violation> Violations()
	{
		model::Quiesce();
		return model::TakeViolations();
	}

	// Run fn in an NMI raised on CPU 0 by a task of CPU 0.
	static model::RunResult InNmi(void (*fn)())
	{
		static std::atomic<int> done;
		done.store(0);
		return model::RunOn(0, [fn] {
			model_raise_nmi(
				0,
				[](void *arg) {
					reinterpret_cast<void (*)()>(arg)();
					done.store(1);
				},
				reinterpret_cast<void *>(fn));
			for (int i = 0; i < 2000000 && !done.load(); i++)
				model_cpu_relax_yield();
		});
	}
};

TEST_F(CmnErrPanic, InProcessContextPanicsWithTheMessage)
{
	auto r = model::RunOn(
		1, [] { CmnErr(kCePanic, "sctest: process panic %d", 42); });
	EXPECT_TRUE(r.aborted);
	auto v = Violations();
	ASSERT_EQ(v.size(), 1u);
	EXPECT_TRUE(v[0].fatal);
	EXPECT_THAT(
		v[0].message,
		HasSubstr(
			"panic: Kernel panic - not syncing: sctest: process panic 42"));
}

TEST_F(CmnErrPanic, InNmiContextGoesTheNmiPanicWay)
{
	auto r = InNmi(
		[] { CmnErr(kCePanic, "sctest: NMI panic %s", "formatted"); });
	EXPECT_TRUE(r.aborted);
	auto v = Violations();
	ASSERT_EQ(v.size(), 1u) << (v.size() > 1 ? v[0].message : "");
	EXPECT_TRUE(v[0].fatal);
	EXPECT_THAT(
		v[0].message,
		HasSubstr(
			"nmi_panic: Kernel panic - not syncing: sctest: NMI panic formatted"));
}

TEST_F(CmnErrPanic, PanicInNmiContextTruncatesALongMessage)
{
	auto r = InNmi([] {
		Panic("sctest: %0300d|end",
		      7); // longer than the per-CPU buffer
	});
	EXPECT_TRUE(r.aborted);
	auto v = Violations();
	ASSERT_EQ(v.size(), 1u) << (v.size() > 1 ? v[0].message : "");
	EXPECT_THAT(
		v[0].message,
		AllOf(HasSubstr(
			      "nmi_panic: Kernel panic - not syncing: sctest: 0000"),
		      ::testing::Not(HasSubstr("|end"))));
}

} // namespace
