// JSON of the round messages: every kind round-trips, and every field is checked strictly, with the field
// named in the error.
#include "sluice/channel/message_json.hpp"

#include <nlohmann/json.hpp>

#include "channel_test_support.hpp"
#include "machine_test_support.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::channel::test {
namespace {

State sample_state(const Params& params) {
    State s = initial_state(params, 1000);
    s.version = 9;
    s.outcome[0].balances[0] = 400;
    s.outcome[0].locks.push_back(Lock{hashlock_of(preimage_of(1)), 600, 0, 1, kStartTime + 3600});
    return s;
}

Rejection signed_rejection(const Params& params, const State& refused, std::size_t sender) {
    Rejection r{channel_id(params),
                refused.version,
                static_cast<std::uint16_t>(sender),
                Errc::channel_conflict,
                "crossed with \"x\"\n",
                10,
                {}};
    r.signature = sign(key_of(sender), rejection_digest(params, refused, r));
    return r;
}

std::vector<Message> samples() {
    const Params params = make_params(3);
    const State s = sample_state(params);
    const Hash id = channel_id(params);
    const SignedState full = sign_by_all(params, s);
    std::vector<Signature> sigs;
    for (const auto& sig : full.sigs)
        sigs.push_back(*sig);
    return {
        Proposal{id,
                 2,
                 7,
                 s,
                 {preimage_of(3), preimage_of(4)},
                 sign(key_of(2), proposal_digest(params, s, 7, {}))},
        Countersignature{id, 9, 1, *full.sigs[1]},
        Completion{id, s, sigs},
        signed_rejection(params, s, 0),
    };
}

Error parse_error(const nlohmann::json& j) {
    const auto r = message_from_json(j);
    EXPECT_FALSE(r.ok()) << j.dump();
    return r.ok() ? Error{} : r.error();
}

TEST(MessageJson, EveryKindRoundTrips) {
    for (const Message& m : samples()) {
        const std::string text = serialize(m);
        const auto back = parse_message(text);
        ASSERT_TRUE(back.ok()) << back.error().describe() << "\n" << text;
        EXPECT_EQ(*back, m);
        EXPECT_EQ(serialize(*back), text);
    }
}

// States of every shape (2-16 parties, several assets, locks, app data, full-width amounts) travel intact.
TEST(MessageJson, RandomStatesRoundTrip) {
    RandomChannel random(5);
    for (int i = 0; i < 200; ++i) {
        const Params params = random.params(2 + random.below(15));
        const State s = random.state(params, random.below(4));
        std::vector<Signature> sigs(params.participants.size(), sign(key_of(0), s.channel_id));
        const Message m = Completion{s.channel_id, s, sigs};
        const auto back = parse_message(serialize(m));
        ASSERT_TRUE(back.ok()) << back.error().describe();
        ASSERT_EQ(*back, m);
    }
}

TEST(MessageJson, FieldsAreSnakeCaseAndHex) {
    const auto j = to_json(samples()[0]);
    EXPECT_EQ(j["type"], "proposal");
    EXPECT_EQ(j["proposer"], 2);
    EXPECT_EQ(j["base_version"], "7");
    EXPECT_TRUE(j["state"].is_object());
    EXPECT_EQ(j["signature"].get<std::string>().size(), 2u + 130u);
    EXPECT_EQ(j["signature"].get<std::string>().substr(0, 2), "0x");
    EXPECT_EQ(to_json(samples()[3])["code"], "channel_conflict");
}

TEST(MessageJson, UnknownAndMissingFieldsAreNamed) {
    for (const Message& m : samples()) {
        auto j = to_json(m);
        const std::string type = j["type"];
        auto extra = j;
        extra["surprise"] = 1;
        EXPECT_NE(parse_error(extra).message.find("surprise"), std::string::npos);
        for (const auto& [key, value] : j.items()) {
            if (key == "type") continue;
            auto missing = j;
            missing.erase(key);
            const Error e = parse_error(missing);
            EXPECT_EQ(e.code, Errc::json_bad_field);
            EXPECT_NE(e.message.find(type + "." + key), std::string::npos) << e.message;
        }
    }
}

TEST(MessageJson, WrongTypesAndRangesAreNamed) {
    auto p = to_json(samples()[0]);
    const auto expect_field = [](nlohmann::json j, const std::string& field, const nlohmann::json& value) {
        j[field] = value;
        const Error e = parse_error(j);
        EXPECT_NE(e.message.find(field), std::string::npos) << field << ": " << e.message;
    };
    expect_field(p, "proposer", 65536);
    expect_field(p, "proposer", -1);
    expect_field(p, "proposer", "1");
    expect_field(p, "proposer", 1.5);
    expect_field(p, "base_version", 7);     // versions are decimal strings
    expect_field(p, "base_version", "07");  // one spelling per number
    expect_field(p, "channel_id", "0x1234");
    expect_field(p, "channel_id", std::string(66, 'z'));
    expect_field(p, "preimages", "0x");
    expect_field(p, "preimages", nlohmann::json::array({"0x00"}));
    expect_field(p, "signature", "0x" + std::string(130, '0'));
    expect_field(p, "state", 5);
    auto c = to_json(samples()[1]);
    expect_field(c, "signer", nlohmann::json());
    expect_field(c, "version", "18446744073709551616");  // 2^64
    auto r = to_json(samples()[3]);
    expect_field(r, "code", "invalid_argument");  // not a channel code
    expect_field(r, "code", "no_such_code");
    expect_field(r, "code", "unknown");  // what errc_name() says for unassigned values
    expect_field(r, "reason", std::string(2000, 'a'));
    expect_field(r, "min_version", nlohmann::json::array());
    expect_field(r, "signature", "0x" + std::string(130, '0'));
    expect_field(r, "signature", nlohmann::json());
}

TEST(MessageJson, HighSSignaturesAreRefused) {
    auto c = to_json(samples()[1]);
    const Signature sig = std::get<Countersignature>(samples()[1]).signature;
    Signature high = sig;
    (u256::from_be(kSecp256k1Order.view()) - u256::from_be(sig.s.view())).store_be(high.s.data());
    high.v = static_cast<std::uint8_t>(sig.v ^ 1);
    const auto bytes = high.to_bytes();
    c["signature"] = to_hex(ByteView{bytes.data(), bytes.size()});
    EXPECT_NE(parse_error(c).message.find("countersignature.signature"), std::string::npos);
}

TEST(MessageJson, DuplicateKeysAreRefusedAtAnyDepth) {
    // nlohmann would keep the last of two equal keys and other parsers the first: a message with
    // duplicates could mean one thing to its sender and another to us.
    for (const Message& m : samples()) {
        const std::string text = serialize(m);
        ASSERT_TRUE(parse_message(text).ok());
        // The same top-level key again, with the value it already has.
        const std::string top =
            "{\"channel_id\":" + nlohmann::json::parse(text)["channel_id"].dump() + "," + text.substr(1);
        const auto r = parse_message(top);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, Errc::json_parse);
        EXPECT_NE(r.error().message.find("duplicate key \"channel_id\""), std::string::npos)
            << r.error().message;
    }
    // Inside a nested object (a lock of the proposal's state).
    const std::string text = serialize(samples()[0]);
    const std::size_t at = text.find("\"hashlock\":");
    ASSERT_NE(at, std::string::npos);
    const std::string nested = text.substr(0, at) + "\"amount\":\"1\"," + text.substr(at);
    const auto r = parse_message(nested);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::json_parse);
}

TEST(MessageJson, NotJsonOrNotAMessage) {
    EXPECT_EQ(parse_message("{").error().code, Errc::json_parse);
    EXPECT_EQ(parse_message("").error().code, Errc::json_parse);
    EXPECT_EQ(parse_message("[]").error().code, Errc::json_bad_field);
    EXPECT_EQ(parse_message(R"({"type":"gossip"})").error().code, Errc::json_bad_field);
    EXPECT_EQ(parse_message(R"({"type":7})").error().code, Errc::json_bad_field);
    EXPECT_EQ(parse_message(std::string(kMaxMessageBytes + 1, ' ')).error().code, Errc::json_parse);
}

}  // namespace
}  // namespace sluice::channel::test
