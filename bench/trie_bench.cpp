// State-root speed: secure_trie_root over N accounts (32-byte-hashed keys, ~70-byte RLP values),
// against the baseline of merely keccak-hashing every key and value once in the same run.
#include <benchmark/benchmark.h>

#include <random>

#include "sluice/core/keccak.hpp"
#include "sluice/evm/trie.hpp"

namespace sluice::evm {
namespace {

std::vector<std::pair<Bytes, Bytes>> accounts(std::size_t n) {
    std::mt19937_64 rng(42);
    std::vector<std::pair<Bytes, Bytes>> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        Bytes key(20), value(70);
        for (auto& b : key) b = static_cast<std::uint8_t>(rng());
        for (auto& b : value) b = static_cast<std::uint8_t>(rng());
        out.emplace_back(std::move(key), std::move(value));
    }
    return out;
}

void secure_root(benchmark::State& state) {
    const auto entries = accounts(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        Hash root = secure_trie_root(entries);
        benchmark::DoNotOptimize(root);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(secure_root)->Name("secure_trie_root")->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

void hash_only(benchmark::State& state) {
    const auto entries = accounts(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        for (const auto& [k, v] : entries) {
            Hash a = keccak256(k);
            Hash b = keccak256(v);
            benchmark::DoNotOptimize(a);
            benchmark::DoNotOptimize(b);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(hash_only)->Name("baseline/keccak_keys_and_values")->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace sluice::evm

BENCHMARK_MAIN();
