// Issue #18 §4 and §7 (challenge duration): a state the machine signs stays disputable on L1. The attack
// was a proposal adding thousands of locks, which the machine countersigned; a state with that many locks
// cannot be registered or withdrawn within a block. Proposals (ours and peers', payment and app channels)
// above limits.hpp are refused with channel_limit_exceeded; at the limits they go through. The numbers are
// only ever read from limits.hpp (the adjudicator's gas at the limits decides them).
#include "machine_test_support.hpp"
#include "sluice/channel/limits.hpp"

namespace sluice::channel::test {
namespace {

constexpr std::uint64_t kExpiry = kStartTime + 3600;

// `count` locks of one wei each from `from` to `to` in asset `asset`, funded from `from`'s balance.
void add_locks(State& s, std::size_t asset, std::size_t count, std::uint16_t from, std::uint16_t to,
               std::uint64_t seed) {
    for (std::size_t i = 0; i < count; ++i) {
        s.outcome[asset].locks.push_back(Lock{hashlock_of(preimage_of(seed + i)), 1, from, to, kExpiry});
        s.outcome[asset].balances[from] -= 1;
    }
}

// Runs `who`'s proposal of `next` through every machine; whether everyone reports it completed.
bool completes(Net& net, std::size_t who, const State& next) {
    auto out = net.m(who).propose_state(next);
    if (!out.ok()) return false;
    std::vector<std::size_t> before;
    for (std::size_t i = 0; i < net.parties.size(); ++i)
        before.push_back(net.completed(i));
    net.post(who, std::move(out));
    net.deliver_all();
    for (std::size_t i = 0; i < net.parties.size(); ++i) {
        if (net.completed(i) != before[i] + 1) return false;
    }
    return true;
}

TEST(MachineLimits, PeerProposalWithOneLockTooManyOverAllAssetsIsRefused) {
    Net net(2);
    Machine& bob = net.m(1);
    // Each asset alone stays under the limit; together they are one over.
    State s = bob.latest().state;
    s.version = 2;
    add_locks(s, 0, kMaxLocks / 2 + 1, 0, 1, 0);
    add_locks(s, 1, kMaxLocks / 2, 0, 1, 100'000);
    EXPECT_EQ(refusal_code(bob.receive(signed_proposal(net.params, 0, 0, s))), Errc::channel_limit_exceeded);
    EXPECT_EQ(bob.highest_signed_version(), 0u);
    EXPECT_FALSE(bob.round_pending());
    // Exactly at the limit it is countersigned.
    s.outcome[1].locks.pop_back();
    s.outcome[1].balances[0] += 1;
    const auto at_limit = bob.receive(signed_proposal(net.params, 0, 0, s));
    ASSERT_TRUE(at_limit.ok());
    EXPECT_TRUE(has_countersignature(*at_limit));
}

TEST(MachineLimits, OwnProposalsStopAtTheLockLimit) {
    Net net(2);
    std::vector<Operation> ops;
    for (std::size_t i = 0; i <= kMaxLocks; ++i) {
        ops.push_back(
            AddLock{i % 2 == 0 ? eth() : token(), Lock{hashlock_of(preimage_of(i)), 1, 0, 1, kExpiry}});
    }
    const auto over = net.m(0).propose(ops);
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().code, Errc::channel_limit_exceeded);
    EXPECT_FALSE(net.m(0).round_pending());
    ops.pop_back();
    net.post(0, net.m(0).propose(ops));
    net.deliver_all();
    ASSERT_EQ(net.completed(1), 1u);
    // The channel is full: one more lock is refused, even from the other side.
    const auto one_more =
        net.m(1).propose({AddLock{eth(), Lock{hashlock_of(preimage_of(9999)), 1, 1, 0, kExpiry}}});
    ASSERT_FALSE(one_more.ok());
    EXPECT_EQ(one_more.error().code, Errc::channel_limit_exceeded);
    // Settling one in the same update frees a place.
    net.post(1, net.m(1).propose({SettleLock{eth(), hashlock_of(preimage_of(0)), secret_of(preimage_of(0))},
                                  AddLock{token(), Lock{hashlock_of(preimage_of(9999)), 1, 1, 0, kExpiry}}}));
    net.deliver_all();
    EXPECT_EQ(net.completed(0), 2u);
}

TEST(MachineLimits, AppDataAboveTheLimitIsRefusedOnAppChannels) {
    const AnyMoveApp app;
    Net net(2, 1'000'000, {}, &app, any_move_app_address());
    State next = net.m(0).latest().state;
    next.app_data = Bytes(kMaxAppDataBytes + 1, 0xab);
    const auto own = net.m(0).propose_state(next);
    ASSERT_FALSE(own.ok());
    EXPECT_EQ(own.error().code, Errc::channel_limit_exceeded);
    State peer = next;
    peer.version = 2;
    EXPECT_EQ(refusal_code(net.m(1).receive(signed_proposal(net.params, 0, 0, peer))),
              Errc::channel_limit_exceeded);
    next.app_data.pop_back();
    EXPECT_TRUE(completes(net, 0, next));
    EXPECT_EQ(net.m(1).latest().state.app_data.size(), kMaxAppDataBytes);
}

TEST(MachineLimits, MoreAssetsThanTheLimitAreRefused) {
    Net net(2);
    State s = net.m(1).latest().state;
    s.version = 2;
    while (s.outcome.size() <= kMaxAssets) {
        s.outcome.push_back(Alloc{harness_contract(100 + s.outcome.size()), {0, 0}, {}});
    }
    EXPECT_EQ(refusal_code(net.m(1).receive(signed_proposal(net.params, 0, 0, s))),
              Errc::channel_limit_exceeded);
}

// A channel whose first state is already above a limit is not opened (nobody should fund it); a stored one
// is still restored, so a later build with lower limits never locks a participant out of its channel.
TEST(MachineLimits, OpenRefusesAnInitialStateAboveTheLimitsAndRestoreKeepsIt) {
    const Params params = make_params(2);
    FakeClock clock;
    State many_assets = initial_state(params, 10);
    while (many_assets.outcome.size() <= kMaxAssets)
        many_assets.outcome.push_back(Alloc{harness_contract(100 + many_assets.outcome.size()), {1, 1}, {}});
    State many_locks = initial_state(params, kMaxLocks + 1);
    add_locks(many_locks, 0, kMaxLocks + 1, 0, 1, 0);
    for (const State* s : {&many_assets, &many_locks}) {
        MemoryPersistence store;
        const auto opened =
            Machine::open(MachineSetup{params, 0, deposits_for(*s), clock.clock(), nullptr, {}}, key_of(0),
                          sign_by_all(params, *s), store);
        ASSERT_FALSE(opened.ok());
        EXPECT_EQ(opened.error().code, Errc::channel_limit_exceeded);
        EXPECT_EQ(store.saves(), 0u);

        const PersistedChannel stored{sign_by_all(params, *s), std::nullopt, {}, {}};
        const auto restored = Machine::restore(
            MachineSetup{params, 0, deposits_for(*s), clock.clock(), nullptr, {}}, key_of(0), stored, store);
        ASSERT_TRUE(restored.ok()) << restored.error().describe();
        EXPECT_EQ(restored->latest(), stored.latest);
    }
}

TEST(MachineLimits, ChallengeDurationAboveTheLimitIsRefused) {
    for (const std::uint64_t duration : {kMaxChallengeDuration + 1, kMaxUint48}) {
        Params params = make_params(2);
        params.challenge_duration = duration;
        MemoryPersistence store;
        FakeClock clock;
        const State init = initial_state(params, 10);
        const auto opened =
            Machine::open(MachineSetup{params, 0, deposits_for(init), clock.clock(), nullptr, {}}, key_of(0),
                          sign_by_all(params, init), store);
        ASSERT_FALSE(opened.ok());
        EXPECT_EQ(opened.error().code, Errc::channel_bad_params) << duration;
    }
    Params params = make_params(2);
    params.challenge_duration = kMaxChallengeDuration;
    MemoryPersistence store;
    FakeClock clock;
    const State init = initial_state(params, 10);
    EXPECT_TRUE(Machine::open(MachineSetup{params, 0, deposits_for(init), clock.clock(), nullptr, {}},
                              key_of(0), sign_by_all(params, init), store)
                    .ok());
}

}  // namespace
}  // namespace sluice::channel::test
