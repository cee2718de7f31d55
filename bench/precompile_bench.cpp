// Precompile speed in gas per second. EIP-2565 and EIP-1108 priced the precompiles so that every
// one runs at least as fast per gas as ecrecover; the summary prints each one's gas/s relative to
// ecrecover measured in the same run (>= 1 means priced safely on this machine).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>

#include "sluice/core/hex.hpp"
#include "sluice/evm/precompiles.hpp"

namespace sluice::evm {
namespace {

Bytes unhex(const std::string& s) { return from_hex(s, HexPrefix::optional).value(); }

const std::string kG1 = std::string(63, '0') + "1" + std::string(63, '0') + "2";
const std::string kG2 =
    "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd"
    "46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb40"
    "8fe3d1e7690c43d37b4ce6cc0166fa7daa";
// -G2: same x, y negated (p - y for each Fp component).
const std::string kMinusG2 =
    "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd"
    "46debd5cd992f6ed275dc4a288d1afb3cbb1ac09187524c7db36395df7be3b99e673b13a075a65ec1d9befcd05a5323e6da4d435f3b617"
    "cdb3af83285c2df711ef39c01571827f9d";

struct Case {
    const char* name;
    PrecompileId id;
    Bytes input;
};

std::map<std::string, double>& gas_per_second() {
    static std::map<std::string, double> rates;
    return rates;
}

void run_case(benchmark::State& state, const Case& c) {
    std::int64_t gas = 0;
    for (auto _ : state) {
        auto r = run_precompile(c.id, c.input, 100'000'000, Revision::prague);
        if (r.status != PrecompileStatus::success) state.SkipWithError("precompile failed");
        gas = r.gas_used;
        benchmark::DoNotOptimize(r);
    }
    state.counters["gas/s"] =
        benchmark::Counter(static_cast<double>(gas) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

class RateReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const auto& run : runs) {
            const auto it = run.counters.find("gas/s");
            if (it != run.counters.end()) gas_per_second()[run.benchmark_name()] = it->second;
        }
        ConsoleReporter::ReportRuns(runs);
    }
};

}  // namespace
}  // namespace sluice::evm

int main(int argc, char** argv) {
    using namespace sluice::evm;
    const std::string v27 = std::string(62, '0') + "1c";
    static const Case cases[] = {
        {"ecrecover", PrecompileId::ecrecover,
         unhex("18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c" + v27 +
               "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f"
               "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549")},
        {"sha256/1KiB", PrecompileId::sha256, sluice::Bytes(1024, 0x61)},
        {"ripemd160/1KiB", PrecompileId::ripemd160, sluice::Bytes(1024, 0x61)},
        {"identity/1KiB", PrecompileId::identity, sluice::Bytes(1024, 0x61)},
        {"modexp/256-byte-pow0x10001", PrecompileId::modexp,
         unhex(std::string(60, '0') + "0100" + std::string(62, '0') + "03" + std::string(60, '0') + "0100" +
               std::string(512, 'c') + "010001" + std::string(510, 'e') + "01")},
        {"bn254_add", PrecompileId::bn254_add, unhex(kG1 + kG1)},
        {"bn254_mul", PrecompileId::bn254_mul, unhex(kG1 + std::string(64, 'f'))},
        {"bn254_pairing/2", PrecompileId::bn254_pairing, unhex(kG1 + kG2 + kG1 + kMinusG2)},
        {"blake2f/12", PrecompileId::blake2f, unhex("0000000c" + std::string(416, '1') + "01")},
    };
    for (const auto& c : cases) {
        benchmark::RegisterBenchmark(c.name, [&c](benchmark::State& s) { run_case(s, c); })->Unit(benchmark::kMicrosecond);
    }
    benchmark::Initialize(&argc, argv);
    RateReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    const auto& rates = gas_per_second();
    const auto base = rates.find("ecrecover");
    if (base != rates.end() && base->second > 0) {
        std::printf("\ngas/s relative to ecrecover (%.1f Mgas/s):\n", base->second / 1e6);
        for (const auto& [name, rate] : rates) std::printf("  %-28s %6.2f\n", name.c_str(), rate / base->second);
    }
    benchmark::Shutdown();
    return 0;
}
