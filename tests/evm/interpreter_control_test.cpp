// Control flow and frame-level rules: jumps and jumpdest validity, stack limits, INVALID vs undefined
// opcodes, out-of-gas consuming everything, PUSH reading past the end of code, PC/GAS/MSIZE.
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

using O = Opcode;

using ControlTest = EvmTest;

TEST_F(ControlTest, EmptyCodeSucceedsWithoutGas) {
    run({});
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(gas_used(), 0);
    EXPECT_TRUE(result.output.empty());
}

TEST_F(ControlTest, StopKeepsGas) {
    run(push(1) + O::STOP + push(2));
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(gas_used(), 3);
}

// PUSH2 with only one byte left reads a zero byte past the end: pushes 0x0100, then the frame stops.
TEST_F(ControlTest, TruncatedPushReadsZeros) {
    run(push(0) + push(0) + hex("61") + hex("01"));
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(gas_used(), 9);
    run(hex("60ff") + hex("6101"));
    EXPECT_EQ(result.status, StatusCode::success);
}

// JUMP costs 8, JUMPI 10, JUMPDEST 1.
TEST_F(ControlTest, JumpToJumpdest) {
    // 0: PUSH1 4, 2: JUMP, 3: INVALID, 4: JUMPDEST, 5: PUSH1 7, ret_top
    run(push(4) + O::JUMP + O::INVALID + O::JUMPDEST + push(7) + ret_top());
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(output_word(), u256{7});
    EXPECT_EQ(gas_used(), 3 + 8 + 1 + 3 + 15);
}

TEST_F(ControlTest, JumpIntoPushDataIsBad) {
    // 0: PUSH1 3, 2: JUMP, 3: PUSH1 0x5b (the 0x5b at 4 is data)
    run(push(4) + O::JUMP + push(0x5b));
    EXPECT_EQ(result.status, StatusCode::bad_jump_destination);
    EXPECT_EQ(result.gas_left, 0);
}

TEST_F(ControlTest, JumpOutsideCodeOrHugeIsBad) {
    run(push(100) + O::JUMP);
    EXPECT_EQ(result.status, StatusCode::bad_jump_destination);
    run(push(u256::max()) + O::JUMP + O::JUMPDEST);
    EXPECT_EQ(result.status, StatusCode::bad_jump_destination);
    // A jump to a non-JUMPDEST instruction.
    run(push(0) + O::JUMP);
    EXPECT_EQ(result.status, StatusCode::bad_jump_destination);
}

TEST_F(ControlTest, JumpiTakenAndNotTaken) {
    // 0: PUSH1 1, 2: PUSH1 8, 4: JUMPI, 5: PUSH1 1, 7: STOP, 8: JUMPDEST, 9: PUSH1 2, ret_top
    const Bytes tail = O::JUMPDEST + push(2) + ret_top();
    run(push(1) + push(8) + O::JUMPI + push(1) + O::STOP + tail);
    EXPECT_EQ(output_word(), u256{2});
    EXPECT_EQ(gas_used(), 3 + 3 + 10 + 1 + 3 + 15);
    run(push(0) + push(8) + O::JUMPI + push(1) + O::STOP + tail);
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_TRUE(result.output.empty());
    EXPECT_EQ(gas_used(), 3 + 3 + 10 + 3);
    // The destination of a not-taken JUMPI is not validated.
    run(push(0) + push(3) + O::JUMPI);
    EXPECT_EQ(result.status, StatusCode::success);
}

TEST_F(ControlTest, StackUnderflow) {
    run(push(1) + O::ADD);
    EXPECT_EQ(result.status, StatusCode::stack_underflow);
    EXPECT_EQ(result.gas_left, 0);
    run(O::POP + Opcode::STOP);
    EXPECT_EQ(result.status, StatusCode::stack_underflow);
    run(push(1) + O::DUP2);
    EXPECT_EQ(result.status, StatusCode::stack_underflow);
    run(push(1) + O::SWAP1);
    EXPECT_EQ(result.status, StatusCode::stack_underflow);
}

TEST_F(ControlTest, StackOverflowAt1025) {
    Bytes code;
    for (int i = 0; i < 1024; ++i) code = code + push(1);
    run(code);
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(gas_used(), 1024 * 3);
    run(code + push(1));
    EXPECT_EQ(result.status, StatusCode::stack_overflow);
    EXPECT_EQ(result.gas_left, 0);
    // DUP at a full stack overflows; SWAP (no growth) does not.
    run(code + O::DUP1);
    EXPECT_EQ(result.status, StatusCode::stack_overflow);
    run(code + O::SWAP16);
    EXPECT_EQ(result.status, StatusCode::success);
}

TEST_F(ControlTest, Dup16AndSwap16) {
    Bytes code;
    for (int i = 1; i <= 17; ++i) code = code + push(i);
    run(code + O::DUP16 + ret_top());  // 16th from the top of 1..17 is 2
    EXPECT_EQ(output_word(), u256{2});
    run(code + O::SWAP16 + ret_top());  // top becomes the 17th item: 1
    EXPECT_EQ(output_word(), u256{1});
}

TEST_F(ControlTest, InvalidVersusUndefined) {
    run(push(1) + O::INVALID);
    EXPECT_EQ(result.status, StatusCode::invalid_instruction);
    EXPECT_EQ(result.gas_left, 0);
    run(push(1) + hex("0c"));
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
    EXPECT_EQ(result.gas_left, 0);
    run(hex("ef"));
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
}

TEST_F(ControlTest, OpcodesUndefinedBeforeTheirFork) {
    rev = Revision::london;
    run(O::PUSH0 + O::STOP);
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
    rev = Revision::shanghai;
    run(O::PUSH0 + O::STOP);
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(gas_used(), 2);
    rev = Revision::berlin;
    run(O::BASEFEE + O::STOP);
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
    rev = Revision::frontier;
    run(push(0) + push(0) + O::REVERT);
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
}

TEST_F(ControlTest, OutOfGasConsumesAll) {
    gas_limit = 8;
    run(push(1) + push(2) + O::ADD);
    EXPECT_EQ(result.status, StatusCode::out_of_gas);
    EXPECT_EQ(result.gas_left, 0);
    gas_limit = 9;
    run(push(1) + push(2) + O::ADD);
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(result.gas_left, 0);
}

TEST_F(ControlTest, PcGasMsize) {
    run(push(0) + O::POP + O::PC + ret_top());  // PC of the PC instruction is 3
    EXPECT_EQ(output_word(), u256{3});
    // GAS pushes what is left after paying for itself.
    run(O::GAS + ret_top());
    EXPECT_EQ(output_word(), u256{static_cast<std::uint64_t>(gas_limit - 2)});
    run(push(0) + push(40) + O::MSTORE8 + O::MSIZE + ret_top());  // byte 40 -> 2 words
    EXPECT_EQ(output_word(), u256{64});
}

TEST_F(ControlTest, ReturnAndRevertKeepGasAndOutput) {
    run(mstore(0, 0xabcd) + push(2) + push(30) + O::RETURN);
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(result.output, hex("abcd"));
    EXPECT_EQ(gas_used(), 3 + 3 + 6 + 3 + 3);
    run(mstore(0, 0xabcd) + push(2) + push(30) + O::REVERT);
    EXPECT_EQ(result.status, StatusCode::revert);
    EXPECT_EQ(result.output, hex("abcd"));
    EXPECT_EQ(gas_used(), 3 + 3 + 6 + 3 + 3);
    // Zero-size return at a huge offset does not touch memory.
    run(push(0) + push(u256::max()) + O::RETURN);
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(gas_used(), 6);
}

TEST_F(ControlTest, RefundIsDroppedOnRevert) {
    host.set_slot(kSelf, 1, 1);
    run(push(0) + push(1) + O::SSTORE + push(0) + push(0) + O::REVERT);
    EXPECT_EQ(result.status, StatusCode::revert);
    EXPECT_EQ(result.gas_refund, 0);
}

}  // namespace
}  // namespace sluice::evm::test
