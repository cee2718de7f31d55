// Issue #18 §3: a lock with expiry 2^64 - 1 was accepted (its proposer funds it), and once such a state is
// registered the adjudicator's withdraw waits for the lock for ever. New locks may not expire later than
// MachineOptions::max_lock_lifetime from now (channel_lock_too_long), on payment and app channels, from
// us or from a peer; a lock the base already holds as long is not new and keeps the channel usable.
#include <limits>

#include "machine_test_support.hpp"

namespace sluice::channel::test {
namespace {

constexpr std::uint64_t kDay = 24 * 3600;

Lock lock_expiring(std::uint64_t expiry, std::uint64_t seed = 1, const u256& amount = 500) {
    return Lock{hashlock_of(preimage_of(seed)), amount, 0, 1, expiry};
}

State with_lock(const Machine& m, std::uint64_t version, const Lock& lock) {
    State s = m.latest().state;
    s.version = version;
    s.outcome[0].balances[lock.from] -= lock.amount;
    s.outcome[0].locks.push_back(lock);
    return s;
}

TEST(MachineLockLifetime, TheFreezingLockIsRefusedFromAPeerAndFromUs) {
    Net net(2);
    const Lock far = lock_expiring(std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(refusal_code(net.m(1).receive(signed_proposal(net.params, 0, 0, with_lock(net.m(1), 2, far)))),
              Errc::channel_lock_too_long);
    EXPECT_EQ(net.m(1).highest_signed_version(), 0u);
    const auto own = net.m(0).propose({AddLock{eth(), far}});
    ASSERT_FALSE(own.ok());
    EXPECT_EQ(own.error().code, Errc::channel_lock_too_long);
    EXPECT_FALSE(net.m(0).round_pending());
}

TEST(MachineLockLifetime, TheBoundIsTheConfiguredMaximumFromNow) {
    for (const std::uint64_t max : {MachineOptions{}.max_lock_lifetime, 7 * kDay}) {
        SCOPED_TRACE(max);
        MachineOptions options;
        options.max_lock_lifetime = max;
        Net net(2, 1'000'000, options);
        net.clock.advance(5000);  // "from now", not from the channel's start
        const std::uint64_t now = *net.clock.now;
        EXPECT_EQ(net.m(0).propose({AddLock{eth(), lock_expiring(now + max + 1)}}).error().code,
                  Errc::channel_lock_too_long);
        EXPECT_EQ(refusal_code(net.m(1).receive(signed_proposal(
                      net.params, 0, 0, with_lock(net.m(1), 2, lock_expiring(now + max + 1))))),
                  Errc::channel_lock_too_long);
        net.post(0, net.m(0).propose({AddLock{eth(), lock_expiring(now + max)}}));
        net.deliver_all();
        EXPECT_EQ(net.completed(1), 1u);
        EXPECT_EQ(net.m(1).latest().state.outcome[0].locks.size(), 1u);
    }
}

// A state that already holds a long lock (an initial state, or one signed under a larger maximum) stays
// usable: keeping the lock, or shrinking its amount (an app's partial release), extends nothing; pushing
// its expiry further, or a new far lock, does.
TEST(MachineLockLifetime, ALockTheBaseAlreadyHoldsIsNotNew) {
    const Params params = make_params(2);
    const std::uint64_t now = kStartTime;
    const std::uint64_t max = 30 * kDay;
    State base = initial_state(params, 1000);
    base.outcome[0].balances[0] -= 500;
    base.outcome[0].locks.push_back(lock_expiring(now + 365 * kDay));

    State keep = base;
    keep.outcome[0].balances[0] -= 1;
    keep.outcome[0].balances[1] += 1;
    EXPECT_TRUE(check_lock_lifetimes(base, keep, now, max).ok());
    State shrink = base;
    shrink.outcome[0].locks[0].amount = 300;
    shrink.outcome[0].balances[1] += 200;
    EXPECT_TRUE(check_lock_lifetimes(base, shrink, now, max).ok());
    State sooner = base;
    sooner.outcome[0].locks[0].expiry -= 1;
    EXPECT_TRUE(check_lock_lifetimes(base, sooner, now, max).ok());

    State later = base;
    later.outcome[0].locks[0].expiry += 1;
    EXPECT_EQ(check_lock_lifetimes(base, later, now, max).error().code, Errc::channel_lock_too_long);
    State another = base;
    another.outcome[0].balances[0] -= 5;
    another.outcome[0].locks.push_back(lock_expiring(now + 365 * kDay, 2, 5));
    EXPECT_EQ(check_lock_lifetimes(base, another, now, max).error().code, Errc::channel_lock_too_long);
    // The same hashlock in another asset is another lock.
    State other_asset = base;
    other_asset.outcome[1].balances[0] -= 5;
    other_asset.outcome[1].locks.push_back(lock_expiring(now + 365 * kDay, 1, 5));
    EXPECT_EQ(check_lock_lifetimes(base, other_asset, now, max).error().code, Errc::channel_lock_too_long);
    // Near the top of the clock the bound saturates instead of wrapping round to a small time.
    EXPECT_TRUE(
        check_lock_lifetimes(base, another, std::numeric_limits<std::uint64_t>::max() - 10, max).ok());
}

// App channels are held by a far lock just the same; one whose locks must live longer (a loan's pledge until
// maturity) configures its maximum.
TEST(MachineLockLifetime, AppChannelsObeyTheirConfiguredMaximum) {
    const AnyMoveApp app;
    const std::uint64_t maturity = kStartTime + 180 * kDay;
    {
        Net net(2, 1'000'000, {}, &app, any_move_app_address());
        const auto own = net.m(0).propose_state(with_lock(net.m(0), 0, lock_expiring(maturity)));
        ASSERT_FALSE(own.ok());
        EXPECT_EQ(own.error().code, Errc::channel_lock_too_long);
        EXPECT_EQ(refusal_code(net.m(1).receive(
                      signed_proposal(net.params, 0, 0, with_lock(net.m(1), 2, lock_expiring(maturity))))),
                  Errc::channel_lock_too_long);
    }
    MachineOptions loan;
    loan.max_lock_lifetime = 365 * kDay;
    Net net(2, 1'000'000, loan, &app, any_move_app_address());
    net.post(0, net.m(0).propose_state(with_lock(net.m(0), 0, lock_expiring(maturity))));
    net.deliver_all();
    EXPECT_EQ(net.completed(1), 1u);
}

}  // namespace
}  // namespace sluice::channel::test
