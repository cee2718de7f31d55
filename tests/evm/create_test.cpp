// CREATE/CREATE2 from the parent's side: the message, all-but-1/64 gas, CREATE2's hashing cost,
// static mode, soft failures, the return data buffer after success and failure; and EIP-3860
// (Shanghai): initcode limit of 49152 bytes and 2 gas per initcode word.
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

using O = Opcode;

class CreateTest : public EvmTest {
protected:
    const Address kNew = Address::from_hex("0x00000000000000000000000000000000000000ab").value();
    StatusCode child_status = StatusCode::success;
    Bytes child_output;
    std::int64_t child_gas_used = 0;

    CreateTest() {
        host.call_handler = [this](const Message& m) {
            ExecutionResult r;
            r.status = child_status;
            r.gas_left = m.gas - child_gas_used;
            r.output = child_output;
            if (child_status == StatusCode::success) r.create_address = kNew;
            return r;
        };
    }

    // CREATE(value, offset 0, size) or CREATE2(..., salt): 3 or 4 pushes.
    static Bytes create(const u256& value, const u256& size) { return push(size) + push(0) + push(value) + O::CREATE; }
    static Bytes create2(const u256& value, const u256& size, const u256& salt) {
        return push(salt) + push(size) + push(0) + push(value) + O::CREATE2;
    }
};

TEST_F(CreateTest, CreatePassesInitcodeAndPushesTheAddress) {
    gas_limit = 100000;
    host.accounts[kSelf].balance = 5;
    run(mstore(0, 0x6001600052602060ULL) + create(5, 32) + ret_top());
    ASSERT_EQ(host.calls.size(), 1U);
    const Message& m = host.calls[0];
    EXPECT_EQ(m.kind, CallKind::create);
    EXPECT_EQ(m.sender, kSelf);
    EXPECT_EQ(m.value, u256{5});
    EXPECT_EQ(m.depth, 1);
    const std::int64_t avail = 100000 - (3 + 3 + 6) - 9 - 32000 - 2;  // mstore, pushes, CREATE, 1 word initcode
    EXPECT_EQ(m.gas, avail - avail / 64);
    EXPECT_EQ(output_word(), u256::from_be(kNew.view()));
    EXPECT_EQ(gas_used(), 12 + 9 + 32000 + 2 + 12);  // ret_top without expansion
}

TEST_F(CreateTest, Create2ChargesHashingAndPassesSalt) {
    run(create2(0, 64, 0x5a17));
    ASSERT_EQ(host.calls.size(), 1U);
    EXPECT_EQ(host.calls[0].kind, CallKind::create2);
    EXPECT_EQ(host.calls[0].create2_salt, u256{0x5a17}.to_be());
    EXPECT_EQ(host.calls[0].input.size(), 64U);
    // 4 pushes + 32000 + memory 2 words (6) + 2 words * (6 hash + 2 initcode).
    EXPECT_EQ(gas_used(), 12 + 32000 + 6 + 16);
    rev = Revision::london;  // before EIP-3860: hashing only
    run(create2(0, 64, 1));
    EXPECT_EQ(gas_used(), 12 + 32000 + 6 + 12);
    rev = Revision::byzantium;
    run(create2(0, 64, 1));
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
}

TEST_F(CreateTest, Eip3860InitcodeLimit) {
    gas_limit = 10'000'000;
    run(create(0, 49152));
    EXPECT_EQ(result.status, StatusCode::success);
    ASSERT_EQ(host.calls.size(), 1U);
    const std::int64_t words = 49152 / 32;
    EXPECT_EQ(gas_used(), 9 + 32000 + (3 * words + words * words / 512) + 2 * words);
    run(create(0, 49153));
    EXPECT_EQ(result.status, StatusCode::out_of_gas);
    EXPECT_EQ(result.gas_left, 0);
    EXPECT_EQ(host.calls.size(), 1U);
    run(create2(0, 49153, 0));
    EXPECT_EQ(result.status, StatusCode::out_of_gas);
    // No limit and no word cost before Shanghai.
    rev = Revision::london;
    run(create(0, 49153));
    EXPECT_EQ(result.status, StatusCode::success);
    const std::int64_t w2 = (49153 + 31) / 32;
    EXPECT_EQ(gas_used(), 9 + 32000 + (3 * w2 + w2 * w2 / 512));
}

TEST_F(CreateTest, StaticModeViolation) {
    msg.is_static = true;
    run(create(0, 0));
    EXPECT_EQ(result.status, StatusCode::static_mode_violation);
    run(create2(0, 0, 0));
    EXPECT_EQ(result.status, StatusCode::static_mode_violation);
    EXPECT_TRUE(host.calls.empty());
}

TEST_F(CreateTest, SoftFailures) {
    msg.depth = 1024;
    run(create(0, 0) + ret_top());
    EXPECT_EQ(output_word(), u256{0});
    EXPECT_EQ(gas_used(), 9 + 32000 + 15);
    msg.depth = 0;
    run(create(1, 0) + ret_top());  // no balance
    EXPECT_EQ(output_word(), u256{0});
    EXPECT_TRUE(host.calls.empty());
}

TEST_F(CreateTest, ReturnDataAfterCreate) {
    child_output = hex("c0ffee");
    run(create(0, 0) + O::RETURNDATASIZE + ret_top());  // success: empty buffer
    EXPECT_EQ(output_word(), u256{0});
    child_status = StatusCode::revert;
    run(create(0, 0) + O::RETURNDATASIZE + ret_top());  // revert: the reason
    EXPECT_EQ(output_word(), u256{3});
    run(create(0, 0) + ret_top());
    EXPECT_EQ(output_word(), u256{0});
}

TEST_F(CreateTest, PreTangerinePassesAllGas) {
    rev = Revision::homestead;
    gas_limit = 50000;
    run(create(0, 0));
    ASSERT_EQ(host.calls.size(), 1U);
    EXPECT_EQ(host.calls[0].gas, 50000 - 9 - 32000);
}

// The default TestHost runs the initcode; its RETURN becomes the code.
TEST_F(CreateTest, RunsInitcodeThroughTheHost) {
    host.call_handler = nullptr;
    // initcode: mstore(0, 0x2a) return(31, 1) -> code 0x2a
    const Bytes init = push(0x2a) + push(0) + O::MSTORE + push(1) + push(31) + O::RETURN;
    Bytes code = push_bytes(init) + push(0) + O::MSTORE;
    code = code + push(init.size()) + push(32 - init.size()) + push(0) + O::CREATE + ret_top();
    run(code);
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(output_word(), u256::from_be(host.next_create_address.view()));
    EXPECT_EQ(host.accounts[host.next_create_address].code, hex("2a"));
}

}  // namespace
}  // namespace sluice::evm::test
