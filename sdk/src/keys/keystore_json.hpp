// Field readers shared by the two keystore decoders (keystore.cpp, keystore_v3.cpp): each names the field
// that failed, and none throws. Private to sdk/src/keys.
#pragma once

#include <sodium.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sluice/core/bytes.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/result.hpp"

namespace sluice::sdk::keystore::detail {

inline Error malformed(std::string message) {
    return make_error(Errc::keystore_malformed, "keystore: " + std::move(message));
}

// libsodium must be initialised before its first use; idempotent and thread-safe.
inline Status ensure_sodium() {
    static const bool started = sodium_init() >= 0;
    if (!started) return make_error(Errc::internal, "keystore: libsodium failed to initialise");
    return {};
}

inline Result<const nlohmann::json*> field(const nlohmann::json& object, std::string_view key,
                                           std::string_view where) {
    const auto it = object.find(key);
    if (it == object.end()) return malformed(std::string(where) + std::string(key) + " is missing");
    return &*it;
}

inline Result<std::string> string_field(const nlohmann::json& object, std::string_view key,
                                        std::string_view where) {
    SLUICE_TRY(const nlohmann::json* value, field(object, key, where));
    if (!value->is_string()) return malformed(std::string(where) + std::string(key) + " is not a string");
    return value->get<std::string>();
}

// A non-negative JSON integer in [min, max] (floats, negatives and numbers above 2^64 are refused).
inline Result<std::uint64_t> uint_field(const nlohmann::json& object, std::string_view key,
                                        std::string_view where, std::uint64_t min, std::uint64_t max) {
    SLUICE_TRY(const nlohmann::json* value, field(object, key, where));
    if (!value->is_number_unsigned()) {
        return malformed(std::string(where) + std::string(key) + " is not a non-negative integer");
    }
    const auto n = value->get<std::uint64_t>();
    if (n < min || n > max) {
        return malformed(std::string(where) + std::string(key) + " = " + std::to_string(n) + " is outside [" +
                         std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    return n;
}

inline Result<Bytes> hex_field(const nlohmann::json& object, std::string_view key, std::string_view where,
                               HexPrefix prefix) {
    SLUICE_TRY(const std::string text, string_field(object, key, where));
    auto bytes = from_hex(text, prefix);
    if (!bytes.ok()) {
        return malformed(std::string(where) + std::string(key) + ": " + bytes.error().message);
    }
    return std::move(bytes).value();
}

template <std::size_t N>
Result<FixedBytes<N>> fixed_hex_field(const nlohmann::json& object, std::string_view key,
                                      std::string_view where, HexPrefix prefix) {
    SLUICE_TRY(const Bytes bytes, hex_field(object, key, where, prefix));
    if (bytes.size() != N) {
        return malformed(std::string(where) + std::string(key) + " is " + std::to_string(bytes.size()) +
                         " bytes, not " + std::to_string(N));
    }
    FixedBytes<N> out;
    std::copy(bytes.begin(), bytes.end(), out.bytes.begin());
    return out;
}

}  // namespace sluice::sdk::keystore::detail
