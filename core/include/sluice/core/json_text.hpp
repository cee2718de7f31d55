// JSON text -> nlohmann::json for every JSON that enters a process (channel messages, JSON-RPC requests).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "sluice/core/result.hpp"

namespace sluice {

// Parses without throwing and rejects duplicate keys (Errc::json_parse): nlohmann keeps the last one and
// other parsers the first, so a text with duplicates could read differently to its sender and to us.
Result<nlohmann::json> parse_json_strict(std::string_view text);

}  // namespace sluice
