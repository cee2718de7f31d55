// CALL, CALLCODE, DELEGATECALL, STATICCALL: the message passed to the host, base/value/new-account
// costs, the EIP-150 63/64 rule, the stipend, depth and balance soft failures, static mode, and the
// return data buffer (EIP-211 RETURNDATASIZE/RETURNDATACOPY).
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

using O = Opcode;

class CallsTest : public EvmTest {
protected:
    const Address kDst = Address::from_hex("0x00000000000000000000000000000000000000dd").value();
    Bytes child_output;
    StatusCode child_status = StatusCode::success;
    std::int64_t child_gas_used = 0;
    std::int64_t child_refund = 0;
    Bytes seen_input;

    CallsTest() {
        host.accounts[kDst];
        host.warm_accounts.insert(kDst);
        host.call_handler = [this](const Message& m) {
            seen_input.assign(m.input.begin(), m.input.end());
            ExecutionResult r;
            r.status = child_status;
            r.gas_left = m.gas - child_gas_used;
            r.gas_refund = child_refund;
            r.output = child_output;
            return r;
        };
    }

    // CALL-like with (gas, dst, value, in_offset, in_size, out_offset, out_size); 7 pushes = 21 gas.
    Bytes call(O op, const u256& gas, const u256& value, std::uint64_t in_off = 0, std::uint64_t in_size = 0,
               std::uint64_t out_off = 0, std::uint64_t out_size = 0) {
        Bytes args = push(out_size) + push(out_off) + push(in_size) + push(in_off);
        if (op == O::CALL || op == O::CALLCODE) args = args + push(value);
        return args + push(kDst) + push(gas) + op;
    }
};

TEST_F(CallsTest, CallPassesTheMessage) {
    msg.depth = 3;
    msg.value = 5;
    run(mstore(0, 0x11223344) + call(O::CALL, 0xffff, 0, 28, 4) + ret_top());
    ASSERT_EQ(host.calls.size(), 1U);
    const Message& m = host.calls[0];
    EXPECT_EQ(m.kind, CallKind::call);
    EXPECT_FALSE(m.is_static);
    EXPECT_EQ(m.depth, 4);
    EXPECT_EQ(m.gas, 0xffff);
    EXPECT_EQ(m.recipient, kDst);
    EXPECT_EQ(m.code_address, kDst);
    EXPECT_EQ(m.sender, kSelf);
    EXPECT_EQ(m.value, u256{0});
    EXPECT_EQ(seen_input, hex("11223344"));
    EXPECT_EQ(output_word(), u256{1});
    EXPECT_EQ(gas_used(), 6 + 3 + 21 + 100 + 15);
}

TEST_F(CallsTest, SixtyThreeSixtyFourths) {
    gas_limit = 100000;
    run(call(O::CALL, u256::max(), 0));
    ASSERT_EQ(host.calls.size(), 1U);
    const std::int64_t avail = 100000 - 21 - 100;
    EXPECT_EQ(host.calls[0].gas, avail - avail / 64);
    EXPECT_EQ(gas_used(), 121);
    // The child's used gas is charged to the caller.
    child_gas_used = 1000;
    run(call(O::CALL, 5000, 0));
    EXPECT_EQ(host.calls.back().gas, 5000);
    EXPECT_EQ(gas_used(), 121 + 1000);
}

TEST_F(CallsTest, RequestAboveAvailableBeforeTangerineIsOutOfGas) {
    rev = Revision::homestead;
    gas_limit = 10000;
    run(call(O::CALL, 20000, 0));
    EXPECT_EQ(result.status, StatusCode::out_of_gas);
    EXPECT_TRUE(host.calls.empty());
    run(call(O::CALL, 5000, 0));
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(host.calls.back().gas, 5000);
    EXPECT_EQ(gas_used(), 21 + 40);
}

// Value: 9000 more, the callee gets a free 2300 stipend, which comes back to the caller unused.
TEST_F(CallsTest, ValueTransferCostAndStipend) {
    host.accounts[kSelf].balance = 10;
    run(call(O::CALL, 0, 1));
    ASSERT_EQ(host.calls.size(), 1U);
    EXPECT_EQ(host.calls[0].gas, 2300);
    EXPECT_EQ(host.calls[0].value, u256{1});
    EXPECT_EQ(gas_used(), 21 + 100 + 9000 - 2300);
    child_gas_used = 2300;
    run(call(O::CALL, 0, 1));
    EXPECT_EQ(gas_used(), 21 + 100 + 9000);
}

TEST_F(CallsTest, NewAccountCost) {
    const Address absent = Address::from_hex("0x00000000000000000000000000000000000000ee").value();
    host.warm_accounts.insert(absent);
    host.accounts[kSelf].balance = 10;
    const Bytes with_value = push(0) + push(0) + push(0) + push(0) + push(1) + push(absent) + push(0) + O::CALL;
    const Bytes no_value = push(0) + push(0) + push(0) + push(0) + push(0) + push(absent) + push(0) + O::CALL;
    run(with_value);
    EXPECT_EQ(gas_used(), 21 + 100 + 9000 + 25000 - 2300);
    run(no_value);  // EIP-161: no value, no charge
    EXPECT_EQ(gas_used(), 21 + 100);
    rev = Revision::tangerine_whistle;  // before EIP-161 any CALL to a missing account pays it
    run(no_value);
    EXPECT_EQ(gas_used(), 21 + 700 + 25000);
    // CALLCODE never creates the account.
    rev = Revision::prague;
    run(push(0) + push(0) + push(0) + push(0) + push(1) + push(absent) + push(0) + O::CALLCODE);
    EXPECT_EQ(gas_used(), 21 + 100 + 9000 - 2300);
}

TEST_F(CallsTest, DepthLimitFailsSoftly) {
    msg.depth = 1024;
    run(call(O::CALL, 5000, 0) + ret_top());
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_TRUE(host.calls.empty());
    EXPECT_EQ(output_word(), u256{0});
    EXPECT_EQ(gas_used(), 21 + 100 + 15);
    msg.depth = 1023;
    run(call(O::CALL, 5000, 0) + ret_top());
    EXPECT_EQ(output_word(), u256{1});
}

TEST_F(CallsTest, InsufficientBalanceFailsSoftly) {
    host.accounts[kSelf].balance = 10;
    run(call(O::CALL, 0, 11) + ret_top());
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_TRUE(host.calls.empty());
    EXPECT_EQ(output_word(), u256{0});
    EXPECT_EQ(gas_used(), 21 + 100 + 9000 - 2300 + 15);
}

TEST_F(CallsTest, StaticMode) {
    msg.is_static = true;
    host.accounts[kSelf].balance = 10;
    run(call(O::CALL, 0, 1));
    EXPECT_EQ(result.status, StatusCode::static_mode_violation);
    EXPECT_EQ(result.gas_left, 0);
    run(call(O::CALL, 0, 0));
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_TRUE(host.calls.back().is_static);
    // CALLCODE with value only moves value to itself: allowed in static mode.
    run(call(O::CALLCODE, 0, 1));
    EXPECT_EQ(result.status, StatusCode::success);
    msg.is_static = false;
    run(call(O::STATICCALL, 0, 0));
    EXPECT_TRUE(host.calls.back().is_static);
    EXPECT_EQ(host.calls.back().kind, CallKind::call);
    EXPECT_EQ(host.calls.back().recipient, kDst);
}

TEST_F(CallsTest, DelegatecallAndCallcodeKeepTheContext) {
    msg.value = 77;
    run(call(O::DELEGATECALL, 1000, 0));
    ASSERT_EQ(host.calls.size(), 1U);
    EXPECT_EQ(host.calls[0].kind, CallKind::delegatecall);
    EXPECT_EQ(host.calls[0].recipient, kSelf);
    EXPECT_EQ(host.calls[0].sender, kCaller);
    EXPECT_EQ(host.calls[0].code_address, kDst);
    EXPECT_EQ(host.calls[0].value, u256{77});
    EXPECT_EQ(gas_used(), 18 + 100);
    host.accounts[kSelf].balance = 10;
    run(call(O::CALLCODE, 1000, 3));
    EXPECT_EQ(host.calls[1].kind, CallKind::callcode);
    EXPECT_EQ(host.calls[1].recipient, kSelf);
    EXPECT_EQ(host.calls[1].sender, kSelf);
    EXPECT_EQ(host.calls[1].code_address, kDst);
    EXPECT_EQ(host.calls[1].value, u256{3});
    rev = Revision::frontier;
    run(call(O::DELEGATECALL, 1000, 0));
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
}

TEST_F(CallsTest, ReturnDataBuffer) {
    child_output = hex("aabbccdd");
    // Output area of 2 bytes at 30: only "aabb" lands in memory.
    run(call(O::CALL, 1000, 0, 0, 0, 30, 2) + O::POP + O::RETURNDATASIZE + push(0) + O::MSTORE + push(32) +
        push(0) + O::RETURN);
    EXPECT_EQ(output_word(), u256{4});
    run(call(O::CALL, 1000, 0, 0, 0, 30, 2) + O::POP + push(32) + push(0) + O::RETURN);
    EXPECT_EQ(Bytes(result.output.begin() + 30, result.output.end()), hex("aabb"));
    // RETURNDATACOPY(mem 0, offset 2, size 2).
    run(call(O::CALL, 1000, 0) + O::POP + push(2) + push(2) + push(0) + O::RETURNDATACOPY + push(2) + push(0) +
        O::RETURN);
    EXPECT_EQ(result.output, hex("ccdd"));
}

TEST_F(CallsTest, ReturndatacopyOutOfBoundsIsExceptional) {
    child_output = hex("aabbccdd");
    run(call(O::CALL, 1000, 0) + O::POP + push(3) + push(2) + push(0) + O::RETURNDATACOPY);
    EXPECT_EQ(result.status, StatusCode::invalid_memory_access);
    EXPECT_EQ(result.gas_left, 0);
    // Offset past the end fails even for zero bytes.
    run(call(O::CALL, 1000, 0) + O::POP + push(0) + push(5) + push(0) + O::RETURNDATACOPY);
    EXPECT_EQ(result.status, StatusCode::invalid_memory_access);
    run(call(O::CALL, 1000, 0) + O::POP + push(0) + push(4) + push(0) + O::RETURNDATACOPY);
    EXPECT_EQ(result.status, StatusCode::success);
    run(push(1) + push(0) + push(0) + O::RETURNDATACOPY);  // empty buffer before any call
    EXPECT_EQ(result.status, StatusCode::invalid_memory_access);
}

TEST_F(CallsTest, FailedChildPushesZeroKeepsRevertDataDropsRefund) {
    child_status = StatusCode::revert;
    child_output = hex("0badf00d");
    child_refund = 4800;
    child_gas_used = 10;
    run(call(O::CALL, 1000, 0) + O::RETURNDATASIZE + push(0) + O::MSTORE + push(0) + O::MSTORE8 + push(32) +
        push(0) + O::RETURN);
    ASSERT_EQ(result.output.size(), 32U);
    EXPECT_EQ(result.output[0], 0);  // CALL result 0 written over the size's top byte
    EXPECT_EQ(result.output[31], 4);  // RETURNDATASIZE
    EXPECT_EQ(result.gas_refund, 0);
    child_status = StatusCode::success;
    run(call(O::CALL, 1000, 0));
    EXPECT_EQ(result.gas_refund, 4800);
}

TEST_F(CallsTest, MemoryExpansionForInputAndOutput) {
    run(call(O::CALL, 0, 0, 0, 1, 64, 1));  // input [0,1), output [64,65): 3 words = 9
    EXPECT_EQ(gas_used(), 21 + 100 + 9);
    // Zero-size areas do not expand memory whatever their offset.
    run(push(0) + push(u256{1} << 70) + push(0) + push(u256{1} << 70) + push(0) + push(kDst) + push(0) + O::CALL);
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(gas_used(), 21 + 100);
    run(push(1) + push(u256{1} << 70) + push(0) + push(0) + push(0) + push(kDst) + push(0) + O::CALL);
    EXPECT_EQ(result.status, StatusCode::out_of_gas);
}

}  // namespace
}  // namespace sluice::evm::test
