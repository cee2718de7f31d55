// The value of one hex digit, shared by the byte (hex.cpp) and number (u256_string.cpp) parsers.
#pragma once

namespace sluice::detail {

// 0..15, or -1 for a character that is not a hex digit. Both cases are accepted.
constexpr int hex_digit_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace sluice::detail
