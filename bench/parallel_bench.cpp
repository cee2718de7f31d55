// Parallel execution over the embedded EVM: EvmExecutor on batches of 10,000 transactions.
//   transfers  independent ETH transfers (distinct senders and fresh recipients)
//   erc20      token transfers between distinct pairs (one token contract, distinct balance slots)
//   hotspot    every transaction increments the same counter slot (a dependency chain)
//   mixed      token transfers, 10% of them replaced by increments of one hot counter slot
// Names are parallel/<workload>/threads:<n>, run on one persistent EvmExecutor (threads and buffers
// kept across batches); threads:1 is the plain sequential apply_transaction loop.
// parallel_bound/<transfers|erc20>/threads:2 is the machine's limit for two threads (run_bound).
// parallel_oneshot/<workload>/threads:2 runs the same batches through execute_batch, which starts
// threads and allocates the multi-version memory for every batch: the before/after of persistence.
// parallel_blockstm/<workload>/threads:2 is Block-STM alone (EvmExecutorOptions::segments off, and its own
// segmented start off: the sweep from the first transaction);
// parallel_blockstm_segmented/<workload>/threads:2 is Block-STM alone with its segmented start
// (ExecutorOptions::segmented). The default, parallel/, tries the optimistic segments first
// (src/evm_segments.hpp). Counters: txs/s and gas/s over wall-clock time, cpu_ms (process CPU per batch, all
// threads), exec/tx, aborts/tx, reruns (the share of batches given up as dependency chains or needing the
// sequential fallback, then re-run sequentially), predicted (the share run sequentially without a parallel
// try because the batch before was a chain, src/evm_chain_estimate.hpp) and repaired (the share whose
// segments were repaired, src/evm_segment_repair.hpp). The summary prints each speed-up against threads:1 and
// the CPU efficiency, which stays meaningful when the machine is shared (wall-clock ratios then are not), and
// the load average before and after.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "sluice/parallel/evm_batch.hpp"
#include "sluice/parallel/evm_workload.hpp"

namespace sluice::parallel {
namespace {

constexpr std::size_t kTxs = 10'000;

EvmWorkload make_workload(const std::string& kind) {
    if (kind == "transfers") return make_transfers_workload(kTxs);
    if (kind == "erc20") return make_erc20_workload(kTxs);
    if (kind == "hotspot") return make_hotspot_workload(kTxs);
    return make_mixed_workload(kTxs);
}

double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Totals over every run of a benchmark (google-benchmark's own sizing runs and every repetition),
// so the summary is weighted by batches executed and a short warm-up run counts for little.
struct Measured {
    double txs = 0;
    double wall_s = 0;
    double cpu_ms = 0;
    double batches = 0;

    void add(double run_txs, double run_wall_s, double run_cpu_ms, double run_batches) {
        txs += run_txs;
        wall_s += run_wall_s;
        cpu_ms += run_cpu_ms;
        batches += run_batches;
    }
    double txs_per_s() const { return txs / wall_s; }
    double cpu_ms_per_batch() const { return cpu_ms / batches; }
};
std::map<std::string, Measured>& measured() {
    static std::map<std::string, Measured> m;
    return m;
}

void run(benchmark::State& state, const std::string& name, const std::string& kind, unsigned threads,
         bool persistent, const EvmExecutorOptions& options = {}) {
    const EvmWorkload w = make_workload(kind);
    const EvmBlockEnv env{w.block, w.rev};
    EvmExecutor executor(threads, options);
    // One untimed batch first: the persistent executor's first batch sizes its buffers (page
    // faults), which a long-lived executor pays once; parallel_oneshot measures the cold case.
    if (persistent) benchmark::DoNotOptimize(executor.execute(w.state, env, w.txs).diff.accounts.data());
    ExecutionStats stats;
    double gas = 0;
    double wall = 0;
    double cpu = 0;
    double sequential_reruns = 0;
    double predicted = 0;
    double repaired = 0;
    for (auto _ : state) {
        const double cpu0 = process_cpu_seconds();
        const auto t0 = std::chrono::steady_clock::now();
        EvmBatchResult r =
            persistent ? executor.execute(w.state, env, w.txs) : execute_batch(w.state, env, w.txs, threads);
        wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        cpu += process_cpu_seconds() - cpu0;
        if (!r.receipts.back().ok()) state.SkipWithError("a transaction was invalid");
        gas += static_cast<double>(r.receipts.back()->cumulative_gas_used);
        stats += r.stats;
        sequential_reruns += r.abandoned_as_chain || r.ran_sequential_fallback ? 1 : 0;
        predicted += r.ran_as_predicted_chain ? 1 : 0;
        repaired += r.segments_repaired ? 1 : 0;
        benchmark::DoNotOptimize(r.diff.accounts.data());
    }
    const auto batches = static_cast<double>(state.iterations());
    const double txs = batches * kTxs;
    state.counters["txs/s"] = txs / wall;
    state.counters["gas/s"] = gas / wall;
    state.counters["cpu_ms"] = 1e3 * cpu / batches;
    state.counters["exec/tx"] = static_cast<double>(stats.executions) / txs;
    state.counters["aborts/tx"] = static_cast<double>(stats.validation_aborts) / txs;
    state.counters["reruns"] = sequential_reruns / batches;  // share of batches re-run sequentially
    state.counters["predicted"] = predicted / batches;
    state.counters["repaired"] = repaired / batches;
    measured()[name].add(txs, wall, 1e3 * cpu, batches);
}

// The machine's bound for two threads: the batch split in two halves, each run by the plain
// sequential path on its own thread (no multi-version memory, no scheduler, no merged result;
// valid only for workloads whose halves are independent, as transfers and erc20 are). What it loses
// against threads:1 is the machine's own cost of running two cores at once (shared caches, memory
// bandwidth, a virtual CPU's neighbours). For erc20 it is no bound: both halves copy the token
// code's shared_ptr out of the one base state, whose reference count then bounces between the
// cores on every call; the executor's segments copy the code once per segment instead.
void run_bound(benchmark::State& state, const std::string& name, const std::string& kind) {
    const EvmWorkload w = make_workload(kind);
    const EvmBlockEnv env{w.block, w.rev};
    const std::span<const evm::Transaction> all(w.txs);
    const auto first = all.first(all.size() / 2);
    const auto second = all.subspan(all.size() / 2);
    EvmExecutor a(1);
    EvmExecutor b(1);
    benchmark::DoNotOptimize(a.execute(w.state, env, first).diff.accounts.data());  // warm up as run() does
    benchmark::DoNotOptimize(b.execute(w.state, env, second).diff.accounts.data());
    double wall = 0;
    double cpu = 0;
    for (auto _ : state) {
        const double cpu0 = process_cpu_seconds();
        const auto t0 = std::chrono::steady_clock::now();
        EvmBatchResult rb;
        std::thread other([&] { rb = b.execute(w.state, env, second); });
        EvmBatchResult ra = a.execute(w.state, env, first);
        other.join();
        wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        cpu += process_cpu_seconds() - cpu0;
        if (!ra.receipts.back().ok() || !rb.receipts.back().ok())
            state.SkipWithError("a transaction was invalid");
        benchmark::DoNotOptimize(ra.diff.accounts.data());
        benchmark::DoNotOptimize(rb.diff.accounts.data());
    }
    const auto batches = static_cast<double>(state.iterations());
    state.counters["txs/s"] = batches * kTxs / wall;
    state.counters["cpu_ms"] = 1e3 * cpu / batches;
    measured()[name].add(batches * kTxs, wall, 1e3 * cpu, batches);
}

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string line;
    std::getline(in, line);
    return line;
}

void print_speedups() {
    std::printf(
        "\nagainst threads:1 of the same workload: wall-clock speed-up (txs/s ratio) and CPU efficiency\n"
        "(CPU time of threads:1 / CPU time of all threads; on an idle machine the speed-up approaches\n"
        "threads x efficiency)\n");
    for (const auto& [name, m] : measured()) {
        const auto cut = name.rfind("/threads:");
        if (name.substr(cut) == "/threads:1") continue;
        const auto slash = name.find('/');
        const auto base = measured().find("parallel" + name.substr(slash, cut - slash) + "/threads:1");
        if (base == measured().end() || m.cpu_ms <= 0) continue;
        std::printf("  %-36s speed-up %5.2fx   efficiency %4.2f   (%.0f and %.0f batches)\n", name.c_str(),
                    m.txs_per_s() / base->second.txs_per_s(),
                    base->second.cpu_ms_per_batch() / m.cpu_ms_per_batch(), m.batches, base->second.batches);
    }
}

}  // namespace
}  // namespace sluice::parallel

int main(int argc, char** argv) {
    const std::string load_before = sluice::parallel::load_average();
    for (const char* kind : {"transfers", "erc20", "hotspot", "mixed"}) {
        for (unsigned threads : {1U, 2U, 4U}) {
            const std::string name = std::string("parallel/") + kind + "/threads:" + std::to_string(threads);
            benchmark::RegisterBenchmark(name.c_str(), [name, kind, threads](benchmark::State& s) {
                sluice::parallel::run(s, name, kind, threads, true);
            })->Unit(benchmark::kMillisecond);
        }
        if (std::string(kind) == "transfers" || std::string(kind) == "erc20") {
            const std::string bound = std::string("parallel_bound/") + kind + "/threads:2";
            benchmark::RegisterBenchmark(bound.c_str(), [bound, kind](benchmark::State& s) {
                sluice::parallel::run_bound(s, bound, kind);
            })->Unit(benchmark::kMillisecond);
        }
        for (const bool segmented_start : {false, true}) {
            const std::string blockstm =
                std::string(segmented_start ? "parallel_blockstm_segmented/" : "parallel_blockstm/") + kind +
                "/threads:2";
            sluice::parallel::EvmExecutorOptions options;
            options.segments = false;
            options.block_stm.segmented = segmented_start;
            benchmark::RegisterBenchmark(blockstm.c_str(), [blockstm, kind, options](benchmark::State& s) {
                sluice::parallel::run(s, blockstm, kind, 2, true, options);
            })->Unit(benchmark::kMillisecond);
        }
        const std::string oneshot = std::string("parallel_oneshot/") + kind + "/threads:2";
        benchmark::RegisterBenchmark(oneshot.c_str(), [oneshot, kind](benchmark::State& s) {
            sluice::parallel::run(s, oneshot, kind, 2, false);
        })->Unit(benchmark::kMillisecond);
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    sluice::parallel::print_speedups();
    std::printf("load average before: %s\nload average after:  %s\n", load_before.c_str(),
                sluice::parallel::load_average().c_str());
    benchmark::Shutdown();
    return 0;
}
