// JSON for the channel types, in the format of contracts/vectors/channel_vectors.json: snake_case keys,
// addresses as EIP-55 hex (lower- or upper-case accepted, a bad mixed-case checksum rejected), bytes and
// hashes as 0x-hex, integers as canonical decimal strings except lock `from`/`to` (JSON numbers), and in a
// SignedState {"state": ..., "sigs": [...]} each signature as 65 bytes 0x-hex (r ‖ s ‖ v, v 27/28) or null.
//
// Parsing is strict: a missing or unknown field, a wrong JSON type, a number out of its field's range, bad
// hex, a leading zero in a decimal, a bad checksum or a high-s signature is an error naming the field path
// (e.g. "outcome[1].locks[0].expiry"): json_bad_field for shape, otherwise the core hex / number /
// signature code. Nothing here throws.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string_view>

#include "sluice/channel/types.hpp"

namespace sluice::channel {

nlohmann::json to_json(const Params& params);
nlohmann::json to_json(const Lock& lock);
nlohmann::json to_json(const Alloc& alloc);
nlohmann::json to_json(const State& state);
nlohmann::json to_json(const SignedState& signed_state);

Result<Params> params_from_json(const nlohmann::json& json);
Result<Lock> lock_from_json(const nlohmann::json& json);
Result<Alloc> alloc_from_json(const nlohmann::json& json);
Result<State> state_from_json(const nlohmann::json& json);
Result<SignedState> signed_state_from_json(const nlohmann::json& json);

// JSON text -> value, for messages and files (json_parse on malformed text, then as above).
Result<State> state_from_json_text(std::string_view text);
Result<SignedState> signed_state_from_json_text(std::string_view text);

}  // namespace sluice::channel
