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
    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, v5, reg5)), "ChallengeRunning()"));
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

    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, v7, reg7)), "ChallengeRunning()"));
    // The block at the deadline: the challenge is over for replacements and open for withdraw.
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(reg7.finalizes_at)).ok());
    const State v9 = make_state(params, 9, {eth_alloc({kEther, kEther})});
    EXPECT_TRUE(reverts_with(h().send(hub(), register_(params, v9, sign_all(params, v9), reg7)), "ChallengeOver()"));
    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, v5, reg5)), "WrongCurrent()"));

    const u256 b0 = balance(0);
    const u256 b1 = balance(1);
    const auto paid = succeeds(h().send(hub(), withdraw(params, v7, reg7)), "withdraw");
    EXPECT_EQ(balance(0), b0 + 8 * kTenth);
    EXPECT_EQ(balance(1), b1 + 12 * kTenth);
    EXPECT_EQ(events_of<adj::Withdrawn>(paid).size(), 2u);
    EXPECT_EQ(status_of(params), adj::kStatusSettled);
    EXPECT_LE(reg5_receipt.gas_used + paid.gas_used, 150'000);

    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, v7, reg7)), "WrongCurrent()"));
    EXPECT_TRUE(
        reverts_with(h().send(hub(), deposit(params, Address{}, u256{1}), u256{1}), "ChannelSettled()"));
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
    succeeds(h().send(hub(), withdraw(params, fin)), "withdraw");
    EXPECT_EQ(balance(0), b0 + 2 * kEther);
}

TEST_F(DisputeTest, RefusesForeignAndPartiallySignedStates) {
    const Params params = funded_channel(2, 2 * kEther);
    const State foreign = make_state(new_params(2), 1, {eth_alloc({kEther, kEther})});
    EXPECT_TRUE(reverts_with(h().send(hub(), register_(params, foreign, sign_all(params, foreign))), "WrongChannel()"));
    const State mine = make_state(params, 1, {eth_alloc({2 * kEther, u256{}})});
    // Nothing is paid from a channel that was neither concluded nor registered.
    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, mine)), "WrongCurrent()"));
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
    EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, fin), u256{}, 90'000), "InsufficientGas()"));

    const u256 b0 = balance(0);
    const u256 b1 = balance(1);
    const auto paid = succeeds(h().send(hub(), withdraw(params, fin)), "withdraw");
    EXPECT_EQ(balance(0), b0 + 15 * kTenth);
    EXPECT_EQ(balance(1), b1);
    // Withdrawn only for the share actually paid (#18 §7): watchers rely on it.
    const auto withdrawn = events_of<adj::Withdrawn>(paid);
    ASSERT_EQ(withdrawn.size(), 1u);
    EXPECT_EQ(withdrawn[0].participant, parts_[0].address());
    const auto deferred = events_of<adj::PayoutDeferred>(paid);
    ASSERT_EQ(deferred.size(), 1u);
    EXPECT_EQ(deferred[0].recipient, refuser);
    EXPECT_EQ(deferred[0].amount, 5 * kTenth);
    const auto unclaimed = h().view(adj::unclaimed_call(refuser, Address{}));
    ASSERT_TRUE(unclaimed.ok());
    EXPECT_EQ(adj::decode_uint256_return(*unclaimed).value(), 5 * kTenth);

    chain().set_code(refuser, {});
    const auto claimed = succeeds(h().send(refuser, adj::claim_call(Address{}, refuser)), "claim");
    const auto claims = events_of<adj::Claimed>(claimed);
    ASSERT_EQ(claims.size(), 1u);
    EXPECT_EQ(claims[0].recipient, refuser);
    EXPECT_EQ(claims[0].amount, 5 * kTenth);
    EXPECT_EQ(claims[0].to, refuser);
    EXPECT_EQ(balance(1), b1 + 5 * kTenth);
    EXPECT_TRUE(reverts_with(h().send(refuser, adj::claim_call(Address{}, refuser)), "NothingToClaim()"));
}

// #18 §7: an address that can never receive directs its deferred payout to another one with claim(asset, to).
TEST_F(DisputeTest, ADeferredPayoutCanBeClaimedToAnotherAddress) {
    const Params params = funded_channel(2, 2 * kEther);
    const State fin = make_state(params, 1, {eth_alloc({15 * kTenth, 5 * kTenth})}, true);
    succeeds(h().send(hub(), conclude(params, fin, sign_all(params, fin))), "conclude");
    const Address refuser = parts_[1].address();
    chain().set_code(refuser, Bytes{0x5f, 0x5f, 0xfd});  // PUSH0 PUSH0 REVERT
    succeeds(h().send(hub(), withdraw(params, fin)), "withdraw");
    // A transaction cannot come from an account with code (EIP-3607), so the refuser's key signs it without;
    // contracts/test/hostile.test.js has a contract that stays unable to receive claim to another address.
    chain().set_code(refuser, {});
    const u256 elsewhere = balance(2);
    const auto claimed =
        succeeds(h().send(refuser, adj::claim_call(Address{}, parts_[2].address())), "claim");
    EXPECT_EQ(balance(2), elsewhere + 5 * kTenth);
    EXPECT_EQ(events_of<adj::Claimed>(claimed).at(0).to, parts_[2].address());
}

// #18 §7: the InsufficientGas margin left out the CALL's own cost (cold account, value transfer), so some gas
// limit passed the check but left a recipient that needs its cap less than the cap: its payout was deferred
// on the caller's choice. Every gas limit now either reverts (InsufficientGas, or out of gas) or pays it;
// with the old margin (5,000) this scan finds a limit that defers it.
TEST_F(DisputeTest, NoGasLimitDefersARecipientThatNeedsItsCap) {
    const Params params = funded_channel(2, 2 * kEther);
    const State fin = make_state(params, 1, {eth_alloc({15 * kTenth, 5 * kTenth})}, true);
    succeeds(h().send(hub(), conclude(params, fin, sign_all(params, fin))), "conclude");
    // Refuses a payment unless it got its whole cap (50,000 + the 2,300 stipend), like a wallet that checks
    // it can finish its bookkeeping: PUSH2 50000 GAS LT PUSH1 9 JUMPI STOP JUMPDEST PUSH0 PUSH0 REVERT.
    chain().set_code(parts_[1].address(),
                     Bytes{0x61, 0xc3, 0x50, 0x5a, 0x10, 0x60, 0x09, 0x57, 0x00, 0x5b, 0x5f, 0x5f, 0xfd});
    std::optional<l1::TxReceipt> paid;
    for (std::uint64_t gas = 100'000; gas <= 400'000 && !paid; gas += 500) {
        auto receipt = h().send(hub(), withdraw(params, fin), u256{}, gas);
        ASSERT_TRUE(receipt.ok());
        if (receipt->status) {
            paid = *receipt;
        } else {
            const std::string why = adj::decode_revert(receipt->output).describe();
            EXPECT_TRUE(why == "InsufficientGas()" || why == "<empty>") << gas << ": " << why;
        }
    }
    ASSERT_TRUE(paid.has_value());
    EXPECT_TRUE(events_of<adj::PayoutDeferred>(*paid).empty()) << "deferred at gas limit " << paid->gas_used;
    EXPECT_EQ(events_of<adj::Withdrawn>(*paid).size(), 2u);
}

}  // namespace
}  // namespace sluice::channel::testing
