// secp256k1: sign, recover and verify (µs per operation) through sluice's API, with libsecp256k1
// called directly in the same run as the baseline, so the wrapper's overhead shows as a ratio.
#include <benchmark/benchmark.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sluice/core/keccak.hpp"
#include "sluice/core/secp256k1.hpp"

namespace {

using namespace sluice;

const PrivateKey& bench_key() {
    static const PrivateKey key =
        PrivateKey::from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80").value();
    return key;
}

// Distinct digests so that no call is a repeat of the previous one.
const std::vector<Hash>& digests() {
    static const std::vector<Hash> all = [] {
        std::vector<Hash> out;
        for (int i = 0; i < 256; ++i) out.push_back(keccak256(as_bytes("bench digest " + std::to_string(i))));
        return out;
    }();
    return all;
}

const std::vector<Signature>& signatures() {
    static const std::vector<Signature> all = [] {
        std::vector<Signature> out;
        for (const Hash& d : digests()) out.push_back(sign(bench_key(), d));
        return out;
    }();
    return all;
}

void BM_Sign(benchmark::State& state) {
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(sign(bench_key(), digests()[i++ & 255]));
    }
}
BENCHMARK(BM_Sign)->Unit(benchmark::kMicrosecond);

void BM_RecoverAddress(benchmark::State& state) {
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t k = i++ & 255;
        benchmark::DoNotOptimize(recover_address(digests()[k], signatures()[k]));
    }
}
BENCHMARK(BM_RecoverAddress)->Unit(benchmark::kMicrosecond);

void BM_Verify(benchmark::State& state) {
    const Address signer = bench_key().address();
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t k = i++ & 255;
        benchmark::DoNotOptimize(verify(signer, digests()[k], signatures()[k]));
    }
}
BENCHMARK(BM_Verify)->Unit(benchmark::kMicrosecond);

void BM_EcrecoverUnchecked(benchmark::State& state) {
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t k = i++ & 255;
        const Signature& s = signatures()[k];
        benchmark::DoNotOptimize(ecrecover_unchecked(digests()[k], s.v, s.r, s.s));
    }
}
BENCHMARK(BM_EcrecoverUnchecked)->Unit(benchmark::kMicrosecond);

void BM_PrivateKeyFromBytes(benchmark::State& state) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(PrivateKey::from_bytes(bench_key().secret().reveal()));
    }
}
BENCHMARK(BM_PrivateKeyFromBytes)->Unit(benchmark::kMicrosecond);

// ---- baseline: libsecp256k1 called directly, no address derivation ----------------------------------

secp256k1_context* raw_context() {
    static secp256k1_context* context = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    return context;
}

void BM_RawLibsecp256k1Sign(benchmark::State& state) {
    secp256k1_ecdsa_recoverable_signature sig;
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(secp256k1_ecdsa_sign_recoverable(raw_context(), &sig, digests()[i++ & 255].data(),
                                                                  bench_key().secret().data(), nullptr, nullptr));
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_RawLibsecp256k1Sign)->Unit(benchmark::kMicrosecond);

void BM_RawLibsecp256k1Recover(benchmark::State& state) {
    std::vector<secp256k1_ecdsa_recoverable_signature> parsed(256);
    for (std::size_t k = 0; k < 256; ++k) {
        const auto bytes = signatures()[k].to_bytes();
        (void)secp256k1_ecdsa_recoverable_signature_parse_compact(raw_context(), &parsed[k], bytes.data(),
                                                                  bytes[64] - 27);
    }
    secp256k1_pubkey point;
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t k = i++ & 255;
        benchmark::DoNotOptimize(secp256k1_ecdsa_recover(raw_context(), &point, &parsed[k], digests()[k].data()));
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_RawLibsecp256k1Recover)->Unit(benchmark::kMicrosecond);

// Prints the usual table, then each sluice call against its raw libsecp256k1 baseline (CPU time,
// which stays meaningful when other jobs share the cores).
class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const Run& run : runs) times_[run.benchmark_name()] = run.GetAdjustedCPUTime();
        ConsoleReporter::ReportRuns(runs);
    }
    void PrintRatios() const {
        const std::pair<const char*, const char*> pairs[] = {{"BM_Sign", "BM_RawLibsecp256k1Sign"},
                                                             {"BM_RecoverAddress", "BM_RawLibsecp256k1Recover"},
                                                             {"BM_Verify", "BM_RawLibsecp256k1Recover"}};
        for (const auto& [ours, raw] : pairs) {
            const auto a = times_.find(ours);
            const auto b = times_.find(raw);
            if (a == times_.end() || b == times_.end() || b->second <= 0) continue;
            std::printf("%-20s %.2fx the time of %s\n", ours, a->second / b->second, raw);
        }
    }

private:
    std::map<std::string, double> times_;
};

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.PrintRatios();
    benchmark::Shutdown();
    return 0;
}
