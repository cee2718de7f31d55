// Arithmetic, comparison and bitwise instructions: results and exact gas (Yellow Paper, EIP-145, EIP-7939).
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

using O = Opcode;

class ArithTest : public EvmTest {
protected:
    // Runs `a OP b` (a on top) and returns the result; checks the gas of the whole snippet.
    u256 binary(O op, const u256& a, const u256& b) {
        run(push(b) + push(a) + op + ret_top());
        EXPECT_EQ(result.status, StatusCode::success);
        return output_word();
    }
    u256 ternary(O op, const u256& a, const u256& b, const u256& c) {
        run(push(c) + push(b) + push(a) + op + ret_top());
        EXPECT_EQ(result.status, StatusCode::success);
        return output_word();
    }
};

const u256 kMax = u256::max();
const u256 kMinusOne = u256::max();
u256 neg(std::uint64_t v) { return u256{} - u256{v}; }

// PUSH1 2, PUSH1 3, ADD, then ret_top: PUSH1 0, MSTORE (3 + 3 memory), PUSH1 32, PUSH1 0, RETURN.
TEST_F(ArithTest, AddGasIsExact) {
    EXPECT_EQ(binary(O::ADD, 2, 3), u256{5});
    EXPECT_EQ(gas_used(), 3 + 3 + 3 + 3 + 6 + 3 + 3 + 0);
    EXPECT_EQ(result.gas_refund, 0);
}

TEST_F(ArithTest, AddSubWrap) {
    EXPECT_EQ(binary(O::ADD, kMax, 1), u256{0});
    EXPECT_EQ(binary(O::SUB, 0, 1), kMax);
    EXPECT_EQ(binary(O::SUB, 10, 3), u256{7});
}

TEST_F(ArithTest, MulDivMod) {
    EXPECT_EQ(binary(O::MUL, 6, 7), u256{42});
    EXPECT_EQ(gas_used(), 3 + 3 + 5 + 15);
    EXPECT_EQ(binary(O::MUL, kMax, kMax), u256{1});
    EXPECT_EQ(binary(O::DIV, 7, 2), u256{3});
    EXPECT_EQ(binary(O::DIV, 7, 0), u256{0});
    EXPECT_EQ(binary(O::MOD, 7, 3), u256{1});
    EXPECT_EQ(binary(O::MOD, 7, 0), u256{0});
}

// Yellow Paper: SDIV/SMOD take the sign of the dividend; -2^255 / -1 overflows to -2^255.
TEST_F(ArithTest, SignedDivMod) {
    EXPECT_EQ(binary(O::SDIV, neg(8), 3), neg(2));
    EXPECT_EQ(binary(O::SDIV, neg(8), neg(3)), u256{2});
    const u256 min = u256{1} << 255;
    EXPECT_EQ(binary(O::SDIV, min, kMinusOne), min);
    EXPECT_EQ(binary(O::SMOD, neg(8), 3), neg(2));
    EXPECT_EQ(binary(O::SMOD, 8, neg(3)), u256{2});
    EXPECT_EQ(binary(O::SDIV, 5, 0), u256{0});
}

TEST_F(ArithTest, AddModMulMod) {
    EXPECT_EQ(ternary(O::ADDMOD, 10, 10, 8), u256{4});
    EXPECT_EQ(gas_used(), 3 * 3 + 8 + 15);
    EXPECT_EQ(ternary(O::ADDMOD, kMax, 2, 2), u256{1});  // 2^256 + 1 mod 2, no wrap before the mod
    EXPECT_EQ(ternary(O::MULMOD, 10, 10, 8), u256{4});
    EXPECT_EQ(ternary(O::MULMOD, kMax, kMax, 12), u256{9});  // (2^256-1)^2 mod 12 = 3^2 mod 12
    EXPECT_EQ(ternary(O::MULMOD, 5, 5, 0), u256{0});
}

// EXP costs 10 + 50 per byte of the exponent (EIP-160), 10 per byte before Spurious Dragon.
TEST_F(ArithTest, ExpGasPerExponentByte) {
    EXPECT_EQ(binary(O::EXP, 2, 10), u256{1024});
    EXPECT_EQ(gas_used(), 3 + 3 + 10 + 50 + 15);
    EXPECT_EQ(binary(O::EXP, 3, 0x1234), exp(u256{3}, u256{0x1234}));
    EXPECT_EQ(gas_used(), 3 + 3 + 10 + 100 + 15);
    EXPECT_EQ(binary(O::EXP, 7, 0), u256{1});
    EXPECT_EQ(gas_used(), 3 + 3 + 10 + 15);
    EXPECT_EQ(binary(O::EXP, 2, 255), u256{1} << 255);
    rev = Revision::homestead;
    EXPECT_EQ(binary(O::EXP, 2, 0x100), u256{0});
    EXPECT_EQ(gas_used(), 3 + 3 + 10 + 20 + 15);
}

TEST_F(ArithTest, SignExtend) {
    EXPECT_EQ(binary(O::SIGNEXTEND, 0, 0xff), kMax);
    EXPECT_EQ(binary(O::SIGNEXTEND, 0, 0x7f), u256{0x7f});
    EXPECT_EQ(binary(O::SIGNEXTEND, 1, 0x1280ff), neg(0x7f01));
    EXPECT_EQ(binary(O::SIGNEXTEND, 31, 0x80), u256{0x80});
    EXPECT_EQ(binary(O::SIGNEXTEND, kMax, 0xff), u256{0xff});
}

TEST_F(ArithTest, Comparisons) {
    EXPECT_EQ(binary(O::LT, 1, 2), u256{1});
    EXPECT_EQ(binary(O::LT, 2, 1), u256{0});
    EXPECT_EQ(binary(O::GT, 2, 1), u256{1});
    EXPECT_EQ(binary(O::SLT, neg(1), 0), u256{1});
    EXPECT_EQ(binary(O::SGT, neg(1), 0), u256{0});
    EXPECT_EQ(binary(O::EQ, 5, 5), u256{1});
    EXPECT_EQ(binary(O::EQ, 5, 6), u256{0});
    run(push(0) + O::ISZERO + ret_top());
    EXPECT_EQ(output_word(), u256{1});
    run(push(9) + O::ISZERO + ret_top());
    EXPECT_EQ(output_word(), u256{0});
}

TEST_F(ArithTest, Bitwise) {
    EXPECT_EQ(binary(O::AND, 0xf0f0, 0xff00), u256{0xf000});
    EXPECT_EQ(binary(O::OR, 0xf0f0, 0xff00), u256{0xfff0});
    EXPECT_EQ(binary(O::XOR, 0xf0f0, 0xff00), u256{0x0ff0});
    run(push(0) + O::NOT + ret_top());
    EXPECT_EQ(output_word(), kMax);
    EXPECT_EQ(binary(O::BYTE, 31, 0x1234), u256{0x34});
    EXPECT_EQ(binary(O::BYTE, 30, 0x1234), u256{0x12});
    EXPECT_EQ(binary(O::BYTE, 32, kMax), u256{0});
}

// Test vectors of EIP-145.
TEST_F(ArithTest, ShiftsEip145) {
    const u256 top = u256{1} << 255;
    EXPECT_EQ(binary(O::SHL, 1, 1), u256{2});
    EXPECT_EQ(binary(O::SHL, 255, 1), top);
    EXPECT_EQ(binary(O::SHL, 256, 1), u256{0});
    EXPECT_EQ(binary(O::SHL, 1, kMax), kMax - 1);
    EXPECT_EQ(binary(O::SHR, 1, 1), u256{0});
    EXPECT_EQ(binary(O::SHR, 1, top), u256{1} << 254);
    EXPECT_EQ(binary(O::SHR, 255, top), u256{1});
    EXPECT_EQ(binary(O::SHR, 256, kMax), u256{0});
    EXPECT_EQ(binary(O::SAR, 1, top), (u256{3} << 254));
    EXPECT_EQ(binary(O::SAR, 255, top), kMax);
    EXPECT_EQ(binary(O::SAR, 256, top), kMax);
    EXPECT_EQ(binary(O::SAR, 0x0100000000000000ULL, kMax), kMax);
    EXPECT_EQ(binary(O::SAR, 254, u256::max() >> 1), u256{1});
    EXPECT_EQ(binary(O::SAR, 256, u256::max() >> 1), u256{0});
}

TEST_F(ArithTest, ShiftsUndefinedBeforeConstantinople) {
    rev = Revision::byzantium;
    run(push(1) + push(1) + O::SHL);
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
    EXPECT_EQ(result.gas_left, 0);
}

// EIP-7939 test cases; CLZ costs 5 and exists from Osaka only.
TEST_F(ArithTest, ClzOsaka) {
    rev = Revision::osaka;
    const std::pair<u256, std::uint64_t> cases[] = {
        {0, 256}, {1, 255}, {u256{1} << 255, 0}, {kMax, 0}, {u256{1} << 254, 1}, {(u256{1} << 255) - 1, 1}};
    for (const auto& [x, n] : cases) {
        run(push(x) + O::CLZ + ret_top());
        EXPECT_EQ(result.status, StatusCode::success);
        EXPECT_EQ(output_word(), u256{n});
    }
    run(push(1) + O::CLZ);
    EXPECT_EQ(gas_used(), 3 + 5);
    rev = Revision::prague;
    run(push(1) + O::CLZ);
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
}

}  // namespace
}  // namespace sluice::evm::test
