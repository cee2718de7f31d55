// Private helpers shared by the ABI encoder and decoder: 32-byte words, integer range rules and
// error paths.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "sluice/core/abi_type.hpp"
#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"

namespace sluice::abi_detail {

inline constexpr std::size_t kWord = 32;

inline std::uint64_t padded_size(std::uint64_t n) { return (n + kWord - 1) / kWord * kWord; }

// Writes `v` as a big-endian 32-byte word at `out`.
inline void store_u64_word(std::uint8_t* out, std::uint64_t v) {
    std::memset(out, 0, kWord - 8);
    for (std::size_t i = 0; i < 8; ++i) out[kWord - 1 - i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// Reads a 32-byte big-endian word that must fit in 64 bits; false if its high 24 bytes are not zero.
inline bool load_u64_word(const std::uint8_t* in, std::uint64_t& v) {
    for (std::size_t i = 0; i < kWord - 8; ++i) {
        if (in[i] != 0) return false;
    }
    v = 0;
    for (std::size_t i = kWord - 8; i < kWord; ++i) v = (v << 8) | in[i];
    return true;
}

// True when all `n` bytes at `p` equal `fill`.
inline bool all_bytes_are(const std::uint8_t* p, std::size_t n, std::uint8_t fill) {
    for (std::size_t i = 0; i < n; ++i) {
        if (p[i] != fill) return false;
    }
    return true;
}

// Whether a 256-bit big-endian word is a valid value of uint<M> / int<M> (`type` is one of those):
// the high bytes above M bits must be zero (uint) or the sign extension of bit M-1 (int).
inline bool integer_word_fits(const AbiType& type, const std::uint8_t* word) {
    const std::size_t high = kWord - type.size() / 8;
    if (high == 0) return true;
    if (type.kind() == AbiType::Kind::uint) return all_bytes_are(word, high, 0);
    const std::uint8_t fill = (word[high] & 0x80) != 0 ? 0xff : 0x00;
    return all_bytes_are(word, high, fill);
}

// The type of component i of a tuple, or of any element of an array.
inline const AbiType& component_type(const AbiType& type, std::size_t i) {
    return type.kind() == AbiType::Kind::tuple ? type.components()[i] : type.element();
}

// Parameter lists (calldata, return data, abi.encode) are always tuples.
inline Status require_params_tuple(const AbiType& params) {
    if (params.kind() == AbiType::Kind::tuple) return {};
    return make_error(Errc::abi_type_mismatch, "parameters must be a tuple type, got " + params.canonical());
}

// Prefixes the path of a component to an error message: "[3]" + "[1]: too long" -> "[3][1]: too long".
inline Error at_index(Error e, std::size_t i) {
    std::string prefix = "[" + std::to_string(i) + "]";
    if (e.message.empty() || e.message.front() != '[') prefix += ": ";
    e.message = prefix + e.message;
    return e;
}

}  // namespace sluice::abi_detail
