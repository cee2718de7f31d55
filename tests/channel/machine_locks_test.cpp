// Hashlocks through the machine: add, settle with the preimage, cancel after expiry by the injected clock,
// and the cooperative-close final state.
#include "machine_test_support.hpp"

namespace sluice::channel::test {
namespace {

constexpr std::uint64_t kLife = 3600;

Lock lock_from(std::size_t from, std::size_t to, std::uint64_t seed, const u256& amount) {
    return Lock{hashlock_of(preimage_of(seed)), amount, static_cast<std::uint16_t>(from),
                static_cast<std::uint16_t>(to), kStartTime + kLife};
}

std::optional<Errc> run(Net& net, std::size_t who, std::vector<Operation> ops) {
    return run_update(net, who, std::move(ops));
}

TEST(MachineLocks, AddThenSettleWithThePreimage) {
    Net net(3);
    ASSERT_EQ(run(net, 0, {AddLock{eth(), lock_from(0, 2, 1, 500)}}), std::nullopt);
    EXPECT_EQ(balance(net.m(1), 0, 0), u256{1'000'000 - 500});
    ASSERT_EQ(net.m(1).latest().state.outcome[0].locks.size(), 1u);
    // The receiver reveals the preimage.
    ASSERT_EQ(run(net, 2, {SettleLock{eth(), hashlock_of(preimage_of(1)), secret_of(preimage_of(1))}}),
              std::nullopt);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(net.m(i).latest().state.outcome[0].locks.empty());
        EXPECT_EQ(balance(net.m(i), 0, 2), u256{1'000'500});
    }
    // Anyone who knows the preimage may settle (it only pays the receiver).
    ASSERT_EQ(run(net, 0, {AddLock{eth(), lock_from(0, 1, 2, 40)}}), std::nullopt);
    ASSERT_EQ(run(net, 2, {SettleLock{eth(), hashlock_of(preimage_of(2)), secret_of(preimage_of(2))}}),
              std::nullopt);
    EXPECT_EQ(balance(net.m(0), 0, 1), u256{1'000'040});
}

TEST(MachineLocks, WrongPreimageIsRefused) {
    Net net(2);
    ASSERT_EQ(run(net, 0, {AddLock{eth(), lock_from(0, 1, 1, 500)}}), std::nullopt);
    EXPECT_EQ(run(net, 1, {SettleLock{eth(), hashlock_of(preimage_of(1)), secret_of(preimage_of(2))}}),
              Errc::channel_bad_lock);
    EXPECT_EQ(run(net, 1, {SettleLock{eth(), hashlock_of(preimage_of(9)), secret_of(preimage_of(9))}}),
              Errc::channel_bad_lock);  // no such lock
    // Without a preimage the receiver can only hand the lock back to the payer: a state that pays it out
    // anyway takes the payer's money.
    State s = net.m(1).latest().state;
    s.outcome[0].locks.clear();
    s.outcome[0].balances[1] += 500;
    EXPECT_EQ(net.m(1).propose_state(s).error().code, Errc::channel_overspend);
    // And a third party may not drop it before expiry at all.
    Net three(3);
    ASSERT_EQ(run(three, 0, {AddLock{eth(), lock_from(0, 1, 1, 500)}}), std::nullopt);
    EXPECT_EQ(run(three, 2, {CancelLock{eth(), hashlock_of(preimage_of(1))}}), Errc::channel_bad_lock);
}

TEST(MachineLocks, CancelNeedsExpiryUnlessTheReceiverGivesUp) {
    Net net(2);
    ASSERT_EQ(run(net, 0, {AddLock{eth(), lock_from(0, 1, 1, 500)}}), std::nullopt);
    const Hash h = hashlock_of(preimage_of(1));
    // The payer may not take it back early; the receiver refuses.
    EXPECT_EQ(run(net, 0, {CancelLock{eth(), h}}), Errc::channel_bad_lock);
    net.clock.advance(kLife);  // now == expiry: not expired yet (the adjudicator refunds after expiry)
    EXPECT_EQ(run(net, 0, {CancelLock{eth(), h}}), Errc::channel_bad_lock);
    net.clock.advance(1);
    EXPECT_EQ(run(net, 0, {CancelLock{eth(), h}}), std::nullopt);
    EXPECT_EQ(balance(net.m(1), 0, 0), u256{1'000'000});
    // The receiver may give a lock up at any time.
    ASSERT_EQ(
        run(net, 0, {AddLock{eth(), Lock{hashlock_of(preimage_of(3)), 5, 0, 1, kStartTime + 2 * kLife}}}),
        std::nullopt);
    EXPECT_EQ(run(net, 1, {CancelLock{eth(), hashlock_of(preimage_of(3))}}), std::nullopt);
    EXPECT_EQ(balance(net.m(0), 0, 0), u256{1'000'000});
}

TEST(MachineLocks, SettlingAfterExpiryIsRefused) {
    Net net(2);
    ASSERT_EQ(run(net, 0, {AddLock{eth(), lock_from(0, 1, 1, 500)}}), std::nullopt);
    net.clock.advance(kLife + 1);
    EXPECT_EQ(run(net, 1, {SettleLock{eth(), hashlock_of(preimage_of(1)), secret_of(preimage_of(1))}}),
              Errc::channel_bad_lock);
    // The payer itself may still pay it out late.
    EXPECT_EQ(run(net, 0, {SettleLock{eth(), hashlock_of(preimage_of(1)), secret_of(preimage_of(1))}}),
              std::nullopt);
    EXPECT_EQ(balance(net.m(1), 0, 1), u256{1'000'500});
}

TEST(MachineLocks, DuplicateHashlocksAreRefused) {
    Net net(2);
    ASSERT_EQ(run(net, 0, {AddLock{eth(), lock_from(0, 1, 1, 5)}}), std::nullopt);
    EXPECT_EQ(run(net, 0, {AddLock{eth(), lock_from(0, 1, 1, 6)}}), Errc::channel_bad_lock);
    State s = net.m(0).latest().state;
    s.outcome[0].balances[0] -= 6;
    s.outcome[0].locks.push_back(lock_from(0, 1, 1, 6));
    EXPECT_EQ(net.m(0).propose_state(s).error().code, Errc::channel_bad_lock);
}

TEST(MachineLocks, FinalStateHasNoLocksAndEndsTheChannel) {
    Net net(3);
    ASSERT_EQ(run(net, 0, {AddLock{eth(), lock_from(0, 1, 1, 5)}}), std::nullopt);
    EXPECT_EQ(run(net, 2, {Pay{eth(), 0, 1}, Finalize{}}), Errc::channel_bad_lock);
    ASSERT_EQ(run(net, 2,
                  {SettleLock{eth(), hashlock_of(preimage_of(1)), secret_of(preimage_of(1))},
                   Pay{token(), 1, 2}, Finalize{}}),
              std::nullopt);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(net.m(i).is_final());
        EXPECT_TRUE(check_fully_signed(net.params, net.m(i).latest()).ok());
        EXPECT_TRUE(pack_signatures(net.m(i).latest()).ok());  // ready for conclude()
        EXPECT_EQ(
            net.m(i).propose({Pay{eth(), i == 0 ? std::uint16_t{1} : std::uint16_t{0}, 1}}).error().code,
            Errc::channel_final);
    }
    EXPECT_EQ(balance(net.m(0), 0, 1), u256{1'000'005});
    EXPECT_EQ(balance(net.m(0), 1, 1), u256{1'000'002});
}

}  // namespace
}  // namespace sluice::channel::test
