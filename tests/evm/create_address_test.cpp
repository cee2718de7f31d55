// CREATE / CREATE2 addresses against known answers (EIP-1014 examples; the classic CREATE vectors).
#include <gtest/gtest.h>

#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/evm/create_address.hpp"

namespace sluice::evm {
namespace {

Address a(std::string_view hex) { return Address::from_hex(hex).value(); }

TEST(CreateAddress, KnownAnswers) {
    const Address sender = a("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
    EXPECT_EQ(create_address(sender, 0), a("0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d"));
    EXPECT_EQ(create_address(sender, 1), a("0x343c43a37d37dff08ae8c4a11544c718abb4fcf8"));
    EXPECT_EQ(create_address(sender, 2), a("0xf778b86fa74e846c4f0a1fbd1335fe81c00a0c91"));
}

TEST(Create2Address, Eip1014Examples) {
    const auto salt = [](std::string_view hex) { return fixed_from_hex<32>(hex).value(); };
    const auto code_hash = [](std::string_view hex) { return keccak256(from_hex(hex).value()); };
    EXPECT_EQ(create2_address(a("0x0000000000000000000000000000000000000000"),
                              salt("0x0000000000000000000000000000000000000000000000000000000000000000"),
                              code_hash("0x00")),
              a("0x4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38"));
    EXPECT_EQ(create2_address(a("0xdeadbeef00000000000000000000000000000000"),
                              salt("0x0000000000000000000000000000000000000000000000000000000000000000"),
                              code_hash("0x00")),
              a("0xb928f69bb1d91cd65274e3c79d8986362984fda3"));
    EXPECT_EQ(create2_address(a("0x00000000000000000000000000000000deadbeef"),
                              salt("0x00000000000000000000000000000000000000000000000000000000cafebabe"),
                              code_hash("0xdeadbeef")),
              a("0x60f3f640a8508fc6a86d45df051962668e1e8ac7"));
    EXPECT_EQ(create2_address(a("0x0000000000000000000000000000000000000000"),
                              salt("0x0000000000000000000000000000000000000000000000000000000000000000"),
                              code_hash("0x")),
              a("0xe33c0c7f7df4809055c3eba6c09cfe4baf1bd9e0"));
}

}  // namespace
}  // namespace sluice::evm
