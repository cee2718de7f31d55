// Channel JSON: the vectors file's params and state objects parse and re-serialise identically, random values
// round-trip, and every class of bad input is an error with the right code naming the field path.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "channel_test_support.hpp"
#include "channel_vectors_file.hpp"
#include "sluice/channel/json.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::channel {
namespace {

using Json = nlohmann::json;

// A valid state JSON (two parties, two assets, locks) to break one field at a time.
Json sample_state() {
    test::RandomChannel rng(31);
    const Params params = rng.params(2);
    State s = rng.state(params, 2, 0);
    s.outcome[1].locks.push_back(Lock{rng.fixed<32>(), 9, 1, 0, 77});
    s.outcome[1].locks.push_back(Lock{rng.fixed<32>(), 3, 0, 1, 78});
    return to_json(s);
}

// sample_state() with the value at `where` replaced.
Json sample_with(const Json::json_pointer& where, Json value) {
    Json j = sample_state();
    j[where] = std::move(value);
    return j;
}

void expect_state_error(const Json& j, Errc code, const std::string& prefix) {
    const auto r = state_from_json(j);
    ASSERT_FALSE(r.ok()) << j.dump();
    EXPECT_EQ(r.error().code, code) << r.error().describe();
    EXPECT_EQ(r.error().message.rfind(prefix, 0), 0U) << r.error().describe();
}

TEST(ChannelJson, VectorObjectsParseAndReserialiseIdentically) {
    const Json file = test::load_vectors();
    ASSERT_EQ(file.at("vectors").size(), 24U);
    for (const Json& v : file.at("vectors")) {
        const auto params = params_from_json(v.at("params"));
        ASSERT_TRUE(params.ok()) << params.error().describe();
        EXPECT_EQ(to_json(*params), v.at("params"));
        EXPECT_EQ(to_json(*params).dump(), v.at("params").dump());
        const auto state = state_from_json(v.at("state"));
        ASSERT_TRUE(state.ok()) << state.error().describe();
        EXPECT_EQ(to_json(*state).dump(), v.at("state").dump());
        EXPECT_EQ(to_hex(state_digest(*params, *state).view()), v.at("digest").get<std::string>());
    }
}

TEST(ChannelJson, RandomValuesRoundTrip) {
    test::RandomChannel rng(32);
    const PrivateKey key = PrivateKey::from_bytes(Bytes(32, 7)).value();
    for (int i = 0; i < 100; ++i) {
        const Params p = rng.params(2 + rng.below(15));
        EXPECT_EQ(params_from_json(to_json(p)).value(), p);
        SignedState s{rng.state(p, rng.below(4)), {}};
        EXPECT_EQ(state_from_json(to_json(s.state)).value(), s.state);
        for (std::size_t k = 0; k < p.participants.size(); ++k) {
            if (rng.below(2) == 0) {
                s.sigs.emplace_back(std::nullopt);
            } else {
                s.sigs.emplace_back(sign_state(key, p, s.state));
            }
        }
        EXPECT_EQ(signed_state_from_json(to_json(s)).value(), s);
        EXPECT_EQ(signed_state_from_json_text(to_json(s).dump()).value(), s);
        if (!s.state.outcome.empty()) {
            EXPECT_EQ(alloc_from_json(to_json(s.state.outcome[0])).value(), s.state.outcome[0]);
        }
    }
    const Lock lock{rng.fixed<32>(), u256::max(), 65535, 0, UINT64_MAX};
    EXPECT_EQ(lock_from_json(to_json(lock)).value(), lock);
}

TEST(ChannelJson, MissingAndUnknownFieldsNameThePath) {
    Json j = sample_state();
    j["outcome"][1]["locks"][0].erase("expiry");
    expect_state_error(j, Errc::json_bad_field, "outcome[1].locks[0].expiry: missing");
    j = sample_state();
    j["outcome"][0]["colour"] = "red";
    expect_state_error(j, Errc::json_bad_field, "outcome[0].colour: unknown field");
    j = sample_state();
    j.erase("is_final");
    expect_state_error(j, Errc::json_bad_field, "is_final: missing");
    expect_state_error(Json::array(), Errc::json_bad_field, "value: expected an object");
}

TEST(ChannelJson, WrongJsonTypesAreRejected) {
    expect_state_error(sample_with("/version"_json_pointer, 5), Errc::json_bad_field,
                       "version: expected a decimal string");
    expect_state_error(sample_with("/is_final"_json_pointer, "true"), Errc::json_bad_field,
                       "is_final: expected a boolean");
    expect_state_error(sample_with("/outcome"_json_pointer, Json::object()), Errc::json_bad_field,
                       "outcome: expected an array");
    expect_state_error(sample_with("/outcome/1/balances/0"_json_pointer, 5), Errc::json_bad_field,
                       "outcome[1].balances[0]");
    expect_state_error(sample_with("/outcome/1/locks/1/from"_json_pointer, "1"), Errc::json_bad_field,
                       "outcome[1].locks[1].from: expected an integer");
    expect_state_error(sample_with("/outcome/1/locks/1/to"_json_pointer, 1.0), Errc::json_bad_field,
                       "outcome[1].locks[1].to");
    expect_state_error(sample_with("/outcome/0/asset"_json_pointer, nullptr), Errc::json_bad_field,
                       "outcome[0].asset");
    expect_state_error(sample_with("/outcome/0/locks"_json_pointer, nullptr), Errc::json_bad_field,
                       "outcome[0].locks");
    expect_state_error(sample_with("/app_data"_json_pointer, Json::array()), Errc::json_bad_field,
                       "app_data");
}

TEST(ChannelJson, NumbersOutOfRangeAreRejected) {
    expect_state_error(sample_with("/version"_json_pointer, "18446744073709551616"), Errc::overflow,
                       "version");
    EXPECT_TRUE(state_from_json(sample_with("/version"_json_pointer, "18446744073709551615")).ok());
    expect_state_error(sample_with("/outcome/1/locks/0/expiry"_json_pointer, "18446744073709551616"),
                       Errc::overflow, "outcome[1].locks[0].expiry");
    expect_state_error(sample_with("/outcome/1/locks/0/from"_json_pointer, 65536), Errc::overflow,
                       "outcome[1].locks[0].from");
    EXPECT_TRUE(state_from_json(sample_with("/outcome/1/locks/0/from"_json_pointer, 65535)).ok());
    expect_state_error(sample_with("/outcome/1/locks/0/to"_json_pointer, -1), Errc::overflow,
                       "outcome[1].locks[0].to");
    const std::string two_256 =
        "115792089237316195423570985008687907853269984665640564039457584007913129639936";
    expect_state_error(sample_with("/outcome/0/balances/1"_json_pointer, two_256), Errc::overflow,
                       "outcome[0].balances[1]");
    expect_state_error(sample_with("/outcome/1/locks/1/amount"_json_pointer, two_256), Errc::overflow,
                       "outcome[1].locks[1].amount");
    expect_state_error(sample_with("/version"_json_pointer, "007"), Errc::bad_number,
                       "version: leading zero");
    expect_state_error(sample_with("/version"_json_pointer, ""), Errc::bad_number, "version");
    expect_state_error(sample_with("/version"_json_pointer, "-1"), Errc::bad_number, "version");
    expect_state_error(sample_with("/version"_json_pointer, "0x10"), Errc::bad_number, "version");
    EXPECT_TRUE(state_from_json(sample_with("/version"_json_pointer, "0")).ok());

    test::RandomChannel rng(33);
    Json params = to_json(rng.params(2));
    params["challenge_duration"] = "281474976710656";  // 2^48
    const auto duration = params_from_json(params);
    EXPECT_EQ(duration.error().code, Errc::overflow);
    EXPECT_EQ(duration.error().message.rfind("challenge_duration", 0), 0U);
    params["challenge_duration"] = "281474976710655";
    EXPECT_TRUE(params_from_json(params).ok());
    params["nonce"] = "18446744073709551616";
    EXPECT_EQ(params_from_json(params).error().code, Errc::overflow);
}

TEST(ChannelJson, BadHexAndAddressesAreRejected) {
    expect_state_error(sample_with("/app_data"_json_pointer, "0xzz"), Errc::hex_bad_digit, "app_data");
    expect_state_error(sample_with("/app_data"_json_pointer, "abcd"), Errc::hex_missing_prefix, "app_data");
    expect_state_error(sample_with("/app_data"_json_pointer, "0xabc"), Errc::hex_odd_length, "app_data");
    EXPECT_TRUE(state_from_json(sample_with("/app_data"_json_pointer, "0x")).ok());
    expect_state_error(sample_with("/channel_id"_json_pointer, "0x" + std::string(62, '1')), Errc::bad_length,
                       "channel_id");
    expect_state_error(sample_with("/outcome/1/locks/0/hashlock"_json_pointer, "0x" + std::string(66, '1')),
                       Errc::bad_length, "outcome[1].locks[0].hashlock");

    test::RandomChannel rng(34);
    Params p = rng.params(2);
    p.participants[1] = Address::from_hex("0x0a277843065399310234c20a442d89ddf6811eeb").value();
    Json params = to_json(p);
    EXPECT_EQ(params["participants"][1], "0x0A277843065399310234c20A442d89ddf6811eEB");
    params["participants"][1] =
        "0x0a277843065399310234c20a442d89ddf6811eeb";  // lower case: no checksum claimed
    EXPECT_EQ(params_from_json(params).value(), p);
    params["participants"][1] = "0x0A277843065399310234c20A442d89ddf6811eEb";  // one letter's case flipped
    const auto bad = params_from_json(params);
    EXPECT_EQ(bad.error().code, Errc::bad_checksum);
    EXPECT_EQ(bad.error().message.rfind("participants[1]", 0), 0U) << bad.error().message;
    params["participants"][1] = "0x0a2778430653993102";
    EXPECT_EQ(params_from_json(params).error().code, Errc::bad_length);
    params = to_json(p);
    params["participants"] = "none";
    EXPECT_EQ(params_from_json(params).error().code, Errc::json_bad_field);
    params = to_json(p);
    params["app"] = 0;
    EXPECT_EQ(params_from_json(params).error().code, Errc::json_bad_field);
}

TEST(ChannelJson, SignedStateSignatures) {
    test::RandomChannel rng(35);
    const Params p = rng.params(2);
    const PrivateKey key = PrivateKey::from_bytes(Bytes(32, 9)).value();
    SignedState s{rng.state(p, 1), {sign_state(key, p, rng.state(p, 1)), std::nullopt}};
    Json j = to_json(s);
    ASSERT_TRUE(j["sigs"][0].is_string());
    const std::string sig_hex = j["sigs"][0].get<std::string>();
    EXPECT_EQ(sig_hex.size(), 2U + 130U);
    EXPECT_TRUE(sig_hex.ends_with("1b") || sig_hex.ends_with("1c"));  // v as 27/28
    EXPECT_TRUE(j["sigs"][1].is_null());

    Json bad = j;
    bad["sigs"][0] = sig_hex.substr(0, 130);
    const auto short_sig = signed_state_from_json(bad);
    EXPECT_EQ(short_sig.error().code, Errc::bad_length);
    EXPECT_EQ(short_sig.error().message.rfind("sigs[0]", 0), 0U);

    Signature high = *s.sigs[0];
    high.s = (u256::from_be(kSecp256k1Order.view()) - u256::from_be(high.s.view())).to_be();
    bad["sigs"][0] = to_hex(high.to_bytes());
    EXPECT_EQ(signed_state_from_json(bad).error().code, Errc::high_s_signature);

    bad = j;
    bad["sigs"][1] = false;
    EXPECT_EQ(signed_state_from_json(bad).error().code, Errc::json_bad_field);
    bad = j;
    bad["state"]["version"] = 1;
    EXPECT_EQ(signed_state_from_json(bad).error().message.rfind("state.version", 0), 0U);
    bad = j;
    bad["extra"] = 1;
    EXPECT_EQ(signed_state_from_json(bad).error().message, "extra: unknown field");
    bad = j;
    bad.erase("sigs");
    EXPECT_EQ(signed_state_from_json(bad).error().message, "sigs: missing");
}

TEST(ChannelJson, TextEntryPoints) {
    EXPECT_EQ(state_from_json_text("{").error().code, Errc::json_parse);
    EXPECT_EQ(state_from_json_text("").error().code, Errc::json_parse);
    EXPECT_EQ(state_from_json_text("[]").error().code, Errc::json_bad_field);
    EXPECT_EQ(signed_state_from_json_text("{\"state\": 1, \"sigs\": []}").error().code, Errc::json_bad_field);
    const Json j = sample_state();
    EXPECT_EQ(to_json(state_from_json_text(j.dump()).value()), j);
    // a repeated key, at the top or nested, would read differently in parsers that keep the first one
    std::string twice = j.dump();
    twice.insert(1, "\"version\":\"1\",");
    const auto top = state_from_json_text(twice);
    EXPECT_EQ(top.error().code, Errc::json_parse);
    EXPECT_NE(top.error().message.find("duplicate key \"version\""), std::string::npos)
        << top.error().message;
    std::string nested = j.dump();
    nested.insert(nested.find("\"asset\""), "\"asset\":\"0x00\",");
    EXPECT_EQ(state_from_json_text(nested).error().code, Errc::json_parse);
    // keys repeat across objects (the two allocs): only a repeat within one object fails
    EXPECT_TRUE(signed_state_from_json_text("{\"sigs\": [], \"state\": " + j.dump() + "}").ok());
}

}  // namespace
}  // namespace sluice::channel
