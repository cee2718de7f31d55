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

// BLS12-381 (EIP-2537 encodings: 16 zero bytes before each 48-byte coordinate).
std::string fp(const std::string& hex48) { return std::string(32, '0') + hex48; }
const std::string kBlsG1 =
    fp("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb") +
    fp("08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1");
const std::string kBlsG2X =
    fp("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8") +
    fp("13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e");
const std::string kBlsG2 =
    kBlsG2X + fp("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801") +
    fp("0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be");
const std::string kBlsMinusG2 =
    kBlsG2X + fp("0d1b3cc2c7027888be51d9ef691d77bcb679afda66c73f17f9ee3837a55024f78c71363275a75d75d86bab79f74782aa") +
    fp("13fa4d4a0ad8b1ce186ed5061789213d993923066dddaf1040bc3ff59f825c78df74f2d75467e25e0f55f8a00fa030ed");
const std::string kScalar = std::string(64, 'f');

std::string repeated(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

// A correct KZG opening (consensus-spec vector verify_kzg_proof_case_correct_proof_1ce8e4f69d5df899).
const std::string kKzgProof =
    "01ad7666ef9d8f53b5adf54f029b13b6f171b1d0bd346a2ede315d3e243484ef"
    "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000" +
    std::string(64, '0') +
    "93efc82d2017e9c57834a1246463e64774e56183bb247c8fc9dd98c56817e878d97b05f5c8d900acf1fbbbca6f146556"
    "92c51ff81dd71dab71cefecd79e8274b4b7ba36a0f40e2dc086bc4061c7f63249877db23297212991fd63e07b7ebc348";

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
        {"point_evaluation", PrecompileId::point_evaluation, unhex(kKzgProof)},
        {"bls12_g1add", PrecompileId::bls12_g1add, unhex(kBlsG1 + kBlsG1)},
        {"bls12_g1msm/1", PrecompileId::bls12_g1msm, unhex(kBlsG1 + kScalar)},
        {"bls12_g1msm/128", PrecompileId::bls12_g1msm, unhex(repeated(kBlsG1 + kScalar, 128))},
        {"bls12_g2add", PrecompileId::bls12_g2add, unhex(kBlsG2 + kBlsG2)},
        {"bls12_g2msm/1", PrecompileId::bls12_g2msm, unhex(kBlsG2 + kScalar)},
        {"bls12_g2msm/128", PrecompileId::bls12_g2msm, unhex(repeated(kBlsG2 + kScalar, 128))},
        {"bls12_pairing/2", PrecompileId::bls12_pairing, unhex(kBlsG1 + kBlsG2 + kBlsG1 + kBlsMinusG2)},
        {"bls12_map_fp_to_g1", PrecompileId::bls12_map_fp_to_g1, unhex(fp("0" + std::string(95, '7')))},
        {"bls12_map_fp2_to_g2", PrecompileId::bls12_map_fp2_to_g2,
         unhex(fp("0" + std::string(95, '7')) + fp("0" + std::string(95, '3')))},
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
