// Reading a JSON-RPC request's params in a handler. Every reader takes the params as they came (an array, an
// object or null), the position of the parameter in an array and its name in an object, so a method accepts
// both ["a", "10"] and {"peer":"a","amount":"10"}. A missing or ill-typed parameter is an Error with
// Errc::rpc_invalid_params whose message names the parameter; a handler returns to_rpc_error(error), which
// the client sees as -32602 (rpc_dispatcher.hpp).
//
// Types: strings are JSON strings; amounts (u256) are decimal strings only (no hex, no JSON numbers, which
// lose precision in many clients, no leading zeros); u64 values are non-negative JSON integers; bools are
// JSON true/false. An optional parameter that is absent or null is nullopt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::hub {

Result<std::string> param_string(const nlohmann::json& params, std::size_t position, std::string_view name);
Result<u256> param_u256(const nlohmann::json& params, std::size_t position, std::string_view name);
Result<std::uint64_t> param_u64(const nlohmann::json& params, std::size_t position, std::string_view name);
Result<bool> param_bool(const nlohmann::json& params, std::size_t position, std::string_view name);

Result<std::optional<std::string>> param_optional_string(const nlohmann::json& params, std::size_t position,
                                                         std::string_view name);
Result<std::optional<u256>> param_optional_u256(const nlohmann::json& params, std::size_t position,
                                                std::string_view name);
Result<std::optional<std::uint64_t>> param_optional_u64(const nlohmann::json& params, std::size_t position,
                                                        std::string_view name);
Result<std::optional<bool>> param_optional_bool(const nlohmann::json& params, std::size_t position,
                                                std::string_view name);

// The parameter itself (any JSON type), or nullopt when absent or null: for shapes the readers above do not
// cover (arrays, objects).
std::optional<nlohmann::json> param_raw(const nlohmann::json& params, std::size_t position,
                                        std::string_view name);

// Refuses more parameters than a method takes: an array longer than `names`, an object with a member not
// in `names`, or params that are neither null, an array nor an object.
Status params_at_most(const nlohmann::json& params, std::initializer_list<std::string_view> names);

}  // namespace sluice::hub
