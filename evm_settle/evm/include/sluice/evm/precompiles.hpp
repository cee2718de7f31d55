// Precompiled contracts 0x01..0x11 (and Osaka's P256VERIFY at 0x0100) with per-revision
// availability and pricing.
//
// The host dispatches a call to a precompile address here instead of running code. Our own
// implementations cover all of 0x01..0x11: ecrecover, sha256, ripemd160, identity, modexp, the bn254
// (alt_bn128) operations, blake2f, the KZG point evaluation (0x0a) and the BLS12-381 family
// (0x0b..0x11). P256VERIFY has no implementation: it is still *recognised* at its revision, so a call
// to it is reported as `unsupported` and never treated as a call to an empty account.
#pragma once

#include <cstdint>
#include <optional>

#include "sluice/core/bytes.hpp"
#include "sluice/evm/revision.hpp"

namespace sluice::evm {

// Values 1..0x11 equal the last byte of the precompile's address. p256_verify lives at 0x0100
// (EIP-7951, Osaka); it gets the next free value because the address does not fit the byte.
enum class PrecompileId : std::uint8_t {
    ecrecover = 1,
    sha256,
    ripemd160,
    identity,
    modexp,
    bn254_add,
    bn254_mul,
    bn254_pairing,
    blake2f,
    point_evaluation,  // 0x0a, Cancun (EIP-4844)
    bls12_g1add,       // 0x0b, Prague (EIP-2537) ...
    bls12_g1msm,
    bls12_g2add,
    bls12_g2msm,
    bls12_pairing,
    bls12_map_fp_to_g1,
    bls12_map_fp2_to_g2,  // ... 0x11
    p256_verify,          // address 0x0100, Osaka (EIP-7951)
};

// The precompile at `address` if one is active at `rev` (whether or not we implement it).
std::optional<PrecompileId> precompile_at(const Address& address, Revision rev) noexcept;

// The precompile's address (0x00..01 .. 0x00..11, 0x00..0100).
Address precompile_address(PrecompileId id) noexcept;

// False for p256_verify only.
bool precompile_supported(PrecompileId id) noexcept;

enum class PrecompileStatus : std::uint8_t {
    success,
    failure,      // invalid input: consumes all gas
    out_of_gas,   // the price exceeds gas_limit: consumes all gas
    unsupported,  // not implemented: the caller must report the case as unsupported
};

struct PrecompileResult {
    PrecompileStatus status = PrecompileStatus::failure;
    std::int64_t gas_used = 0;  // == gas_limit unless status is success
    Bytes output;
};

// Prices the call first (never allocating in proportion to length fields inside `input`), then
// runs it. `rev` must be one at which `id` is active.
PrecompileResult run_precompile(PrecompileId id, ByteView input, std::int64_t gas_limit, Revision rev);

}  // namespace sluice::evm
