// Strict hex decoding: every malformed input has its own error code and names the offending position.
#include "sluice/core/hex.hpp"

#include "hex_digit.hpp"

namespace sluice {

Result<Bytes> from_hex(std::string_view text, HexPrefix prefix) {
    const bool has_prefix = text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    if (prefix == HexPrefix::required && !has_prefix) {
        return make_error(Errc::hex_missing_prefix, "hex string must start with 0x");
    }
    if (prefix == HexPrefix::forbidden && has_prefix) {
        return make_error(Errc::hex_bad_digit, "hex string must not start with 0x");
    }
    const std::string_view digits = has_prefix ? text.substr(2) : text;
    if (digits.size() % 2 != 0) {
        return make_error(Errc::hex_odd_length, "hex string has an odd number of digits (" +
                                                    std::to_string(digits.size()) + ")");
    }
    Bytes out(digits.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = detail::hex_digit_value(digits[2 * i]);
        const int lo = detail::hex_digit_value(digits[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            const std::size_t pos = (has_prefix ? 2 : 0) + 2 * i + (hi < 0 ? 0 : 1);
            return make_error(Errc::hex_bad_digit, "invalid hex digit at position " + std::to_string(pos));
        }
        out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
    }
    return out;
}

std::string to_hex(ByteView bytes, bool with_prefix) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2 + 2);
    if (with_prefix) out += "0x";
    for (const std::uint8_t b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0xf];
    }
    return out;
}

}  // namespace sluice
