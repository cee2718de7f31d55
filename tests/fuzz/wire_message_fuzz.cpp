// libFuzzer: the node's wire decoder (sdk/wire.hpp) on arbitrary text. It must never crash, and what it
// accepts must encode to text that decodes to the same message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sluice/sdk/wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto message = sluice::sdk::wire::decode(text);
    if (!message) return 0;
    const auto again = sluice::sdk::wire::decode(sluice::sdk::wire::encode(*message));
    if (!again || !(*again == *message)) std::abort();
    return 0;
}
