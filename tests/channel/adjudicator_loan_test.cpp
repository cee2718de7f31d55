// progress through the collateralised-loan app on the real bytecode (Adjudicator + LoanApp): a release within
// the LTV limit, a refused over-limit release, liquidation with a genuine and with a forged oracle
// attestation, the adjudicator's own refusals, the payout after the last move, the liquidation after
// repayment of issue #18 §5 (refused) and the repaid move that undoes a liquidation.
#include "adjudicator_fixture.hpp"
#include "loan_channel.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::channel::testing {
namespace {

class LoanTest : public AdjudicatorTest {
  protected:
    static constexpr std::size_t kBorrower = 0;
    static constexpr std::size_t kLender = 1;
    static constexpr std::size_t kOracle = 5;
    static constexpr std::size_t kForger = 6;

    contracts::LoanChannel open_loan() {
        auto loan = contracts::open_registered_loan(h(), parts_[kBorrower], parts_[kLender],
                                                    parts_[kOracle].address(), ++nonce_);
        EXPECT_TRUE(loan.ok()) << loan.error().describe();
        return loan.ok() ? std::move(*loan) : contracts::LoanChannel{};
    }

    contracts::PriceAttestation price(const u256& value, std::size_t signer = kOracle) {
        return contracts::attest(parts_[signer], contracts::loan_test_feed(), Address{}, value,
                                 static_cast<std::uint64_t>(now()), chain().chain_id());
    }

    Result<l1::TxReceipt> progress(const contracts::LoanChannel& loan, const State& from,
                                   const adj::Registration& current, const State& to, std::size_t actor,
                                   std::size_t signer) {
        const auto sig = sign_state(parts_[signer], loan.params, to).to_bytes();
        return h().send(parts_[actor].address(),
                        adj::progress_call(loan.params, from, current, to, actor, sig).value());
    }

    // LoanApp.validTransition(params, from, to, actor) by eth_call.
    bool app_accepts(const contracts::LoanChannel& loan, const State& from, const State& to,
                     std::size_t actor) {
        const std::string state = state_abi_type().canonical();
        const auto fn = AbiFunction::parse("validTransition(" + params_abi_type().canonical() + "," + state +
                                           "," + state + ",uint256)")
                            .value();
        const auto data = fn.encode_call(
            AbiValue::list({to_abi(loan.params), to_abi(from), to_abi(to), AbiValue::uint(u256{actor})}));
        const auto result = chain().call(hub(), h().loan_app(), data.value());
        EXPECT_TRUE(result.ok() && result->status);
        return result.ok() && adj::decode_uint256_return(result->output).value_or(u256{}) == u256{1};
    }
};

TEST_F(LoanTest, ReleaseWithinTheLimitMovesTheChannelAndRestartsTheChallenge) {
    const auto loan = open_loan();
    // 7 ETH left pledged at 3,000: LTV 47.6 % <= 50 %.
    const State ok = contracts::loan_release(loan, loan.registered, 3 * kEther, price(3000 * kEther));
    EXPECT_TRUE(app_accepts(loan, loan.registered, ok, kBorrower));
    // 6 ETH left: LTV 55.6 % > 50 %.
    const State too_much = contracts::loan_release(loan, loan.registered, 4 * kEther, price(3000 * kEther));
    EXPECT_FALSE(app_accepts(loan, loan.registered, too_much, kBorrower));
    EXPECT_TRUE(
        reverts_with(progress(loan, loan.registered, loan.registration, too_much, kBorrower, kBorrower),
                     "InvalidTransition()"));
    // A forged price cannot justify it either.
    const State forged =
        contracts::loan_release(loan, loan.registered, 4 * kEther, price(5000 * kEther, kForger));
    EXPECT_TRUE(reverts_with(progress(loan, loan.registered, loan.registration, forged, kBorrower, kBorrower),
                             "InvalidTransition()"));

    ASSERT_TRUE(chain().increase_time(100).ok());
    const auto receipt =
        succeeds(progress(loan, loan.registered, loan.registration, ok, kBorrower, kBorrower), "progress");
    const auto moved = events_of<adj::Progressed>(receipt);
    ASSERT_EQ(moved.size(), 1u);
    EXPECT_EQ(moved[0].channel_id, channel_id(loan.params));
    EXPECT_EQ(moved[0].actor_idx, kBorrower);
    EXPECT_EQ(moved[0].state, ok) << "the event carries the whole new state";
    EXPECT_EQ(moved[0].registration.version, 2u);
    EXPECT_EQ(moved[0].registration.state_hash, state_hash(ok));
    EXPECT_EQ(moved[0].registration.finalizes_at, static_cast<std::uint64_t>(receipt.block_timestamp + 1000));
    EXPECT_GT(moved[0].registration.finalizes_at, loan.finalizes_at);
    EXPECT_EQ(status_of(loan.params), adj::fingerprint(moved[0].registration));
}

TEST_F(LoanTest, TheAdjudicatorRefusesWhatIsNotTheAppsToJudge) {
    const auto loan = open_loan();
    const State ok = contracts::loan_release(loan, loan.registered, kEther, price(3000 * kEther));
    const auto& from = loan.registered;
    const auto& at = loan.registration;
    EXPECT_TRUE(reverts_with(progress(loan, from, at, ok, kBorrower, kLender), "WrongSigner(0)"));
    EXPECT_TRUE(reverts_with(progress(loan, from, at, ok, kLender, kLender), "InvalidTransition()"));
    {
        const auto sig = sign_state(parts_[kLender], loan.params, ok).to_bytes();
        EXPECT_TRUE(reverts_with(
            h().send(hub(), adj::progress_call(loan.params, from, at, ok, 2, sig).value()), "WrongActor()"));
    }
    State skip = ok;
    skip.version = 3;
    EXPECT_TRUE(reverts_with(progress(loan, from, at, skip, kBorrower, kBorrower), "WrongVersion()"));
    State minted = ok;
    minted.outcome[0].balances[0] += kEther;
    EXPECT_TRUE(reverts_with(progress(loan, from, at, minted, kBorrower, kBorrower), "OutcomeMismatch()"));
    adj::Registration later = at;
    later.finalizes_at += 1;
    EXPECT_TRUE(reverts_with(progress(loan, from, later, ok, kBorrower, kBorrower), "WrongCurrent()"));
    State final_from = from;
    final_from.is_final = true;
    EXPECT_TRUE(reverts_with(progress(loan, final_from, at, ok, kBorrower, kBorrower), "WrongCurrent()"));

    Params plain = loan.params;
    plain.app = Address{};
    const auto sig = sign_state(parts_[kBorrower], loan.params, ok).to_bytes();
    EXPECT_TRUE(reverts_with(h().send(hub(), adj::progress_call(plain, from, at, ok, kBorrower, sig).value()),
                             "NotAppChannel()"));

    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(at.finalizes_at)).ok());
    EXPECT_TRUE(reverts_with(progress(loan, from, at, ok, kBorrower, kBorrower), "ChallengeOver()"));
}

TEST_F(LoanTest, LiquidatesOnAGenuineAttestationPastTheThresholdNotOnAForgedOne) {
    const auto loan = open_loan();
    const State released = contracts::loan_release(loan, loan.registered, 3 * kEther, price(3000 * kEther));
    const auto moved = events_of<adj::Progressed>(succeeds(
        progress(loan, loan.registered, loan.registration, released, kBorrower, kBorrower), "release"));
    ASSERT_EQ(moved.size(), 1u);
    const adj::Registration at = moved[0].registration;

    // ETH at 2,000: 7 ETH are worth 14,000, LTV 71 % < 80 %: no liquidation yet.
    const State early = contracts::loan_liquidation(loan, released, price(2000 * kEther));
    EXPECT_TRUE(reverts_with(progress(loan, released, at, early, kLender, kLender), "InvalidTransition()"));
    // ETH at 1,700: LTV 84 % >= 80 %, but the price is signed by someone else.
    const State forged = contracts::loan_liquidation(loan, released, price(1700 * kEther, kForger));
    EXPECT_TRUE(reverts_with(progress(loan, released, at, forged, kLender, kLender), "InvalidTransition()"));
    const State genuine = contracts::loan_liquidation(loan, released, price(1700 * kEther));
    // The same move by the borrower is no liquidation.
    EXPECT_TRUE(
        reverts_with(progress(loan, released, at, genuine, kBorrower, kBorrower), "InvalidTransition()"));

    const auto receipt = succeeds(progress(loan, released, at, genuine, kLender, kLender), "liquidation");
    const auto liquidated = events_of<adj::Progressed>(receipt);
    ASSERT_EQ(liquidated.size(), 1u);
    EXPECT_EQ(liquidated[0].state, genuine);
    EXPECT_EQ(liquidated[0].actor_idx, kLender);

    const adj::Registration deadline = liquidated[0].registration;
    EXPECT_TRUE(
        reverts_with(h().send(hub(), withdraw(loan.params, genuine, deadline)), "ChallengeRunning()"));
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(deadline.finalizes_at)).ok());
    const u256 borrower = balance(kBorrower);
    const u256 lender = balance(kLender);
    succeeds(h().send(hub(), withdraw(loan.params, genuine, deadline)), "withdraw");
    EXPECT_EQ(balance(kBorrower), borrower + 3 * kEther);
    EXPECT_EQ(balance(kLender), lender + 7 * kEther);
}

TEST_F(LoanTest, RepaymentPreimageReturnsThePledgeToTheBorrower) {
    const auto loan = open_loan();
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(loan.finalizes_at)).ok());
    const Hash hashlock = loan.registered.outcome[0].locks[0].hashlock;
    // The pledge is the only lock: withdraw pays the (empty) balances and leaves it pending.
    succeeds(h().send(hub(), withdraw(loan.params, loan.registered, loan.registration)), "withdraw");
    const Bytes stage2 = adj::withdraw_locks_call(loan.params, loan.registered, u256{1}).value();
    EXPECT_TRUE(reverts_with(h().send(hub(), stage2), "LockPending(" + to_hex(hashlock) + ")"));
    succeeds(h().send(hub(), adj::reveal_preimage_call(contracts::loan_repayment_preimage())), "reveal");
    const u256 borrower = balance(kBorrower);
    succeeds(h().send(hub(), stage2), "withdrawLocks");
    EXPECT_EQ(balance(kBorrower), borrower + 10 * kEther);
}

// Issue #18 §5: the borrower repaid through the hashlock (so it holds the preimage), the lender refuses to
// co-sign debt 0; the borrower registers and reveals; the lender answers with a liquidation on a fresh crash
// price. It is refused, and withdraw pays the pledge to the borrower alone.
TEST_F(LoanTest, NoLiquidationAfterTheRepaymentPreimageIsRevealed) {
    const auto loan = open_loan();
    const State crash = contracts::loan_liquidation(loan, loan.registered, price(900 * kEther));
    EXPECT_TRUE(app_accepts(loan, loan.registered, crash, kLender))
        << "before the reveal the liquidation is valid";
    succeeds(h().send(parts_[kBorrower].address(),
                      adj::reveal_preimage_call(contracts::loan_repayment_preimage())),
             "reveal");
    const State fresh = contracts::loan_liquidation(loan, loan.registered, price(900 * kEther));
    EXPECT_FALSE(app_accepts(loan, loan.registered, fresh, kLender));
    EXPECT_TRUE(reverts_with(progress(loan, loan.registered, loan.registration, fresh, kLender, kLender),
                             "InvalidTransition()"));

    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(loan.finalizes_at)).ok());
    const u256 borrower = balance(kBorrower);
    const u256 lender = balance(kLender);
    succeeds(h().send(hub(), withdraw(loan.params, loan.registered, loan.registration)), "withdraw");
    EXPECT_EQ(balance(kBorrower), borrower + 10 * kEther);
    EXPECT_EQ(balance(kLender), lender);
}

// A liquidation that lands before the borrower's reveal (front-running it) is answered by the repaid move
// within the challenge the liquidation restarted; the repaid move also works on the preimage carried in the
// move.
TEST_F(LoanTest, TheRepaidMoveUndoesALiquidationThatFrontRanTheReveal) {
    const auto loan = open_loan();
    const State crash = contracts::loan_liquidation(loan, loan.registered, price(900 * kEther));
    const auto liquidated = events_of<adj::Progressed>(
        succeeds(progress(loan, loan.registered, loan.registration, crash, kLender, kLender), "liquidation"));
    ASSERT_EQ(liquidated.size(), 1u);
    const Lock& seized = loan.registered.outcome[0].locks[0];
    const State undo = contracts::loan_repaid(loan, crash, Bytes32{}, &seized);
    const adj::Registration at = liquidated[0].registration;
    EXPECT_TRUE(reverts_with(progress(loan, crash, at, undo, kBorrower, kBorrower), "InvalidTransition()"))
        << "no proof of repayment yet";
    EXPECT_TRUE(reverts_with(progress(loan, crash, at, undo, kLender, kLender), "InvalidTransition()"));
    const State carried = contracts::loan_repaid(loan, crash, contracts::loan_repayment_preimage(), &seized);
    const auto answered = events_of<adj::Progressed>(
        succeeds(progress(loan, crash, at, carried, kBorrower, kBorrower), "repaid"));
    ASSERT_EQ(answered.size(), 1u);

    const adj::Registration deadline = answered[0].registration;
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(deadline.finalizes_at)).ok());
    const u256 borrower = balance(kBorrower);
    const u256 lender = balance(kLender);
    succeeds(h().send(hub(), withdraw(loan.params, carried, deadline)), "withdraw");
    EXPECT_EQ(balance(kBorrower), borrower + 10 * kEther);
    EXPECT_EQ(balance(kLender), lender);
}

TEST_F(LoanTest, PaymentChannelsHaveNoForceMoves) {
    const Params params = funded_channel(2, 2 * kEther);
    const State v1 = make_state(params, 1, {eth_alloc({kEther, kEther})});
    const auto reg =
        registered(succeeds(h().send(hub(), register_(params, v1, sign_all(params, v1))), "register"));
    const State v2 = make_state(params, 2, {eth_alloc({kEther / u256{2}, 3 * kEther / u256{2}})});
    const Bytes sig = sig_of(0, params, v2);
    EXPECT_TRUE(reverts_with(h().send(hub(), adj::progress_call(params, v1, reg, v2, 0, sig).value()),
                             "NotAppChannel()"));
}

}  // namespace
}  // namespace sluice::channel::testing
