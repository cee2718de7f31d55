// The hard-coded dev keys: each one's public key gives the address hardhat prints for it.
#include "sluice/l1/dev_accounts.hpp"

#include <gtest/gtest.h>

namespace sluice::l1 {
namespace {

TEST(DevAccounts, EveryKeyDerivesItsAddressAndGenesisFundsAllTwenty) {
    for (std::size_t i = 0; i < kDevAccountCount; ++i) {
        EXPECT_EQ(dev_account_key(i).address(), dev_account_address(i)) << "account " << i;
        EXPECT_EQ(dev_account_address(i).to_checksum_hex(), dev_accounts()[i].address);
        ASSERT_TRUE(dev_account_key_of(dev_account_address(i)).has_value());
    }
    EXPECT_EQ(dev_account_address(0).to_checksum_hex(), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    EXPECT_FALSE(dev_account_key_of(Address{}).has_value());
    const Devchain chain(dev_accounts_config());
    EXPECT_EQ(chain.chain_id(), u256{31337});
    for (std::size_t i = 0; i < kDevAccountCount; ++i) {
        EXPECT_EQ(chain.balance(dev_account_address(i)), u256{10'000} * u256{1'000'000'000'000'000'000ULL});
    }
}

}  // namespace
}  // namespace sluice::l1
