// Force-moves (progress) against fully signed states on the real Adjudicator bytecode, with an app that
// accepts every move, so that only the adjudicator's own rules are under test (#18 §2): a fully signed state
// replaces unilateral moves built on an older one whatever their versions, moves never push the deadline past
// endsBy, and a final move is refused; and the issue's own scenario on the real LoanApp.
#include "adjudicator_fixture.hpp"
#include "loan_channel.hpp"

namespace sluice::channel::testing {
namespace {

class ProgressTest : public AdjudicatorTest {
  protected:
    void SetUp() override {
        AdjudicatorTest::SetUp();
        // validTransition(...) == true for any call: PUSH1 1 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.
        chain().set_code(app_, Bytes{0x60, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3});
    }

    Params app_channel() {
        Params params = new_params(2, kDuration, app_);
        succeeds(h().send(hub(), deposit(params, Address{}, 2 * kEther), 2 * kEther), "deposit");
        return params;
    }

    // Participant 0 holds `first` of the 2 ETH.
    State at(const Params& params, std::uint64_t version, const u256& first) {
        return make_state(params, version, {eth_alloc({first, 2 * kEther - first})});
    }

    Result<l1::TxReceipt> move(const Params& params, const State& from, const adj::Registration& current,
                               const State& to, std::size_t actor) {
        const Bytes sig = sig_of(actor, params, to);
        return h().send(parts_[actor].address(),
                        adj::progress_call(params, from, current, to, actor, sig).value());
    }

    adj::Registration moved(const Result<l1::TxReceipt>& receipt) {
        const auto found = events_of<adj::Progressed>(succeeds(receipt, "progress"));
        EXPECT_EQ(found.size(), 1u);
        return found.empty() ? adj::Registration{} : found[0].registration;
    }

    static constexpr std::uint64_t kDuration = 1000;
    const Address app_ = Address::from_hex("0x00000000000000000000000000000000000a9901").value();
};

// The attack: the borrower registers the stale v1 and moves v1 -> v2' alone before the lender
// registers the fully signed v2; v2 was refused (StaleVersion). Here even a second move v2' -> v3' cannot
// keep v2 out.
TEST_F(ProgressTest, AFullySignedStateReplacesUnilateralMovesOfTheSameOrAHigherVersion) {
    const Params params = app_channel();
    const State v1 = at(params, 1, kEther);
    const State v2 = at(params, 2, kEther / u256{5});  // fully signed: participant 0 paid 0.8 ETH
    const auto reg1_receipt =
        succeeds(h().send(parts_[0].address(), register_(params, v1, sign_all(params, v1))), "register");
    const adj::Registration reg1 = registered(reg1_receipt);
    EXPECT_EQ(reg1.signed_version, 1u);
    EXPECT_EQ(reg1.ends_by,
              static_cast<std::uint64_t>(reg1_receipt.block_timestamp) + adj::kDisputeSpan * kDuration);

    const State v2_alone = at(params, 2, 3 * kEther / u256{2});
    const adj::Registration m2 = moved(move(params, v1, reg1, v2_alone, 0));
    EXPECT_EQ(m2.version, 2u);
    EXPECT_EQ(m2.signed_version, 1u) << "a unilateral move keeps the dispute's fully signed version";
    const State v3_alone = at(params, 3, 2 * kEther);
    const adj::Registration m3 = moved(move(params, v2_alone, m2, v3_alone, 0));
    EXPECT_EQ(status_of(params), adj::fingerprint(m3));

    const adj::Registration reg2 = registered(
        succeeds(h().send(parts_[1].address(), register_(params, v2, sign_all(params, v2), m3)), "v2"));
    EXPECT_EQ(reg2.version, 2u);
    EXPECT_EQ(reg2.signed_version, 2u);
    EXPECT_EQ(reg2.finalizes_at, m3.finalizes_at) << "a replacement keeps the deadline";
    EXPECT_EQ(reg2.ends_by, reg1.ends_by);

    // Neither the stale v1 nor v2 again; the abandoned unilateral chain cannot be resumed.
    EXPECT_TRUE(
        reverts_with(h().send(hub(), register_(params, v1, sign_all(params, v1), reg2)), "StaleVersion()"));
    EXPECT_TRUE(
        reverts_with(h().send(hub(), register_(params, v2, sign_all(params, v2), reg2)), "StaleVersion()"));
    EXPECT_TRUE(reverts_with(move(params, v3_alone, m3, at(params, 4, 2 * kEther), 0), "WrongCurrent()"));
    // A move on top of v2 is the way on, and it too yields to a higher fully signed state.
    const State v3_lender = at(params, 3, kEther / u256{10});
    const adj::Registration m3b = moved(move(params, v2, reg2, v3_lender, 1));
    EXPECT_EQ(m3b.signed_version, 2u);
    const State v3 = at(params, 3, kEther / u256{2});
    const adj::Registration reg3 =
        registered(succeeds(h().send(hub(), register_(params, v3, sign_all(params, v3), m3b)), "v3"));
    EXPECT_EQ(reg3.signed_version, 3u);

    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(reg3.finalizes_at)).ok());
    const u256 b1 = balance(1);
    succeeds(h().send(hub(), withdraw(params, v3, reg3)), "withdraw");
    EXPECT_EQ(balance(1), b1 + 3 * kEther / u256{2});
}

// The scenario on the real LoanApp: both parties signed v2 (a liquidation); the borrower registers
// the stale v1 and releases collateral alone (v1 -> v2', valid under the app) before the lender registers v2.
// v2 now replaces the move, and the lender is paid the pledge.
TEST_F(ProgressTest, TheLendersFullySignedLiquidationBeatsTheBorrowersRelease) {
    auto loan = contracts::open_registered_loan(h(), parts_[0], parts_[1], parts_[5].address(), ++nonce_);
    ASSERT_TRUE(loan.ok()) << loan.error().describe();
    const auto price = [&](const u256& value) {
        return contracts::attest(parts_[5], contracts::loan_test_feed(), Address{}, value,
                                 static_cast<std::uint64_t>(now()), chain().chain_id());
    };
    const State v2 = contracts::loan_liquidation(*loan, loan->registered, price(1700 * kEther));
    const Bytes v2_sigs = sign_all(loan->params, v2);

    const State release = contracts::loan_release(*loan, loan->registered, 3 * kEther, price(3000 * kEther));
    const Bytes sig = sig_of(0, loan->params, release);
    const adj::Registration moved_reg = moved(h().send(
        parts_[0].address(),
        adj::progress_call(loan->params, loan->registered, loan->registration, release, 0, sig).value()));
    EXPECT_EQ(moved_reg.version, 2u);
    EXPECT_EQ(moved_reg.signed_version, 1u);

    const adj::Registration reg2 = registered(succeeds(
        h().send(parts_[1].address(), register_(loan->params, v2, v2_sigs, moved_reg)), "lender's v2"));
    EXPECT_EQ(reg2.state_hash, state_hash(v2));
    EXPECT_EQ(reg2.signed_version, 2u);
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(reg2.finalizes_at)).ok());
    const u256 lender = balance(1);
    succeeds(h().send(hub(), withdraw(loan->params, v2, reg2)), "withdraw");
    EXPECT_EQ(balance(1), lender + 10 * kEther);
}

// The second attack: 1-wei moves, each restarting the challenge, kept the dispute open for ever.
TEST_F(ProgressTest, MovesNeverPushTheDeadlinePastEndsBy) {
    const Params params = app_channel();
    State from = at(params, 1, kEther);
    adj::Registration current =
        registered(succeeds(h().send(hub(), register_(params, from, sign_all(params, from))), "register"));
    const std::uint64_t ends_by = current.ends_by;
    int moves = 0;
    while (current.finalizes_at < ends_by && moves < 10) {
        ASSERT_TRUE(
            chain().set_next_block_timestamp(static_cast<std::int64_t>(current.finalizes_at - 1)).ok());
        State to = at(params, from.version + 1, from.outcome[0].balances[0] - u256{1});
        current = moved(move(params, from, current, to, 0));  // the same actor every time
        EXPECT_LE(current.finalizes_at, ends_by);
        EXPECT_EQ(current.ends_by, ends_by);
        from = std::move(to);
        ++moves;
    }
    EXPECT_EQ(current.finalizes_at, ends_by);
    EXPECT_LE(moves, 4);
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(ends_by)).ok());
    EXPECT_TRUE(reverts_with(move(params, from, current, at(params, from.version + 1, u256{}), 0),
                             "ChallengeOver()"));
    succeeds(h().send(hub(), withdraw(params, from, current)), "withdraw");
    EXPECT_EQ(status_of(params), adj::kStatusSettled);
}

// #18 §7: a final move concluded at once, with no window to answer it.
TEST_F(ProgressTest, RefusesAFinalMove) {
    const Params params = app_channel();
    const State v1 = at(params, 1, kEther);
    const adj::Registration reg =
        registered(succeeds(h().send(hub(), register_(params, v1, sign_all(params, v1))), "register"));
    State fin = at(params, 2, 2 * kEther);
    fin.is_final = true;
    EXPECT_TRUE(reverts_with(move(params, v1, reg, fin, 0), "FinalState()"));
    EXPECT_EQ(status_of(params), adj::fingerprint(reg));
}

}  // namespace
}  // namespace sluice::channel::testing
