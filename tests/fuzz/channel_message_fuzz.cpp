// Fuzzes the channel round messages' JSON parser: any bytes either fail cleanly or parse into a message
// whose serialization parses back to the same message (what parses is exactly what we write).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sluice/channel/message_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto message = sluice::channel::parse_message(text);
    if (!message.ok()) return 0;
    const std::string again = sluice::channel::serialize(*message);
    const auto back = sluice::channel::parse_message(again);
    if (!back.ok() || !(*back == *message) || sluice::channel::serialize(*back) != again) std::abort();
    return 0;
}
