// The system contracts in the devchain's genesis. Found by the differential check against hardhat node
// (tests/l1/hardhat): every Cancun state root differed, because hardhat's genesis holds EIP-4788's beacon
// roots contract and the devchain's did not.
#include "sluice/l1/system_contracts.hpp"

#include <gtest/gtest.h>

#include "sluice/core/hex.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/devchain.hpp"

namespace sluice::l1 {
namespace {

const Address kBeaconRoots = Address::from_hex("0x000f3df6d732807ef1319fb7b8bb8522d0beac02").value();

DevchainConfig at(evm::Revision rev) {
    DevchainConfig config = dev_accounts_config();
    config.revision = rev;
    return config;
}

TEST(SystemContracts, CancunGenesisHasHardhatsStateRoot) {
    // hardhat node 2.29.1, hardfork cancun, its 20 default accounts of 10000 ETH: block 0's stateRoot.
    const Devchain chain(at(evm::Revision::cancun));
    EXPECT_EQ(to_hex(chain.latest_block().state_root.view()),
              "0x14d0a4a137c56f3a112a028d1c4fe582b223467808e942404f8ce02f3cbd8ed0");
    EXPECT_EQ(chain.code(kBeaconRoots), system_contracts(evm::Revision::cancun)[0].code);
    EXPECT_EQ(chain.nonce(kBeaconRoots), 0u);
    EXPECT_EQ(chain.balance(kBeaconRoots), u256{});
}

TEST(SystemContracts, BeaconRootsAnswersAnUnknownTimestampWithARevert) {
    const Devchain chain(at(evm::Revision::cancun));
    Bytes timestamp(32, 0);
    timestamp[31] = 1;
    const auto asked = chain.call(dev_account_address(0), kBeaconRoots, timestamp);
    ASSERT_TRUE(asked.ok()) << asked.error().describe();
    EXPECT_FALSE(asked->status);
    EXPECT_TRUE(asked->output.empty());
}

TEST(SystemContracts, NoneBeforeCancun) {
    EXPECT_TRUE(system_contracts(evm::Revision::shanghai).empty());
    const Devchain chain(at(evm::Revision::shanghai));
    EXPECT_TRUE(chain.code(kBeaconRoots).empty());
}

}  // namespace
}  // namespace sluice::l1
