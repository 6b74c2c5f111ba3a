// SPDX-License-Identifier: GPL-2.0
//
// solcompat's primitives against the Linux primitives they stand for, in the
// userspace model (Google Benchmark). Each pair of bench_pairs.c runs
// on a simulated CPU in task context, random interrupt injection paused, as
// two benchmarks of the same run; the ratio of their best repetitions (time
// per operation) is printed after the table:
//   model bench: <ours> vs <native>: <ours> vs <native> ns/op, ratio <r>
// These are figures to read, not thresholds: the exit status says only
// whether every pair ran and the model saw no violation. The kernel figures
// come from solcompat_bench.ko (tools/bench.sh).
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_pairs.h"
#include "model.hh"

namespace {

constexpr unsigned kBatch = 1000; // operations per benchmark iteration

void RunLoop(benchmark::State &state, void (*loop)(unsigned int)) {
  model::RunOn(0, [&] {
    for (auto _ : state)
      loop(kBatch);
  });
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kBatch);
}

double Min(const std::vector<double> &v) { return *std::min_element(v.begin(), v.end()); }

// Console output as usual, plus each benchmark's best time per operation.
// No colours: the console reporter ends a coloured line with a reset code
// after the newline, which would land in front of the ratio lines below.
class RatioReporter : public benchmark::ConsoleReporter {
public:
  RatioReporter() : ConsoleReporter(OO_Tabular) {}
  void ReportRuns(const std::vector<Run> &runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run &r : runs)
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "min")
        // Microseconds per iteration of kBatch
        // operations -> ns per operation.
        best_ns_[r.run_name.function_name] = r.GetAdjustedRealTime() * 1000.0 / kBatch;
  }
  bool Has(const std::string &name) const { return best_ns_.count(name) != 0; }
  double Ns(const std::string &name) const { return best_ns_.at(name); }

private:
  std::map<std::string, double> best_ns_;
};

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 2;
  model::Boot(2);
  model::PauseInjection();
  if (int err = model::ModuleLoad()) {
    fprintf(stderr, "model bench: solcompat's module_init returned %d\n", err);
    return 1;
  }
  model::RunOn(0, [] { bench_pairs_setup(); });
  for (unsigned i = 0; i < bench_npairs; i++) {
    const bench_pair &p = bench_pairs[i];
    for (int side = 0; side < 2; side++) {
      std::string name = "pair" + std::to_string(i) + (side ? "/native" : "/ours");
      benchmark::RegisterBenchmark(name.c_str(), RunLoop, side ? p.native : p.ours)
          ->UseRealTime()
          ->Unit(benchmark::kMicrosecond)
          ->Repetitions(3)
          ->ReportAggregatesOnly(true)
          ->ComputeStatistics("min", Min);
    }
  }
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  model::RunOn(0, [] { bench_pairs_teardown(); });
  model::ModuleUnload();
  model::Quiesce();

  int missing = 0;
  for (unsigned i = 0; i < bench_npairs; i++) {
    std::string ours = "pair" + std::to_string(i) + "/ours";
    std::string native = "pair" + std::to_string(i) + "/native";
    if (!reporter.Has(ours) || !reporter.Has(native)) {
      missing++; // filtered out, or it did not run
      continue;
    }
    double o = reporter.Ns(ours), n = reporter.Ns(native);
    printf("model bench: %s: %.1f vs %.1f ns/op, ratio %.2f\n", bench_pairs[i].name, o, n,
           n > 0 ? o / n : 0.0);
  }
  auto violations = model::TakeViolations();
  for (const auto &v : violations)
    fprintf(stderr, "model bench: model violation: %s\n", v.message.c_str());
  if (missing)
    printf("model bench: %d pair(s) not run "
           "(--benchmark_filter?)\n",
           missing);
  model::Shutdown();
  return violations.empty() ? 0 : 1;
}
