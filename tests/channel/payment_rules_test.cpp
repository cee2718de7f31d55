// check_payment_rules on its own: duplicate locks, removals paid by preimage or expiry, and a proposal with
// thousands of locks and preimages, whose checks must stay O(n log n) (each preimage hashed once).
#include <gtest/gtest.h>

#include <vector>

#include "machine_test_support.hpp"
#include "sluice/channel/update_rules.hpp"

namespace sluice::channel::test {
namespace {

constexpr std::uint64_t kNow = 1'000'000;

struct Fixture {
    Params params;
    Deposits deposits;
    UpdateContext ctx{params, deposits, kNow, 60};
};

Lock make_lock(std::uint64_t seed, std::uint16_t from, std::uint16_t to, std::uint64_t expiry) {
    return Lock{hashlock_of(preimage_of(seed)), u256{10}, from, to, expiry};
}

State state_with(std::vector<u256> balances, std::vector<Lock> locks) {
    State s;
    s.outcome.push_back(Alloc{Address{}, std::move(balances), std::move(locks)});
    return s;
}

TEST(PaymentRules, DuplicateHashlockIsRefused) {
    Fixture f;
    const State from = state_with({u256{100}, u256{100}}, {});
    const State to =
        state_with({u256{80}, u256{100}}, {make_lock(1, 0, 1, kNow + 3600), make_lock(1, 0, 1, kNow + 7200)});
    const Status s = check_payment_rules(f.ctx, from, to, 0, {});
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, Errc::channel_bad_lock);
    EXPECT_NE(s.error().message.find("appears twice"), std::string::npos);
}

TEST(PaymentRules, RevealedLockPaysItsReceiverAndOnlyThen) {
    Fixture f;
    const Lock lock = make_lock(7, 0, 1, kNow + 3600);
    const State from = state_with({u256{90}, u256{100}}, {lock});
    // Removed with its preimage: participant 1 must get the 10.
    const State paid = state_with({u256{90}, u256{110}}, {});
    const Bytes32 preimages[] = {preimage_of(3), preimage_of(7)};
    EXPECT_TRUE(check_payment_rules(f.ctx, from, paid, 0, preimages).ok());
    // Without the preimage, before expiry, the payer may not take it back.
    const State refunded = state_with({u256{100}, u256{100}}, {});
    const Bytes32 other[] = {preimage_of(3)};
    const Status s = check_payment_rules(f.ctx, from, refunded, 0, other);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, Errc::channel_bad_lock);
    // After expiry it goes back to the payer.
    Fixture later;
    later.ctx.now = kNow + 3601;
    EXPECT_TRUE(check_payment_rules(later.ctx, from, refunded, 0, other).ok());
}

TEST(PaymentRules, ThousandsOfLocksAndPreimagesAreCheckedExactly) {
    // 2,000 locks removed (every other one revealed, the rest expired) and 2,000 new ones, with 4,096
    // preimages: the old quadratic checks took seconds here; the result must still be exact.
    Fixture f;
    constexpr std::uint64_t kLocks = 2000;
    std::vector<Lock> old_locks;
    for (std::uint64_t i = 0; i < kLocks; ++i)
        old_locks.push_back(make_lock(i, 0, 1, i % 2 == 0 ? kNow + 3600 : kNow - 1));
    std::vector<Lock> new_locks;
    for (std::uint64_t i = 0; i < kLocks; ++i)
        new_locks.push_back(make_lock(100'000 + i, 0, 1, kNow + 3600));
    std::vector<Bytes32> preimages;
    for (std::uint64_t i = 0; i < 4096; ++i)
        preimages.push_back(preimage_of(i % 2 == 0 && i < kLocks ? i : 200'000 + i));
    const u256 locked = u256{10 * kLocks};
    const State from = state_with({u256{100'000} - locked, u256{0}}, old_locks);
    // Revealed half to participant 1, expired half back to 0, then 0 locks 10 in each new lock.
    const State to = state_with(
        {u256{100'000} - locked + u256{10 * kLocks / 2} - locked, u256{10 * kLocks / 2}}, new_locks);
    EXPECT_TRUE(check_payment_rules(f.ctx, from, to, 0, preimages).ok());
    // One unit short for participant 1: refused.
    State short_paid = to;
    short_paid.outcome[0].balances[1] -= u256{1};
    short_paid.outcome[0].balances[0] += u256{1};
    const Status s = check_payment_rules(f.ctx, from, short_paid, 0, preimages);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, Errc::channel_overspend);
}

}  // namespace
}  // namespace sluice::channel::test
