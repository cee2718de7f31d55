// libFuzzer: every supported precompile, at every revision where it is active, on arbitrary input
// with a gas cap. Nothing may crash, gas accounting must stay within the limit, and successful
// outputs must have the sizes the specs fix.
#include <cstdlib>

#include "sluice/evm/precompiles.hpp"

namespace {

constexpr std::int64_t kGasCap = 3'000'000;

void check(sluice::evm::PrecompileId id, const sluice::evm::PrecompileResult& r, std::size_t input_size) {
    using sluice::evm::PrecompileId;
    using sluice::evm::PrecompileStatus;
    if (r.gas_used < 0 || r.gas_used > kGasCap) std::abort();
    if (r.status == PrecompileStatus::unsupported) std::abort();
    if (r.status != PrecompileStatus::success) {
        if (r.gas_used != kGasCap || !r.output.empty()) std::abort();
        return;
    }
    std::size_t expected = r.output.size();
    switch (id) {
        case PrecompileId::ecrecover:
            if (!r.output.empty()) expected = 32;
            break;
        case PrecompileId::sha256:
        case PrecompileId::ripemd160:
        case PrecompileId::bn254_pairing:
            expected = 32;
            break;
        case PrecompileId::identity:
            expected = input_size;
            break;
        case PrecompileId::bn254_add:
        case PrecompileId::bn254_mul:
        case PrecompileId::blake2f:
        case PrecompileId::point_evaluation:
            expected = 64;
            break;
        case PrecompileId::bls12_pairing:
            expected = 32;
            if (r.output[31] > 1) std::abort();
            break;
        case PrecompileId::bls12_g1add:
        case PrecompileId::bls12_g1msm:
        case PrecompileId::bls12_map_fp_to_g1:
            expected = 128;
            break;
        case PrecompileId::bls12_g2add:
        case PrecompileId::bls12_g2msm:
        case PrecompileId::bls12_map_fp2_to_g2:
            expected = 256;
            break;
        default:
            break;
    }
    if (r.output.size() != expected) std::abort();
}

}  // namespace

// Byte 0 picks the precompile (1..0x11), byte 1 the revision; the rest is the call's input.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sluice::evm;
    if (size < 2) return 0;
    const auto id = static_cast<PrecompileId>(1 + data[0] % 0x11);
    const auto rev = static_cast<Revision>(data[1] % kNumRevisions);
    if (!precompile_at(precompile_address(id), rev)) return 0;
    const sluice::ByteView input{data + 2, size - 2};
    check(id, run_precompile(id, input, kGasCap, rev), input.size());
    return 0;
}
