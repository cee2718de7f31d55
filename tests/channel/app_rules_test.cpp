// App channels: validTransition run in the embedded EVM, with the real LoanApp runtime bytecode
// (contracts/src/LoanApp.sol) and with tiny hand-written contracts for the failure modes.
#include <nlohmann/json.hpp>

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

Bytes abi_encode(std::string_view type, const AbiValue& args) {
    return encode_params(AbiType::parse(type).value(), args).value();
}

// EIP-712 Price(address asset,uint256 price,uint64 timestamp) in {name "SluiceLoanOracle", version "1",
// chainId}.
Hash price_digest(const Address& asset, const u256& price, std::uint64_t timestamp, const u256& chain_id) {
    const Hash domain_type = keccak256(as_bytes("EIP712Domain(string name,string version,uint256 chainId)"));
    const Hash domain = keccak256(
        abi_encode("(bytes32,bytes32,bytes32,uint256)",
                   AbiValue::list({AbiValue::bytes(domain_type),
                                   AbiValue::bytes(keccak256(as_bytes("SluiceLoanOracle"))),
                                   AbiValue::bytes(keccak256(as_bytes("1"))), AbiValue::uint(chain_id)})));
    const Hash type = keccak256(as_bytes("Price(address asset,uint256 price,uint64 timestamp)"));
    const Hash fields =
        keccak256(abi_encode("(bytes32,address,uint256,uint64)",
                             AbiValue::list({AbiValue::bytes(type), AbiValue::address(asset),
                                             AbiValue::uint(price), AbiValue::uint(timestamp)})));
    Bytes packed{0x19, 0x01};
    packed.insert(packed.end(), domain.begin(), domain.end());
    packed.insert(packed.end(), fields.begin(), fields.end());
    return keccak256(packed);
}

const PrivateKey& oracle() {
    static const PrivateKey key = key_of(100);
    return key;
}

struct Attestation {
    u256 price;
    std::uint64_t timestamp = 0;
    Bytes signature;
};

Attestation attest(const PrivateKey& signer, const u256& price, std::uint64_t timestamp) {
    const auto sig = sign(signer, price_digest(token(), price, timestamp, 31337)).to_bytes();
    return {price, timestamp, Bytes(sig.begin(), sig.end())};
}

Bytes loan_data(std::uint64_t debt, const Attestation& att) {
    const AbiValue terms = AbiValue::list({AbiValue::address(oracle().address()), AbiValue::uint(debt),
                                           AbiValue::uint(kMaxLtvBps), AbiValue::uint(kLiquidationLtvBps),
                                           AbiValue::uint(kMaxPriceAge)});
    const AbiValue attestation = AbiValue::list(
        {AbiValue::uint(att.price), AbiValue::uint(att.timestamp), AbiValue::bytes(att.signature)});
    return abi_encode("(((address,uint256,uint16,uint16,uint32),(uint256,uint64,bytes)))",
                      AbiValue::list({AbiValue::list({terms, attestation})}));
}

// Borrower 0 has pledged 100 collateral to the lender 1 against kDebt; price 2000 debt units per unit.
State loan_state(const Params& params) {
    State s;
    s.channel_id = channel_id(params);
    s.version = 5;
    const Lock pledge{hashlock_of(preimage_of(77)), kEther * 100, 1, 0, kStartTime + 86400};
    s.outcome.push_back(Alloc{token(), {kEther * 5, kEther * 1}, {pledge}});
    s.app_data = loan_data(kDebt, Attestation{2000, kStartTime - 1000, {}});
    return s;
}

State release(const State& from, const u256& amount, const Attestation& att) {
    State to = from;
    to.version = from.version + 1;
    to.outcome[0].locks[0].amount -= amount;
    to.outcome[0].balances[0] += amount;
    to.app_data = loan_data(kDebt, att);
    return to;
}

State liquidation(const State& from, const Attestation& att) {
    State to = from;
    to.version = from.version + 1;
    to.outcome[0].balances[1] += to.outcome[0].locks[0].amount;
    to.outcome[0].locks.clear();
    to.app_data = loan_data(0, att);
    return to;
}

class LoanAppTest : public ::testing::Test {
  protected:
    FakeClock clock;
    Params params = make_params(2, kApp);
    EvmAppRules rules{loan_runtime(), clock.clock()};
    State from = loan_state(params);
    Attestation fresh = attest(oracle(), 2000, kStartTime - 10);
};

TEST_F(LoanAppTest, ArtifactIsThere) {
    ASSERT_GT(loan_runtime().size(), 100u);
}

TEST_F(LoanAppTest, AllowedCollateralRelease) {
    // 90 left at price 2000 against 100,000: LTV 55.6% <= 60%.
    EXPECT_TRUE(rules.check_transition(params, from, release(from, kEther * 10, fresh), 0).ok());
}

TEST_F(LoanAppTest, OverLimitReleaseIsRefused) {
    // 80 left: LTV 62.5% > 60%.
    const auto r = rules.check_transition(params, from, release(from, kEther * 20, fresh), 0);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::channel_app_rejected);
    // The lender may not release the borrower's collateral, and a stale price does not count.
    EXPECT_EQ(rules.check_transition(params, from, release(from, kEther * 10, fresh), 1).error().code,
              Errc::channel_app_rejected);
    const Attestation old = attest(oracle(), 2000, kStartTime - kMaxPriceAge - 1);
    EXPECT_EQ(rules.check_transition(params, from, release(from, kEther * 10, old), 0).error().code,
              Errc::channel_app_rejected);
}

TEST_F(LoanAppTest, LiquidationNeedsTheOraclesAttestation) {
    // Price 1000: LTV 100% >= 80%, so the lender may take the pledge.
    const Attestation crash = attest(oracle(), 1000, kStartTime - 5);
    EXPECT_TRUE(rules.check_transition(params, from, liquidation(from, crash), 1).ok());
    // The same price "attested" by someone else's key.
    const Attestation forged = attest(key_of(0), 1000, kStartTime - 5);
    EXPECT_EQ(rules.check_transition(params, from, liquidation(from, forged), 1).error().code,
              Errc::channel_app_rejected);
    // A genuine attestation whose price was altered afterwards.
    Attestation altered = crash;
    altered.price = 900;
    EXPECT_EQ(rules.check_transition(params, from, liquidation(from, altered), 1).error().code,
              Errc::channel_app_rejected);
    // At price 2000 there is nothing to liquidate.
    EXPECT_EQ(rules.check_transition(params, from, liquidation(from, fresh), 1).error().code,
              Errc::channel_app_rejected);
}

TEST_F(LoanAppTest, TheClockDecidesFreshness) {
    const State to = release(from, kEther * 10, fresh);
    clock.advance(kMaxPriceAge);  // the attestation is now 3610 s old
    EXPECT_EQ(rules.check_transition(params, from, to, 0).error().code, Errc::channel_app_rejected);
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
    return EvmAppRules(from_hex(hex).value(), clock.clock(), 100'000).check_transition(params, s, s, 0);
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

}  // namespace
}  // namespace sluice::channel::test
