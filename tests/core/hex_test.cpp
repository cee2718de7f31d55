// Strict hex decoding and encoding.
#include <gtest/gtest.h>

#include "sluice/core/hex.hpp"

namespace sluice {
namespace {

TEST(Hex, DecodesWithPrefix) {
    auto r = from_hex("0x00ff10Ab");
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(*r, (Bytes{0x00, 0xff, 0x10, 0xab}));
}

TEST(Hex, EmptyWithPrefixIsEmptyBytes) {
    auto r = from_hex("0x");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->empty());
}

TEST(Hex, MissingPrefixRejectedWhenRequired) {
    auto r = from_hex("00ff");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::hex_missing_prefix);
}

TEST(Hex, OptionalPrefixAcceptsBoth) {
    EXPECT_EQ(*from_hex("0xabcd", HexPrefix::optional), (Bytes{0xab, 0xcd}));
    EXPECT_EQ(*from_hex("abcd", HexPrefix::optional), (Bytes{0xab, 0xcd}));
}

TEST(Hex, ForbiddenPrefixRejected) {
    EXPECT_FALSE(from_hex("0xab", HexPrefix::forbidden).ok());
    EXPECT_TRUE(from_hex("ab", HexPrefix::forbidden).ok());
}

TEST(Hex, OddLengthRejected) {
    auto r = from_hex("0xabc");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::hex_odd_length);
}

TEST(Hex, BadDigitRejectedWithPosition) {
    auto r = from_hex("0x12g4");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::hex_bad_digit);
    EXPECT_NE(r.error().message.find("position 4"), std::string::npos) << r.error().message;
    EXPECT_EQ(from_hex("0x 1").error().code, Errc::hex_bad_digit);
    EXPECT_EQ(from_hex("0x0x").error().code, Errc::hex_bad_digit);
}

TEST(Hex, EncodesLowerCase) {
    const Bytes b{0xde, 0xad, 0xBE, 0xef, 0x00};
    EXPECT_EQ(to_hex(b), "0xdeadbeef00");
    EXPECT_EQ(to_hex(b, false), "deadbeef00");
    EXPECT_EQ(to_hex(Bytes{}), "0x");
}

TEST(Hex, RoundTripsAllByteValues) {
    Bytes all(256);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
    EXPECT_EQ(*from_hex(to_hex(all)), all);
}

TEST(Hex, FixedSizeChecksLength) {
    EXPECT_TRUE((fixed_from_hex<4>("0x01020304").ok()));
    auto r = fixed_from_hex<4>("0x010203");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::bad_length);
}

}  // namespace
}  // namespace sluice
