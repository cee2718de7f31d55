// Parsing, canonical form and layout of Solidity ABI types, and rejection of malformed type strings.
#include <gtest/gtest.h>

#include <string>

#include "abi_test_support.hpp"
#include "sluice/core/abi_type.hpp"

namespace sluice {
namespace {

using abi_test::kStateType;
using abi_test::parsed;

void expect_bad_type(const std::string& text) {
    auto r = AbiType::parse(text);
    ASSERT_FALSE(r.ok()) << "accepted \"" << text << "\" as " << r->canonical();
    EXPECT_EQ(r.error().code, Errc::abi_bad_type) << text;
}

TEST(AbiType, ElementaryTypesRoundTrip) {
    for (const char* text : {"uint8", "uint16", "uint64", "uint256", "int8", "int24", "int256", "address", "bool",
                             "bytes1", "bytes10", "bytes32", "bytes", "string"}) {
        EXPECT_EQ(parsed(text).canonical(), text);
    }
}

TEST(AbiType, AllIntegerWidthsParse) {
    for (std::size_t bits = 8; bits <= 256; bits += 8) {
        const AbiType u = parsed("uint" + std::to_string(bits));
        EXPECT_EQ(u.kind(), AbiType::Kind::uint);
        EXPECT_EQ(u.size(), bits);
        const AbiType s = parsed("int" + std::to_string(bits));
        EXPECT_EQ(s.kind(), AbiType::Kind::int_);
        EXPECT_EQ(s.size(), bits);
    }
}

TEST(AbiType, KindsAndSizes) {
    EXPECT_EQ(parsed("bytes7").kind(), AbiType::Kind::fixed_bytes);
    EXPECT_EQ(parsed("bytes7").size(), 7u);
    EXPECT_EQ(parsed("bytes").kind(), AbiType::Kind::bytes);
    const AbiType arr = parsed("uint32[3][]");
    EXPECT_EQ(arr.kind(), AbiType::Kind::array);
    EXPECT_EQ(arr.element().kind(), AbiType::Kind::fixed_array);
    EXPECT_EQ(arr.element().size(), 3u);
    EXPECT_EQ(arr.element().element().kind(), AbiType::Kind::uint);
    EXPECT_EQ(arr.depth(), 2u);
}

TEST(AbiType, NestedArraysAndTuplesRoundTrip) {
    for (const char* text : {"uint256[]", "uint256[2]", "uint32[][]", "bytes3[2]", "string[]", "uint8[2][3][]",
                             "()", "(uint256)", "(uint256,bool)", "((uint8,(bytes)),string[])[2]", "(uint8,())",
                             kStateType}) {
        EXPECT_EQ(parsed(text).canonical(), text);
    }
}

TEST(AbiType, StaticAndDynamicLayout) {
    EXPECT_FALSE(parsed("uint256").is_dynamic());
    EXPECT_EQ(parsed("uint256").head_size(), 32u);
    EXPECT_TRUE(parsed("bytes").is_dynamic());
    EXPECT_TRUE(parsed("string").is_dynamic());
    EXPECT_TRUE(parsed("uint8[]").is_dynamic());
    EXPECT_EQ(parsed("uint8[]").head_size(), 32u);
    EXPECT_FALSE(parsed("bytes3[2]").is_dynamic());
    EXPECT_EQ(parsed("bytes3[2]").head_size(), 64u);
    EXPECT_EQ(parsed("(uint256,bool,address)").head_size(), 96u);
    EXPECT_EQ(parsed("(uint256,bool)[3]").head_size(), 192u);
    EXPECT_TRUE(parsed("string[2]").is_dynamic());
    EXPECT_EQ(parsed("string[2]").head_size(), 32u);
    EXPECT_TRUE(parsed("(uint256,bytes)").is_dynamic());
    EXPECT_EQ(parsed("()").head_size(), 0u);
    const AbiType state = parsed(kStateType);
    EXPECT_TRUE(state.is_dynamic());
    ASSERT_EQ(state.components().size(), 5u);
    EXPECT_FALSE(state.components()[2].element().components()[2].element().is_dynamic());
    EXPECT_EQ(state.components()[2].element().components()[2].element().head_size(), 160u);
}

TEST(AbiType, FactoriesMatchParser) {
    auto lock = AbiType::tuple({AbiType::fixed_bytes(32), AbiType::uint(256), AbiType::uint(16)});
    ASSERT_TRUE(lock.ok());
    auto locks = AbiType::array(*lock);
    ASSERT_TRUE(locks.ok());
    EXPECT_EQ(*locks, parsed("(bytes32,uint256,uint16)[]"));
    EXPECT_NE(*locks, parsed("(bytes32,uint256,uint16)[1]"));
    EXPECT_NE(parsed("uint8"), parsed("int8"));
}

TEST(AbiType, RejectsBadIntegerWidths) {
    for (const char* text : {"uint", "int", "uint0", "uint7", "uint9", "uint257", "uint264", "int512", "uint08",
                             "uint0256", "uint99999999999999999999999"}) {
        expect_bad_type(text);
    }
}

TEST(AbiType, RejectsBadFixedBytes) {
    for (const char* text : {"bytes0", "bytes33", "bytes01", "bytes100"}) expect_bad_type(text);
}

TEST(AbiType, RejectsGarbage) {
    for (const char* text : {"", " ", "uint256 ", " uint256", "UINT256", "Address", "addr", "address20", "bool1",
                             "string8", "fixed128x18", "ufixed", "function", "tuple(uint256)", "uint256,", ",",
                             "uint256,bool", "uint-8", "uint256x", "bytes32a", "\x01", "uint256\n"}) {
        expect_bad_type(text);
    }
}

TEST(AbiType, RejectsUnbalancedParensAndBrackets) {
    for (const char* text : {"(", ")", "(uint256", "uint256)", "((uint256)", "(uint256))", "(uint256,)", "(,uint256)",
                             "(uint256,,bool)", "(uint256 bool)", "[", "]", "uint256[", "uint256]", "uint256[[]]",
                             "uint256[]]", "uint256[2", "[]", "(uint256)[", "uint256[-1]", "uint256[x]"}) {
        expect_bad_type(text);
    }
}

TEST(AbiType, RejectsBadArrayLengths) {
    for (const char* text : {"uint256[0]", "uint256[01]", "uint256[99999999999999999999]", "uint256[4294967297]",
                             "uint256[65536][65536]", "()[]", "()[2]", "(())[]"}) {
        expect_bad_type(text);
    }
}

TEST(AbiType, DepthLimit) {
    std::string ok_arrays = "uint8";
    for (std::size_t i = 0; i < AbiType::kMaxDepth; ++i) ok_arrays += "[]";
    EXPECT_EQ(parsed(ok_arrays).depth(), AbiType::kMaxDepth);
    expect_bad_type(ok_arrays + "[]");

    std::string tuples = "uint8";
    for (std::size_t i = 0; i < AbiType::kMaxDepth; ++i) tuples = "(" + tuples + ")";
    EXPECT_EQ(parsed(tuples).depth(), AbiType::kMaxDepth);
    expect_bad_type("(" + tuples + ")");

    // Far past the limit: must fail cleanly, not exhaust the stack.
    expect_bad_type(std::string(100000, '(') + "uint8" + std::string(100000, ')'));
    std::string many = "uint8";
    for (int i = 0; i < 10000; ++i) many += "[]";
    expect_bad_type(many);
}

TEST(AbiType, ErrorNamesPosition) {
    auto r = AbiType::parse("(uint256,uint7)");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("position 9"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace sluice
