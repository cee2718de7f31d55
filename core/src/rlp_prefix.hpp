// Private: the prefix bytes of RLP (yellow paper, appendix B) shared by the encoder and decoder.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sluice/core/bytes.hpp"

namespace sluice::rlp {

inline constexpr std::uint8_t kStringBase = 0x80;  // 0x80..0xb7 short string, 0xb8..0xbf long string
inline constexpr std::uint8_t kListBase = 0xc0;    // 0xc0..0xf7 short list, 0xf8..0xff long list
inline constexpr std::size_t kLongThreshold = 56;  // payloads this long or longer use the long form

// Number of bytes in the minimal big-endian form of `value` (0 for 0).
std::size_t be_width(std::uint64_t value) noexcept;
// Appends the low `width` bytes of `value`, big-endian.
void append_be(Bytes& out, std::uint64_t value, std::size_t width);
// Appends a short or long prefix for a payload of `payload_len` bytes.
void append_prefix(Bytes& out, std::uint8_t short_base, std::size_t payload_len);

}  // namespace sluice::rlp
