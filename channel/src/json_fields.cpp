// Strict JSON field readers of the channel layer (json_fields.hpp).
#include "json_fields.hpp"

#include <algorithm>

#include "sluice/core/hex.hpp"

namespace sluice::channel::json_fields {
namespace {

Error bad(std::string_view where, std::string_view name, std::string_view what) {
    return make_error(Errc::channel_bad_message,
                      std::string(where) + "." + std::string(name) + ": " + std::string(what));
}

}  // namespace

Status expect_fields(const nlohmann::json& object, std::string_view where,
                     std::initializer_list<std::string_view> names) {
    if (!object.is_object())
        return make_error(Errc::channel_bad_message, std::string(where) + ": expected an object");
    for (const auto& [key, value] : object.items()) {
        if (std::find(names.begin(), names.end(), key) == names.end())
            return bad(where, key, "unknown field");
    }
    for (const auto name : names) {
        if (!object.contains(name)) return bad(where, name, "missing");
    }
    return {};
}

Result<std::uint64_t> read_uint(const nlohmann::json& object, std::string_view where, std::string_view name,
                                std::uint64_t max) {
    const auto& value = object.at(std::string(name));
    if (!value.is_number_unsigned()) return bad(where, name, "expected an unsigned integer");
    const auto v = value.get<std::uint64_t>();
    if (v > max) return bad(where, name, "out of range (max " + std::to_string(max) + ")");
    return v;
}

Result<std::string> read_string(const nlohmann::json& object, std::string_view where, std::string_view name,
                                std::size_t max_length) {
    const auto& value = object.at(std::string(name));
    if (!value.is_string()) return bad(where, name, "expected a string");
    auto s = value.get<std::string>();
    if (s.size() > max_length) return bad(where, name, "longer than " + std::to_string(max_length));
    return s;
}

Result<Bytes32> read_bytes32(const nlohmann::json& value, std::string_view field) {
    if (!value.is_string())
        return make_error(Errc::channel_bad_message, std::string(field) + ": expected 0x-hex");
    auto bytes = fixed_from_hex<32>(value.get_ref<const std::string&>());
    if (!bytes.ok())
        return make_error(Errc::channel_bad_message, std::string(field) + ": " + bytes.error().message);
    return *bytes;
}

Result<Signature> read_signature(const nlohmann::json& value, std::string_view field) {
    if (!value.is_string())
        return make_error(Errc::channel_bad_message, std::string(field) + ": expected 0x-hex");
    auto bytes = from_hex(value.get_ref<const std::string&>());
    if (!bytes.ok())
        return make_error(Errc::channel_bad_message, std::string(field) + ": " + bytes.error().message);
    // from_bytes also takes v as 0/1; only the 27/28 form we write is canonical.
    if (bytes->size() != 65 || (bytes->back() != 27 && bytes->back() != 28)) {
        return make_error(Errc::channel_bad_message,
                          std::string(field) + ": expected 65 bytes r||s||v with v 27 or 28");
    }
    auto sig = Signature::from_bytes(*bytes);
    if (!sig.ok())
        return make_error(Errc::channel_bad_message, std::string(field) + ": " + sig.error().message);
    return *sig;
}

std::string hex_of(ByteView bytes) {
    return to_hex(bytes);
}
std::string hex_of(const Signature& signature) {
    const auto bytes = signature.to_bytes();
    return to_hex(ByteView{bytes.data(), bytes.size()});
}

}  // namespace sluice::channel::json_fields
