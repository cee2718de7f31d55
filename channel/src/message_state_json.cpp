// A State inside a message: its canonical ABI encoding (abi.encode(state), the bytes the adjudicator
// decodes) as 0x-hex. decode_state() is strict, so exactly one text stands for each state and what parses
// re-serializes to the same text.
#include "message_state_json.hpp"

#include <string>

#include "sluice/channel/encoding.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::channel {

nlohmann::json state_json(const State& state) { return to_hex(encode(state)); }

Result<State> state_from_message_json(const nlohmann::json& json, std::string_view field) {
    const auto fail = [&](const std::string& what) {
        return make_error(Errc::channel_bad_message, std::string(field) + ": " + what);
    };
    if (!json.is_string()) return fail("expected the 0x-hex ABI encoding of a state");
    auto bytes = from_hex(json.get_ref<const std::string&>());
    if (!bytes.ok()) return fail(bytes.error().message);
    auto state = decode_state(*bytes);
    if (!state.ok()) return fail(state.error().describe());
    return std::move(state).value();
}

}  // namespace sluice::channel
