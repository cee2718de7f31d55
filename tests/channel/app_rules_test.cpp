// App channels: validTransition run in the embedded EVM, with the real LoanApp runtime bytecode
// (contracts/src/LoanApp.sol) and with tiny hand-written contracts for the failure modes.
#include <nlohmann/json.hpp>

#include "loan_data.hpp"
#include "machine_test_support.hpp"
#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::channel::test {
namespace {

const Address kApp = Address::from_hex("0x00000000000000000000000000000000000a9901").value();
const u256 kEther{1'000'000'000'000'000'000ULL};  // 1e18 base units of collateral
constexpr std::uint64_t kDebt = 100'000;          // debt units
constexpr std::uint16_t kMaxLtvBps = 6000;
constexpr std::uint16_t kLiquidationLtvBps = 8000;
constexpr std::uint32_t kMaxPriceAge = 3600;

Bytes loan_runtime() {
    const auto artifact = nlohmann::json::parse(contracts::artifact_json("LoanApp"));
    return from_hex(artifact.at("deployedBytecode").get<std::string>()).value();
}

const PrivateKey& oracle() {
    static const PrivateKey key = key_of(100);
    return key;
}

using contracts::PriceAttestation;

contracts::LoanTerms terms_with(std::uint64_t debt) {
    return contracts::LoanTerms{oracle().address(), contracts::loan_test_feed(), u256{debt},
                                kMaxLtvBps,         kLiquidationLtvBps,          kMaxPriceAge};
}

PriceAttestation attest(const PrivateKey& signer, const u256& price, std::uint64_t timestamp,
                        const Hash& feed = contracts::loan_test_feed()) {
    return contracts::attest(signer, feed, token(), price, timestamp, 31337);
}

Bytes loan_data(std::uint64_t debt, const PriceAttestation& att, const Bytes32& preimage = {},
                const Lock& seized = {}) {
    return contracts::encode_loan_data(contracts::LoanData{terms_with(debt), att, preimage, seized});
}

const Bytes32 kRepayment = preimage_of(77);

// Borrower 0 has pledged 100 collateral to the lender 1 against kDebt; price 2000 debt units per unit.
State loan_state(const Params& params) {
    State s;
    s.channel_id = channel_id(params);
    s.version = 5;
    const Lock pledge{hashlock_of(kRepayment), kEther * 100, 1, 0, kStartTime + 86400};
    s.outcome.push_back(Alloc{token(), {kEther * 5, kEther * 1}, {pledge}});
    s.app_data = loan_data(kDebt, PriceAttestation{2000, kStartTime - 1000, {}});
    return s;
}

State release(const State& from, const u256& amount, const PriceAttestation& att) {
    State to = from;
    to.version = from.version + 1;
    to.outcome[0].locks[0].amount -= amount;
    to.outcome[0].balances[0] += amount;
    to.app_data = loan_data(kDebt, att);
    return to;
}

State liquidation(const State& from, const PriceAttestation& att) {
    State to = from;
    to.version = from.version + 1;
    const Lock pledge = to.outcome[0].locks[0];
    to.outcome[0].balances[1] += pledge.amount;
    to.outcome[0].locks.clear();
    to.app_data = loan_data(0, att, {}, pledge);
    return to;
}

// The borrower's repaid move: the pledge to the borrower, debt 0, the preimage carried or not.
State repaid(const State& from, const Bytes32& preimage) {
    State to = from;
    to.version = from.version + 1;
    to.outcome[0].balances[0] += to.outcome[0].locks[0].amount;
    to.outcome[0].locks.clear();
    to.app_data = loan_data(0, PriceAttestation{}, preimage);
    return to;
}

class LoanAppTest : public ::testing::Test {
  protected:
    FakeClock clock;
    Params params = make_params(2, kApp);
    EvmAppRules rules{loan_runtime(), clock.clock()};
    State from = loan_state(params);
    PriceAttestation fresh = attest(oracle(), 2000, kStartTime - 10);
    LockKnowledge none;
};

TEST_F(LoanAppTest, ArtifactIsThere) {
    ASSERT_GT(loan_runtime().size(), 100u);
}

TEST_F(LoanAppTest, AllowedCollateralRelease) {
    // 90 left at price 2000 against 100,000: LTV 55.6% <= 60%.
    EXPECT_TRUE(rules.check_transition(params, from, release(from, kEther * 10, fresh), 0, none).ok());
}

TEST_F(LoanAppTest, OverLimitReleaseIsRefused) {
    // 80 left: LTV 62.5% > 60%.
    const auto r = rules.check_transition(params, from, release(from, kEther * 20, fresh), 0, none);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::channel_app_rejected);
    // The lender may not release the borrower's collateral, and a stale price does not count.
    EXPECT_EQ(rules.check_transition(params, from, release(from, kEther * 10, fresh), 1, none).error().code,
              Errc::channel_app_rejected);
    const PriceAttestation old = attest(oracle(), 2000, kStartTime - kMaxPriceAge - 1);
    EXPECT_EQ(rules.check_transition(params, from, release(from, kEther * 10, old), 0, none).error().code,
              Errc::channel_app_rejected);
}

TEST_F(LoanAppTest, LiquidationNeedsTheOraclesAttestation) {
    // Price 1000: LTV 100% >= 80%, so the lender may take the pledge.
    const PriceAttestation crash = attest(oracle(), 1000, kStartTime - 5);
    EXPECT_TRUE(rules.check_transition(params, from, liquidation(from, crash), 1, none).ok());
    // The same price "attested" by someone else's key.
    const PriceAttestation forged = attest(key_of(0), 1000, kStartTime - 5);
    EXPECT_EQ(rules.check_transition(params, from, liquidation(from, forged), 1, none).error().code,
              Errc::channel_app_rejected);
    // A genuine attestation whose price was altered afterwards.
    PriceAttestation altered = crash;
    altered.price = 900;
    EXPECT_EQ(rules.check_transition(params, from, liquidation(from, altered), 1, none).error().code,
              Errc::channel_app_rejected);
    // At price 2000 there is nothing to liquidate.
    EXPECT_EQ(rules.check_transition(params, from, liquidation(from, fresh), 1, none).error().code,
              Errc::channel_app_rejected);
}

TEST_F(LoanAppTest, TheClockDecidesFreshness) {
    const State to = release(from, kEther * 10, fresh);
    clock.advance(kMaxPriceAge);  // the attestation is now 3610 s old
    EXPECT_EQ(rules.check_transition(params, from, to, 0, none).error().code, Errc::channel_app_rejected);
}

// Issue #18 §7: the oracle signs the feed id, which the terms fix for the loan's lifetime.
TEST_F(LoanAppTest, AnAttestationOfAnotherFeedDoesNotCount) {
    const Hash euro = keccak256(as_bytes("ETH/EUR, 18 decimals"));
    const State misquoted = liquidation(from, attest(oracle(), 1000, kStartTime - 5, euro));
    EXPECT_EQ(rules.check_transition(params, from, misquoted, 1, none).error().code,
              Errc::channel_app_rejected);
    EXPECT_TRUE(rules
                    .check_transition(params, from, liquidation(from, attest(oracle(), 1000, kStartTime - 5)),
                                      1, none)
                    .ok());
}

// Issue #18 §5 off-chain: once L1 shows the repayment preimage revealed by maturity, the lender was repaid
// and the lock pays the pledge to the borrower; a liquidation would take it a second time.
TEST_F(LoanAppTest, NoLiquidationOnceTheRepaymentPreimageIsRevealedOnChain) {
    const State crash = liquidation(from, attest(oracle(), 1000, kStartTime - 5));
    ASSERT_TRUE(rules.check_transition(params, from, crash, 1, none).ok());
    LockKnowledge revealed;
    revealed.revealed_at[hashlock_of(kRepayment)] = kStartTime - 60;
    EXPECT_EQ(rules.check_transition(params, from, crash, 1, revealed).error().code,
              Errc::channel_app_rejected);

    // A reveal after maturity pays the lender anyway, so the liquidation takes nothing the lock would not.
    LockKnowledge late;
    late.revealed_at[hashlock_of(kRepayment)] = from.outcome[0].locks[0].expiry + 1;
    EXPECT_TRUE(rules.check_transition(params, from, crash, 1, late).ok());
    // Another hashlock's reveal is not this loan's repayment, and a preimage merely held is no reveal (the
    // lender holds its own from the start).
    LockKnowledge other;
    other.revealed_at[hashlock_of(preimage_of(78))] = kStartTime - 60;
    other.preimages[hashlock_of(kRepayment)] = kRepayment;
    EXPECT_TRUE(rules.check_transition(params, from, crash, 1, other).ok());
}

TEST_F(LoanAppTest, TheBorrowerMovesThePledgeBackOnProofOfRepayment) {
    EXPECT_TRUE(rules.check_transition(params, from, repaid(from, kRepayment), 0, none).ok());
    EXPECT_EQ(rules.check_transition(params, from, repaid(from, kRepayment), 1, none).error().code,
              Errc::channel_app_rejected);
    EXPECT_EQ(rules.check_transition(params, from, repaid(from, preimage_of(78)), 0, none).error().code,
              Errc::channel_app_rejected);
    // No preimage in the move: only an on-chain reveal by maturity proves the repayment.
    const State claimed = repaid(from, {});
    EXPECT_EQ(rules.check_transition(params, from, claimed, 0, none).error().code,
              Errc::channel_app_rejected);
    LockKnowledge revealed;
    revealed.revealed_at[hashlock_of(kRepayment)] = kStartTime - 60;
    EXPECT_TRUE(rules.check_transition(params, from, claimed, 0, revealed).ok());
    // After maturity a preimage first shown now no longer pays the borrower.
    clock.advance(86400 + 1);
    EXPECT_EQ(rules.check_transition(params, from, repaid(from, kRepayment), 0, none).error().code,
              Errc::channel_app_rejected);
}

// A final state is never a force-move (conclude settles it without the app; the machine checks it).
TEST_F(LoanAppTest, FinalStatesAreNoMoves) {
    State closing = repaid(from, kRepayment);
    closing.is_final = true;
    EXPECT_EQ(rules.check_transition(params, from, closing, 0, none).error().code,
              Errc::channel_app_rejected);
    EXPECT_EQ(rules.check_transition(params, from, closing, 1, none).error().code,
              Errc::channel_app_rejected);
}

// The machine runs the app before signing, on both sides.
TEST_F(LoanAppTest, MachinesUpdateOnlyThroughTheApp) {
    State init = from;
    init.version = 0;
    const SignedState signed_init = sign_by_all(params, init);
    MemoryPersistence stores[2];
    std::vector<Machine> m;
    for (std::size_t i = 0; i < 2; ++i) {
        m.push_back(Machine::open(MachineSetup{params, i, deposits_for(init), clock.clock(), &rules, {}},
                                  key_of(i), signed_init, stores[i])
                        .value());
    }
    EXPECT_EQ(m[0].propose({Pay{token(), 1, 1}}).error().code, Errc::channel_bad_params);
    EXPECT_EQ(m[0].propose_state(release(init, kEther * 20, fresh)).error().code, Errc::channel_app_rejected);

    auto proposed = m[0].propose_state(release(init, kEther * 10, fresh));
    ASSERT_TRUE(proposed.ok()) << proposed.error().describe();
    auto answered = m[1].receive(proposed->messages[0].message);
    ASSERT_TRUE(answered.ok());
    ASSERT_TRUE(std::holds_alternative<Countersignature>(answered->messages[0].message));
    auto done = m[0].receive(answered->messages[0].message);
    ASSERT_TRUE(done.ok());
    ASSERT_TRUE(m[1].receive(done->messages[0].message).ok());
    EXPECT_EQ(m[1].latest().state.outcome[0].balances[0], kEther * 15);
    EXPECT_EQ(m[1].latest(), m[0].latest());

    // A liquidation with a forged attestation, proposed by a lender that skips its own check: the borrower's
    // machine runs the app and refuses.
    const State bad = liquidation(m[1].latest().state, attest(key_of(1), 1000, kStartTime - 5));
    State next = bad;
    next.version = m[1].latest().state.version + 1;
    const Proposal p{m[1].channel_id(),
                     1,
                     m[1].latest().state.version,
                     next,
                     {},
                     sign(key_of(1), proposal_digest(params, next, m[1].latest().state.version, {}))};
    auto refused = m[0].receive(p);
    ASSERT_TRUE(refused.ok());
    ASSERT_EQ(refused->messages.size(), 1u);
    EXPECT_EQ(std::get<Rejection>(refused->messages[0].message).code, Errc::channel_app_rejected);
}

// Hand-assembled runtimes for the ways an app can fail to answer.
Status run_code(std::string_view hex) {
    FakeClock clock;
    const Params params = make_params(2, kApp);
    const State s = loan_state(params);
    return EvmAppRules(from_hex(hex).value(), clock.clock(), 100'000).check_transition(params, s, s, 0, {});
}

TEST(EvmAppRules, ReturnDataMustBeABool) {
    EXPECT_TRUE(run_code("0x600160005260206000f3").ok());                                  // returns true
    EXPECT_EQ(run_code("0x60206000f3").error().code, Errc::channel_app_rejected);          // returns false
    EXPECT_EQ(run_code("0x600260005260206000f3").error().code, Errc::channel_app_failed);  // returns 2
    EXPECT_EQ(run_code("0x600160005260406000f3").error().code, Errc::channel_app_failed);  // 64 bytes
    EXPECT_EQ(run_code("0x00").error().code, Errc::channel_app_failed);                    // returns nothing
    EXPECT_EQ(run_code("0x600160005260206000fd").error().code, Errc::channel_app_failed);  // reverts
    EXPECT_EQ(run_code("0x5b600056").error().code, Errc::channel_app_failed);              // out of gas
    EXPECT_EQ(run_code("0xfe").error().code, Errc::channel_app_failed);                    // invalid opcode
}

// An app whose answer is what `adjudicator` returns to a static call of selector(hashlock); it reverts when
// that call fails.
Bytes asking_app(const Address& adjudicator, const Selector& selector, const Hash& hashlock) {
    Bytes code{0x7f};  // PUSH32 selector, left-aligned
    code.insert(code.end(), selector.begin(), selector.end());
    code.resize(code.size() + 28, 0);
    code.insert(code.end(), {0x60, 0x00, 0x52, 0x7f});  // PUSH1 0 MSTORE PUSH32 hashlock
    code.insert(code.end(), hashlock.begin(), hashlock.end());
    code.insert(code.end(), {0x60, 0x04, 0x52,                                // PUSH1 4 MSTORE
                             0x60, 0x20, 0x60, 0x00, 0x60, 0x24, 0x60, 0x00,  // out 0..32, in 0..36
                             0x73});                                          // PUSH20 adjudicator
    code.insert(code.end(), adjudicator.begin(), adjudicator.end());
    code.insert(code.end(), {0x5a, 0xfa, 0x60, 0x6e, 0x57,          // GAS STATICCALL PUSH1 0x6e JUMPI
                             0x60, 0x00, 0x80, 0xfd,                // PUSH1 0 DUP1 REVERT
                             0x5b, 0x60, 0x20, 0x60, 0x00, 0xf3});  // 0x6e: JUMPDEST RETURN(0, 32)
    return code;
}

// The adjudicator of the local EVM answers revealedAt from the reveal times we know, 0 for others, as L1
// does, and nothing else.
TEST(EvmAppRules, TheAdjudicatorAnswersRevealedAtFromTheKnownRevealTimes) {
    FakeClock clock;
    const Params params = make_params(2, kApp);
    const State s = loan_state(params);
    const Hash hashlock = hashlock_of(kRepayment);
    const EvmAppRules asks(asking_app(params.adjudicator, function_selector("revealedAt(bytes32)"), hashlock),
                           clock.clock());
    LockKnowledge known;
    known.revealed_at[hashlock] = 1;
    EXPECT_TRUE(asks.check_transition(params, s, s, 0, known).ok());
    EXPECT_EQ(asks.check_transition(params, s, s, 0, {}).error().code, Errc::channel_app_rejected);
    known.revealed_at[hashlock] = 2;  // not a bool: the time itself came back
    EXPECT_EQ(asks.check_transition(params, s, s, 0, known).error().code, Errc::channel_app_failed);

    const EvmAppRules other(asking_app(params.adjudicator, function_selector("statusOf(bytes32)"), hashlock),
                            clock.clock());
    EXPECT_EQ(other.check_transition(params, s, s, 0, known).error().code, Errc::channel_app_failed);
}

}  // namespace
}  // namespace sluice::channel::test
