// The stored form of NodeEvent: every kind round-trips; a body that does not decode is store_corrupt,
// never a guess.
#include <gtest/gtest.h>

#include "sluice/sdk/events.hpp"

namespace sluice::sdk {
namespace {

std::vector<NodeEvent> samples() {
    Hash h;
    h[3] = 0x33;
    Address a;
    a[19] = 0x44;
    return {PeerConnected{a},
            PeerDisconnected{a},
            ChannelOpening{h},
            ChannelOpened{h},
            ChannelUpdated{h, 18'446'744'073'709'551'615ull},
            ChannelClosing{h, 1'700'000'000},
            ChannelClosed{h},
            PaymentReceived{h, h, a, u256::from_dec("123456789012345678901234567890").value()},
            PaymentSent{h, h, a, u256{200}, u256{5}},
            PaymentFailed{h, "node_insufficient_balance", "no channel carries 600"},
            DepositConfirmed{h, a, u256{1}},
            DisputeDetected{h, 7}};
}

TEST(EventCodec, EveryKindRoundTrips) {
    const auto all = samples();
    ASSERT_EQ(all.size(), std::variant_size_v<NodeEvent>);
    for (const auto& e : all) {
        const auto back = decode_event(event_kind(e), encode_event_body(e));
        ASSERT_TRUE(back.ok()) << event_kind(e) << ": " << back.error().describe();
        EXPECT_EQ(*back, e) << event_kind(e);
    }
}

TEST(EventCodec, BadBodiesAreStoreCorrupt) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"NoSuchEvent", "{}"},
        {"PeerConnected", "not json"},
        {"PeerConnected", "[]"},
        {"PeerConnected", "{}"},
        {"PeerConnected", R"({"peer":"0x12"})"},
        {"ChannelUpdated",
         R"({"channel_id":"0x0000000000000000000000000000000000000000000000000000000000000000","version":"-1"})"},
        {"ChannelUpdated",
         R"({"channel_id":"0x0000000000000000000000000000000000000000000000000000000000000000","version":"18446744073709551616"})"},
        {"PaymentFailed", R"({"payment_hash":"0x00","code":"x","reason":"y"})"},
        {"DepositConfirmed",
         R"({"channel_id":1,"asset":"0x0000000000000000000000000000000000000000","total":"1"})"},
    };
    for (const auto& [kind, body] : bad) {
        const auto e = decode_event(kind, body);
        ASSERT_FALSE(e.ok()) << kind << " " << body;
        EXPECT_EQ(e.error().code, Errc::store_corrupt) << kind << " " << body;
    }
}

}  // namespace
}  // namespace sluice::sdk
