// deposit on the real Adjudicator bytecode: ETH and the TestToken ERC-20, holdings and the Deposited event,
// each refusal (wrong msg.value, zero amount, no token, failing transferFrom, a channel no longer open,
// params that can never settle), deposits in participant order by expectedHeld, and the sweep of what a
// settled channel still holds (#18 §7).
#include <string>
#include <string_view>

#include "adjudicator_fixture.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::channel::testing {
namespace {

using DepositTest = AdjudicatorTest;

TEST_F(DepositTest, EthDepositOpensTheChannelAndAddsUp) {
    const Params params = new_params(2);
    const Hash id = channel_id(params);
    EXPECT_EQ(status_of(params), adj::kStatusNone);
    const u256 adjudicator_before = chain().balance(h().adjudicator());

    const auto first = succeeds(h().send(hub(), deposit(params, Address{}, kEther), kEther), "deposit");
    EXPECT_EQ(status_of(params), adj::kStatusOpen);
    const auto second =
        succeeds(h().send(parts_[0].address(), deposit(params, Address{}, u256{5}, kEther), u256{5}),
                 "second deposit");
    EXPECT_EQ(holdings(params), kEther + u256{5});
    EXPECT_EQ(chain().balance(h().adjudicator()), adjudicator_before + kEther + u256{5});

    const auto deposited = events_of<adj::Deposited>(second);
    ASSERT_EQ(deposited.size(), 1u);
    EXPECT_EQ(deposited[0].channel_id, id);
    EXPECT_EQ(deposited[0].asset, Address{});
    EXPECT_EQ(deposited[0].depositor, parts_[0].address());
    EXPECT_EQ(deposited[0].amount, u256{5});
    EXPECT_EQ(deposited[0].held, kEther + u256{5});
    // The first deposit creates two storage words; later ones rewrite them.
    EXPECT_GT(first.gas_used, second.gas_used + 30'000);
}

TEST_F(DepositTest, TokenDepositPullsWithTransferFrom) {
    const Params params = new_params(2);
    ASSERT_TRUE(h().mint_and_approve(hub(), 10 * kEther).ok());
    const auto receipt = succeeds(h().send(hub(), deposit(params, h().token(), 3 * kEther)), "token deposit");
    EXPECT_EQ(holdings(params, h().token()), 3 * kEther);
    EXPECT_EQ(holdings(params), u256{});
    EXPECT_EQ(h().token_balance(h().adjudicator()).value(), 3 * kEther);
    EXPECT_EQ(h().token_balance(hub()).value(), 7 * kEther);
    const auto deposited = events_of<adj::Deposited>(receipt);
    ASSERT_EQ(deposited.size(), 1u);  // the token's Transfer log is no adjudicator event
    EXPECT_EQ(deposited[0].asset, h().token());
    EXPECT_EQ(deposited[0].held, 3 * kEther);
    EXPECT_EQ(status_of(params), adj::kStatusOpen);
}

TEST_F(DepositTest, RefusesWrongValueZeroAmountNonTokensAndFailedPulls) {
    const Params params = new_params(2);
    EXPECT_TRUE(reverts_with(h().send(hub(), deposit(params, Address{}, u256{2}), u256{1}), "WrongValue()"));
    EXPECT_TRUE(reverts_with(h().send(hub(), deposit(params, Address{}, u256{1})), "WrongValue()"));
    EXPECT_TRUE(reverts_with(h().send(hub(), deposit(params, Address{}, u256{})), "ZeroAmount()"));
    EXPECT_TRUE(
        reverts_with(h().send(hub(), deposit(params, h().token(), u256{1}), u256{1}), "WrongValue()"));
    const Address not_a_token = parts_[3].address();
    EXPECT_TRUE(reverts_with(h().send(hub(), deposit(params, not_a_token, u256{1})),
                             "NotAToken(" + not_a_token.to_checksum_hex() + ")"));
    // No allowance, then too small an allowance: the token reverts, the deposit names the token.
    const std::string failed = "TokenTransferFailed(" + h().token().to_checksum_hex() + ")";
    EXPECT_TRUE(reverts_with(h().send(parts_[4].address(), deposit(params, h().token(), u256{1})), failed));
    ASSERT_TRUE(h().mint_and_approve(parts_[4].address(), u256{1}).ok());
    EXPECT_TRUE(reverts_with(h().send(parts_[4].address(), deposit(params, h().token(), u256{2})), failed));
    EXPECT_EQ(holdings(params, h().token()), u256{});
    EXPECT_EQ(status_of(params), adj::kStatusNone);
}

// #18 §7: top-ups that landed after the final state stayed in the contract for ever.
TEST_F(DepositTest, RefusesChannelsNoLongerOpen) {
    const Params params = funded_channel(2, 2 * kEther);
    const State v1 = make_state(params, 1, {eth_alloc({kEther, kEther})});
    succeeds(h().send(hub(), register_(params, v1, sign_all(params, v1))), "register");
    EXPECT_TRUE(reverts_with(h().send(hub(), deposit(params, Address{}, kEther, 2 * kEther), kEther),
                             "ChannelNotOpen()"));
    EXPECT_EQ(holdings(params), 2 * kEther);

    const Params closed = funded_channel(2, 2 * kEther);
    const State fin = make_state(closed, 1, {eth_alloc({kEther, kEther})}, true);
    succeeds(h().send(hub(), conclude(closed, fin, sign_all(closed, fin))), "conclude");
    EXPECT_TRUE(reverts_with(h().send(hub(), deposit(closed, Address{}, kEther, 2 * kEther), kEther),
                             "ChannelNotOpen()"));
    succeeds(h().send(hub(), withdraw(closed, fin)), "withdraw");
    EXPECT_TRUE(
        reverts_with(h().send(hub(), deposit(closed, Address{}, kEther), kEther), "ChannelSettled()"));
}

// #18 §7: deposit took a bare id, so money could go where params never pass checkParams (here: a challenge
// longer than the bound, which would also overflow uint48(now) + duration near 2^48).
TEST_F(DepositTest, RefusesParamsThatCanNeverSettle) {
    const std::uint64_t year = 365ull * 24 * 3600;
    const Params ok = new_params(2, year);
    succeeds(h().send(hub(), deposit(ok, Address{}, u256{1}), u256{1}), "a year is allowed");
    for (const std::uint64_t duration : {year + 1, (std::uint64_t{1} << 48) - 1}) {
        const Params params = new_params(2, duration);
        EXPECT_TRUE(reverts_with(h().send(hub(), deposit(params, Address{}, u256{1}), u256{1}),
                                 "ChallengeTooLong(" + std::to_string(duration) + ")"));
        const State st = make_state(params, 1, {eth_alloc({u256{}, u256{}})}, true);
        EXPECT_TRUE(reverts_with(h().send(hub(), register_(params, st, sign_all(params, st))),
                                 "ChallengeTooLong(" + std::to_string(duration) + ")"));
    }
}

// #18 §7: an underfunded channel pays in participant order, so a lower index could take a higher one's
// deposit with a state signed before funding. expectedHeld makes participant i fund only after 0..i-1.
TEST_F(DepositTest, DepositsGoInParticipantOrderAndNeverTwice) {
    const Params params = new_params(2);
    const Address p0 = parts_[0].address();
    const Address p1 = parts_[1].address();
    EXPECT_TRUE(reverts_with(h().send(p1, deposit(params, Address{}, kEther, kEther), kEther),
                             "HeldBelowExpected(0)"));
    succeeds(h().send(p0, deposit(params, Address{}, kEther), kEther), "participant 0");
    EXPECT_TRUE(reverts_with(h().send(p0, deposit(params, Address{}, kEther), kEther),
                             "AlreadyFunded(" + kEther.to_dec() + ")"));
    // Racing with a half deposit already there: only the missing half is taken, the rest refunded.
    const u256 half = kEther / u256{2};
    succeeds(h().send(hub(), deposit(params, Address{}, half, kEther), half), "someone's half");
    const u256 before = balance(1);
    const auto receipt =
        succeeds(h().send(p1, deposit(params, Address{}, kEther, kEther), kEther), "participant 1");
    EXPECT_EQ(holdings(params), 2 * kEther);
    EXPECT_EQ(events_of<adj::Deposited>(receipt).at(0).amount, half);
    EXPECT_EQ(
        balance(1),
        before - half - u256{static_cast<std::uint64_t>(receipt.gas_used)} * receipt.effective_gas_price);
}

// #18 §7: what a settled channel still holds (a deposit above the outcome, an asset the outcome leaves out)
// used to stay in the contract; sweep splits it among the participants.
TEST_F(DepositTest, SweepSplitsWhatASettledChannelStillHolds) {
    const Params params = funded_channel(2, 3 * kEther);
    ASSERT_TRUE(h().mint_and_approve(hub(), u256{7}).ok());
    succeeds(h().send(hub(), deposit(params, h().token(), u256{7})), "token deposit");
    const State fin = make_state(params, 1, {eth_alloc({kEther, kEther})}, true);
    succeeds(h().send(hub(), conclude(params, fin, sign_all(params, fin))), "conclude");
    EXPECT_TRUE(reverts_with(h().send(hub(), adj::sweep_call(params, Address{}).value()), "NotSettled()"));
    succeeds(h().send(hub(), withdraw(params, fin)), "withdraw");
    EXPECT_EQ(holdings(params), kEther);

    const u256 b0 = balance(0);
    const u256 b1 = balance(1);
    const auto swept = succeeds(h().send(hub(), adj::sweep_call(params, Address{}).value()), "sweep ETH");
    EXPECT_EQ(events_of<adj::Withdrawn>(swept).size(), 2u);
    succeeds(h().send(hub(), adj::sweep_call(params, h().token()).value()), "sweep token");
    EXPECT_EQ(balance(0), b0 + kEther / u256{2});
    EXPECT_EQ(balance(1), b1 + kEther / u256{2});
    EXPECT_EQ(h().token_balance(parts_[0].address()).value(),
              u256{4});  // the rounding rest goes to participant 0
    EXPECT_EQ(h().token_balance(parts_[1].address()).value(), u256{3});
    EXPECT_EQ(holdings(params), u256{});
    EXPECT_TRUE(
        reverts_with(h().send(hub(), adj::sweep_call(params, Address{}).value()), "NothingToClaim()"));
}

// #18 §7: deposit credited `amount`, so a fee-on-transfer token let one channel be paid from another's
// tokens. The token keeps 1 % of every transfer; runtime of this source, compiled by the pinned solc-js
// (cancun, optimizer 1 run, no metadata hash):
//   contract FeeToken {
//       mapping(address => uint256) public balanceOf;
//       mapping(address => mapping(address => uint256)) public allowance;
//       function mint(address to, uint256 v) external { balanceOf[to] += v; }
//       function approve(address s, uint256 v) external returns (bool) { allowance[msg.sender][s] = v; return
//       true; } function transfer(address to, uint256 v) external returns (bool) { return move(msg.sender,
//       to, v); } function transferFrom(address f, address to, uint256 v) external returns (bool) {
//           allowance[f][msg.sender] -= v; return move(f, to, v); }
//       function move(address f, address to, uint256 v) internal returns (bool) {
//           balanceOf[f] -= v; balanceOf[to] += v - v / 100; return true; }
//   }
constexpr std::string_view kFeeTokenRuntime =
    "608060405234801561000f575f5ffd5b5060043610610060575f3560e01c8063095ea7b31461006457806323b872dd14"
    "61008c57806340c10f191461009f57806370a08231146100b4578063a9059cbb146100e1578063dd62ed3e146100f457"
    "5b5f5ffd5b610077610072366004610270565b61011e565b60405190151581526020015b60405180910390f35b610077"
    "61009a366004610298565b61014b565b6100b26100ad366004610270565b610198565b005b6100d36100c23660046102"
    "d2565b5f6020819052908152604090205481565b604051908152602001610083565b6100776100ef366004610270565b"
    "6101c8565b6100d36101023660046102eb565b600160209081525f928352604080842090915290825290205481565b33"
    "5f9081526001602081815260408084206001600160a01b03871685529091529091208290555b92915050565b60016001"
    "60a01b0383165f90815260016020908152604080832033845290915281208054839190839061017f908490610330565b"
    "9091555061019090508484846101db565b949350505050565b6001600160a01b0382165f908152602081905260408120"
    "80548392906101bf908490610343565b90915550505050565b5f6101d43384846101db565b9392505050565b60016001"
    "60a01b0383165f90815260208190526040812080548391908390610204908490610330565b9091555061021590506064"
    "83610356565b61021f9083610330565b6001600160a01b0384165f908152602081905260408120805490919061024690"
    "8490610343565b90915550600195945050505050565b80356001600160a01b038116811461026b575f5ffd5b91905056"
    "5b5f5f60408385031215610281575f5ffd5b61028a83610255565b946020939093013593505050565b5f5f5f60608486"
    "0312156102aa575f5ffd5b6102b384610255565b92506102c160208501610255565b9295929450505060409190910135"
    "90565b5f602082840312156102e2575f5ffd5b6101d482610255565b5f5f604083850312156102fc575f5ffd5b610305"
    "83610255565b915061031360208401610255565b90509250929050565b634e487b7160e01b5f52601160045260245ffd"
    "5b818103818111156101455761014561031c565b808201808211156101455761014561031c565b5f8261037057634e48"
    "7b7160e01b5f52601260045260245ffd5b50049056fea164736f6c634300081c000a";

TEST_F(DepositTest, CreditsWhatAFeeOnTransferTokenDelivered) {
    const Address fee_token = Address::from_hex("0x00000000000000000000000000000000000fee01").value();
    chain().set_code(fee_token, from_hex(std::string("0x") + std::string(kFeeTokenRuntime)).value());
    const auto call = [&](const char* signature, AbiValue::List args) {
        const Bytes data =
            AbiFunction::parse(signature).value().encode_call(AbiValue::list(std::move(args))).value();
        const auto receipt = chain().send(hub(), fee_token, u256{}, data);
        ASSERT_TRUE(receipt.ok() && receipt->status) << signature;
    };
    call("mint(address,uint256)", {AbiValue::address(hub()), AbiValue::uint(u256{1000})});
    call("approve(address,uint256)", {AbiValue::address(h().adjudicator()), AbiValue::uint(u256{1000})});

    const Params a = new_params(2);
    const Params b = new_params(2);
    const auto receipt = succeeds(h().send(hub(), deposit(a, fee_token, u256{100})), "deposit a");
    EXPECT_EQ(events_of<adj::Deposited>(receipt).at(0).amount, u256{99});
    succeeds(h().send(hub(), deposit(b, fee_token, u256{100})), "deposit b");
    EXPECT_EQ(holdings(a, fee_token), u256{99});
    EXPECT_EQ(holdings(b, fee_token), u256{99});
    // What the channels are credited is what the adjudicator holds: neither can be paid from the other.
    const Bytes balance_of = AbiFunction::parse("balanceOf(address)")
                                 .value()
                                 .encode_call(AbiValue::list({AbiValue::address(h().adjudicator())}))
                                 .value();
    const auto held = chain().call(hub(), fee_token, balance_of);
    ASSERT_TRUE(held.ok() && held->status);
    EXPECT_EQ(adj::decode_uint256_return(held->output).value(), u256{198});
}

}  // namespace
}  // namespace sluice::channel::testing
