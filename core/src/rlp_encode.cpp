// RLP encoding: string and list prefixes, minimal big-endian integers.
#include <limits>

#include "rlp_prefix.hpp"
#include "sluice/core/rlp.hpp"

namespace sluice::rlp {

std::size_t be_width(std::uint64_t value) noexcept {
    std::size_t width = 0;
    for (; value != 0; value >>= 8) ++width;
    return width;
}

void append_be(Bytes& out, std::uint64_t value, std::size_t width) {
    for (std::size_t i = width; i-- > 0;) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void append_prefix(Bytes& out, std::uint8_t short_base, std::size_t payload_len) {
    static_assert(std::numeric_limits<std::size_t>::digits <= 64, "RLP lengths take at most 8 bytes");
    if (payload_len < kLongThreshold) {
        out.push_back(static_cast<std::uint8_t>(short_base + payload_len));
        return;
    }
    const std::size_t width = be_width(payload_len);
    out.push_back(static_cast<std::uint8_t>(short_base + kLongThreshold - 1 + width));
    append_be(out, payload_len, width);
}

void append_bytes(Bytes& out, ByteView payload) {
    if (payload.size() == 1 && payload[0] < kStringBase) {
        out.push_back(payload[0]);
        return;
    }
    append_prefix(out, kStringBase, payload.size());
    out.insert(out.end(), payload.begin(), payload.end());
}

void append_uint(Bytes& out, std::uint64_t value) {
    if (value != 0 && value < kStringBase) {
        out.push_back(static_cast<std::uint8_t>(value));
        return;
    }
    const std::size_t width = be_width(value);
    out.push_back(static_cast<std::uint8_t>(kStringBase + width));
    append_be(out, value, width);
}

void append_uint(Bytes& out, const u256& value) {
    const Hash be = value.to_be();
    append_bytes(out, be.view().subspan(value.count_leading_zeros() / 8));
}

void append_list_header(Bytes& out, std::size_t payload_len) { append_prefix(out, kListBase, payload_len); }

Bytes encode_bytes(ByteView payload) {
    Bytes out;
    out.reserve(payload.size() + 9);
    append_bytes(out, payload);
    return out;
}

Bytes encode_uint(std::uint64_t value) {
    Bytes out;
    append_uint(out, value);
    return out;
}

Bytes encode_uint(const u256& value) {
    Bytes out;
    append_uint(out, value);
    return out;
}

Bytes encode_list(std::span<const Bytes> encoded_items) {
    std::size_t payload_len = 0;
    for (const Bytes& item : encoded_items) payload_len += item.size();
    Bytes out;
    out.reserve(payload_len + 9);
    append_list_header(out, payload_len);
    for (const Bytes& item : encoded_items) out.insert(out.end(), item.begin(), item.end());
    return out;
}

}  // namespace sluice::rlp
