// EIP-712: encodeType, typeHash, encodeData over JSON values, hashStruct, domain separator and digest.
#include "sluice/core/eip712.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice {
namespace {

using Kind = AbiType::Kind;
using nlohmann::json;

// Nested struct and array values deeper than this are refused rather than recursed into.
constexpr std::size_t kMaxValueDepth = 64;

Error bad_type(std::string message) { return make_error(Errc::eip712_bad_type, std::move(message)); }
Error bad_value(std::string message) { return make_error(Errc::eip712_bad_value, std::move(message)); }

// Prefixes a field path segment (".from", "[2]") to an error message.
Error within(Error e, const std::string& segment) {
    e.message = segment + (e.message.empty() || e.message.front() == '.' || e.message.front() == '['
                               ? ""
                               : ": ") +
                e.message;
    return e;
}

bool is_identifier(std::string_view s) {
    const auto start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$'; };
    const auto rest = [&](char c) { return start(c) || (c >= '0' && c <= '9'); };
    return !s.empty() && start(s.front()) && std::all_of(s.begin() + 1, s.end(), rest);
}

// A field type split at its last array suffix: "Person[2][]" -> element "Person[2]", dynamic.
struct ArraySuffix {
    std::string_view element;
    std::size_t length = 0;  // 0: dynamic T[]
};

Result<ArraySuffix> split_array(std::string_view type) {
    const std::size_t open = type.rfind('[');
    if (open == std::string_view::npos || open == 0) return bad_type("bad array type \"" + std::string(type) + "\"");
    const std::string_view digits = type.substr(open + 1, type.size() - open - 2);
    ArraySuffix out{type.substr(0, open), 0};
    if (digits.empty()) return out;
    if (digits.size() > 9 || digits.front() == '0' ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return bad_type("bad array length in \"" + std::string(type) + "\"");
    }
    for (const char c : digits) out.length = out.length * 10 + static_cast<std::size_t>(c - '0');
    return out;
}

// The type of a field with every array suffix removed, checked to be a known struct or an atomic or
// dynamic (bytes, string) ABI type.
struct BaseType {
    std::string_view name;
    bool is_struct = false;
};

Result<BaseType> base_type(std::string_view type, const Eip712Types& types) {
    while (!type.empty() && type.back() == ']') {
        SLUICE_TRY(const ArraySuffix a, split_array(type));
        type = a.element;
    }
    if (types.find(type) != types.end()) return BaseType{type, true};
    auto abi = AbiType::parse(type);
    if (!abi.ok() || abi->kind() == Kind::tuple || abi->kind() == Kind::array || abi->kind() == Kind::fixed_array) {
        return bad_type("unknown type \"" + std::string(type) + "\"");
    }
    return BaseType{type, false};
}

Status check_struct(std::string_view name, const std::vector<Eip712Field>& fields, const Eip712Types& types) {
    if (!is_identifier(name)) return bad_type("bad struct name \"" + std::string(name) + "\"");
    if (AbiType::parse(name).ok()) return bad_type("struct name \"" + std::string(name) + "\" is an atomic type");
    std::set<std::string_view> seen;
    for (const Eip712Field& f : fields) {
        if (!is_identifier(f.name)) return bad_type(std::string(name) + ": bad field name \"" + f.name + "\"");
        if (!seen.insert(f.name).second) return bad_type(std::string(name) + ": duplicate field \"" + f.name + "\"");
        auto base = base_type(f.type, types);
        if (!base.ok()) return within(std::move(base).error(), std::string(name) + "." + f.name);
    }
    return {};
}

// Struct types reachable from `name` (including itself), each checked.
Status collect_dependencies(std::string_view name, const Eip712Types& types, std::set<std::string_view>& found) {
    const auto it = types.find(name);
    if (it == types.end()) return bad_type("unknown struct type \"" + std::string(name) + "\"");
    if (!found.insert(it->first).second) return {};
    SLUICE_CHECK_OK(check_struct(it->first, it->second, types));
    for (const Eip712Field& f : it->second) {
        SLUICE_TRY(const BaseType base, base_type(f.type, types));
        if (base.is_struct) SLUICE_CHECK_OK(collect_dependencies(base.name, types, found));
    }
    return {};
}

void append_struct_signature(std::string& out, const std::string& name, const std::vector<Eip712Field>& fields) {
    out += name;
    out += '(';
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i != 0) out += ',';
        out += fields[i].type;
        out += ' ';
        out += fields[i].name;
    }
    out += ')';
}

// An integer JSON value (number or decimal / 0x-hex string, optionally negative) as two's complement.
Result<AbiValue> integer_value(const AbiType& type, const json& v) {
    bool negative = false;
    u256 magnitude;
    if (v.is_number_unsigned()) {
        magnitude = u256(v.get<std::uint64_t>());
    } else if (v.is_number_integer()) {
        const std::int64_t i = v.get<std::int64_t>();
        negative = i < 0;
        magnitude = negative ? u256(~static_cast<std::uint64_t>(i) + 1) : u256(static_cast<std::uint64_t>(i));
    } else if (v.is_string()) {
        std::string_view text = v.get_ref<const std::string&>();
        if (!text.empty() && text.front() == '-') {
            negative = true;
            text.remove_prefix(1);
        }
        auto parsed = u256::from_string(text);
        if (!parsed.ok()) return bad_value("bad integer \"" + v.get<std::string>() + "\": " + parsed.error().describe());
        magnitude = *parsed;
    } else {
        return bad_value("expected an integer for " + type.canonical() + ", got " + v.type_name());
    }
    if (type.kind() == Kind::uint) {
        if (negative && !magnitude.is_zero()) return bad_value("negative value for " + type.canonical());
        return AbiValue::uint(magnitude);
    }
    const AbiInt bits{negative ? -magnitude : magnitude};
    // Past 2^255 the 256-bit two's complement wraps; the narrower widths are checked by the encoder.
    if (!magnitude.is_zero() && bits.is_negative() != negative) return bad_value("value out of range for " + type.canonical());
    return AbiValue::int_(bits);
}

Result<Bytes> hex_value(const json& v) {
    if (!v.is_string()) return bad_value(std::string("expected 0x-hex bytes, got ") + v.type_name());
    auto bytes = from_hex(v.get_ref<const std::string&>());
    if (!bytes.ok()) return bad_value("bad hex: " + bytes.error().describe());
    return std::move(bytes).value();
}

// The 32-byte encoding of an atomic value, or the hash of a bytes/string value.
Status encode_atomic(Bytes& out, std::string_view type_name, const json& v) {
    SLUICE_TRY(const AbiType type, AbiType::parse(type_name));
    AbiValue value;
    switch (type.kind()) {
        case Kind::uint:
        case Kind::int_: {
            SLUICE_TRY(value, integer_value(type, v));
            break;
        }
        case Kind::address: {
            if (!v.is_string()) return bad_value(std::string("expected a 0x-hex address, got ") + v.type_name());
            auto a = Address::from_hex(v.get_ref<const std::string&>());
            if (!a.ok()) return bad_value("bad address: " + a.error().describe());
            value = AbiValue::address(*a);
            break;
        }
        case Kind::boolean:
            if (!v.is_boolean()) return bad_value(std::string("expected true or false, got ") + v.type_name());
            value = AbiValue::boolean(v.get<bool>());
            break;
        case Kind::fixed_bytes: {
            SLUICE_TRY(const Bytes b, hex_value(v));
            value = AbiValue::bytes(b);
            break;
        }
        case Kind::bytes: {
            SLUICE_TRY(const Bytes b, hex_value(v));
            const Hash h = keccak256(b);
            out.insert(out.end(), h.begin(), h.end());
            return {};
        }
        case Kind::string: {
            if (!v.is_string()) return bad_value(std::string("expected a string, got ") + v.type_name());
            const Hash h = keccak256(as_bytes(v.get_ref<const std::string&>()));
            out.insert(out.end(), h.begin(), h.end());
            return {};
        }
        case Kind::array:
        case Kind::fixed_array:
        case Kind::tuple: return bad_type("\"" + std::string(type_name) + "\" is not an atomic type");
    }
    auto s = encode_into(out, type, value);
    if (!s.ok()) return bad_value(s.error().message);
    return {};
}

class DataEncoder {
public:
    explicit DataEncoder(const Eip712Types& types) : types_(types) {}

    // encodeData of a struct value (without its type hash).
    Status struct_data(Bytes& out, std::string_view name, const json& value, std::size_t depth) {
        if (depth > kMaxValueDepth) return bad_value("value nested deeper than " + std::to_string(kMaxValueDepth));
        const auto it = types_.find(name);
        if (it == types_.end()) return bad_type("unknown struct type \"" + std::string(name) + "\"");
        if (!value.is_object()) return bad_value("expected an object for " + std::string(name) + ", got " + value.type_name());
        for (const Eip712Field& f : it->second) {
            const auto field = value.find(f.name);
            if (field == value.end()) return bad_value("." + f.name + ": missing");
            if (auto s = field_value(out, f.type, *field, depth); !s.ok()) return within(std::move(s).error(), "." + f.name);
        }
        return {};
    }

    Result<Hash> struct_hash(std::string_view name, const json& value, std::size_t depth) {
        auto cached = type_hashes_.find(name);
        if (cached == type_hashes_.end()) {
            SLUICE_TRY(const Hash computed, type_hash(name, types_));
            cached = type_hashes_.emplace(std::string(name), computed).first;
        }
        const Hash th = cached->second;
        Bytes data;
        SLUICE_CHECK_OK(struct_data(data, name, value, depth));
        return hash_struct_encoded(th, data);
    }

private:
    // Appends the 32-byte encoding of a field of type `type`.
    Status field_value(Bytes& out, std::string_view type, const json& value, std::size_t depth) {
        if (!type.empty() && type.back() == ']') {
            SLUICE_TRY(const ArraySuffix a, split_array(type));
            if (!value.is_array()) return bad_value("expected an array for " + std::string(type) + ", got " + value.type_name());
            if (a.length != 0 && value.size() != a.length) {
                return bad_value(std::string(type) + " needs " + std::to_string(a.length) + " elements, got " +
                                 std::to_string(value.size()));
            }
            if (depth + 1 > kMaxValueDepth) return bad_value("value nested deeper than " + std::to_string(kMaxValueDepth));
            Bytes elements;
            for (std::size_t i = 0; i < value.size(); ++i) {
                if (auto s = field_value(elements, a.element, value[i], depth + 1); !s.ok()) {
                    return within(std::move(s).error(), "[" + std::to_string(i) + "]");
                }
            }
            const Hash h = keccak256(elements);
            out.insert(out.end(), h.begin(), h.end());
            return {};
        }
        if (types_.find(type) != types_.end()) {
            SLUICE_TRY(const Hash h, struct_hash(type, value, depth + 1));
            out.insert(out.end(), h.begin(), h.end());
            return {};
        }
        auto s = encode_atomic(out, type, value);
        if (!s.ok() && s.error().code == Errc::abi_bad_type) return bad_type("unknown type \"" + std::string(type) + "\"");
        return s;
    }

    const Eip712Types& types_;
    std::map<std::string, Hash, std::less<>> type_hashes_;  // arrays of structs reuse their type hash
};

}  // namespace

Hash Eip712Domain::domain_separator() const {
    static const Hash kTypeHash = keccak256(as_bytes(kEncodedType));
    Bytes fields;
    fields.reserve(4 * 32);
    const Hash name_hash = keccak256(as_bytes(name));
    const Hash version_hash = keccak256(as_bytes(version));
    fields.insert(fields.end(), name_hash.begin(), name_hash.end());
    fields.insert(fields.end(), version_hash.begin(), version_hash.end());
    const Hash chain = chain_id.to_be();
    fields.insert(fields.end(), chain.begin(), chain.end());
    fields.resize(fields.size() + 12, 0);
    fields.insert(fields.end(), verifying_contract.begin(), verifying_contract.end());
    return hash_struct_encoded(kTypeHash, fields);
}

Result<Eip712Types> eip712_types_from_json(const json& types) {
    if (!types.is_object()) return bad_type("types must be an object");
    Eip712Types out;
    for (const auto& [name, fields] : types.items()) {
        if (!fields.is_array()) return bad_type(name + ": fields must be an array");
        std::vector<Eip712Field>& list = out[name];
        for (const json& f : fields) {
            const auto n = f.is_object() ? f.find("name") : f.end();
            const auto t = f.is_object() ? f.find("type") : f.end();
            if (n == f.end() || t == f.end() || !n->is_string() || !t->is_string()) {
                return bad_type(name + ": each field needs string \"name\" and \"type\"");
            }
            list.push_back(Eip712Field{n->get<std::string>(), t->get<std::string>()});
        }
    }
    return out;
}

Result<std::string> encode_type(std::string_view primary, const Eip712Types& types) {
    std::set<std::string_view> found;
    SLUICE_CHECK_OK(collect_dependencies(primary, types, found));
    const auto primary_it = types.find(primary);
    std::string out;
    append_struct_signature(out, primary_it->first, primary_it->second);
    for (const std::string_view dep : found) {  // std::set iterates in name order
        if (dep == primary) continue;
        const auto it = types.find(dep);
        append_struct_signature(out, it->first, it->second);
    }
    return out;
}

Result<Hash> type_hash(std::string_view primary, const Eip712Types& types) {
    SLUICE_TRY(const std::string encoded, encode_type(primary, types));
    return keccak256(as_bytes(encoded));
}

Result<Bytes> encode_data(std::string_view primary, const Eip712Types& types, const json& value) {
    SLUICE_CHECK_OK(encode_type(primary, types));  // validates every reachable type first
    Bytes out;
    SLUICE_CHECK_OK(DataEncoder(types).struct_data(out, primary, value, 0));
    return out;
}

Result<Hash> hash_struct(std::string_view primary, const Eip712Types& types, const json& value) {
    return DataEncoder(types).struct_hash(primary, value, 0);
}

Hash hash_struct_encoded(const Hash& type_hash, ByteView encoded_fields) {
    Keccak256 k;
    k.update(type_hash.view());
    k.update(encoded_fields);
    return k.finalize();
}

Hash typed_data_digest(const Hash& domain_separator, const Hash& struct_hash) {
    Keccak256 k;
    static constexpr std::uint8_t kPrefix[2] = {0x19, 0x01};
    k.update(ByteView(kPrefix, 2));
    k.update(domain_separator.view());
    k.update(struct_hash.view());
    return k.finalize();
}

}  // namespace sluice
