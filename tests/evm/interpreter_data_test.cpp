// Memory and data instructions: expansion cost (3 per word + words^2/512), MLOAD/MSTORE/MSTORE8,
// KECCAK256 (30 + 6 per word), CALLDATALOAD/CALLDATACOPY/CODECOPY zero padding, LOG0..LOG4.
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

using O = Opcode;
using DataTest = EvmTest;

TEST_F(DataTest, MemoryExpansionIsQuadratic) {
    run(push(1023 * 32) + O::MLOAD);
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(gas_used(), 3 + 3 + 3 * 1024 + 1024 * 1024 / 512);
    // Growing from 1 word to 1024 pays the difference only.
    run(push(0) + O::MLOAD + push(1023 * 32) + O::MLOAD);
    EXPECT_EQ(gas_used(), 3 + 3 + 3 + 3 + 3 * 1024 + 1024 * 1024 / 512);
}

TEST_F(DataTest, MstoreMloadMstore8) {
    run(mstore(1, 0x1122) + push(1) + O::MLOAD + ret_top());
    EXPECT_EQ(output_word(), u256{0x1122});
    run(push(0xabcd) + push(31) + O::MSTORE8 + push(0) + O::MLOAD + ret_top());  // keeps the low byte
    EXPECT_EQ(output_word(), u256{0xcd});
    EXPECT_EQ(gas_used(), 3 + 3 + 6 + 3 + 3 + 15 - 3);
}

TEST_F(DataTest, HugeOffsetIsOutOfGas) {
    run(push(u256{1} << 64) + O::MLOAD);
    EXPECT_EQ(result.status, StatusCode::out_of_gas);
    run(push(1) + push(u256::max() - 10) + O::MSTORE);
    EXPECT_EQ(result.status, StatusCode::out_of_gas);
    gas_limit = 1'000'000'000;
    run(push(0x10000000) + O::MLOAD);  // 256 MiB: about 2^40 gas
    EXPECT_EQ(result.status, StatusCode::out_of_gas);
    EXPECT_EQ(result.gas_left, 0);
}

TEST_F(DataTest, Keccak256) {
    run(push(0) + push(0) + O::KECCAK256 + ret_top());
    EXPECT_EQ(output_word(),
              u256::from_hex("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470").value());
    EXPECT_EQ(gas_used(), 6 + 30 + 15);
    run(push(32) + push(0) + O::KECCAK256 + ret_top());  // 32 zero bytes
    EXPECT_EQ(output_word(),
              u256::from_hex("0x290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563").value());
    EXPECT_EQ(gas_used(), 6 + 30 + 6 + 3 + 12);
}

TEST_F(DataTest, CalldataloadPadsWithZeros) {
    const Bytes input = hex("0102");
    run(push(0) + O::CALLDATALOAD + ret_top(), input);
    EXPECT_EQ(output_word(), u256{0x0102} << 240);
    run(push(1) + O::CALLDATALOAD + ret_top(), input);
    EXPECT_EQ(output_word(), u256{0x02} << 248);
    run(push(2) + O::CALLDATALOAD + ret_top(), input);
    EXPECT_EQ(output_word(), u256{0});
    run(push(u256::max()) + O::CALLDATALOAD + ret_top(), input);
    EXPECT_EQ(output_word(), u256{0});
    run(O::CALLDATASIZE + ret_top(), input);
    EXPECT_EQ(output_word(), u256{2});
}

TEST_F(DataTest, CalldatacopyAndCodecopy) {
    const Bytes input = hex("aabbccdd");
    run(push(5) + push(1) + push(0) + O::CALLDATACOPY + push(5) + push(0) + O::RETURN, input);
    EXPECT_EQ(result.output, hex("bbccdd0000"));
    EXPECT_EQ(gas_used(), 9 + 3 + 3 + 3 + 6);
    // Source offset past the end (even 2^255) copies zeros.
    run(mstore(0, u256::max()) + push(2) + push(u256{1} << 255) + push(0) + O::CALLDATACOPY + push(2) + push(0) +
            O::RETURN,
        input);
    EXPECT_EQ(result.output, hex("0000"));
    const Bytes code = push(3) + push(0) + push(0) + O::CODECOPY + push(3) + push(0) + O::RETURN;
    run(code);
    EXPECT_EQ(result.output, Bytes(code.begin(), code.begin() + 3));
    run(O::CODESIZE + ret_top());
    EXPECT_EQ(output_word(), u256{1 + 8});  // CODESIZE + PUSH1 MSTORE PUSH1 PUSH1 RETURN
}

TEST_F(DataTest, CopyChargesPerWord) {
    run(push(33) + push(0) + push(0) + O::CALLDATACOPY);  // 2 words: memory 6, copy 6
    EXPECT_EQ(gas_used(), 9 + 3 + 6 + 6);
    run(push(0) + push(0) + push(u256::max()) + O::CALLDATACOPY);  // nothing copied, nothing charged
    EXPECT_EQ(gas_used(), 9 + 3);
}

TEST_F(DataTest, Logs) {
    const u256 t1 = 0x7101;
    const u256 t2 = 0x7202;
    run(mstore(0, 0xabcd) + push(t2) + push(t1) + push(2) + push(30) + O::LOG2);
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(gas_used(), 12 + 12 + 375 + 2 * 375 + 8 * 2);
    ASSERT_EQ(host.logs.size(), 1U);
    EXPECT_EQ(host.logs[0].address, kSelf);
    EXPECT_EQ(host.logs[0].data, hex("abcd"));
    ASSERT_EQ(host.logs[0].topics.size(), 2U);
    EXPECT_EQ(host.logs[0].topics[0], t1.to_be());
    EXPECT_EQ(host.logs[0].topics[1], t2.to_be());
    run(push(0) + push(0) + O::LOG0);
    EXPECT_EQ(gas_used(), 6 + 375);
    run(push(4) + push(3) + push(2) + push(1) + push(0) + push(0) + O::LOG4);
    EXPECT_EQ(gas_used(), 18 + 375 * 5);
    EXPECT_EQ(host.logs.back().topics.size(), 4U);
    EXPECT_EQ(host.logs.back().topics[3], u256{4}.to_be());
}

TEST_F(DataTest, LogInStaticModeFails) {
    msg.is_static = true;
    run(push(0) + push(0) + O::LOG0);
    EXPECT_EQ(result.status, StatusCode::static_mode_violation);
    EXPECT_TRUE(host.logs.empty());
}

}  // namespace
}  // namespace sluice::evm::test
