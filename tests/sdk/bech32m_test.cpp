// Bech32m against BIP-350's own test vectors (github.com/bitcoin/bips, bip-0350.mediawiki, "Test vectors":
// valid and invalid Bech32m strings), plus the bit regrouping rules of BIP-173.
#include "sluice/sdk/bech32m.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::sdk::bech32m {
namespace {

TEST(Bech32m, Bip350ValidStringsDecodeAndReencode) {
    const std::vector<std::string> valid = {
        "A1LQFN3A",
        "a1lqfn3a",
        "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
        "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
        "?1v759aa",
    };
    for (const std::string& text : valid) {
        const auto decoded = decode(text);
        ASSERT_TRUE(decoded.ok()) << text << ": " << decoded.error().describe();
        const auto again = encode(decoded->hrp, decoded->data);
        ASSERT_TRUE(again.ok()) << text;
        std::string lower = text;
        for (char& c : lower) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        EXPECT_EQ(*again, lower);
    }
}

TEST(Bech32m, Bip350DataOfAbcdefIsTheAlphabetReversed) {
    const auto decoded = decode("abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx");
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->hrp, "abcdef");
    ASSERT_EQ(decoded->data.size(), 32u);
    for (std::size_t i = 0; i < 32; ++i)
        EXPECT_EQ(decoded->data[i], 31 - i);
}

TEST(Bech32m, Bip350InvalidStringsAreRefused) {
    struct Case {
        std::string text;
        Errc code;
    };
    const std::vector<Case> invalid = {
        {std::string("\x20") + "1xj0phk", Errc::invoice_malformed},  // HRP character out of range
        {std::string("\x7f") + "1g6xzxy", Errc::invoice_malformed},  // HRP character out of range
        {std::string("\x80") + "1vctc34", Errc::invoice_malformed},  // HRP character out of range
        {"an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
         Errc::invoice_malformed},                   // overall max length exceeded
        {"qyrz8wqd2c9m", Errc::invoice_malformed},   // no separator character
        {"1qyrz8wqd2c9m", Errc::invoice_malformed},  // empty HRP
        {"y1b0jsk6g", Errc::invoice_malformed},      // invalid data character
        {"lt1igcx5c0", Errc::invoice_malformed},     // invalid data character
        {"in1muywd", Errc::invoice_malformed},       // too short checksum
        {"mm1crxm3i", Errc::invoice_malformed},      // invalid character in checksum
        {"au1s5cgom", Errc::invoice_malformed},      // invalid character in checksum
        {"M1VUXWEZ", Errc::invoice_bad_checksum},    // checksum calculated with upper-case HRP
        {"16plkw9", Errc::invoice_malformed},        // empty HRP
        {"1p2gdwpf", Errc::invoice_malformed},       // empty HRP
    };
    for (const Case& c : invalid) {
        const auto decoded = decode(c.text);
        ASSERT_FALSE(decoded.ok()) << c.text;
        EXPECT_EQ(decoded.error().code, c.code) << c.text << ": " << decoded.error().describe();
    }
}

TEST(Bech32m, Bip173ChecksumIsNotBech32m) {
    // A valid bech32 (BIP-173) string: the bech32m constant must not accept it.
    const auto decoded = decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().code, Errc::invoice_bad_checksum);
}

TEST(Bech32m, MixedCaseIsRefused) {
    const auto decoded = decode("A1LQfN3A");
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().code, Errc::invoice_malformed);
}

TEST(Bech32m, RegroupingRoundTripsAndRejectsBadPadding) {
    for (std::size_t n = 0; n < 40; ++n) {
        Bytes bytes(n);
        for (std::size_t i = 0; i < n; ++i)
            bytes[i] = static_cast<std::uint8_t>(i * 37 + 11);
        const Data5 data = bytes_to_data5(bytes);
        EXPECT_EQ(data.size(), (n * 8 + 4) / 5);
        const auto back = data5_to_bytes(data);
        ASSERT_TRUE(back.ok());
        EXPECT_EQ(*back, bytes);
    }
    // One byte is two groups with 2 padding bits; a set padding bit is not an encoding.
    EXPECT_FALSE(data5_to_bytes(Data5{0, 1}).ok());
    // Five padding bits (one group too many) are not an encoding either.
    EXPECT_FALSE(data5_to_bytes(Data5{0}).ok());
    EXPECT_FALSE(data5_to_bytes(Data5{0, 0, 0}).ok());
}

TEST(Bech32m, EncodeRefusesBadInput) {
    EXPECT_FALSE(encode("", {}).ok());
    EXPECT_FALSE(encode("ABC", {}).ok());
    EXPECT_FALSE(encode("abc", Data5{32}).ok());
}

}  // namespace
}  // namespace sluice::sdk::bech32m
