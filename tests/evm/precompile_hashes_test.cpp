// Precompiles 0x02 (SHA-256), 0x03 (RIPEMD-160) and 0x04 (identity): standard digests and gas.
#include <gtest/gtest.h>

#include "precompile_testing.hpp"

namespace sluice::evm {
namespace {

using testing::hex;

PrecompileResult run_text(PrecompileId id, const std::string& text) {
    return run_precompile(id, as_bytes(text), 10'000'000, Revision::prague);
}

TEST(Sha256Precompile, StandardVectors) {
    EXPECT_EQ(hex(run_text(PrecompileId::sha256, "").output),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(hex(run_text(PrecompileId::sha256, "abc").output),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex(run_text(PrecompileId::sha256, std::string(1'000'000, 'a')).output),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Precompile, Gas) {
    EXPECT_EQ(run_text(PrecompileId::sha256, "").gas_used, 60);
    EXPECT_EQ(run_text(PrecompileId::sha256, "abc").gas_used, 72);
    EXPECT_EQ(run_text(PrecompileId::sha256, std::string(32, 'x')).gas_used, 72);
    EXPECT_EQ(run_text(PrecompileId::sha256, std::string(33, 'x')).gas_used, 84);
    EXPECT_EQ(run_text(PrecompileId::sha256, std::string(1'000'000, 'a')).gas_used, 60 + 12 * 31250);
    const auto r = run_precompile(PrecompileId::sha256, as_bytes("abc"), 71, Revision::frontier);
    EXPECT_EQ(r.status, PrecompileStatus::out_of_gas);
    EXPECT_EQ(r.gas_used, 71);
    EXPECT_TRUE(r.output.empty());
}

TEST(Ripemd160Precompile, StandardVectors) {
    const std::string pad(24, '0');  // the 20-byte digest is left-padded to a word
    EXPECT_EQ(hex(run_text(PrecompileId::ripemd160, "").output), pad + "9c1185a5c5e9fc54612808977ee8f548b2258d31");
    EXPECT_EQ(hex(run_text(PrecompileId::ripemd160, "abc").output), pad + "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
    EXPECT_EQ(hex(run_text(PrecompileId::ripemd160, "message digest").output),
              pad + "5d0689ef49d2fae572b881b123a85ffa21595f36");
    // 56 bytes: the length no longer fits the first padding block.
    EXPECT_EQ(hex(run_text(PrecompileId::ripemd160, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").output),
              pad + "12a053384a9c0c88e405a06c27dcf49ada62eb2b");
    EXPECT_EQ(hex(run_text(PrecompileId::ripemd160,
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                      .output),
              pad + "b0e20b6e3116640286ed3a87a5713079b21f5189");
    EXPECT_EQ(hex(run_text(PrecompileId::ripemd160, std::string(1'000'000, 'a')).output),
              pad + "52783243c1697bdbe16d37f97f68f08325dc1528");
}

TEST(Ripemd160Precompile, Gas) {
    EXPECT_EQ(run_text(PrecompileId::ripemd160, "").gas_used, 600);
    EXPECT_EQ(run_text(PrecompileId::ripemd160, "abc").gas_used, 720);
    EXPECT_EQ(run_text(PrecompileId::ripemd160, std::string(64, 'x')).gas_used, 840);
}

TEST(IdentityPrecompile, CopiesInputAndCharges) {
    const auto r = run_text(PrecompileId::identity, "hello, world");
    EXPECT_EQ(r.status, PrecompileStatus::success);
    EXPECT_EQ(std::string(r.output.begin(), r.output.end()), "hello, world");
    EXPECT_EQ(r.gas_used, 18);
    EXPECT_EQ(run_text(PrecompileId::identity, "").gas_used, 15);
    EXPECT_TRUE(run_text(PrecompileId::identity, "").output.empty());
    EXPECT_EQ(run_text(PrecompileId::identity, std::string(65, 'x')).gas_used, 24);
}

}  // namespace
}  // namespace sluice::evm
