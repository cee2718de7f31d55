// EIP-1559's base fee rule (next_base_fee) at, above and below the target, its minimum step of 1 wei up and
// its saturation, and the devchain applying it block by block when base_fee_adjusts is set.
#include "sluice/l1/base_fee.hpp"

#include <gtest/gtest.h>

#include "sluice/l1/devchain.hpp"

namespace sluice::l1 {
namespace {

const u256 kGwei = u256{1'000'000'000};

TEST(BaseFee, FollowsGasUsedAgainstHalfTheLimit) {
    EXPECT_EQ(next_base_fee(kGwei, 15'000'000, 30'000'000), kGwei);
    EXPECT_EQ(next_base_fee(kGwei, 30'000'000, 30'000'000), u256{1'125'000'000});
    EXPECT_EQ(next_base_fee(kGwei, 0, 30'000'000), u256{875'000'000});
    EXPECT_EQ(next_base_fee(kGwei, 22'500'000, 30'000'000), u256{1'062'500'000});
    EXPECT_EQ(next_base_fee(kGwei, 7'500'000, 30'000'000), u256{937'500'000});
    // Above the target the fee rises by at least 1 wei, even from 0; below it, a small fee can stay put.
    EXPECT_EQ(next_base_fee(u256{7}, 15'000'001, 30'000'000), u256{8});
    EXPECT_EQ(next_base_fee(u256{0}, 30'000'000, 30'000'000), u256{1});
    EXPECT_EQ(next_base_fee(u256{7}, 14'999'999, 30'000'000), u256{7});
    EXPECT_EQ(next_base_fee(u256::max(), 30'000'000, 30'000'000), u256::max());
    EXPECT_EQ(next_base_fee(u256::max(), 0, 30'000'000),
              u256::max() - u256::max() / u256{15'000'000} * u256{15'000'000} / u256{8});
}

TEST(BaseFee, DevchainBlocksFollowTheRuleAndBurnIt) {
    DevchainConfig config;
    const Address alice = Address::from_hex("0x00000000000000000000000000000000000a11ce").value();
    const Address bob = Address::from_hex("0x0000000000000000000000000000000000000b0b").value();
    config.genesis = {{alice, u256{1'000'000'000'000'000'000ULL}}};
    config.base_fee = kGwei;
    config.base_fee_adjusts = true;
    config.priority_fee = u256{2};
    config.block_gas_limit = 30'000;  // target 15000: one 21000-gas transfer is above it
    Devchain chain(config);
    EXPECT_EQ(chain.latest_block().base_fee, kGwei);
    const auto r = chain.send(alice, bob, u256{5}, {}, 21'000);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    const u256 b1 = next_base_fee(kGwei, 0, 30'000);
    EXPECT_EQ(chain.block(1)->base_fee, b1);
    EXPECT_EQ(r->effective_gas_price, b1 + u256{2});
    EXPECT_EQ(chain.next_base_fee(), next_base_fee(b1, 21'000, 30'000));
    chain.mine();
    EXPECT_EQ(chain.latest_block().base_fee, next_base_fee(b1, 21'000, 30'000));
    // Only the tip reaches the coinbase; the base fee is burnt.
    EXPECT_EQ(chain.balance(config.coinbase), u256{21'000 * 2});
    EXPECT_EQ(chain.balance(alice),
              u256{1'000'000'000'000'000'000ULL} - u256{5} - u256{21'000} * (b1 + u256{2}));
}

TEST(BaseFee, FixedUnlessConfiguredToAdjust) {
    DevchainConfig config;
    config.base_fee = kGwei;
    Devchain chain(config);
    chain.mine();
    chain.mine();
    EXPECT_EQ(chain.latest_block().base_fee, kGwei);
    EXPECT_EQ(chain.next_base_fee(), kGwei);
}

}  // namespace
}  // namespace sluice::l1
