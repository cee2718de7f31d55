// Loan channels in the machine (issue #18 §5): a cooperative close by a final state both sign, checked by the
// payment rule instead of the app and then settled by conclude on the devchain (the committed Adjudicator and
// LoanApp), and the borrower's machine refusing a liquidation once L1 shows the repayment preimage revealed.
#include <nlohmann/json.hpp>

#include "adjudicator_harness.hpp"
#include "loan_channel.hpp"
#include "machine_test_support.hpp"
#include "sluice/channel/adjudicator_abi.hpp"
#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::channel::test {
namespace {

using contracts::kEther;
constexpr std::size_t kBorrower = 0;
constexpr std::size_t kLender = 1;
const Bytes32 kRepayment = preimage_of(77);

Bytes loan_runtime() {
    const auto artifact = nlohmann::json::parse(contracts::artifact_json("LoanApp"));
    return from_hex(artifact.at("deployedBytecode").get<std::string>()).value();
}

class MachineLoanTest : public ::testing::Test {
  protected:
    void SetUp() override {
        contracts::HarnessOptions options;
        options.funded = {key_of(kBorrower).address(), key_of(kLender).address()};
        options.funding = 100 * kEther;
        auto created = contracts::AdjudicatorHarness::create(options);
        ASSERT_TRUE(created.ok()) << created.error().describe();
        harness.emplace(std::move(created).value());

        // 10 ETH pledged against 10,000 (max LTV 50 %, liquidation at 80 %), maturity in 30 days.
        loan.members = {key_of(kBorrower), key_of(kLender)};
        loan.terms = contracts::LoanTerms{
            oracle.address(), contracts::loan_test_feed(), 10'000 * kEther, 5000, 8000, 3600};
        loan.params = make_params(2, harness->loan_app());
        ASSERT_EQ(harness->params(loan.members, loan.params.nonce, loan.params.challenge_duration,
                                  harness->loan_app()),
                  loan.params);
        const Lock pledge{hashlock_of(kRepayment), 10 * kEther, kLender, kBorrower, kStartTime + 30 * 86'400};
        loan.registered.channel_id = channel_id(loan.params);
        loan.registered.outcome = {Alloc{eth(), {u256{}, u256{}}, {pledge}}};
        loan.registered.app_data = contracts::encode_loan_data(contracts::LoanData{loan.terms, {}, {}, {}});

        const SignedState init = sign_by_all(loan.params, loan.registered);
        for (std::size_t i = 0; i < 2; ++i) {
            machines.push_back(
                Machine::open(
                    MachineSetup{loan.params, i, deposits_for(loan.registered), clock.clock(), &rules, {}},
                    key_of(i), init, stores[i])
                    .value());
        }
    }

    // One round: `p`'s proposal to the other, the countersignature back, the completion to the other.
    void complete(std::size_t p, Result<Output> proposed) {
        ASSERT_TRUE(proposed.ok()) << proposed.error().describe();
        Machine& other = machines[1 - p];
        auto answered = other.receive(proposed->messages.at(0).message);
        ASSERT_TRUE(answered.ok()) << answered.error().describe();
        const Message& answer = answered->messages.at(0).message;
        ASSERT_TRUE(std::holds_alternative<Countersignature>(answer))
            << errc_name(std::get<Rejection>(answer).code) << ": " << std::get<Rejection>(answer).reason;
        auto done = machines[p].receive(answer);
        ASSERT_TRUE(done.ok()) << done.error().describe();
        ASSERT_TRUE(other.receive(done->messages.at(0).message).ok());
    }

    // A proposal by `p` that skips p's own checks, as a dishonest peer would send it.
    Proposal unchecked_proposal(std::size_t p, State next, std::vector<Bytes32> preimages = {}) const {
        const std::uint64_t base = machines[p].latest().state.version;
        next.channel_id = channel_id(loan.params);
        next.version = machines[p].highest_signed_version() + 2;
        const Hash digest = proposal_digest(loan.params, next, base, preimages);
        return Proposal{next.channel_id, static_cast<std::uint16_t>(p), base, next,
                        preimages,       sign(key_of(p), digest)};
    }

    // The latest state closed: the pledge paid to `to`, final.
    State closing_to(std::size_t to) const {
        State s = machines[kBorrower].latest().state;
        s.outcome[0].balances[to] += s.outcome[0].locks.at(0).amount;
        s.outcome[0].locks.clear();
        s.is_final = true;
        return s;
    }

    // The fully signed final state concluded and withdrawn on the devchain, after the borrower's deposit.
    void settle_on_chain(const SignedState& final_state) {
        auto& h = *harness;
        const Hash id = channel_id(loan.params);
        const Address borrower = key_of(kBorrower).address();
        auto deposited =
            h.send(borrower, adjudicator::deposit_call(loan.params, eth(), u256{}, 10 * kEther).value(),
                   10 * kEther);
        ASSERT_TRUE(deposited.ok() && deposited->status);
        const Bytes sigs = pack_signatures(final_state).value();
        auto concluded =
            h.send(borrower, adjudicator::conclude_call(loan.params, final_state.state, sigs).value());
        ASSERT_TRUE(concluded.ok() && concluded->status)
            << (concluded.ok() ? adjudicator::decode_revert(concluded->output).name : "invalid tx");
        auto paid = h.send(borrower, adjudicator::withdraw_call(loan.params, final_state.state,
                                                                adjudicator::concluded(final_state.state))
                                         .value());
        ASSERT_TRUE(paid.ok() && paid->status)
            << (paid.ok() ? adjudicator::decode_revert(paid->output).name : "invalid tx");
        EXPECT_EQ(h.holdings(id, eth()).value(), u256{});
    }

    FakeClock clock;
    PrivateKey oracle = key_of(5);
    std::optional<contracts::AdjudicatorHarness> harness;
    contracts::LoanChannel loan;
    EvmAppRules rules{loan_runtime(), clock.clock()};
    MemoryPersistence stores[2];
    std::vector<Machine> machines;
};

TEST_F(MachineLoanTest, TheLenderClosesARepaidLoanAndConcludeSettlesIt) {
    // The lender holds its repayment preimage and reveals it with the close, so the pledge goes back.
    complete(kLender, machines[kLender].propose_state(closing_to(kBorrower), {kRepayment}));
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_TRUE(machines[kBorrower].is_final());
    ASSERT_EQ(machines[kBorrower].latest(), machines[kLender].latest());
    EXPECT_TRUE(machines[kBorrower].latest().fully_signed());

    settle_on_chain(machines[kBorrower].latest());
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(harness->chain().balance(key_of(kBorrower).address()), 100 * kEther);
    EXPECT_EQ(harness->chain().balance(key_of(kLender).address()), 100 * kEther);
}

TEST_F(MachineLoanTest, TheBorrowerTakesThePledgeInAClosingStateOnlyWithTheRepaymentPreimage) {
    // Without the preimage the lender's machine refuses: nothing shows the lender was repaid, so the pledge
    // counts as the lender's (the borrower, the lock's receiver, may only give it up).
    EXPECT_EQ(machines[kBorrower].propose_state(closing_to(kBorrower)).error().code, Errc::channel_overspend);
    auto refused = machines[kLender].receive(unchecked_proposal(kBorrower, closing_to(kBorrower)));
    ASSERT_TRUE(refused.ok());
    EXPECT_EQ(std::get<Rejection>(refused->messages.at(0).message).code, Errc::channel_overspend);

    complete(kBorrower, machines[kBorrower].propose_state(closing_to(kBorrower), {kRepayment}));
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_TRUE(machines[kLender].is_final());
    EXPECT_EQ(machines[kLender].latest().state.outcome[0].balances[kBorrower], 10 * kEther);
}

TEST_F(MachineLoanTest, ADefaultedLoanClosesWithThePledgeToTheLender) {
    complete(kBorrower, machines[kBorrower].propose_state(closing_to(kLender)));
    ASSERT_FALSE(HasFatalFailure());
    settle_on_chain(machines[kLender].latest());
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(harness->chain().balance(key_of(kBorrower).address()), 90 * kEther);
    EXPECT_EQ(harness->chain().balance(key_of(kLender).address()), 110 * kEther);
}

TEST_F(MachineLoanTest, AClosingStateKeepsTheAppData) {
    State closing = closing_to(kBorrower);
    closing.app_data.back() ^= 1;
    EXPECT_EQ(machines[kLender].propose_state(closing, {kRepayment}).error().code, Errc::channel_bad_shape);
    auto refused = machines[kBorrower].receive(unchecked_proposal(kLender, closing, {kRepayment}));
    ASSERT_TRUE(refused.ok());
    EXPECT_EQ(std::get<Rejection>(refused->messages.at(0).message).code, Errc::channel_bad_shape);
}

// Issue #18 §5 off-chain: the borrower repaid and revealed on L1; the lender, whose own node ignores the
// reveal, proposes a liquidation on a crash price. The borrower's machine runs the app with the reveal
// installed as the adjudicator's registry, and refuses.
TEST_F(MachineLoanTest, TheBorrowersMachineRefusesALiquidationAfterTheRevealOnL1) {
    const auto crash = contracts::attest(oracle, loan.terms.feed, eth(), 900 * kEther, kStartTime - 5, 31337);
    const State liquidated = contracts::loan_liquidation(loan, machines[kLender].latest().state, crash);
    ASSERT_TRUE(rules.check_transition(loan.params, loan.registered, liquidated, kLender, {}).ok())
        << "without the reveal the app allows this liquidation";

    machines[kBorrower].record_reveal(hashlock_of(kRepayment), kStartTime - 60);
    auto proposed = machines[kLender].propose_state(liquidated);
    ASSERT_TRUE(proposed.ok()) << proposed.error().describe();
    auto refused = machines[kBorrower].receive(proposed->messages.at(0).message);
    ASSERT_TRUE(refused.ok());
    EXPECT_EQ(std::get<Rejection>(refused->messages.at(0).message).code, Errc::channel_app_rejected);
    EXPECT_EQ(machines[kBorrower].latest().state, loan.registered);

    // The borrower's own repaid move, on the same on-chain reveal, goes through the lender's machine once the
    // lender has seen the reveal too.
    clock.advance(MachineOptions{}.round_timeout);
    machines[kLender].tick();
    machines[kLender].record_reveal(hashlock_of(kRepayment), kStartTime - 60);
    const State back = contracts::loan_repaid(loan, machines[kBorrower].latest().state, Bytes32{});
    complete(kBorrower, machines[kBorrower].propose_state(back));
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(machines[kLender].latest().state.outcome[0].balances[kBorrower], 10 * kEther);
    EXPECT_TRUE(machines[kLender].latest().state.outcome[0].locks.empty());
}

}  // namespace
}  // namespace sluice::channel::test
