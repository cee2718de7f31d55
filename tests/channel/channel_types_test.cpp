// validate(), validate_shape(), total_of() and SignedState::fully_signed(): one test per rule, each checking
// the error code and that the message names what failed.
#include <gtest/gtest.h>

#include <string>

#include "channel_test_support.hpp"
#include "sluice/channel/limits.hpp"

namespace sluice::channel {
namespace {

using test::Channel;

// A valid two-asset, three-party channel with one lock.
Channel valid_channel() {
    test::RandomChannel rng(11);
    Channel c;
    c.params = rng.params(3);
    c.state.channel_id = channel_id(c.params);
    c.state.version = 4;
    c.state.outcome.push_back(Alloc{Address{}, {10, 20, 30}, {Lock{rng.fixed<32>(), 5, 0, 2, 1000}}});
    c.state.outcome.push_back(Alloc{rng.address(), {0, 0, 7}, {}});
    return c;
}

// Random params made valid where RandomChannel draws over the whole field (it also feeds hashing tests,
// which want zeros and uint48 extremes): a non-zero chain id, a challenge duration
// in 1..kMaxChallengeDuration.
Params valid_params(test::RandomChannel& rng, std::size_t parties) {
    Params p = rng.params(parties);
    if (p.chain_id.is_zero()) p.chain_id = u256{1};
    p.challenge_duration = 1 + p.challenge_duration % kMaxChallengeDuration;
    return p;
}

void expect_error(const Status& s, Errc code, const std::string& fragment) {
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, code) << s.error().describe();
    EXPECT_NE(s.error().message.find(fragment), std::string::npos) << s.error().describe();
}

TEST(ChannelValidate, AcceptsValidParamsAtBothCountLimits) {
    test::RandomChannel rng(12);
    EXPECT_TRUE(validate(valid_params(rng, 2)).ok());
    Params p = valid_params(rng, 16);
    p.challenge_duration = kMaxChallengeDuration;
    EXPECT_TRUE(validate(p).ok());
    p.challenge_duration = 1;
    EXPECT_TRUE(validate(p).ok());
}

TEST(ChannelValidate, RejectsEachBadParam) {
    test::RandomChannel rng(13);
    expect_error(validate(valid_params(rng, 1)), Errc::channel_bad_params, "participant count 1");
    expect_error(validate(valid_params(rng, 17)), Errc::channel_bad_params, "participant count 17");
    expect_error(validate(valid_params(rng, 0)), Errc::channel_bad_params, "participant count 0");
    Params p = valid_params(rng, 4);
    p.participants[2] = Address{};
    expect_error(validate(p), Errc::channel_bad_params, "participants[2] is the zero address");
    p = valid_params(rng, 4);
    p.participants[3] = p.participants[1];
    expect_error(validate(p), Errc::channel_bad_params, "participants[1] and [3]");
    p = valid_params(rng, 4);
    p.challenge_duration = kMaxUint48 + 1;
    expect_error(validate(p), Errc::channel_bad_params, "challenge_duration");
    // Issue #18 §7: a duration that fits uint48 but would overflow uint48(now) + duration on-chain.
    p.challenge_duration = kMaxUint48;
    expect_error(validate(p), Errc::channel_bad_params, "challenge_duration");
    p.challenge_duration = kMaxChallengeDuration + 1;
    expect_error(validate(p), Errc::channel_bad_params, "exceeds the limit");
    p = valid_params(rng, 4);
    p.challenge_duration = 0;
    expect_error(validate(p), Errc::channel_bad_params, "challenge_duration is zero");
    p = valid_params(rng, 4);
    p.chain_id = u256{};
    expect_error(validate(p), Errc::channel_bad_params, "chain_id is zero");
    p = valid_params(rng, 4);
    p.adjudicator = Address{};
    expect_error(validate(p), Errc::channel_bad_params, "adjudicator");
}

TEST(ChannelValidateShape, AcceptsAValidState) {
    const Channel c = valid_channel();
    EXPECT_TRUE(validate_shape(c.params, c.state).ok());
    State no_assets = c.state;
    no_assets.outcome.clear();
    EXPECT_TRUE(validate_shape(c.params, no_assets).ok());
}

struct BadShape {
    const char* what;
    void (*mutate)(State&);
    Errc code;
    const char* fragment;
};

TEST(ChannelValidateShape, RejectsEachBadShape) {
    const BadShape cases[] = {
        {"channel id", [](State& s) { s.channel_id[0] ^= 1; }, Errc::channel_wrong_channel_id, "channel_id"},
        {"balance count", [](State& s) { s.outcome[1].balances.pop_back(); }, Errc::channel_bad_shape,
         "outcome[1]: 2 balances for 3"},
        {"repeated asset", [](State& s) { s.outcome[1].asset = Address{}; }, Errc::channel_bad_shape,
         "repeats outcome[0]"},
        {"lock to", [](State& s) { s.outcome[0].locks[0].to = 3; }, Errc::channel_bad_shape,
         "outcome[0].locks[0]: participant index"},
        {"lock from", [](State& s) { s.outcome[0].locks[0].from = 3; }, Errc::channel_bad_shape,
         "out of range"},
        {"self lock", [](State& s) { s.outcome[0].locks[0].to = 0; }, Errc::channel_bad_shape, "from == to"},
        {"zero lock", [](State& s) { s.outcome[0].locks[0].amount = 0; }, Errc::channel_bad_shape,
         "zero amount"},
        {"overflow", [](State& s) { s.outcome[1].balances[0] = u256::max(); }, Errc::channel_bad_shape,
         "overflows"},
    };
    for (const BadShape& c : cases) {
        SCOPED_TRACE(c.what);
        Channel channel = valid_channel();
        c.mutate(channel.state);
        expect_error(validate_shape(channel.params, channel.state), c.code, c.fragment);
    }
}

TEST(ChannelTotal, SumsBalancesAndLocks) {
    const Channel c = valid_channel();
    EXPECT_EQ(total_of(c.state.outcome[0]).value(), u256{65});
    EXPECT_EQ(total_of(c.state.outcome[1]).value(), u256{7});
    EXPECT_EQ(total_of(Alloc{}).value(), u256{});
    EXPECT_EQ(total_of(Alloc{Address{}, {u256::max()}, {}}).value(), u256::max());
}

TEST(ChannelTotal, OverflowInBalancesOrLocksFails) {
    EXPECT_EQ(total_of(Alloc{Address{}, {u256::max(), 1}, {}}).error().code, Errc::channel_bad_shape);
    const Alloc locked{Address{}, {u256::max() - 4, 0}, {Lock{Hash{}, 5, 0, 1, 0}}};
    EXPECT_EQ(total_of(locked).error().code, Errc::channel_bad_shape);
    // both halves of 2^256 - 1 plus one more wei: the carry out of the top limb must be seen
    EXPECT_FALSE(total_of(Alloc{Address{}, {u256::max() >> 1, (u256::max() >> 1) + 1, 1}, {}}).ok());
}

TEST(ChannelSignedState, FullySignedNeedsEverySlot) {
    SignedState s;
    EXPECT_FALSE(s.fully_signed());
    s.sigs = {Signature{}, std::nullopt};
    EXPECT_FALSE(s.fully_signed());
    s.sigs[1] = Signature{};
    EXPECT_TRUE(s.fully_signed());
}

}  // namespace
}  // namespace sluice::channel
