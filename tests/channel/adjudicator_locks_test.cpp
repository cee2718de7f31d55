// Hashlocks on the real Adjudicator bytecode: the preimage registry, a lock paid to its receiver when
// revealed by expiry, refunded to its sender after expiry otherwise (also when revealed too late); meanwhile
// withdraw pays everything else and withdrawLocks the lock once it resolves, so one far lock freezes nothing
// else (#18 §3).
#include "adjudicator_fixture.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel::testing {
namespace {

class LocksTest : public AdjudicatorTest {
  protected:
    Bytes32 view_word(const Bytes& call) {
        return adj::decode_bytes32_return(h().view(call).value()).value();
    }
};

const u256 kHalf = kEther / u256{2};

TEST_F(LocksTest, RevealedBeforeExpiryPaysTheReceiver) {
    const Bytes32 preimage = keccak256(as_bytes("the secret"));
    const Hash hashlock = keccak256(preimage);
    const Params params = funded_channel(2, 2 * kEther);
    const auto expiry = static_cast<std::uint64_t>(now() + 5000);
    const State fin = make_state(params, 3, {eth_alloc({kHalf, kEther}, {Lock{hashlock, kHalf, 0, 1, expiry}})}, true);
    succeeds(h().send(hub(), conclude(params, fin, sign_all(params, fin))), "conclude");
    const u256 b0 = balance(0);
    const u256 b1 = balance(1);
    const auto first = succeeds(h().send(hub(), withdraw(params, fin)), "withdraw");
    ASSERT_EQ(events_of<adj::LocksPending>(first).size(), 1u);
    EXPECT_EQ(events_of<adj::LocksPending>(first)[0].pending, u256{1});
    EXPECT_EQ(balance(0), b0 + kHalf);
    EXPECT_EQ(balance(1), b1 + kEther);
    EXPECT_EQ(status_of(params), adj::pending_fingerprint(state_hash(fin), u256{1}));
    EXPECT_EQ(status_of(params), view_word(adj::pending_fingerprint_call(state_hash(fin), u256{1})));
    const Bytes stage2 = adj::withdraw_locks_call(params, fin, u256{1}).value();
    EXPECT_TRUE(reverts_with(h().send(hub(), stage2), "LockPending(" + to_hex(hashlock) + ")"));
    EXPECT_TRUE(reverts_with(h().send(hub(), adj::withdraw_locks_call(params, fin, u256{3}).value()),
                             "WrongCurrent()"));

    const auto revealed = succeeds(h().send(parts_[1].address(), adj::reveal_preimage_call(preimage)), "reveal");
    const auto events = events_of<adj::PreimageRevealed>(revealed);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].hashlock, hashlock);
    EXPECT_EQ(events[0].preimage, preimage);
    const auto at = adj::decode_uint256_return(h().view(adj::revealed_at_call(hashlock)).value()).value();
    EXPECT_EQ(at, u256{static_cast<std::uint64_t>(revealed.block_timestamp)});
    // A second reveal keeps the first time and says nothing.
    const auto again = succeeds(h().send(hub(), adj::reveal_preimage_call(preimage)), "second reveal");
    EXPECT_TRUE(again.logs.empty());
    EXPECT_EQ(adj::decode_uint256_return(h().view(adj::revealed_at_call(hashlock)).value()).value(), at);

    succeeds(h().send(hub(), stage2), "withdrawLocks");
    EXPECT_EQ(balance(0), b0 + kHalf);
    EXPECT_EQ(balance(1), b1 + kEther + kHalf);
    EXPECT_EQ(status_of(params), adj::kStatusSettled);
    EXPECT_TRUE(reverts_with(h().send(hub(), stage2), "WrongCurrent()"));
}

TEST_F(LocksTest, UnrevealedLockIsRefundedAfterExpiry) {
    const Params params = funded_channel(2, 2 * kEther);
    const Hash hashlock = keccak256(as_bytes("never revealed"));
    const auto expiry = static_cast<std::uint64_t>(now() + 100);
    const u256 quarter = kEther / u256{4};
    const State fin =
        make_state(params, 3, {eth_alloc({kEther, 3 * quarter}, {Lock{hashlock, quarter, 1, 0, expiry}})}, true);
    succeeds(h().send(hub(), conclude(params, fin, sign_all(params, fin))), "conclude");
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(expiry - 1)).ok());
    const u256 b0 = balance(0);
    const u256 b1 = balance(1);
    succeeds(h().send(hub(), withdraw(params, fin)), "withdraw");
    EXPECT_EQ(balance(0), b0 + kEther);
    EXPECT_EQ(balance(1), b1 + 3 * quarter);
    const Bytes stage2 = adj::withdraw_locks_call(params, fin, u256{1}).value();
    // At expiry the lock is still pending: it may yet be revealed "at or before" expiry.
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(expiry)).ok());
    EXPECT_TRUE(reverts_with(h().send(hub(), stage2), "LockPending(" + to_hex(hashlock) + ")"));
    succeeds(h().send(hub(), stage2), "withdrawLocks");
    EXPECT_EQ(balance(1), b1 + kEther);
}

TEST_F(LocksTest, PreimageRevealedAfterExpiryComesTooLate) {
    const Params params = funded_channel(2, 2 * kEther);
    const Bytes32 late = keccak256(as_bytes("late secret"));
    const auto expiry = static_cast<std::uint64_t>(now() + 100);
    const State fin =
        make_state(params, 3, {eth_alloc({u256{}, kEther}, {Lock{keccak256(late), kEther, 0, 1, expiry}})}, true);
    succeeds(h().send(hub(), conclude(params, fin, sign_all(params, fin))), "conclude");
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(expiry + 1)).ok());
    succeeds(h().send(hub(), adj::reveal_preimage_call(late)), "late reveal");
    const u256 b0 = balance(0);
    succeeds(h().send(hub(), withdraw(params, fin)), "withdraw");
    EXPECT_EQ(balance(0), b0 + kEther);
}

TEST_F(LocksTest, LocksOfSeveralAssetsResolveIndependently) {
    const Params params = funded_channel(3, 3 * kEther);
    ASSERT_TRUE(h().mint_and_approve(hub(), 6 * kEther).ok());
    succeeds(h().send(hub(), deposit(params, h().token(), 6 * kEther)), "token deposit");
    const Bytes32 preimage = keccak256(as_bytes("route secret"));
    const auto expiry = static_cast<std::uint64_t>(now() + 50);
    const State fin = make_state(
        params, 9,
        {eth_alloc({kEther, kEther, u256{}}, {Lock{keccak256(preimage), kEther, 0, 2, expiry}}),
         Alloc{h().token(), {2 * kEther, 2 * kEther, u256{}}, {Lock{keccak256(as_bytes("other")), 2 * kEther, 1, 2, expiry}}}},
        true);
    succeeds(h().send(hub(), conclude(params, fin, sign_all(params, fin))), "conclude");
    succeeds(h().send(hub(), adj::reveal_preimage_call(preimage)), "reveal");
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(expiry + 1)).ok());
    const u256 eth2 = balance(2);
    succeeds(h().send(hub(), withdraw(params, fin)), "withdraw");
    EXPECT_EQ(balance(2), eth2 + kEther);  // the revealed ETH lock
    EXPECT_EQ(h().token_balance(parts_[1].address()).value(), 4 * kEther);  // the expired token lock, refunded
    EXPECT_EQ(h().token_balance(parts_[2].address()).value(), u256{});
}

// #18 §3: a lock with expiry 2^64 - 1 made withdraw revert LockPending for every asset and participant.
TEST_F(LocksTest, ALockThatNeverExpiresHoldsBackOnlyItsOwnAmount) {
    const Params params = funded_channel(3, 3 * kEther);
    ASSERT_TRUE(h().mint_and_approve(hub(), 5 * kEther).ok());
    succeeds(h().send(hub(), deposit(params, h().token(), 5 * kEther)), "token deposit");
    const auto soon = static_cast<std::uint64_t>(now() + 100);
    const Lock far{keccak256(as_bytes("far")), kEther, 0, 1, ~std::uint64_t{0}};
    const Lock near{keccak256(as_bytes("near")), kEther, 2, 0, soon};
    const State fin = make_state(params, 4,
                                 {eth_alloc({kHalf, kHalf, u256{}}, {far, near}),
                                  Alloc{h().token(), {kEther, 2 * kEther, 2 * kEther}, {}}},
                                 true);
    succeeds(h().send(hub(), conclude(params, fin, sign_all(params, fin))), "conclude");
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(soon + 1)).ok());
    const u256 eth0 = balance(0);
    const u256 eth1 = balance(1);
    const u256 eth2 = balance(2);
    const auto paid = succeeds(h().send(hub(), withdraw(params, fin)), "withdraw");
    ASSERT_EQ(events_of<adj::LocksPending>(paid).size(), 1u);
    EXPECT_EQ(events_of<adj::LocksPending>(paid)[0].pending, u256{1});  // lock 0; lock 1 expired, back to 2
    EXPECT_EQ(balance(0), eth0 + kHalf);
    EXPECT_EQ(balance(1), eth1 + kHalf);
    EXPECT_EQ(balance(2), eth2 + kEther);
    EXPECT_EQ(h().token_balance(parts_[1].address()).value(), 2 * kEther);
    EXPECT_EQ(holdings(params), kEther);
    EXPECT_EQ(holdings(params, h().token()), u256{});
    EXPECT_TRUE(reverts_with(h().send(hub(), adj::withdraw_locks_call(params, fin, u256{1}).value()),
                             "LockPending(" + to_hex(far.hashlock) + ")"));
}

}  // namespace
}  // namespace sluice::channel::testing
