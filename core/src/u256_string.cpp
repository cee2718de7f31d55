// Text and checked-byte conversions of u256: decimal and 0x-hex parsing with typed errors, and
// formatting. Kept out of the header because they allocate and are not on the interpreter's hot path.
#include <algorithm>
#include <ostream>

#include "sluice/core/u256.hpp"

#include "hex_digit.hpp"

namespace sluice {
namespace {

bool has_hex_prefix(std::string_view text) noexcept {
    return text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}

// x = x * mul + add; false when the exact result needs more than 256 bits.
bool mul_add_small(u256& x, std::uint64_t mul, std::uint64_t add) noexcept {
    std::uint64_t carry = add;
    for (std::size_t i = 0; i < 4; ++i) {
        const uint128_t p = uint128_t{x.w[i]} * mul + carry;
        x.w[i] = static_cast<std::uint64_t>(p);
        carry = static_cast<std::uint64_t>(p >> 64);
    }
    return carry == 0;
}

// Shortened copy of the input for error messages (input may be arbitrarily long).
std::string quote(std::string_view text) {
    constexpr std::size_t kMax = 80;
    if (text.size() <= kMax) return "\"" + std::string(text) + "\"";
    return "\"" + std::string(text.substr(0, kMax)) + "...\" (" + std::to_string(text.size()) + " chars)";
}

}  // namespace

Result<u256> u256::from_dec(std::string_view text) {
    if (text.empty()) return make_error(Errc::bad_number, "empty decimal number");
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return make_error(Errc::bad_number,
                              "invalid decimal digit at position " + std::to_string(i) + " in " + quote(text));
        }
    }
    // 19 digits at a time: 10^19 is the largest power of ten below 2^64.
    u256 value;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t take = std::min<std::size_t>(19, text.size() - pos);
        std::uint64_t chunk = 0;
        std::uint64_t scale = 1;
        for (std::size_t i = 0; i < take; ++i) {
            chunk = chunk * 10 + static_cast<std::uint64_t>(text[pos + i] - '0');
            scale *= 10;
        }
        if (!mul_add_small(value, scale, chunk)) {
            return make_error(Errc::overflow, "decimal number exceeds 2^256-1: " + quote(text));
        }
        pos += take;
    }
    return value;
}

Result<u256> u256::from_hex(std::string_view text) {
    if (!has_hex_prefix(text)) return make_error(Errc::bad_number, "hex number must start with 0x: " + quote(text));
    const std::string_view digits = text.substr(2);
    if (digits.empty()) return make_error(Errc::bad_number, "hex number has no digits after 0x");
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (detail::hex_digit_value(digits[i]) < 0) {
            return make_error(Errc::bad_number,
                              "invalid hex digit at position " + std::to_string(i + 2) + " in " + quote(text));
        }
    }
    const std::size_t first = std::min(digits.find_first_not_of('0'), digits.size());
    const std::string_view significant = digits.substr(first);
    if (significant.size() > 64) {
        return make_error(Errc::overflow, "hex number exceeds 2^256-1: " + quote(text));
    }
    u256 value;
    for (std::size_t i = 0; i < significant.size(); ++i) {
        const std::size_t nibble = significant.size() - 1 - i;  // 0 = least significant
        value.w[nibble / 16] |= static_cast<std::uint64_t>(detail::hex_digit_value(significant[i])) << (4 * (nibble % 16));
    }
    return value;
}

Result<u256> u256::from_string(std::string_view text) {
    return has_hex_prefix(text) ? from_hex(text) : from_dec(text);
}

Result<u256> u256::from_be_checked(ByteView bytes) {
    if (bytes.size() > 32) {
        return make_error(Errc::overflow, "big-endian number of " + std::to_string(bytes.size()) + " bytes exceeds 32");
    }
    return from_be(bytes);
}

std::string u256::to_dec() const {
    if (is_zero()) return "0";
    constexpr std::uint64_t kChunk = 10'000'000'000'000'000'000ULL;  // 10^19
    char buf[80];  // 2^256 has 78 decimal digits
    std::size_t pos = sizeof(buf);
    u256 x = *this;
    while (!x.is_zero()) {
        u256 q;
        std::uint64_t r = detail::divrem_by_limb(x.w.data(), 4, kChunk, q.w.data());
        x = q;
        // Every chunk but the most significant one is zero-padded to 19 digits.
        for (int i = 0; i < 19 && (r != 0 || !x.is_zero()); ++i) {
            buf[--pos] = static_cast<char>('0' + r % 10);
            r /= 10;
        }
    }
    return {buf + pos, sizeof(buf) - pos};
}

std::string u256::to_hex() const {
    static constexpr char kDigits[] = "0123456789abcdef";
    if (is_zero()) return "0x0";
    std::string out = "0x";
    const unsigned nibbles = (bit_length() + 3) / 4;
    out.reserve(2 + nibbles);
    for (unsigned n = nibbles; n-- > 0;) out += kDigits[(w[n / 16] >> (4 * (n % 16))) & 0xf];
    return out;
}

std::ostream& operator<<(std::ostream& os, const u256& x) { return os << x.to_dec(); }

}  // namespace sluice
