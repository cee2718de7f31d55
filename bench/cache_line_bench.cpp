// What sharing a cache line between two cores costs on this machine: the number that decides how
// much bookkeeping a parallel executor can afford per transaction (see evm_settle/parallel).
//   cache_line/handoff          two threads pass a turn back and forth through one flag: the time
//                               per one-way handoff is the latency of fetching a line the other
//                               core just wrote
//   cache_line/shared_counter   two threads increment one atomic counter (the line bounces)
//   cache_line/private_counter  two threads increment a counter each, on separate lines: the
//                               baseline of the shared counter
// Counters: ns/op (per handoff or per increment, wall-clock).
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

namespace {

constexpr std::size_t kLine = 64;

struct alignas(kLine) PaddedCounter {
    std::atomic<std::uint64_t> value{0};
};

void handoff(benchmark::State& state) {
    constexpr std::uint64_t kRounds = 100'000;
    double seconds = 0;
    for (auto _ : state) {
        PaddedCounter turn;
        const auto t0 = std::chrono::steady_clock::now();
        std::thread other([&] {
            for (std::uint64_t i = 0; i < kRounds; ++i) {
                while (turn.value.load(std::memory_order_acquire) != 2 * i + 1) {
                }
                turn.value.store(2 * i + 2, std::memory_order_release);
            }
        });
        for (std::uint64_t i = 0; i < kRounds; ++i) {
            while (turn.value.load(std::memory_order_acquire) != 2 * i) {
            }
            turn.value.store(2 * i + 1, std::memory_order_release);
        }
        other.join();
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    state.counters["ns/op"] = 1e9 * seconds / (static_cast<double>(state.iterations()) * 2 * kRounds);
}

template <bool Shared>
void counters(benchmark::State& state) {
    constexpr std::uint64_t kIncrements = 2'000'000;
    double seconds = 0;
    for (auto _ : state) {
        PaddedCounter a;
        PaddedCounter b;
        PaddedCounter& theirs = Shared ? a : b;
        const auto t0 = std::chrono::steady_clock::now();
        std::thread other([&] {
            for (std::uint64_t i = 0; i < kIncrements; ++i)
                theirs.value.fetch_add(1, std::memory_order_relaxed);
        });
        for (std::uint64_t i = 0; i < kIncrements; ++i)
            a.value.fetch_add(1, std::memory_order_relaxed);
        other.join();
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        benchmark::DoNotOptimize(a.value.load() + b.value.load());
    }
    state.counters["ns/op"] = 1e9 * seconds / (static_cast<double>(state.iterations()) * kIncrements);
}

}  // namespace

BENCHMARK(handoff)->Name("cache_line/handoff")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(counters<true>)->Name("cache_line/shared_counter")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(counters<false>)->Name("cache_line/private_counter")->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
