// Strict readers for the fields of channel JSON objects. Each takes the JSON path of the value it reads, so
// every error names the field (e.g. "outcome[1].locks[0].expiry: ..."); none of them throws.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/secp256k1.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::channel::json_fields {

using Json = nlohmann::json;

// Text -> JSON, rejecting duplicate keys (Errc::json_parse): nlohmann keeps the last one and other
// parsers the first, so a text with duplicates could read differently to its sender and to us.
Result<Json> parse_text(std::string_view text);

// "outcome[1]" + "locks" -> "outcome[1].locks"; the root has the empty path.
std::string member_path(const std::string& path, std::string_view key);
std::string element_path(const std::string& path, std::size_t index);

// Error `code` with the path in front of the message (the root path reads as "value").
Error at(const std::string& path, Errc code, const std::string& message);

// An object with exactly these keys: none missing, none unknown.
Status expect_object(const Json& json, const std::string& path, std::initializer_list<std::string_view> keys);
// The member a successful expect_object() guaranteed.
const Json& member(const Json& object, std::string_view key);
Status expect_array(const Json& json, const std::string& path);

Result<u256> read_u256(const Json& json, const std::string& path);  // canonical decimal string
Result<std::uint64_t> read_uint(const Json& json, const std::string& path, std::uint64_t max);
Result<std::uint16_t> read_uint16_number(const Json& json, const std::string& path);  // a JSON number
Result<Address> read_address(const Json& json, const std::string& path);
Result<Hash> read_hash(const Json& json, const std::string& path);
Result<Bytes> read_bytes(const Json& json, const std::string& path);
Result<bool> read_bool(const Json& json, const std::string& path);
Result<Signature> read_signature(const Json& json, const std::string& path);

}  // namespace sluice::channel::json_fields
