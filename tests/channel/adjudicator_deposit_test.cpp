// deposit on the real Adjudicator bytecode: ETH and the TestToken ERC-20, holdings and the Deposited event, and
// each refusal (wrong msg.value, zero amount, no token, failing transferFrom, settled channel).
#include "adjudicator_fixture.hpp"

namespace sluice::channel::testing {
namespace {

using DepositTest = AdjudicatorTest;

TEST_F(DepositTest, EthDepositOpensTheChannelAndAddsUp) {
    const Params params = new_params(2);
    const Hash id = channel_id(params);
    EXPECT_EQ(status_of(params), adj::kStatusNone);
    const u256 adjudicator_before = chain().balance(h().adjudicator());

    const auto first = succeeds(h().send(hub(), adj::deposit_call(id, Address{}, kEther), kEther), "deposit");
    EXPECT_EQ(status_of(params), adj::kStatusOpen);
    const auto second = succeeds(
        h().send(parts_[0].address(), adj::deposit_call(id, Address{}, u256{5}), u256{5}), "second deposit");
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
    const Hash id = channel_id(params);
    ASSERT_TRUE(h().mint_and_approve(hub(), 10 * kEther).ok());
    const auto receipt = succeeds(h().send(hub(), adj::deposit_call(id, h().token(), 3 * kEther)), "token deposit");
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
    const Hash id = channel_id(new_params(2));
    EXPECT_TRUE(reverts_with(h().send(hub(), adj::deposit_call(id, Address{}, u256{2}), u256{1}), "WrongValue()"));
    EXPECT_TRUE(reverts_with(h().send(hub(), adj::deposit_call(id, Address{}, u256{1})), "WrongValue()"));
    EXPECT_TRUE(reverts_with(h().send(hub(), adj::deposit_call(id, Address{}, u256{})), "ZeroAmount()"));
    EXPECT_TRUE(reverts_with(h().send(hub(), adj::deposit_call(id, h().token(), u256{1}), u256{1}), "WrongValue()"));
    const Address not_a_token = parts_[3].address();
    EXPECT_TRUE(reverts_with(h().send(hub(), adj::deposit_call(id, not_a_token, u256{1})),
                             "NotAToken(" + not_a_token.to_checksum_hex() + ")"));
    // No allowance, then too small an allowance: the token reverts, the deposit names the token.
    const std::string failed = "TokenTransferFailed(" + h().token().to_checksum_hex() + ")";
    EXPECT_TRUE(reverts_with(h().send(parts_[4].address(), adj::deposit_call(id, h().token(), u256{1})), failed));
    ASSERT_TRUE(h().mint_and_approve(parts_[4].address(), u256{1}).ok());
    EXPECT_TRUE(reverts_with(h().send(parts_[4].address(), adj::deposit_call(id, h().token(), u256{2})), failed));
    EXPECT_EQ(h().holdings(id, h().token()).value(), u256{});
    EXPECT_EQ(h().status_of(id).value(), adj::kStatusNone);
}

TEST_F(DepositTest, RefusesASettledChannelButTopsUpADisputedOne) {
    const Params params = funded_channel(2, 2 * kEther);
    const State v1 = make_state(params, 1, {eth_alloc({kEther, kEther})});
    succeeds(h().send(hub(), register_(params, v1, sign_all(params, v1))), "register");
    succeeds(h().send(hub(), adj::deposit_call(channel_id(params), Address{}, kEther), kEther), "top-up");
    EXPECT_EQ(holdings(params), 3 * kEther);

    const Params closed = funded_channel(2, 2 * kEther);
    const State fin = make_state(closed, 1, {eth_alloc({kEther, kEther})}, true);
    succeeds(h().send(hub(), conclude(closed, fin, sign_all(closed, fin))), "conclude");
    succeeds(h().send(hub(), withdraw(closed, fin, 0)), "withdraw");
    EXPECT_TRUE(reverts_with(h().send(hub(), adj::deposit_call(channel_id(closed), Address{}, kEther), kEther),
                             "ChannelSettled()"));
}

}  // namespace
}  // namespace sluice::channel::testing
