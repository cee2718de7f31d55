// FeePolicy's pure part: fees from a base fee and a tip, caps, legacy prices and replacement bumps.
#include "sluice/l1/fee_policy.hpp"

#include <gtest/gtest.h>

namespace sluice::l1 {
namespace {

const u256 kGwei{1'000'000'000ULL};

TEST(FeePolicy, MaxFeeIsTwiceTheBaseFeePlusTheTip) {
    const auto fees = FeePolicy{}.from_market(u256{10} * kGwei, u256{2} * kGwei);
    ASSERT_TRUE(fees.ok());
    EXPECT_FALSE(fees->legacy);
    EXPECT_EQ(fees->max_fee_per_gas, u256{22} * kGwei);
    EXPECT_EQ(fees->max_priority_fee_per_gas, u256{2} * kGwei);
}

TEST(FeePolicy, CapBelowBaseFeePlusTipIsRefused) {
    FeePolicyOptions o;
    o.caps.max_fee_per_gas = u256{11} * kGwei;
    const auto fees = FeePolicy{o}.from_market(u256{10} * kGwei, u256{2} * kGwei);
    ASSERT_FALSE(fees.ok());
    EXPECT_EQ(fees.error().code, Errc::signer_fee_above_cap);
    // Enough for base fee + tip: only the headroom is clamped.
    o.caps.max_fee_per_gas = u256{12} * kGwei;
    EXPECT_EQ(FeePolicy{o}.from_market(u256{10} * kGwei, u256{2} * kGwei)->max_fee_per_gas, u256{12} * kGwei);
}

TEST(FeePolicy, LegacyPriceAboveTheCapIsRefused) {
    FeePolicyOptions o;
    o.caps.max_fee_per_gas = kGwei;
    EXPECT_TRUE(FeePolicy{o}.from_market(std::nullopt, kGwei)->legacy);
    EXPECT_EQ(FeePolicy{o}.from_market(std::nullopt, kGwei + u256{1}).error().code,
              Errc::signer_fee_above_cap);
}

TEST(FeePolicy, BumpRaisesBothFeesByTenPercentRoundedUpOrToTheMarket) {
    const FeePolicy policy;
    const Fees previous{false, {}, u256{101}, u256{11}};
    const auto bumped = policy.bump(previous, previous);
    ASSERT_TRUE(bumped.ok());
    EXPECT_EQ(bumped->max_fee_per_gas, u256{101 + 11});  // ceil(10.1)
    EXPECT_EQ(bumped->max_priority_fee_per_gas, u256{11 + 2});
    const Fees market{false, {}, u256{500}, u256{50}};
    const auto to_market = policy.bump(previous, market);
    EXPECT_EQ(to_market->max_fee_per_gas, u256{500});
    EXPECT_EQ(to_market->max_priority_fee_per_gas, u256{50});
    // A zero fee moves too, so a node sees a different transaction.
    EXPECT_EQ(policy.bump(Fees{true, u256{0}, {}, {}}, Fees{true, u256{0}, {}, {}})->gas_price, u256{1});
}

TEST(FeePolicy, BumpStopsAtTheCap) {
    FeePolicyOptions o;
    o.caps.max_fee_per_gas = u256{115};
    const FeePolicy policy{o};
    const Fees previous{false, {}, u256{100}, u256{10}};
    const Fees market{false, {}, u256{200}, u256{10}};
    const auto clamped = policy.bump(previous, market);
    ASSERT_TRUE(clamped.ok());
    EXPECT_EQ(clamped->max_fee_per_gas, u256{115});  // the market wanted more: the cap wins, still +10%
    const auto none = policy.bump(Fees{false, {}, u256{110}, u256{10}}, market);
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, Errc::signer_fee_above_cap);
}

}  // namespace
}  // namespace sluice::l1
