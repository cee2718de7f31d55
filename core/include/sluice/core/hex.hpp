// Strict hex text <-> bytes. Used for every byte field that crosses a process edge (JSON, CLI, RPC).
#pragma once

#include <string>
#include <string_view>

#include "sluice/core/bytes.hpp"

namespace sluice {

enum class HexPrefix : std::uint8_t {
    required,  // "0x" must be present (JSON fields, RPC)
    optional,  // "0x" may be present (CLI convenience, fixtures)
    forbidden,
};

// Decodes hex text. Errors: hex_missing_prefix, hex_odd_length, hex_bad_digit (with the position).
// "0x" alone decodes to empty bytes. Upper- and lower-case digits are accepted.
Result<Bytes> from_hex(std::string_view text, HexPrefix prefix = HexPrefix::required);

// Decodes into exactly N bytes (bad_length otherwise).
template <std::size_t N>
Result<FixedBytes<N>> fixed_from_hex(std::string_view text, HexPrefix prefix = HexPrefix::required) {
    SLUICE_TRY(const Bytes raw, from_hex(text, prefix));
    return FixedBytes<N>::from_view(raw);
}

// Lower-case hex, "0x"-prefixed unless `with_prefix` is false.
std::string to_hex(ByteView bytes, bool with_prefix = true);

}  // namespace sluice
