// Strict JSON field readers for channel/json.cpp: exact key sets, exact JSON types, canonical decimals,
// range checks per field, and the path of the field in every error.
#include "json_fields.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "sluice/core/hex.hpp"
#include "sluice/core/json_text.hpp"

namespace sluice::channel::json_fields {
namespace {

Result<const std::string*> string_at(const Json& json, const std::string& path, const char* what) {
    if (!json.is_string())
        return at(path, Errc::json_bad_field, std::string("expected ") + what + ", got " + json.type_name());
    return json.get_ptr<const std::string*>();
}

// Keeps the core error code (hex, number, checksum, signature) and puts the path in front.
Error located(const std::string& path, const Error& error) {
    return at(path, error.code, error.message);
}

}  // namespace

std::string member_path(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string element_path(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

Error at(const std::string& path, Errc code, const std::string& message) {
    return make_error(code, (path.empty() ? std::string("value") : path) + ": " + message);
}

Status expect_object(const Json& json, const std::string& path,
                     std::initializer_list<std::string_view> keys) {
    if (!json.is_object())
        return at(path, Errc::json_bad_field, std::string("expected an object, got ") + json.type_name());
    for (std::string_view key : keys) {
        if (json.find(key) == json.end()) return at(member_path(path, key), Errc::json_bad_field, "missing");
    }
    for (const auto& item : json.items()) {
        if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) {
            return at(member_path(path, item.key()), Errc::json_bad_field, "unknown field");
        }
    }
    return {};
}

const Json& member(const Json& object, std::string_view key) {
    return *object.find(key);
}

Status expect_array(const Json& json, const std::string& path) {
    if (!json.is_array())
        return at(path, Errc::json_bad_field, std::string("expected an array, got ") + json.type_name());
    return {};
}

Result<u256> read_u256(const Json& json, const std::string& path) {
    SLUICE_TRY(const std::string* text, string_at(json, path, "a decimal string"));
    // One spelling per number: signed JSON should not have two texts for the same value.
    if (text->size() > 1 && (*text)[0] == '0')
        return at(path, Errc::bad_number, "leading zero in \"" + *text + "\"");
    auto value = u256::from_dec(*text);
    if (!value.ok()) return located(path, value.error());
    return *value;
}

Result<std::uint64_t> read_uint(const Json& json, const std::string& path, std::uint64_t max) {
    SLUICE_TRY(const u256 value, read_u256(json, path));
    if (!value.fits_u64() || value.low64() > max) {
        return at(path, Errc::overflow, value.to_dec() + " exceeds " + std::to_string(max));
    }
    return value.low64();
}

Result<std::uint16_t> read_uint16_number(const Json& json, const std::string& path) {
    if (!json.is_number_integer())
        return at(path, Errc::json_bad_field, std::string("expected an integer, got ") + json.type_name());
    // Parsed text stores non-negative integers as unsigned, but values built in C++ from an int are signed.
    const bool in_range = json.is_number_unsigned()
                              ? json.get<std::uint64_t>() <= UINT16_MAX
                              : json.get<std::int64_t>() >= 0 && json.get<std::int64_t>() <= UINT16_MAX;
    if (!in_range) return at(path, Errc::overflow, json.dump() + " outside 0..65535");
    return static_cast<std::uint16_t>(json.get<std::uint64_t>());
}

Result<Address> read_address(const Json& json, const std::string& path) {
    SLUICE_TRY(const std::string* text, string_at(json, path, "an address string"));
    auto address = Address::from_hex(*text);
    if (!address.ok()) return located(path, address.error());
    return *address;
}

Result<Bytes> read_bytes(const Json& json, const std::string& path) {
    SLUICE_TRY(const std::string* text, string_at(json, path, "a 0x-hex string"));
    auto bytes = from_hex(*text, HexPrefix::required);
    if (!bytes.ok()) return located(path, bytes.error());
    return std::move(bytes).value();
}

Result<Hash> read_hash(const Json& json, const std::string& path) {
    SLUICE_TRY(const Bytes bytes, read_bytes(json, path));
    auto hash = Hash::from_view(bytes);
    if (!hash.ok()) return located(path, hash.error());
    return *hash;
}

Result<bool> read_bool(const Json& json, const std::string& path) {
    if (!json.is_boolean())
        return at(path, Errc::json_bad_field, std::string("expected a boolean, got ") + json.type_name());
    return json.get<bool>();
}

Result<Signature> read_signature(const Json& json, const std::string& path) {
    SLUICE_TRY(const Bytes bytes, read_bytes(json, path));
    auto sig = Signature::from_bytes(bytes);
    if (!sig.ok()) return located(path, sig.error());
    return *sig;
}

Result<Json> parse_text(std::string_view text) {
    return parse_json_strict(text);
}

}  // namespace sluice::channel::json_fields
