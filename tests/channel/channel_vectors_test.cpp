// Known answers from contracts/vectors/channel_vectors.json (computed by ethers and checked against the
// Adjudicator's views): our params encoding, channel id, state hash, digest and domain separator must be
// byte-identical. The vectors are read with a minimal reader here, independent of channel/json.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "channel_vectors_file.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/core/eip712.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::channel {
namespace {

using Json = nlohmann::json;

u256 num(const Json& j) {
    return u256::from_dec(j.get<std::string>()).value();
}
std::uint64_t num64(const Json& j) {
    return num(j).low64();
}
Address addr(const Json& j) {
    return Address::from_hex(j.get<std::string>()).value();
}
Hash hash(const Json& j) {
    return fixed_from_hex<32>(j.get<std::string>()).value();
}

Params read_params(const Json& j) {
    Params p;
    p.chain_id = num(j.at("chain_id"));
    p.adjudicator = addr(j.at("adjudicator"));
    for (const Json& a : j.at("participants"))
        p.participants.push_back(addr(a));
    p.nonce = num64(j.at("nonce"));
    p.challenge_duration = num64(j.at("challenge_duration"));
    p.app = addr(j.at("app"));
    return p;
}

State read_state(const Json& j) {
    State s;
    s.channel_id = hash(j.at("channel_id"));
    s.version = num64(j.at("version"));
    for (const Json& a : j.at("outcome")) {
        Alloc alloc;
        alloc.asset = addr(a.at("asset"));
        for (const Json& b : a.at("balances"))
            alloc.balances.push_back(num(b));
        for (const Json& l : a.at("locks")) {
            alloc.locks.push_back(Lock{hash(l.at("hashlock")), num(l.at("amount")),
                                       l.at("from").get<std::uint16_t>(), l.at("to").get<std::uint16_t>(),
                                       num64(l.at("expiry"))});
        }
        s.outcome.push_back(std::move(alloc));
    }
    s.app_data = from_hex(j.at("app_data").get<std::string>()).value();
    s.is_final = j.at("is_final").get<bool>();
    return s;
}

TEST(ChannelVectors, DomainSeparatorMatches) {
    const Json file = test::load_vectors();
    const Hash expected = hash(file.at("domain_separator"));
    EXPECT_EQ(domain_separator(num(file.at("chain_id")), addr(file.at("adjudicator"))), expected);
    // and core's generic EIP-712 domain agrees
    EXPECT_EQ((Eip712Domain{"Sluice", "1", num(file.at("chain_id")), addr(file.at("adjudicator"))}
                   .domain_separator()),
              expected);
}

TEST(ChannelVectors, EncodingIdHashAndDigestMatchAllVectors) {
    const Json file = test::load_vectors();
    const Json& vectors = file.at("vectors");
    ASSERT_EQ(vectors.size(), 24U);
    for (std::size_t i = 0; i < vectors.size(); ++i) {
        SCOPED_TRACE("vector " + std::to_string(i));
        const Json& v = vectors[i];
        const Params params = read_params(v.at("params"));
        const State state = read_state(v.at("state"));
        EXPECT_EQ(to_hex(encode(params)), v.at("params_encoding").get<std::string>());
        EXPECT_EQ(channel_id(params), hash(v.at("channel_id")));
        EXPECT_EQ(state_hash(state), hash(v.at("state_hash")));
        EXPECT_EQ(state_digest(params, state), hash(v.at("digest")));
    }
}

TEST(ChannelVectors, EncodingsDecodeBackToTheVectors) {
    const Json file = test::load_vectors();
    for (const Json& v : file.at("vectors")) {
        const Params params = read_params(v.at("params"));
        const State state = read_state(v.at("state"));
        const auto decoded_params =
            decode_params(from_hex(v.at("params_encoding").get<std::string>()).value());
        ASSERT_TRUE(decoded_params.ok()) << decoded_params.error().describe();
        EXPECT_EQ(*decoded_params, params);
        const auto decoded_state = decode_state(encode(state));
        ASSERT_TRUE(decoded_state.ok()) << decoded_state.error().describe();
        EXPECT_EQ(*decoded_state, state);
    }
}

}  // namespace
}  // namespace sluice::channel
