// libFuzzer: the channel JSON readers never crash on arbitrary text, and whatever they accept survives a
// serialise/parse round trip unchanged (same value, same JSON), so what a peer sent is what we sign.
#include <nlohmann/json.hpp>
#include <string_view>

#include "sluice/channel/json.hpp"

namespace {

using Json = nlohmann::json;

template <class T, class Read>
void check_round_trip(const Json& json, Read read) {
    const sluice::Result<T> value = read(json);
    if (!value.ok()) return;
    const Json written = sluice::channel::to_json(*value);
    const sluice::Result<T> again = read(written);
    if (!again.ok() || !(*again == *value) || sluice::channel::to_json(*again) != written) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const Json json = Json::parse(text.begin(), text.end(), nullptr, false);
    if (json.is_discarded()) return 0;
    check_round_trip<sluice::channel::State>(json, sluice::channel::state_from_json);
    check_round_trip<sluice::channel::SignedState>(json, sluice::channel::signed_state_from_json);
    check_round_trip<sluice::channel::Params>(json, sluice::channel::params_from_json);
    // the text entry point must agree with parse-then-read
    const auto from_text = sluice::channel::signed_state_from_json_text(text);
    const auto from_json = sluice::channel::signed_state_from_json(json);
    if (from_text.ok() != from_json.ok() || (from_text.ok() && !(*from_text == *from_json))) __builtin_trap();
    return 0;
}
