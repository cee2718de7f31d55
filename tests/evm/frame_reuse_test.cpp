// Frames reuse their thread's pooled memory buffer and stack (frame_buffers.hpp): a frame must still
// see zeroed memory wherever it grows, whatever an earlier or a parent frame left in the buffer.
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

using O = Opcode;

const u256 kOnes = ~u256{};

// Fills [0, 4096) with ones: more than one 32-byte word, and the pool's whole first page.
Bytes fill_memory_with_ones() {
    Bytes code;
    for (std::uint64_t off = 0; off < 4096; off += 32)
        code = code + mstore(off, kOnes);
    return code;
}

class FrameReuseTest : public EvmTest {};

TEST_F(FrameReuseTest, AFrameAfterADirtyFrameReadsZeroMemory) {
    run(fill_memory_with_ones() + push(32) + push(4064) + O::RETURN);
    ASSERT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(output_word(), kOnes);
    // The next frame on this thread gets the same buffer back: every word it grows into reads 0.
    for (const std::uint64_t off : {0U, 32U, 1000U, 4064U}) {
        run(push(off) + O::MLOAD + ret_top());
        ASSERT_EQ(result.status, StatusCode::success);
        EXPECT_EQ(output_word(), u256{}) << "offset " << off;
    }
}

TEST_F(FrameReuseTest, MsizeStartsAtZeroInAReusedFrame) {
    run(fill_memory_with_ones() + O::STOP);
    run(bytes(O::MSIZE) + ret_top());
    ASSERT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(output_word(), u256{});
}

TEST_F(FrameReuseTest, AChildFrameDoesNotSeeItsParentsMemoryNorClobberIt) {
    const Address child = Address::from_hex("0x00000000000000000000000000000000000000cc").value();
    // The child returns the word at 64 of its own memory, which must be zero, after dirtying 4 KiB
    // (the answer is kept above the dirtied range).
    host.accounts[child].code = push(64) + O::MLOAD + push(4096) + O::MSTORE + fill_memory_with_ones() +
                                push(32) + push(4096) + O::RETURN;
    host.warm_accounts.insert(child);
    // The parent dirties its memory, calls the child (output to [4096, 4128)), then returns its word
    // 64 (still ones) and the child's answer.
    const Bytes code = fill_memory_with_ones() + push(32) + push(4096) + push(0) + push(0) + push(0) +
                       push(child) + push(100'000) + O::CALL + O::POP + push(64) + O::MLOAD + push(0) +
                       O::MSTORE + push(4096) + O::MLOAD + push(32) + O::MSTORE + push(64) + push(0) +
                       O::RETURN;
    run(code);
    ASSERT_EQ(result.status, StatusCode::success);
    ASSERT_EQ(result.output.size(), 64U);
    EXPECT_EQ(u256::load_be(result.output.data()), kOnes);
    EXPECT_EQ(u256::load_be(result.output.data() + 32), u256{});
}

TEST_F(FrameReuseTest, LargeMemoryIsReleasedAndStillZeroWhenGrownAgain) {
    // 1 MiB is above what the pool keeps: the next frame starts from a fresh buffer.
    gas_limit = 10'000'000;
    run(mstore(1 << 20, kOnes) + O::STOP);
    ASSERT_EQ(result.status, StatusCode::success);
    run(push(1 << 20) + O::MLOAD + ret_top());
    ASSERT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(output_word(), u256{});
}

}  // namespace
}  // namespace sluice::evm::test
