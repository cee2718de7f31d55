// Solidity ABI encoder: enc(T) of the spec, heads first, then the tails of dynamic components in order.
#include <string>

#include "abi_word.hpp"
#include "sluice/core/abi.hpp"

namespace sluice {
namespace {

using abi_detail::at_index;
using abi_detail::kWord;
using Kind = AbiType::Kind;

Error mismatch(const AbiType& type, const char* got) {
    return make_error(Errc::abi_type_mismatch, "expected a value for " + type.canonical() + ", got " + got);
}

const char* alternative_name(const AbiValue& v) {
    switch (v.storage().index()) {
        case 0: return "a uint";
        case 1: return "an int";
        case 2: return "an address";
        case 3: return "a bool";
        case 4: return "bytes";
        case 5: return "a string";
        default: return "a list";
    }
}

void append_word(Bytes& out, const std::uint8_t* word) { out.insert(out.end(), word, word + kWord); }

void append_padded(Bytes& out, ByteView data) {
    out.insert(out.end(), data.begin(), data.end());
    out.resize(out.size() + (abi_detail::padded_size(data.size()) - data.size()), 0);
}

Status encode_value(Bytes& out, const AbiType& type, const AbiValue& value);

// The head/tail encoding shared by tuples and arrays. `items` already matches the count.
Status encode_sequence(Bytes& out, const AbiType& type, const AbiValue::List& items) {
    const std::size_t start = out.size();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const AbiType& t = abi_detail::component_type(type, i);
        if (t.is_dynamic()) {
            out.resize(out.size() + kWord, 0);  // offset, patched below
        } else if (auto s = encode_value(out, t, items[i]); !s.ok()) {
            return at_index(std::move(s).error(), i);
        }
    }
    std::size_t head = start;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const AbiType& t = abi_detail::component_type(type, i);
        if (!t.is_dynamic()) {
            head += t.head_size();
            continue;
        }
        abi_detail::store_u64_word(out.data() + head, out.size() - start);
        if (auto s = encode_value(out, t, items[i]); !s.ok()) return at_index(std::move(s).error(), i);
        head += kWord;
    }
    return {};
}

Status encode_integer(Bytes& out, const AbiType& type, const u256& v, bool is_signed) {
    const Hash word = v.to_be();
    if (!abi_detail::integer_word_fits(type, word.data())) {
        return make_error(Errc::abi_bad_value,
                          std::string(is_signed ? "value out of range for " : "value too large for ") + type.canonical());
    }
    append_word(out, word.data());
    return {};
}

Status encode_value(Bytes& out, const AbiType& type, const AbiValue& value) {
    switch (type.kind()) {
        case Kind::uint: {
            const u256* v = value.get_if<u256>();
            if (v == nullptr) return mismatch(type, alternative_name(value));
            return encode_integer(out, type, *v, false);
        }
        case Kind::int_: {
            const AbiInt* v = value.get_if<AbiInt>();
            if (v == nullptr) return mismatch(type, alternative_name(value));
            return encode_integer(out, type, v->bits, true);
        }
        case Kind::address: {
            const Address* v = value.get_if<Address>();
            if (v == nullptr) return mismatch(type, alternative_name(value));
            out.resize(out.size() + (kWord - Address::size()), 0);
            out.insert(out.end(), v->begin(), v->end());
            return {};
        }
        case Kind::boolean: {
            const bool* v = value.get_if<bool>();
            if (v == nullptr) return mismatch(type, alternative_name(value));
            out.resize(out.size() + kWord, 0);
            out.back() = *v ? 1 : 0;
            return {};
        }
        case Kind::fixed_bytes: {
            const Bytes* v = value.get_if<Bytes>();
            if (v == nullptr) return mismatch(type, alternative_name(value));
            if (v->size() != type.size()) {
                return make_error(Errc::abi_bad_value, type.canonical() + " needs exactly " + std::to_string(type.size()) +
                                                           " bytes, got " + std::to_string(v->size()));
            }
            append_padded(out, *v);
            return {};
        }
        case Kind::bytes:
        case Kind::string: {
            ByteView data;
            if (type.kind() == Kind::bytes) {
                const Bytes* v = value.get_if<Bytes>();
                if (v == nullptr) return mismatch(type, alternative_name(value));
                data = *v;
            } else {
                const std::string* v = value.get_if<std::string>();
                if (v == nullptr) return mismatch(type, alternative_name(value));
                data = as_bytes(*v);
            }
            out.resize(out.size() + kWord);
            abi_detail::store_u64_word(out.data() + out.size() - kWord, data.size());
            append_padded(out, data);
            return {};
        }
        case Kind::array:
        case Kind::fixed_array:
        case Kind::tuple: {
            const AbiValue::List* items = value.get_if<AbiValue::List>();
            if (items == nullptr) return mismatch(type, alternative_name(value));
            const std::size_t expected = type.kind() == Kind::tuple ? type.components().size() : type.size();
            if (type.kind() != Kind::array && items->size() != expected) {
                return make_error(Errc::abi_type_mismatch, type.canonical() + " needs " + std::to_string(expected) +
                                                               " elements, got " + std::to_string(items->size()));
            }
            if (type.kind() == Kind::array) {
                out.resize(out.size() + kWord);
                abi_detail::store_u64_word(out.data() + out.size() - kWord, items->size());
            }
            return encode_sequence(out, type, *items);
        }
    }
    return make_error(Errc::internal, "unknown ABI type kind");
}

}  // namespace

Status encode_into(Bytes& out, const AbiType& type, const AbiValue& value) {
    const std::size_t original = out.size();
    Status s = encode_value(out, type, value);
    if (!s.ok()) out.resize(original);
    return s;
}

Result<Bytes> encode(const AbiType& type, const AbiValue& value) {
    Bytes out;
    SLUICE_CHECK_OK(encode_value(out, type, value));
    return out;
}

Result<Bytes> encode_params(const AbiType& params, const AbiValue& args) {
    SLUICE_CHECK_OK(abi_detail::require_params_tuple(params));
    return encode(params, args);
}

}  // namespace sluice
