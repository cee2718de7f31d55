// BLOCKHASH on the devchain: the real header hashes of the 256 blocks before the executing one, zero for
// the current block and anything older, in a mined transaction and in eth_call.
#include <gtest/gtest.h>

#include "sluice/l1/devchain.hpp"

namespace sluice::l1 {
namespace {

const Address kAlice = Address::from_hex("0x00000000000000000000000000000000000a11ce").value();

// Stores blockhash(number - 1) in slot 0, blockhash(number) in 1, blockhash(number - 257) in 2 and
// blockhash(number - 256) in 3.
const Bytes kRecorder = {
    0x60, 0x01, 0x43, 0x03, 0x40, 0x5f, 0x55,              // PUSH1 1 NUMBER SUB BLOCKHASH PUSH0 SSTORE
    0x43, 0x40, 0x60, 0x01, 0x55,                          // NUMBER BLOCKHASH PUSH1 1 SSTORE
    0x61, 0x01, 0x01, 0x43, 0x03, 0x40, 0x60, 0x02, 0x55,  // PUSH2 257 NUMBER SUB BLOCKHASH PUSH1 2 SSTORE
    0x61, 0x01, 0x00, 0x43, 0x03, 0x40, 0x60, 0x03, 0x55, 0x00,  // PUSH2 256 ... PUSH1 3 SSTORE STOP
};
// PUSH1 1 NUMBER SUB BLOCKHASH PUSH0 MSTORE PUSH1 32 PUSH0 RETURN: returns blockhash(number - 1).
const Bytes kReader = {0x60, 0x01, 0x43, 0x03, 0x40, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3};

Bytes32 slot(std::uint8_t i) {
    Bytes32 s;
    s[31] = i;
    return s;
}

TEST(DevchainBlockhash, AnswersTheHeaderHashesOfTheLast256Blocks) {
    DevchainConfig config;
    config.genesis = {{kAlice, u256{1'000'000'000'000'000'000ULL}}};
    Devchain chain(config);
    const Address recorder = Address::from_hex("0x00000000000000000000000000000000000bc0de").value();
    const Address reader = Address::from_hex("0x00000000000000000000000000000000000eade4").value();
    chain.set_code(recorder, kRecorder);
    chain.set_code(reader, kReader);
    for (int i = 0; i < 300; ++i)
        chain.mine();
    const auto receipt = chain.send(kAlice, recorder, {}, {}, 200'000);
    ASSERT_TRUE(receipt.ok()) << receipt.error().describe();
    ASSERT_TRUE(receipt->status);
    const std::int64_t n = receipt->block_number;
    ASSERT_EQ(n, 301);
    EXPECT_EQ(chain.storage(recorder, slot(0)), u256::from_be(chain.block(n - 1)->hash.view()));
    EXPECT_EQ(chain.storage(recorder, slot(0)), u256::from_be(chain.block(n)->parent_hash.view()));
    EXPECT_EQ(chain.storage(recorder, slot(1)), u256{});
    EXPECT_EQ(chain.storage(recorder, slot(2)), u256{});
    EXPECT_EQ(chain.storage(recorder, slot(3)), u256::from_be(chain.block(n - 256)->hash.view()));

    // eth_call runs in the next block, whose parent is the latest.
    const auto call = chain.call(kAlice, reader, {});
    ASSERT_TRUE(call.ok() && call->status);
    EXPECT_EQ(call->output, Bytes(chain.latest_block().hash.begin(), chain.latest_block().hash.end()));
}

TEST(DevchainBlockhash, GenesisIsVisibleFromBlockOne) {
    DevchainConfig config;
    config.genesis = {{kAlice, u256{1'000'000'000'000'000'000ULL}}};
    Devchain chain(config);
    const Address recorder = Address::from_hex("0x00000000000000000000000000000000000bc0de").value();
    chain.set_code(recorder, kRecorder);
    ASSERT_TRUE(chain.send(kAlice, recorder, {}, {}, 200'000).ok());
    EXPECT_EQ(chain.storage(recorder, slot(0)), u256::from_be(chain.block(0)->hash.view()));
    EXPECT_EQ(chain.storage(recorder, slot(3)), u256{});  // number - 256 underflows: no such block
}

}  // namespace
}  // namespace sluice::l1
