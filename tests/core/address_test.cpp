// Addresses: EIP-55 checksum formatting and validation (vectors from the EIP).
#include <gtest/gtest.h>

#include "sluice/core/hex.hpp"

namespace sluice {
namespace {

// The EIP-55 specification's own examples.
constexpr const char* kEip55Vectors[] = {
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
};

TEST(Address, Eip55VectorsFormatAndParse) {
    for (const char* text : kEip55Vectors) {
        auto a = Address::from_hex(text);
        ASSERT_TRUE(a.ok()) << text << ": " << a.error().describe();
        EXPECT_EQ(a->to_checksum_hex(), text);
    }
}

TEST(Address, AllLowerAndAllUpperAcceptedWithoutChecksum) {
    EXPECT_TRUE(Address::from_hex("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").ok());
    EXPECT_TRUE(Address::from_hex("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED").ok());
}

TEST(Address, BadChecksumRejected) {
    // One letter's case flipped from the valid checksum.
    auto r = Address::from_hex("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::bad_checksum);
}

TEST(Address, WrongLengthRejected) {
    EXPECT_EQ(Address::from_hex("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea").error().code, Errc::bad_length);
    EXPECT_EQ(Address::from_hex("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00").error().code, Errc::bad_length);
    EXPECT_EQ(Address::from_hex("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").error().code,
              Errc::hex_missing_prefix);
}

TEST(Address, LowerHexIsLowerCase) {
    auto a = Address::from_hex("0x52908400098527886E0F7030069857D2E4169EE7");
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->to_hex(), "0x52908400098527886e0f7030069857d2e4169ee7");
}

}  // namespace
}  // namespace sluice
