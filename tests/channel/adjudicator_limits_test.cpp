// The gas of a dispute at the limits of channel/limits.hpp (#18 §4), on the real Adjudicator bytecode: 16
// participants, kMaxAssets ERC-20 assets, kMaxLocks locks and kMaxAppDataBytes of app data, every value
// chosen to cost the most (non-zero calldata bytes, recipients holding none of the token yet, every lock
// resolved in the withdraw that pays it). register + withdraw must fit in a third of a 30 M gas block, and so
// must the second payout stage (withdrawLocks) that pays locks resolved later; each transaction also stays
// under the EIP-7825 per-transaction cap of 2^24 gas.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "adjudicator_fixture.hpp"
#include "sluice/channel/limits.hpp"
#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel::testing {
namespace {

constexpr std::int64_t kBlockGasLimit = 30'000'000;
constexpr std::int64_t kDisputeBudget = kBlockGasLimit / 3;
constexpr std::int64_t kTxGasCap = std::int64_t{1} << 24;  // EIP-7825 (Fusaka)
constexpr std::size_t kParticipants = 16;

class LimitsTest : public AdjudicatorTest {
  protected:
    // kMaxAssets TestTokens (the harness's and more), each minted to and approved by the hub.
    std::vector<Address> tokens() {
        const auto json = nlohmann::json::parse(contracts::artifact_json("TestToken"));
        const Bytes code = from_hex(json.at("bytecode").get<std::string>()).value();
        const Bytes args = encode_params(AbiType::parse("(string,string)").value(),
                                         AbiValue::list({AbiValue::string("Test"), AbiValue::string("TST")}))
                               .value();
        std::vector<Address> out = {h().token()};
        while (out.size() < kMaxAssets)
            out.push_back(chain().deploy(hub(), code, args).value().address);
        for (const auto& token : out) {
            send_to(token, "mint(address,uint256)", {AbiValue::address(hub()), AbiValue::uint(kSupply)});
            send_to(token, "approve(address,uint256)",
                    {AbiValue::address(h().adjudicator()), AbiValue::uint(kSupply)});
        }
        return out;
    }

    void send_to(const Address& to, const char* signature, AbiValue::List args) {
        const Bytes data =
            AbiFunction::parse(signature).value().encode_call(AbiValue::list(std::move(args))).value();
        const auto receipt = chain().send(hub(), to, u256{}, data);
        ASSERT_TRUE(receipt.ok() && receipt->status) << signature;
    }

    // Locks spread over the assets; lock j pays `to` when revealed, else refunds `from`. Amounts and expiries
    // have every byte they need non-zero; the hashlocks are real (preimage j).
    State at_the_limits(const Params& params, const std::vector<Address>& assets, std::uint64_t expiry) {
        State state = make_state(params, 0x0102030405060708ULL, {}, false);
        for (const auto& asset : assets) {
            Alloc alloc{asset, {}, {}};
            for (std::size_t i = 0; i < kParticipants; ++i)
                alloc.balances.push_back(kBalance + u256{i});
            state.outcome.push_back(std::move(alloc));
        }
        for (std::size_t j = 0; j < kMaxLocks; ++j) {
            const auto from = static_cast<std::uint16_t>(j % kParticipants);
            const auto to = static_cast<std::uint16_t>((j + 1) % kParticipants);
            state.outcome[j % assets.size()].locks.push_back(
                Lock{keccak256(preimage(j)), kLockAmount + u256{j}, from, to, expiry});
        }
        state.app_data.assign(kMaxAppDataBytes, 0xa5);
        return state;
    }

    static Bytes32 preimage(std::size_t j) { return keccak256(as_bytes("lock " + std::to_string(j))); }

    static u256 total_per_asset(const State& state, std::size_t a) {
        u256 total;
        for (const auto& b : state.outcome[a].balances)
            total += b;
        for (const auto& l : state.outcome[a].locks)
            total += l.amount;
        return total;
    }

    // A channel of the 16 participants holding exactly the outcome of every asset.
    Params funded(const State& shape, const std::vector<Address>& assets) {
        const Params params = new_params(kParticipants);
        for (std::size_t a = 0; a < assets.size(); ++a) {
            succeeds(h().send(hub(), deposit(params, assets[a], total_per_asset(shape, a))), "deposit");
        }
        return params;
    }

    void report(const char* what, std::int64_t gas) {
        std::printf("    %-44s %10lld gas\n", what, static_cast<long long>(gas));
    }

    const u256 kSupply = u256{1} << 200;
    const u256 kBalance = u256::from_hex("0x0102030405060708090a0b0c0d0e0f10").value();
    const u256 kLockAmount = u256::from_hex("0x1112131415161718191a1b1c1d1e1f20").value();
};

TEST_F(LimitsTest, RegisterAndWithdrawAtTheLimitsFitInAThirdOfABlock) {
    const auto assets = tokens();
    const auto expiry = static_cast<std::uint64_t>(now() + 10'000);
    // The params go into the channel id, so build the shape once to fund, then the real state.
    const Params params = funded(at_the_limits(new_params(kParticipants), assets, expiry), assets);
    const State state = at_the_limits(params, assets, expiry);
    // Half the locks revealed in time (they pay `to`), the other half expire (they refund `from`).
    for (std::size_t j = 0; j < kMaxLocks; j += 2)
        succeeds(h().send(hub(), adj::reveal_preimage_call(preimage(j))), "reveal");

    const auto reg = succeeds(
        h().send(parts_[0].address(), register_(params, state, sign_all(params, state))), "register");
    const adj::Registration current = registered(reg);
    ASSERT_TRUE(chain()
                    .set_next_block_timestamp(
                        static_cast<std::int64_t>(std::max<std::uint64_t>(current.finalizes_at, expiry + 1)))
                    .ok());
    const auto paid = succeeds(h().send(hub(), withdraw(params, state, current)), "withdraw");
    EXPECT_TRUE(events_of<adj::LocksPending>(paid).empty());
    EXPECT_EQ(events_of<adj::Withdrawn>(paid).size(), kParticipants * kMaxAssets);
    EXPECT_EQ(status_of(params), adj::kStatusSettled);
    for (const auto& asset : assets)
        EXPECT_EQ(holdings(params, asset), u256{});

    report("register at the limits", reg.gas_used);
    report("withdraw at the limits (every lock resolved)", paid.gas_used);
    report("register + withdraw", reg.gas_used + paid.gas_used);
    EXPECT_LE(reg.gas_used + paid.gas_used, kDisputeBudget);
    EXPECT_LE(reg.gas_used, kTxGasCap);
    EXPECT_LE(paid.gas_used, kTxGasCap);
}

// The other worst case: every lock unresolved at withdraw, all resolved before withdrawLocks, so the second
// stage pays every participant of every asset again.
TEST_F(LimitsTest, TheSecondPayoutStageAtTheLimitsFitsToo) {
    const auto assets = tokens();
    const auto expiry = static_cast<std::uint64_t>(now() + 100'000);
    const Params params = funded(at_the_limits(new_params(kParticipants), assets, expiry), assets);
    const State state = at_the_limits(params, assets, expiry);
    const auto reg = succeeds(h().send(hub(), register_(params, state, sign_all(params, state))), "register");
    const adj::Registration current = registered(reg);
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(current.finalizes_at)).ok());
    const auto first = succeeds(h().send(hub(), withdraw(params, state, current)), "withdraw");
    ASSERT_EQ(events_of<adj::LocksPending>(first).size(), 1u);
    EXPECT_EQ(events_of<adj::LocksPending>(first)[0].pending, ~u256{});

    for (std::size_t j = 0; j < kMaxLocks; j += 2)
        succeeds(h().send(hub(), adj::reveal_preimage_call(preimage(j))), "reveal");
    ASSERT_TRUE(chain().set_next_block_timestamp(static_cast<std::int64_t>(expiry + 1)).ok());
    const auto second =
        succeeds(h().send(hub(), adj::withdraw_locks_call(params, state, ~u256{}).value()), "withdrawLocks");
    EXPECT_EQ(status_of(params), adj::kStatusSettled);
    for (const auto& asset : assets)
        EXPECT_EQ(holdings(params, asset), u256{});

    report("withdraw at the limits (every lock pending)", first.gas_used);
    report("withdrawLocks at the limits (all resolved)", second.gas_used);
    EXPECT_LE(reg.gas_used + first.gas_used, kDisputeBudget);
    EXPECT_LE(second.gas_used, kDisputeBudget);
}

// limits.hpp and the contract state the same bounds.
TEST_F(LimitsTest, TheContractsConstantsAreTheLimits) {
    const auto constant = [&](const char* signature) {
        const Bytes call = AbiFunction::parse(signature).value().encode_call(AbiValue::list({})).value();
        return adj::decode_uint256_return(h().view(call).value()).value();
    };
    EXPECT_EQ(constant("MAX_CHALLENGE_DURATION()"), u256{kMaxChallengeDuration});
    EXPECT_EQ(constant("DISPUTE_SPAN()"), u256{adj::kDisputeSpan});
    EXPECT_LE(u256{kMaxLocks}, constant("MAX_LOCKS()"));
    EXPECT_EQ(constant("MAX_PARTICIPANTS()"), u256{kParticipants});
}

// One lock more than the adjudicator's bitmap holds is refused as a malformed outcome.
TEST_F(LimitsTest, TheAdjudicatorRefusesMoreThan256Locks) {
    const Params params = funded_channel(2, kEther);
    State state = make_state(params, 1, {eth_alloc({u256{}, u256{}})}, true);
    for (std::size_t j = 0; j <= 256; ++j)
        state.outcome[0].locks.push_back(Lock{Hash{}, u256{}, 0, 1, 1});
    EXPECT_TRUE(
        reverts_with(h().send(hub(), conclude(params, state, sign_all(params, state))), "BadOutcome()"));
    state.outcome[0].locks.pop_back();
    succeeds(h().send(hub(), conclude(params, state, sign_all(params, state))), "256 locks");
}

}  // namespace
}  // namespace sluice::channel::testing
