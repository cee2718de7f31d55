// header_rlp against a real node: block 1 of hardhat 2.29.1's in-process network (hardfork cancun, the
// config of contracts/hardhat.config.js) after one dev-account transfer, as eth_getBlockByNumber returned it.
// Our hash of those fields must be the hash hardhat gave the block, and our receipt encoding its receipts
// root.
#include "sluice/l1/block_header.hpp"

#include <gtest/gtest.h>

#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/evm/trie.hpp"

namespace sluice::l1 {
namespace {

Hash hash_of(const char* hex) {
    return fixed_from_hex<32>(hex).value();
}

TEST(BlockHeader, HashOfAHardhatCancunBlockIsHardhats) {
    Block b;
    b.number = 1;
    b.timestamp = 0x6b104f2d;
    b.base_fee = u256{0x342770c0};
    b.gas_used = 0x5208;
    b.gas_limit = 0x3938700;
    b.coinbase = Address::from_hex("0xc014ba5ec014ba5ec014ba5ec014ba5ec014ba5e").value();
    b.prev_randao = hash_of("0xf4fbfa6c8463f342eb58838d8c6b0661faf22e7076a518bf4deaddbf3fa8a112");
    b.parent_hash = hash_of("0x30c5e54ef6dc41c9746adf9361bed431ba36fa25d0f4b1bf09786b5fedd96fb4");
    b.state_root = hash_of("0xa1ed4be90f849b4b42c4c5cae50cc0f8f2518fea722932e485d07ea108103d9e");
    b.transactions_root = hash_of("0xa0d107d76e00dbbfc739bddf9b6dd0fca2cd3c9ae1cd4c1189cf203baaa6d11a");
    b.receipts_root = hash_of("0xf78dfb743fbd92ade140711c8bbc542b5e307f0ab7984eff35d751969fe57efa");
    b.parent_beacon_block_root =
        hash_of("0xdd8876ba5af271ae9d93ececb192d6a7b4e6094ca5999756336279fd796b8619");
    const Bytes rlp = header_rlp(b, evm::Revision::cancun);
    EXPECT_EQ(to_hex(keccak256(rlp).view()),
              "0xbcadcbffe5293dc6ebc41400ac3d42ca0b2f22f900606f8f3f24a07d49e9b8f8");
    // The block's one receipt (a type-2 transfer: status 1, 21000 gas, no logs) gives hardhat's receipts
    // root.
    TxReceipt receipt;
    receipt.type = evm::TxType::dynamic_fee;
    receipt.status = true;
    receipt.cumulative_gas_used = 21'000;
    const Bytes encoded = receipt_encoding(receipt);
    EXPECT_EQ(evm::ordered_trie_root(std::span<const Bytes>(&encoded, 1)), b.receipts_root);
    // Prague appends the requests hash, so the same fields hash differently there.
    EXPECT_NE(keccak256(header_rlp(b, evm::Revision::prague)), keccak256(rlp));
}

TEST(BlockHeader, BloomSetsThreeBitsPerItem) {
    evm::Log log;
    log.address = Address::from_hex("0x00000000000000000000000000000000000c0ffe").value();
    const Bloom bloom = logs_bloom(std::span<const evm::Log>(&log, 1));
    int bits = 0;
    for (const auto byte : bloom)
        bits += __builtin_popcount(byte);
    EXPECT_GE(bits, 1);
    EXPECT_LE(bits, 3);
    Bloom again;
    bloom_add(again, log.address.view());
    EXPECT_EQ(again, bloom);
}

}  // namespace
}  // namespace sluice::l1
