// Jumpdest analysis and code padding.
#include <gtest/gtest.h>

#include "bytecode.hpp"
#include "sluice/evm/interpreter.hpp"

namespace sluice::evm::test {
namespace {

TEST(CodeAnalysis, JumpdestsSkipPushData) {
    // PUSH1 0x5b, JUMPDEST, PUSH32 <31 x 0x5b ...>, JUMPDEST
    const Bytes code = hex("605b5b") + push_bytes(Bytes(32, 0x5b)) + hex("5b");
    const CodeAnalysis a{code};
    EXPECT_FALSE(a.is_jumpdest(0));
    EXPECT_FALSE(a.is_jumpdest(1));
    EXPECT_TRUE(a.is_jumpdest(2));
    for (std::uint64_t i = 3; i < 36; ++i) EXPECT_FALSE(a.is_jumpdest(i)) << i;
    EXPECT_TRUE(a.is_jumpdest(36));
    EXPECT_FALSE(a.is_jumpdest(37));
    EXPECT_FALSE(a.is_jumpdest(~std::uint64_t{0}));
}

TEST(CodeAnalysis, TruncatedPushAtTheEndIsPadded) {
    const Bytes code = hex("7f5b5b");  // PUSH32 with two bytes of data
    const CodeAnalysis a{code};
    EXPECT_EQ(a.code().size(), 3U);
    EXPECT_FALSE(a.is_jumpdest(1));
    EXPECT_FALSE(a.is_jumpdest(2));
    for (std::size_t i = 3; i < 3 + 33; ++i) EXPECT_EQ(a.padded_code()[i], 0) << i;
}

TEST(CodeAnalysis, EmptyCode) {
    const auto a = analyze({});
    EXPECT_EQ(a->code().size(), 0U);
    EXPECT_FALSE(a->is_jumpdest(0));
    EXPECT_EQ(a->padded_code()[0], 0);  // STOP
}

TEST(CodeAnalysis, JumpdestAcrossWordBoundaries) {
    Bytes code(200, 0x5b);
    code[63] = 0x60;  // PUSH1 hides byte 64
    const CodeAnalysis a{code};
    EXPECT_TRUE(a.is_jumpdest(62));
    EXPECT_FALSE(a.is_jumpdest(63));
    EXPECT_FALSE(a.is_jumpdest(64));
    EXPECT_TRUE(a.is_jumpdest(65));
    EXPECT_TRUE(a.is_jumpdest(199));
    EXPECT_FALSE(a.is_jumpdest(200));
}

}  // namespace
}  // namespace sluice::evm::test
