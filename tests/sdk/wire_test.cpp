// The wire protocol's codec (wire.hpp): every message type round-trips, and every kind of bad input is a
// typed error naming what is wrong; PeerGuard's rate, pending and bad-message limits.
#include "sluice/sdk/wire.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/sdk/peer_guard.hpp"
#include "sluice/l1/dev_accounts.hpp"

namespace sluice::sdk {
namespace {

channel::Params params() {
    channel::Params p;
    p.chain_id = 31337;
    p.adjudicator = Address::from_hex("0x5fbdb2315678afecb367f032d93f642f64180aa3").value();
    p.participants = {l1::dev_account_key(1).address(), l1::dev_account_key(2).address()};
    p.nonce = 9;
    p.challenge_duration = 3600;
    return p;
}

channel::State initial(const channel::Params& p) {
    channel::State s;
    s.channel_id = channel::channel_id(p);
    s.outcome.push_back({Address{}, {u256{1000}, u256{0}}, {}});
    return s;
}

std::vector<wire::Message> samples() {
    const auto p = params();
    const auto s = initial(p);
    const Signature sig1 = channel::sign_state(l1::dev_account_key(1), p, s);
    const Signature sig2 = channel::sign_state(l1::dev_account_key(2), p, s);
    channel::Completion completion{s.channel_id, s, {sig1, sig2}};
    Hash lock;
    lock[5] = 0x55;
    const std::string inner = wire::encode(wire::Sync{s.channel_id, 12, 13});
    return {wire::OpenChannel{p, s, sig1},
            wire::AcceptChannel{s.channel_id, 1, sig2},
            wire::ChannelMessage{completion},
            wire::Sync{s.channel_id, 12, 13},
            wire::SyncState{s.channel_id, channel::SignedState{s, {sig1, sig2}}},
            wire::Forward{s.channel_id, lock, l1::dev_account_key(3).address(), u256{777}, 1'700'000'000},
            wire::ForwardFailed{s.channel_id, lock, "node_insufficient_balance", "cannot carry 777"},
            wire::ErrorReply{"channel_bad_signature", "signature does not recover", "channel"},
            wire::Relay{l1::dev_account_key(2).address(), inner},
            wire::Relayed{l1::dev_account_key(1).address(), inner}};
}

TEST(Wire, EveryTypeRoundTrips) {
    for (const auto& m : samples()) {
        const std::string text = wire::encode(m);
        const auto back = wire::decode(text);
        ASSERT_TRUE(back.ok()) << wire::type_name(m) << ": " << back.error().describe();
        EXPECT_EQ(*back, m) << text;
        EXPECT_EQ(wire::encode(*back), text);
        const auto j = nlohmann::json::parse(text);
        EXPECT_EQ(j.at("type"), wire::type_name(m));
        EXPECT_EQ(j.at("version"), wire::kVersion);
    }
}

Errc code_of(const std::string& text) {
    const auto r = wire::decode(text);
    EXPECT_FALSE(r.ok()) << text;
    return r.ok() ? Errc::internal : r.error().code;
}

TEST(Wire, BadInputIsTyped) {
    EXPECT_EQ(code_of("not json"), Errc::wire_malformed);
    EXPECT_EQ(code_of("[1,2]"), Errc::wire_malformed);
    EXPECT_EQ(code_of(R"({"version":1})"), Errc::wire_malformed);
    EXPECT_EQ(code_of(R"({"type":"sync"})"), Errc::wire_malformed);
    EXPECT_EQ(code_of(R"({"type":"teleport","version":1})"), Errc::wire_unknown_type);
    EXPECT_EQ(code_of(R"({"type":"sync","version":2,"channel_id":"0x00"})"), Errc::wire_unsupported_version);
    const std::string sync = wire::encode(samples()[3]);
    auto j = nlohmann::json::parse(sync);
    auto with = [&](const char* key, nlohmann::json value) {
        auto copy = j;
        copy[key] = std::move(value);
        return copy.dump();
    };
    EXPECT_EQ(code_of(with("extra", 1)), Errc::wire_malformed);
    EXPECT_EQ(code_of(with("latest_version", 12)), Errc::wire_malformed);  // a number, not a decimal string
    EXPECT_EQ(code_of(with("latest_version", "012")), Errc::wire_malformed);
    EXPECT_EQ(code_of(with("latest_version", "18446744073709551616")), Errc::wire_malformed);  // 2^64
    EXPECT_EQ(code_of(with("channel_id", "0x1234")), Errc::wire_malformed);
    EXPECT_EQ(code_of(with("channel_id", "zz")), Errc::wire_malformed);
    auto missing = j;
    missing.erase("highest_signed");
    EXPECT_EQ(code_of(missing.dump()), Errc::wire_malformed);
    // Duplicate keys are refused by the strict parser: two readers could see two messages.
    EXPECT_EQ(code_of(R"({"type":"error","version":1,"code":"a","message":"b","about":"c","about":"d"})"),
              Errc::wire_malformed);
    // A channel message with a high-s signature inside.
    auto accept = nlohmann::json::parse(wire::encode(samples()[1]));
    accept["signature"] = "0x" + std::string(128, 'f') + "1b";
    EXPECT_EQ(code_of(accept.dump()), Errc::wire_malformed);
    // A relay's inner message is text (decoded by the destination, never by the relay); its address is
    // strict.
    auto relay = nlohmann::json::parse(wire::encode(samples()[8]));
    relay["message"] = nlohmann::json::parse(wire::encode(samples()[3]));
    EXPECT_EQ(code_of(relay.dump()), Errc::wire_malformed);
    relay["message"] = "x";
    relay["to"] = "0x1234";
    EXPECT_EQ(code_of(relay.dump()), Errc::wire_malformed);
    const auto named = wire::decode(with("extra", 1));
    EXPECT_NE(named.error().message.find("extra"), std::string::npos);
}

TEST(PeerGuardTest, RateLimitRefillsWithTime) {
    PeerLimits limits;
    limits.messages_per_second = 10;
    limits.burst = 5;
    limits.max_bad_messages = 100;
    const auto t0 = PeerGuard::Clock::time_point{} + std::chrono::hours(1);
    PeerGuard guard(limits, t0);
    for (int i = 0; i < 5; ++i)
        EXPECT_TRUE(guard.admit(t0).ok()) << i;
    const auto refused = guard.admit(t0);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, Errc::wire_rate_limited);
    EXPECT_EQ(guard.bad_messages(), 1u);
    EXPECT_TRUE(guard.admit(t0 + std::chrono::milliseconds(100)).ok());  // one token back after 0.1 s
    EXPECT_FALSE(guard.admit(t0 + std::chrono::milliseconds(100)).ok());
}

TEST(PeerGuardTest, PendingWorkIsBounded) {
    PeerLimits limits;
    limits.max_pending = 2;
    PeerGuard guard(limits);
    EXPECT_TRUE(guard.begin_work().ok());
    EXPECT_TRUE(guard.begin_work().ok());
    const auto third = guard.begin_work();
    ASSERT_FALSE(third.ok());
    EXPECT_EQ(third.error().code, Errc::wire_too_much_pending);
    guard.end_work();
    EXPECT_TRUE(guard.begin_work().ok());
}

TEST(PeerGuardTest, DisconnectAfterTheThreshold) {
    PeerLimits limits;
    limits.max_bad_messages = 3;
    PeerGuard guard(limits);
    EXPECT_FALSE(guard.record_bad());
    EXPECT_FALSE(guard.record_bad());
    EXPECT_FALSE(guard.record_bad());
    EXPECT_TRUE(guard.record_bad());
}

}  // namespace
}  // namespace sluice::sdk
