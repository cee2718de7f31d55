// The unilateral path on the real Adjudicator bytecode: register, replacement by a higher version (same deadline),
// timeout, withdraw, and every refusal on the way; payouts a recipient refuses are deferred and claimed later.
#include "adjudicator_fixture.hpp"

namespace sluice::channel::testing {
namespace {

using DisputeTest = AdjudicatorTest;

const u256 kTenth = kEther / u256{10};

TEST_F(DisputeTest, RegisterRefuteTimeoutWithdraw) {
    const Params params = funded_channel(2, 2 * kEther, 1000);
    const State v5 = make_state(params, 5, {eth_alloc({15 * kTenth, 5 * kTenth})});
    const State v7 = make_state(params, 7, {eth_alloc({8 * kTenth, 12 * kTenth})});
    const State v4 = make_state(params, 4, {eth_alloc({kEther, kEther})});

    const auto reg5_receipt = succeeds(h().send(parts_[0].address(), register_(params, v5, sign_all(params, v5))), "register");
    const adj::Registration reg5 = registered(reg5_receipt);
    EXPECT_EQ(reg5.version, 5u);
    EXPECT_EQ(reg5.finalizes_at, static_cast<std::uint64_t>(reg5_receipt.block_timestamp + 1000));
    EXPECT_EQ(reg5.state_hash, state_hash(v5));
    EXPECT_EQ(status_of(params), adj::fingerprint(reg5));
    EXPECT_TRUE(events_of<adj::Concluded>(reg5_receipt).empty());

    // No payout while the challenge runs; only a strictly higher version with the right `current` replaces it.
    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, v5, reg5.finalizes_at)), "ChallengeRunning()"));
    EXPECT_TRUE(reverts_with(h().send(hub(), register_(params, v4, sign_all(params, v4), reg5)), "StaleVersion()"));
    EXPECT_TRUE(reverts_with(h().send(hub(), register_(params, v5, sign_all(params, v5), reg5)), "StaleVersion()"));
    adj::Registration wrong = reg5;
    wrong.finalizes_at += 1;
    EXPECT_TRUE(reverts_with(h().send(hub(), register_(params, v7, sign_all(params, v7), wrong)), "WrongCurrent()"));
    EXPECT_TRUE(reverts_with(h().send(hub(), register_(params, v7, sign_all(params, v7))), "WrongCurrent()"));

    ASSERT_TRUE(chain().increase_time(300).ok());
    const auto reg7_receipt =
        succeeds(h().send(parts_[1].address(), register_(params, v7, sign_all(params, v7), reg5)), "refute");
    const adj::Registration reg7 = registered(reg7_receipt);
    EXPECT_EQ(reg7.version, 7u);
    EXPECT_EQ(reg7.finalizes_at, reg5.finalizes_at) << "a replacement must not extend the challenge";
    EXPECT_EQ(status_of(params), adj::fingerprint(reg7));

    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, v7, reg7.finalizes_at)), "ChallengeRunning()"));
    // The block at the deadline: the challenge is over for replacements and open for withdraw.
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(reg7.finalizes_at)).ok());
    const State v9 = make_state(params, 9, {eth_alloc({kEther, kEther})});
    EXPECT_TRUE(reverts_with(h().send(hub(), register_(params, v9, sign_all(params, v9), reg7)), "ChallengeOver()"));
    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, v5, reg5.finalizes_at)), "WrongCurrent()"));

    const u256 b0 = balance(0);
    const u256 b1 = balance(1);
    const auto paid = succeeds(h().send(hub(), withdraw(params, v7, reg7.finalizes_at)), "withdraw");
    EXPECT_EQ(balance(0), b0 + 8 * kTenth);
    EXPECT_EQ(balance(1), b1 + 12 * kTenth);
    EXPECT_EQ(events_of<adj::Withdrawn>(paid).size(), 2u);
    EXPECT_EQ(status_of(params), adj::kStatusSettled);
    EXPECT_LE(reg5_receipt.gas_used + paid.gas_used, 150'000);

    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, v7, reg7.finalizes_at)), "WrongCurrent()"));
    EXPECT_TRUE(reverts_with(h().send(hub(), adj::deposit_call(channel_id(params), Address{}, u256{1}), u256{1}),
                             "ChannelSettled()"));
    EXPECT_TRUE(reverts_with(h().send(hub(), register_(params, v9, sign_all(params, v9), reg7)), "ChannelSettled()"));
}

TEST_F(DisputeTest, AFinalStateRegisteredDuringAChallengeConcludesAtOnce) {
    const Params params = funded_channel(2, 2 * kEther);
    const State v1 = make_state(params, 1, {eth_alloc({kEther, kEther})});
    const adj::Registration reg1 =
        registered(succeeds(h().send(hub(), register_(params, v1, sign_all(params, v1))), "register"));
    const State fin = make_state(params, 2, {eth_alloc({2 * kEther, u256{}})}, true);
    const auto receipt = succeeds(h().send(hub(), register_(params, fin, sign_all(params, fin), reg1)), "register final");
    const adj::Registration concluded = registered(receipt);
    EXPECT_EQ(concluded.finalizes_at, 0u);
    ASSERT_EQ(events_of<adj::Concluded>(receipt).size(), 1u);
    const u256 b0 = balance(0);
    succeeds(h().send(hub(), withdraw(params, fin, 0)), "withdraw");
    EXPECT_EQ(balance(0), b0 + 2 * kEther);
}

TEST_F(DisputeTest, RefusesForeignAndPartiallySignedStates) {
    const Params params = funded_channel(2, 2 * kEther);
    const State foreign = make_state(new_params(2), 1, {eth_alloc({kEther, kEther})});
    EXPECT_TRUE(reverts_with(h().send(hub(), register_(params, foreign, sign_all(params, foreign))), "WrongChannel()"));
    const State mine = make_state(params, 1, {eth_alloc({2 * kEther, u256{}})});
    // Nothing is paid from a channel that was neither concluded nor registered.
    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, mine, 0)), "WrongCurrent()"));
    Bytes half = sig_of(0, params, mine);
    const Bytes again = sig_of(0, params, mine);
    half.insert(half.end(), again.begin(), again.end());
    EXPECT_TRUE(reverts_with(h().send(hub(), register_(params, mine, half)), "WrongSigner(1)"));
    EXPECT_TRUE(reverts_with(h().send(hub(), register_(params, mine, again)), "WrongSignatureCount()"));
    const State misshapen = make_state(params, 1, {eth_alloc({2 * kEther})});
    EXPECT_TRUE(reverts_with(h().send(hub(), register_(params, misshapen, sign_all(params, misshapen))), "BadOutcome()"));
    EXPECT_EQ(status_of(params), adj::kStatusOpen);
}

// A participant account with code that reverts on receipt (an EIP-7702 delegated EOA can be one): the others are
// paid, its share waits in `unclaimed` until it claims it.
TEST_F(DisputeTest, DefersARefusedPayoutUntilClaimed) {
    const Params params = funded_channel(2, 2 * kEther);
    const State fin = make_state(params, 1, {eth_alloc({15 * kTenth, 5 * kTenth})}, true);
    succeeds(h().send(hub(), conclude(params, fin, sign_all(params, fin))), "conclude");
    const Address refuser = parts_[1].address();
    chain().set_code(refuser, Bytes{0x5f, 0x5f, 0xfd});  // PUSH0 PUSH0 REVERT

    // Too little gas left for the payout cap is refused, so nobody can push payouts into `unclaimed` on purpose.
    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, fin, 0), u256{}, 90'000), "InsufficientGas()"));

    const u256 b0 = balance(0);
    const u256 b1 = balance(1);
    const auto paid = succeeds(h().send(hub(), withdraw(params, fin, 0)), "withdraw");
    EXPECT_EQ(balance(0), b0 + 15 * kTenth);
    EXPECT_EQ(balance(1), b1);
    const auto deferred = events_of<adj::PayoutDeferred>(paid);
    ASSERT_EQ(deferred.size(), 1u);
    EXPECT_EQ(deferred[0].recipient, refuser);
    EXPECT_EQ(deferred[0].amount, 5 * kTenth);
    const auto unclaimed = h().view(adj::unclaimed_call(refuser, Address{}));
    ASSERT_TRUE(unclaimed.ok());
    EXPECT_EQ(adj::decode_uint256_return(*unclaimed).value(), 5 * kTenth);

    chain().set_code(refuser, {});
    const auto claimed = succeeds(h().send(refuser, adj::claim_call(Address{})), "claim");
    const auto claims = events_of<adj::Claimed>(claimed);
    ASSERT_EQ(claims.size(), 1u);
    EXPECT_EQ(claims[0].recipient, refuser);
    EXPECT_EQ(claims[0].amount, 5 * kTenth);
    EXPECT_EQ(balance(1), b1 + 5 * kTenth);
    EXPECT_TRUE(reverts_with(h().send(refuser, adj::claim_call(Address{})), "NothingToClaim()"));
}

}  // namespace
}  // namespace sluice::channel::testing
