// Hashlocks on the real Adjudicator bytecode: the preimage registry, a lock paid to its receiver when revealed by
// expiry, refunded to its sender after expiry otherwise (also when revealed too late), and LockPending meanwhile.
#include "adjudicator_fixture.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel::testing {
namespace {

using LocksTest = AdjudicatorTest;

const u256 kHalf = kEther / u256{2};

TEST_F(LocksTest, RevealedBeforeExpiryPaysTheReceiver) {
    const Bytes32 preimage = keccak256(as_bytes("the secret"));
    const Hash hashlock = keccak256(preimage);
    const Params params = funded_channel(2, 2 * kEther);
    const auto expiry = static_cast<std::uint64_t>(now() + 5000);
    const State fin = make_state(params, 3, {eth_alloc({kHalf, kEther}, {Lock{hashlock, kHalf, 0, 1, expiry}})}, true);
    succeeds(h().send(hub(), conclude(params, fin, sign_all(params, fin))), "conclude");
    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, fin, 0)), "LockPending(" + to_hex(hashlock) + ")"));

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

    const u256 b0 = balance(0);
    const u256 b1 = balance(1);
    succeeds(h().send(hub(), withdraw(params, fin, 0)), "withdraw");
    EXPECT_EQ(balance(0), b0 + kHalf);
    EXPECT_EQ(balance(1), b1 + kEther + kHalf);
}

TEST_F(LocksTest, UnrevealedLockIsRefundedAfterExpiry) {
    const Params params = funded_channel(2, 2 * kEther);
    const Hash hashlock = keccak256(as_bytes("never revealed"));
    const auto expiry = static_cast<std::uint64_t>(now() + 100);
    const u256 quarter = kEther / u256{4};
    const State fin =
        make_state(params, 3, {eth_alloc({kEther, 3 * quarter}, {Lock{hashlock, quarter, 1, 0, expiry}})}, true);
    succeeds(h().send(hub(), conclude(params, fin, sign_all(params, fin))), "conclude");
    // At expiry the lock is still pending: it may yet be revealed "at or before" expiry.
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(expiry)).ok());
    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, fin, 0)), "LockPending(" + to_hex(hashlock) + ")"));

    const u256 b0 = balance(0);
    const u256 b1 = balance(1);
    succeeds(h().send(hub(), withdraw(params, fin, 0)), "withdraw");
    EXPECT_EQ(balance(0), b0 + kEther);
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
    succeeds(h().send(hub(), withdraw(params, fin, 0)), "withdraw");
    EXPECT_EQ(balance(0), b0 + kEther);
}

TEST_F(LocksTest, LocksOfSeveralAssetsResolveIndependently) {
    const Params params = funded_channel(3, 3 * kEther);
    ASSERT_TRUE(h().mint_and_approve(hub(), 6 * kEther).ok());
    succeeds(h().send(hub(), adj::deposit_call(channel_id(params), h().token(), 6 * kEther)), "token deposit");
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
    succeeds(h().send(hub(), withdraw(params, fin, 0)), "withdraw");
    EXPECT_EQ(balance(2), eth2 + kEther);  // the revealed ETH lock
    EXPECT_EQ(h().token_balance(parts_[1].address()).value(), 4 * kEther);  // the expired token lock, refunded
    EXPECT_EQ(h().token_balance(parts_[2].address()).value(), u256{});
}

}  // namespace
}  // namespace sluice::channel::testing
