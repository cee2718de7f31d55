// Differential test: the direct state hash (precomputed type hashes, no JSON) against core's generic EIP-712
// hash_struct over the typed_data() JSON, on a few hundred random states, plus the pieces a mix-up would
// change.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "channel_test_support.hpp"
#include "sluice/channel/typed_data.hpp"
#include "sluice/core/eip712.hpp"

namespace sluice::channel {
namespace {

using Json = nlohmann::json;

const Eip712Types& state_types() {
    static const Eip712Types types = eip712_types_from_json(typed_data(Params{}, State{})["types"]).value();
    return types;
}

Hash generic_state_hash(const State& s) {
    auto h = hash_struct("State", state_types(), typed_data(Params{}, s)["message"]);
    EXPECT_TRUE(h.ok()) << h.error().describe();
    return h.ok() ? *h : Hash{};
}

TEST(ChannelStateHash, TypeStringIsTheAdjudicators) {
    EXPECT_EQ(encode_type("State", state_types()).value(),
              "State(bytes32 channelId,uint64 version,Alloc[] outcome,bytes appData,bool isFinal)"
              "Alloc(address asset,uint256[] balances,Lock[] locks)"
              "Lock(bytes32 hashlock,uint256 amount,uint16 from,uint16 to,uint64 expiry)");
}

TEST(ChannelStateHash, MatchesGenericEip712OnRandomStates) {
    test::RandomChannel rng(0x5111CE);
    for (int i = 0; i < 300; ++i) {
        const Params params = rng.params(2 + rng.below(15));
        const State state = rng.state(params, rng.below(4));
        ASSERT_EQ(state_hash(state), generic_state_hash(state)) << "random state " << i;
    }
}

TEST(ChannelStateHash, EveryFieldChangesTheHash) {
    test::RandomChannel rng(7);
    const Params params = rng.params(3);
    State base = rng.state(params, 2, 0);
    base.outcome[0].locks.push_back(Lock{rng.fixed<32>(), 5, 0, 1, 100});
    const Hash h = state_hash(base);
    auto differs = [&](auto mutate) {
        State s = base;
        mutate(s);
        return state_hash(s) != h && state_hash(s) == generic_state_hash(s);
    };
    EXPECT_TRUE(differs([](State& s) { s.channel_id[31] ^= 1; }));
    EXPECT_TRUE(differs([](State& s) { ++s.version; }));
    EXPECT_TRUE(differs([](State& s) { s.outcome[1].asset[0] ^= 1; }));
    EXPECT_TRUE(differs([](State& s) { s.outcome[1].balances[2] += 1; }));
    EXPECT_TRUE(differs([](State& s) { s.outcome[0].locks[0].hashlock[0] ^= 1; }));
    EXPECT_TRUE(differs([](State& s) { s.outcome[0].locks[0].amount += 1; }));
    EXPECT_TRUE(differs([](State& s) { s.outcome[0].locks[0].from = 2; }));
    EXPECT_TRUE(differs([](State& s) { s.outcome[0].locks[0].to = 2; }));
    EXPECT_TRUE(differs([](State& s) { ++s.outcome[0].locks[0].expiry; }));
    EXPECT_TRUE(differs([](State& s) { s.app_data.push_back(0); }));
    EXPECT_TRUE(differs([](State& s) { s.is_final = !s.is_final; }));
    EXPECT_TRUE(differs([](State& s) { std::swap(s.outcome[0], s.outcome[1]); }));
    EXPECT_TRUE(differs([](State& s) { s.outcome.pop_back(); }));
}

TEST(ChannelStateHash, DigestBindsTheDomain) {
    test::RandomChannel rng(8);
    Params params = rng.params(2);
    const State state = rng.state(params, 1);
    const Hash digest = state_digest(params, state);
    const Json td = typed_data(params, state);
    const Hash domain = hash_struct("EIP712Domain", state_types(), td["domain"]).value();
    EXPECT_EQ(domain, domain_separator(params.chain_id, params.adjudicator));
    EXPECT_EQ(td["primaryType"], "State");
    EXPECT_EQ(digest, typed_data_digest(domain, hash_struct("State", state_types(), td["message"]).value()));
    params.chain_id += 1;
    EXPECT_NE(state_digest(params, state), digest);
    params.chain_id -= 1;
    params.adjudicator[19] ^= 1;
    EXPECT_NE(state_digest(params, state), digest);
}

}  // namespace
}  // namespace sluice::channel
