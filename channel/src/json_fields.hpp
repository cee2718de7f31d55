// Strict field readers for the channel layer's JSON (private): each names the offending field in its
// error, so a refused message says exactly what was wrong with it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/secp256k1.hpp"

namespace sluice::channel::json_fields {

// An object with exactly `names` as keys (channel_bad_message naming a missing or an unknown one).
Status expect_fields(const nlohmann::json& object, std::string_view where,
                     std::initializer_list<std::string_view> names);

Result<std::uint64_t> read_uint(const nlohmann::json& object, std::string_view where, std::string_view name,
                                std::uint64_t max);
Result<std::string> read_string(const nlohmann::json& object, std::string_view where, std::string_view name,
                                std::size_t max_length);
Result<Bytes32> read_bytes32(const nlohmann::json& value, std::string_view field);
Result<Signature> read_signature(const nlohmann::json& value, std::string_view field);

std::string hex_of(ByteView bytes);
std::string hex_of(const Signature& signature);

}  // namespace sluice::channel::json_fields
