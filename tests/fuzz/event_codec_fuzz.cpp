// libFuzzer: the stored form of the node's events (a kind and a JSON body read back from the store) never
// crashes the decoder, refuses with store_corrupt only, and what decodes re-encodes to a body that decodes
// to the same event.
#include <cstdlib>
#include <string_view>

#include "sluice/sdk/events.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static constexpr std::string_view kKinds[] = {
        "PeerConnected",    "PeerDisconnected", "ChannelOpening",  "ChannelOpened", "ChannelUpdated",
        "ChannelClosing",   "ChannelClosed",    "PaymentReceived", "PaymentSent",   "PaymentFailed",
        "DepositConfirmed", "DisputeDetected",  "NoSuchEvent"};
    const std::string_view kind = kKinds[data[0] % std::size(kKinds)];
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto event = sluice::sdk::decode_event(kind, body);
    if (!event.ok()) {
        if (event.error().code != sluice::Errc::store_corrupt) std::abort();
        return 0;
    }
    if (sluice::sdk::event_kind(*event) != kind) std::abort();
    const auto again = sluice::sdk::decode_event(kind, sluice::sdk::encode_event_body(*event));
    if (!again.ok() || !(*again == *event)) std::abort();
    return 0;
}
