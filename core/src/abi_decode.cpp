// Strict, canonical Solidity ABI decoder. Every read is bounds-checked against the input, every
// attacker-supplied length is checked against the bytes left before anything is allocated, and
// offsets must be exactly where the canonical encoder puts the data (see abi.hpp).
#include <string>

#include "abi_word.hpp"
#include "sluice/core/abi.hpp"

namespace sluice {
namespace {

using abi_detail::at_index;
using abi_detail::kWord;
using Kind = AbiType::Kind;

class Decoder {
public:
    explicit Decoder(ByteView data) : data_(data) {}

    // Decodes enc(type) starting at `pos`; `consumed` receives the length of that encoding.
    Result<AbiValue> value(const AbiType& type, std::size_t pos, std::size_t& consumed) {
        switch (type.kind()) {
            case Kind::uint:
            case Kind::int_: {
                SLUICE_TRY(const std::uint8_t* word, word_at(pos, type));
                if (!abi_detail::integer_word_fits(type, word)) {
                    return make_error(Errc::abi_bad_value, "dirty high-order bytes for " + type.canonical());
                }
                consumed = kWord;
                const u256 v = u256::from_be(ByteView(word, kWord));
                return type.kind() == Kind::uint ? AbiValue::uint(v) : AbiValue::int_(AbiInt{v});
            }
            case Kind::address: {
                SLUICE_TRY(const std::uint8_t* word, word_at(pos, type));
                if (!abi_detail::all_bytes_are(word, kWord - Address::size(), 0)) {
                    return make_error(Errc::abi_bad_value, "dirty high-order bytes for address");
                }
                consumed = kWord;
                Address a;
                std::memcpy(a.data(), word + kWord - Address::size(), Address::size());
                return AbiValue::address(a);
            }
            case Kind::boolean: {
                SLUICE_TRY(const std::uint8_t* word, word_at(pos, type));
                if (!abi_detail::all_bytes_are(word, kWord - 1, 0) || word[kWord - 1] > 1) {
                    return make_error(Errc::abi_bad_value, "bool is neither 0 nor 1");
                }
                consumed = kWord;
                return AbiValue::boolean(word[kWord - 1] == 1);
            }
            case Kind::fixed_bytes: {
                SLUICE_TRY(const std::uint8_t* word, word_at(pos, type));
                if (!abi_detail::all_bytes_are(word + type.size(), kWord - type.size(), 0)) {
                    return make_error(Errc::abi_bad_value, "non-zero padding after " + type.canonical());
                }
                consumed = kWord;
                return AbiValue::bytes(ByteView(word, type.size()));
            }
            case Kind::bytes:
            case Kind::string: {
                SLUICE_TRY(const ByteView payload, byte_string(pos, type, consumed));
                if (type.kind() == Kind::bytes) return AbiValue::bytes(payload);
                return AbiValue::string(std::string(reinterpret_cast<const char*>(payload.data()), payload.size()));
            }
            case Kind::array: {
                SLUICE_TRY(const std::uint64_t length, length_at(pos, type));
                // Each element takes at least head_size() >= 1 bytes, so this bounds the allocation too.
                const std::uint64_t room = data_.size() - pos - kWord;
                if (length > room / type.element().head_size()) {
                    return make_error(Errc::abi_bad_length, "array length " + std::to_string(length) +
                                                                " does not fit in the " + std::to_string(room) +
                                                                " bytes left");
                }
                std::size_t body = 0;
                SLUICE_TRY(AbiValue items, sequence(type, static_cast<std::size_t>(length), pos + kWord, body));
                consumed = kWord + body;
                return items;
            }
            case Kind::fixed_array: return sequence(type, type.size(), pos, consumed);
            case Kind::tuple: return sequence(type, type.components().size(), pos, consumed);
        }
        return make_error(Errc::internal, "unknown ABI type kind");
    }

private:
    // The 32-byte word of a static elementary value at `pos`.
    Result<const std::uint8_t*> word_at(std::size_t pos, const AbiType& type) const {
        if (data_.size() - pos < kWord) {
            return make_error(Errc::abi_truncated, "input ends inside " + type.canonical() + " at byte " + std::to_string(pos));
        }
        return data_.data() + pos;
    }

    // A length word (of bytes, string or T[]), which must at least fit in 64 bits.
    Result<std::uint64_t> length_at(std::size_t pos, const AbiType& type) const {
        SLUICE_TRY(const std::uint8_t* word, word_at(pos, type));
        std::uint64_t length = 0;
        if (!abi_detail::load_u64_word(word, length)) {
            return make_error(Errc::abi_bad_length, "length of " + type.canonical() + " at byte " + std::to_string(pos) +
                                                        " is larger than 2^64");
        }
        return length;
    }

    Result<ByteView> byte_string(std::size_t pos, const AbiType& type, std::size_t& consumed) const {
        SLUICE_TRY(const std::uint64_t length, length_at(pos, type));
        const std::uint64_t room = data_.size() - pos - kWord;
        if (length > room) {
            return make_error(Errc::abi_bad_length, type.canonical() + " length " + std::to_string(length) +
                                                        " runs past the end of the input");
        }
        const std::uint64_t padded = abi_detail::padded_size(length);
        if (padded > room) return make_error(Errc::abi_truncated, "input ends inside the padding of " + type.canonical());
        const std::uint8_t* p = data_.data() + pos + kWord;
        if (!abi_detail::all_bytes_are(p + length, padded - length, 0)) {
            return make_error(Errc::abi_bad_value, "non-zero padding after " + type.canonical());
        }
        consumed = kWord + static_cast<std::size_t>(padded);
        return ByteView(p, static_cast<std::size_t>(length));
    }

    // `count` components (of a tuple or array) whose heads start at `base`.
    Result<AbiValue> sequence(const AbiType& type, std::size_t count, std::size_t base, std::size_t& consumed) {
        // Head sizes are bounded by AbiType (static size) or by the length check of the caller (arrays),
        // so this sum cannot overflow; check it fits before allocating anything.
        std::uint64_t heads = 0;
        if (type.kind() == Kind::tuple) {
            for (const AbiType& t : type.components()) heads += t.head_size();
        } else {
            heads = type.element().head_size() * count;
        }
        if (heads > data_.size() - base) {
            return make_error(Errc::abi_truncated, "input ends inside the head of " + type.canonical() + " at byte " +
                                                       std::to_string(base));
        }
        AbiValue::List items;
        items.reserve(count);
        std::size_t head = base;
        std::size_t tail = static_cast<std::size_t>(heads);  // relative to base: where the next dynamic data starts
        for (std::size_t i = 0; i < count; ++i) {
            const AbiType& t = abi_detail::component_type(type, i);
            std::size_t used = 0;
            if (!t.is_dynamic()) {
                auto v = value(t, head, used);
                if (!v.ok()) return at_index(std::move(v).error(), i);
                items.push_back(std::move(v).value());
                head += static_cast<std::size_t>(t.head_size());
                continue;
            }
            std::uint64_t offset = 0;
            if (!abi_detail::load_u64_word(data_.data() + head, offset) || offset != tail) {
                return at_index(make_error(Errc::abi_bad_offset, "offset at byte " + std::to_string(head) +
                                                                     " is not the canonical " + std::to_string(tail)),
                                i);
            }
            if (tail > data_.size() - base) {
                return at_index(make_error(Errc::abi_truncated, "data of " + t.canonical() + " starts past the input"), i);
            }
            auto v = value(t, base + tail, used);
            if (!v.ok()) return at_index(std::move(v).error(), i);
            items.push_back(std::move(v).value());
            tail += used;
            head += kWord;
        }
        consumed = tail;
        return AbiValue::list(std::move(items));
    }

    ByteView data_;
};

}  // namespace

Result<AbiValue> decode(const AbiType& type, ByteView data) {
    Decoder decoder(data);
    std::size_t consumed = 0;
    SLUICE_TRY(AbiValue v, decoder.value(type, 0, consumed));
    if (consumed != data.size()) {
        return make_error(Errc::abi_trailing_bytes, std::to_string(data.size() - consumed) + " bytes after the " +
                                                        type.canonical() + " encoding");
    }
    return v;
}

Result<AbiValue> decode_params(const AbiType& params, ByteView data) {
    SLUICE_CHECK_OK(abi_detail::require_params_tuple(params));
    return decode(params, data);
}

}  // namespace sluice
