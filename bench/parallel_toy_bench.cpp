// Block-STM machinery on the toy VM (no EVM): batches of 10,000 transactions with a tunable amount
// of work each (SLUICE_TOY_WORK mix rounds, default 400, about a microsecond), run with 1 thread
// (the plain sequential path) and 2 threads. Workloads:
//   independent  every tx reads and writes its own two keys and credits the coinbase (a delta)
//   hotspot      every tx does read-modify-write of the same key (and credits the coinbase)
//   hot10        10% of the txs hit the hot key, the rest are independent
// Names are parallel/toy_<workload>/threads:<n>; the summary prints each speed-up against threads:1.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "sluice/parallel/executor.hpp"
#include "sluice/parallel/toy_vm.hpp"

namespace sluice::parallel {
namespace {

constexpr std::size_t kTxs = 10'000;
constexpr std::uint64_t kHotKey = 7;
constexpr std::uint64_t kCoinbase = 1;

std::uint64_t work_per_tx() {
    const char* env = std::getenv("SLUICE_TOY_WORK");
    return env != nullptr ? std::strtoull(env, nullptr, 10) : 400;
}

std::vector<ToyTx> make_workload(const std::string& kind, std::uint64_t work) {
    std::vector<ToyTx> txs(kTxs);
    for (std::size_t i = 0; i < kTxs; ++i) {
        const bool hot = kind == "hotspot" || (kind == "hot10" && i % 10 == 0);
        const std::uint64_t from = 1000 + 2 * i;
        const std::uint64_t to = from + 1;
        auto& p = txs[i].program;
        p.push_back({ToyOp::kRead, from, 0});
        if (hot) p.push_back({ToyOp::kRead, kHotKey, 0});
        p.push_back({ToyOp::kWork, 0, work});
        p.push_back({ToyOp::kWrite, from, 1});
        p.push_back({ToyOp::kWrite, hot ? kHotKey : to, 2});
        p.push_back({ToyOp::kAddDelta, kCoinbase, 21});
    }
    return txs;
}

void run_toy(benchmark::State& state, const std::string& kind, unsigned threads) {
    const auto txs = make_workload(kind, work_per_tx());
    auto vm = [&txs](TxIndex i, auto& view) { return run_toy_tx(txs[i], i, view); };
    ExecutionStats stats;
    for (auto _ : state) {
        auto result = execute_batch<ToyTraits>(ToyBase{}, txs.size(), vm, threads);
        benchmark::DoNotOptimize(result.outputs.data());
        stats += result.stats;
    }
    const auto batches = static_cast<double>(state.iterations());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kTxs));
    state.counters["txs/s"] = benchmark::Counter(batches * kTxs, benchmark::Counter::kIsRate);
    state.counters["exec/tx"] = static_cast<double>(stats.executions) / (batches * kTxs);
    state.counters["aborts/tx"] = static_cast<double>(stats.validation_aborts) / (batches * kTxs);
}

// Console output plus the speed-up summary of each workload against its threads:1 run.
class SpeedupReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            if (run.run_type == Run::RT_Iteration && run.error_message.empty()) {
                seconds_[run.benchmark_name()] = run.GetAdjustedRealTime();
            }
        }
    }
    void print_speedups() const {
        std::printf("\nspeed-up against threads:1 of the same workload (txs/s ratio)\n");
        for (const auto& [name, time] : seconds_) {
            const auto cut = name.rfind("/threads:");
            if (cut == std::string::npos || name.substr(cut) == "/threads:1") continue;
            const auto base = seconds_.find(name.substr(0, cut) + "/threads:1");
            if (base == seconds_.end() || time <= 0) continue;
            std::printf("  %-36s %5.2fx\n", name.c_str(), base->second / time);
        }
    }

private:
    std::map<std::string, double> seconds_;
};

}  // namespace
}  // namespace sluice::parallel

int main(int argc, char** argv) {
    using sluice::parallel::run_toy;
    for (const char* kind : {"independent", "hotspot", "hot10"}) {
        for (unsigned threads : {1U, 2U}) {
            const std::string name = std::string("parallel/toy_") + kind + "/threads:" + std::to_string(threads);
            benchmark::RegisterBenchmark(name.c_str(), [kind, threads](benchmark::State& s) { run_toy(s, kind, threads); })
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime();
        }
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    sluice::parallel::SpeedupReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.print_speedups();
    benchmark::Shutdown();
    return 0;
}
