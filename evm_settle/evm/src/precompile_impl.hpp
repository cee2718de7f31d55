// The entry points of each precompile family, dispatched by precompiles.cpp.
//
// Every precompile is split in two: `*_gas` prices the call from the input alone (saturating, so a
// length field of 2^255 gives a huge price, not an overflow or an allocation), and `*_run` computes
// the output, or nullopt when the input is invalid (the call then fails and consumes all gas).
#pragma once

#include <cstdint>
#include <optional>

#include "sluice/core/bytes.hpp"
#include "sluice/evm/revision.hpp"

namespace sluice::evm::detail {

// Prices at or above this are unpayable by any int64 gas limit.
inline constexpr std::uint64_t kUnpayableGas = std::uint64_t{1} << 63;

// Linear price base + per_word * ceil(len / 32).
constexpr std::uint64_t word_priced(std::size_t len, std::uint64_t base, std::uint64_t per_word) noexcept {
    return base + per_word * ((static_cast<std::uint64_t>(len) + 31) / 32);
}

std::optional<Bytes> ecrecover_run(ByteView input);
std::optional<Bytes> sha256_run(ByteView input);
std::optional<Bytes> ripemd160_run(ByteView input);

std::uint64_t modexp_gas(ByteView input, Revision rev) noexcept;
std::optional<Bytes> modexp_run(ByteView input, Revision rev);

std::uint64_t bn254_add_gas(Revision rev) noexcept;
std::uint64_t bn254_mul_gas(Revision rev) noexcept;
std::uint64_t bn254_pairing_gas(ByteView input, Revision rev) noexcept;
std::optional<Bytes> bn254_add_run(ByteView input);
std::optional<Bytes> bn254_mul_run(ByteView input);
std::optional<Bytes> bn254_pairing_run(ByteView input);

std::uint64_t blake2f_gas(ByteView input) noexcept;
std::optional<Bytes> blake2f_run(ByteView input);

std::uint64_t point_evaluation_gas() noexcept;
std::optional<Bytes> point_evaluation_run(ByteView input);

std::uint64_t bls12_g1add_gas() noexcept;
std::uint64_t bls12_g2add_gas() noexcept;
std::uint64_t bls12_g1msm_gas(ByteView input) noexcept;
std::uint64_t bls12_g2msm_gas(ByteView input) noexcept;
std::uint64_t bls12_pairing_gas(ByteView input) noexcept;
std::uint64_t bls12_map_fp_to_g1_gas() noexcept;
std::uint64_t bls12_map_fp2_to_g2_gas() noexcept;
std::optional<Bytes> bls12_g1add_run(ByteView input);
std::optional<Bytes> bls12_g2add_run(ByteView input);
std::optional<Bytes> bls12_g1msm_run(ByteView input);
std::optional<Bytes> bls12_g2msm_run(ByteView input);
std::optional<Bytes> bls12_pairing_run(ByteView input);
std::optional<Bytes> bls12_map_fp_to_g1_run(ByteView input);
std::optional<Bytes> bls12_map_fp2_to_g2_run(ByteView input);

}  // namespace sluice::evm::detail
