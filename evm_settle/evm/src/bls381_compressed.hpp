// The compressed point encodings of BLS12-381 used by the KZG commitments of EIP-4844 (the "ZCash"
// serialisation, as in the consensus specs' bytes_to_kzg_commitment): G1 in 48 bytes, G2 in 96.
// The top three bits of the first byte are flags: 0x80 compressed (must be set), 0x40 infinity,
// 0x20 sign, set when y is the larger of its two roots. G2 puts x.c1 before x.c0.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "bls381_curve.hpp"

namespace sluice::evm::bls381 {

inline constexpr std::size_t kG1CompressedBytes = 48;
inline constexpr std::size_t kG2CompressedBytes = 96;

// nullopt for a wrong length, the compression flag clear, an infinity with any other bit set, an x not
// below p, an x with no point on the curve, and (when check_subgroup) a point outside the order-r
// subgroup.
std::optional<G1> decode_g1_compressed(std::span<const std::uint8_t> in, bool check_subgroup = true) noexcept;
std::optional<G2> decode_g2_compressed(std::span<const std::uint8_t> in, bool check_subgroup = true) noexcept;
std::array<std::uint8_t, kG1CompressedBytes> encode_g1_compressed(const G1& p) noexcept;

}  // namespace sluice::evm::bls381
