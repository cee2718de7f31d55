// How a State travels inside a message's JSON (private), wrapped so the message layer names the field
// on error.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "sluice/channel/types.hpp"

namespace sluice::channel {

nlohmann::json state_json(const State& state);
Result<State> state_from_message_json(const nlohmann::json& json, std::string_view field);

}  // namespace sluice::channel
