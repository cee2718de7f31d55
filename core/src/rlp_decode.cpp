// Strict RLP decoding over borrowed views. Every non-canonical form is rejected, so a successful
// decode re-encodes to the same bytes; list nesting is validated iteratively with a depth limit.
#include <limits>
#include <string>

#include "rlp_prefix.hpp"
#include "sluice/core/rlp.hpp"

namespace sluice::rlp {
namespace {

struct Header {
    bool is_list = false;
    std::size_t header_len = 0;
    std::size_t payload_len = 0;
};

Result<std::size_t> read_long_length(ByteView in, std::size_t width) {
    if (in.size() < 1 + width) {
        return make_error(Errc::rlp_truncated, "input ends inside a " + std::to_string(width) + "-byte length");
    }
    if (in[1] == 0) return make_error(Errc::rlp_non_canonical, "length has a leading zero byte");
    if (width > sizeof(std::size_t)) {
        return make_error(Errc::rlp_length_overflow, "length of " + std::to_string(width) + " bytes overflows size_t");
    }
    std::size_t length = 0;
    for (std::size_t i = 1; i <= width; ++i) length = (length << 8) | in[i];
    if (length < kLongThreshold) {
        return make_error(Errc::rlp_non_canonical,
                          "long-form length " + std::to_string(length) + " is below " + std::to_string(kLongThreshold));
    }
    return length;
}

// Reads the prefix of the item at the start of `in`, where `in` ends where the enclosing input or list
// ends. Checks that the prefix is canonical and that the whole item fits in `in`.
Result<Header> read_header(ByteView in) {
    if (in.empty()) return make_error(Errc::rlp_truncated, "input ends where an item should start");
    const std::uint8_t first = in[0];
    Header h;
    if (first < kStringBase) {
        h.payload_len = 1;
        return h;
    }
    h.is_list = first >= kListBase;
    const std::uint8_t base = h.is_list ? kListBase : kStringBase;
    const std::size_t short_len = first - base;
    if (short_len < kLongThreshold) {
        h.header_len = 1;
        h.payload_len = short_len;
    } else {
        const std::size_t width = short_len - (kLongThreshold - 1);
        SLUICE_TRY(h.payload_len, read_long_length(in, width));
        h.header_len = 1 + width;
    }
    if (h.payload_len > std::numeric_limits<std::size_t>::max() - h.header_len) {
        return make_error(Errc::rlp_length_overflow, "item length overflows size_t");
    }
    if (h.header_len + h.payload_len > in.size()) {
        return make_error(Errc::rlp_truncated, "item of " + std::to_string(h.header_len + h.payload_len) +
                                                   " bytes runs past the " + std::to_string(in.size()) +
                                                   " bytes available");
    }
    if (!h.is_list && h.header_len == 1 && h.payload_len == 1 && in[1] < kStringBase) {
        return make_error(Errc::rlp_non_canonical, "single byte below 0x80 must not have a prefix");
    }
    return h;
}

Item make_item(ByteView in, const Header& h) {
    return Item{h.is_list, in.subspan(h.header_len, h.payload_len), in.first(h.header_len + h.payload_len)};
}

// Walks every descendant of a list payload without recursion; `open_ends` holds the end offset of
// each list being walked, so its size is the current nesting depth.
Status validate_list_payload(ByteView payload) {
    std::vector<std::size_t> open_ends{payload.size()};
    std::size_t pos = 0;
    while (!open_ends.empty()) {
        if (pos == open_ends.back()) {
            open_ends.pop_back();
            continue;
        }
        SLUICE_TRY(const Header h, read_header(payload.subspan(pos, open_ends.back() - pos)));
        if (!h.is_list) {
            pos += h.header_len + h.payload_len;
            continue;
        }
        if (open_ends.size() >= kMaxDepth) {
            return make_error(Errc::rlp_too_deep, "lists nested deeper than " + std::to_string(kMaxDepth));
        }
        open_ends.push_back(pos + h.header_len + h.payload_len);
        pos += h.header_len;
    }
    return {};
}

// The big-endian bytes of a canonical integer item of at most `max_bytes` bytes.
Result<ByteView> integer_payload(const Item& item, std::size_t max_bytes) {
    if (item.is_list) return make_error(Errc::rlp_unexpected_type, "expected an integer, got a list");
    if (item.payload.size() > max_bytes) {
        return make_error(Errc::overflow, "integer of " + std::to_string(item.payload.size()) +
                                              " bytes does not fit in " + std::to_string(8 * max_bytes) + " bits");
    }
    if (!item.payload.empty() && item.payload[0] == 0) {
        return make_error(Errc::rlp_non_canonical, "integer has a leading zero byte");
    }
    return item.payload;
}

}  // namespace

Result<std::pair<Item, ByteView>> decode_prefix(ByteView in) {
    SLUICE_TRY(const Header h, read_header(in));
    const Item item = make_item(in, h);
    if (item.is_list) SLUICE_CHECK_OK(validate_list_payload(item.payload));
    return std::pair{item, in.subspan(item.encoded.size())};
}

Result<Item> decode_item(ByteView in) {
    SLUICE_TRY(const auto decoded, decode_prefix(in));
    if (!decoded.second.empty()) {
        return make_error(Errc::rlp_trailing_bytes,
                          std::to_string(decoded.second.size()) + " bytes follow the item");
    }
    return decoded.first;
}

Result<std::vector<Item>> decode_list(ByteView in) {
    SLUICE_TRY(const Item item, decode_item(in));
    return list_items(item);
}

Result<std::vector<Item>> list_items(const Item& list) {
    if (!list.is_list) return make_error(Errc::rlp_unexpected_type, "expected a list, got a string");
    std::vector<Item> children;
    for (ByteView rest = list.payload; !rest.empty();) {
        SLUICE_TRY(const Header h, read_header(rest));
        children.push_back(make_item(rest, h));
        rest = rest.subspan(children.back().encoded.size());
    }
    return children;
}

Result<std::uint64_t> to_uint64(const Item& item) {
    SLUICE_TRY(const ByteView be, integer_payload(item, sizeof(std::uint64_t)));
    std::uint64_t value = 0;
    for (const std::uint8_t b : be) value = (value << 8) | b;
    return value;
}

Result<u256> to_uint(const Item& item) {
    SLUICE_TRY(const ByteView be, integer_payload(item, 32));
    return u256::from_be(be);
}

}  // namespace sluice::rlp
