// EIP-5656 MCOPY: the EIP's test vectors (memory before/after and gas), expansion over both ranges,
// zero-length copies.
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

using O = Opcode;

class Eip5656Test : public EvmTest {
protected:
    // Memory preset from `before` (whole words) with MSTOREs, then MCOPY(dst, src, size), then RETURN
    // of the first `before.size()` bytes. Returns MCOPY's own gas (total minus the rest).
    std::int64_t mcopy(const Bytes& before, std::uint64_t dst, std::uint64_t src, std::uint64_t size) {
        Bytes setup;
        for (std::size_t i = 0; i < before.size(); i += 32)
            setup = setup + push_bytes(Bytes(before.begin() + static_cast<std::ptrdiff_t>(i),
                                              before.begin() + static_cast<std::ptrdiff_t>(i + 32))) +
                    push(i) + O::MSTORE;
        const Bytes tail = push(before.size()) + push(0) + O::RETURN;
        run(setup + tail);
        const std::int64_t without = gas_used();
        run(setup + push(size) + push(src) + push(dst) + O::MCOPY + tail);
        EXPECT_EQ(result.status, StatusCode::success);
        return gas_used() - without - 9;
    }
};

TEST_F(Eip5656Test, EipVectors) {
    const Bytes seq = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    const Bytes zeros(32, 0);
    EXPECT_EQ(mcopy(zeros + seq, 0, 32, 32), 6);
    EXPECT_EQ(result.output, seq + seq);

    EXPECT_EQ(mcopy(seq, 0, 0, 32), 6);
    EXPECT_EQ(result.output, seq);

    EXPECT_EQ(mcopy(seq, 0, 1, 8), 6);
    EXPECT_EQ(result.output, hex("010203040506070808") + Bytes(seq.begin() + 9, seq.end()));

    EXPECT_EQ(mcopy(seq, 1, 0, 8), 6);
    EXPECT_EQ(result.output, hex("000001020304050607") + Bytes(seq.begin() + 9, seq.end()));
}

// Copying to [32, 64) from [0, 32) of empty memory expands it to two words: 3 + 3 + 6.
TEST_F(Eip5656Test, ExpandsMemory) {
    run(push(32) + push(0) + push(32) + O::MCOPY + O::MSIZE + ret_top());
    EXPECT_EQ(output_word(), u256{64});
    EXPECT_EQ(gas_used(), 9 + 3 + 3 + 6 + 2 + 3 + 3 + 3 + 3);
    // The source range expands memory too.
    run(push(1) + push(64) + push(0) + O::MCOPY + O::MSIZE + ret_top());
    EXPECT_EQ(output_word(), u256{96});
}

TEST_F(Eip5656Test, ZeroSizeIgnoresOffsets) {
    run(push(0) + push(u256::max()) + push(u256::max()) + O::MCOPY);
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(gas_used(), 9 + 3);
}

TEST_F(Eip5656Test, HugeOffsetIsOutOfGas) {
    run(push(1) + push(0) + push(u256{1} << 64) + O::MCOPY);
    EXPECT_EQ(result.status, StatusCode::out_of_gas);
    EXPECT_EQ(result.gas_left, 0);
}

TEST_F(Eip5656Test, UndefinedBeforeCancun) {
    rev = Revision::shanghai;
    run(push(0) + push(0) + push(0) + O::MCOPY);
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
}

}  // namespace
}  // namespace sluice::evm::test
