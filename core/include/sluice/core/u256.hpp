// u256: 256-bit unsigned integer of four 64-bit limbs (little-endian limb order), with the full
// set of EVM arithmetic. Hot paths are constexpr/noexcept and inline; tested against GMP.
//
// API CONTRACT (implementation pending in this file; other modules code against these names):
//   struct u256 { std::array<std::uint64_t,4> w; }     w[0] least significant limb
//   constructors: u256(), u256(uint64_t) implicit, u256(w0,w1,w2,w3)
//   operators: + - * / % (unsigned; x/0 == 0 and x%0 == 0 as the EVM says), & | ^ ~, unary -,
//              << >> with a uint64_t or u256 shift (>= 256 gives 0), == <=>, compound forms, ++/--
//   explicit operator bool, is_zero(), low64(), fits_u64(), bit_length(), count_leading_zeros()
//   static u256::max(), u256::from_be(ByteView up to 32 bytes, left-padded), to_be() -> Hash,
//   store_be(uint8_t* out32), load_be(const uint8_t* in32)
//   from_string(string_view): "0x.." hex or decimal; Result<u256> with Errc::overflow / bad_number
//   from_dec / from_hex (hex requires the 0x prefix), to_dec(), to_hex() ("0x" minimal, "0x0" for 0)
//   EVM helpers (free functions): sdiv, smod, addmod, mulmod (512-bit intermediate), exp,
//   signextend(b, x), byte(i, x), sar(shift, x), slt, sgt, is_negative, udivrem -> {quot, rem},
//   mul_full(a,b) -> std::array<uint64_t,8>
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"

namespace sluice {

__extension__ using uint128_t = unsigned __int128;

struct u256;
}  // namespace sluice
