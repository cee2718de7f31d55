// Precompile 0x05 (modexp): EIP-198's examples and the "nagydani" vectors with their prices under
// EIP-198 (Byzantium), EIP-2565 (Berlin) and EIP-7883 (Osaka), plus hostile length fields.
#include <gtest/gtest.h>

#include "precompile_testing.hpp"

namespace sluice::evm {
namespace {

using testing::expect_answer;
using testing::expect_failure;
using testing::run;

std::string word(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return std::string(48, '0') + buf;
}

// 3^(p-1) mod p = 1 for the secp256k1 field prime p (EIP-198 example 1).
const std::string kFermat = word(1) + word(32) + word(32) + "03" +
                            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e"
                            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";
// Same with an empty base (EIP-198 example 2): 0^e mod p = 0.
const std::string kZeroBase = word(0) + word(32) + word(32) +
                              "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e"
                              "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";

const std::string kNagydaniBase =
    "e09ad9675465c53a109fac66a445c91b292d2bb2c5268addb30cd82f80fcb0033ff97c80a5fc6f39193ae969c6ede6710a6b7ac27078"
    "a06d90ef1c72e5c85fb5";
const std::string kNagydaniMod =
    "fc9e1f6beb81516545975218075ec2af118cd8798df6e08a147c60fd6095ac2bb02c2908cf4dd7c81f11c289e4bce98f3553768f392a"
    "80ce22bf5c4f4a248c6b";

std::string nagydani1(const std::string& exponent_hex) {
    return word(64) + word(exponent_hex.size() / 2) + word(64) + kNagydaniBase + exponent_hex + kNagydaniMod;
}

const std::string kSquare =
    "60008f1614cc01dcfb6bfb09c625cf90b47d4468db81b5f8b7a39d42f332eab9b2da8f2d95311648a8f243f4bb13cfb3d8f7f2a3c01412"
    "2ebb3ed41b02783adc";
const std::string kQube =
    "4834a46ba565db27903b1c720c9d593e84e4cbd6ad2e64b31885d944f68cd801f92225a8961c952ddf2797fa4701b330c85c4b36379810"
    "0b921a1a22a46a7fec";
const std::string kPow10001 =
    "c36d804180c35d4426b57b50c5bfcca5c01856d104564cd513b461d3c8b8409128a5573e416d0ebe38f5f736766d9dc27143e4da981dfa"
    "4d67f7dc474cbee6d2";

TEST(ModexpPrecompile, Eip198Examples) {
    const std::string one = std::string(63, '0') + "1";
    const std::string zero(64, '0');
    expect_answer(PrecompileId::modexp, kFermat, one, 13056, Revision::byzantium);
    expect_answer(PrecompileId::modexp, kFermat, one, 1360, Revision::berlin);
    expect_answer(PrecompileId::modexp, kFermat, one, 4080, Revision::osaka);
    expect_answer(PrecompileId::modexp, kZeroBase, zero, 13056, Revision::byzantium);
    expect_answer(PrecompileId::modexp, kZeroBase, zero, 1360, Revision::london);
}

TEST(ModexpPrecompile, NagydaniVectorsAndPricing) {
    const struct {
        std::string exponent;
        const std::string& expected;
        std::int64_t byzantium, berlin, osaka;
    } cases[] = {
        {"02", kSquare, 204, 200, 500},
        {"03", kQube, 204, 200, 500},
        {"010001", kPow10001, 3276, 341, 2048},
    };
    for (const auto& c : cases) {
        const std::string input = nagydani1(c.exponent);
        expect_answer(PrecompileId::modexp, input, c.expected, c.byzantium, Revision::byzantium);
        expect_answer(PrecompileId::modexp, input, c.expected, c.berlin, Revision::berlin);
        expect_answer(PrecompileId::modexp, input, c.expected, c.osaka, Revision::osaka);
    }
}

TEST(ModexpPrecompile, SmallEdgeCases) {
    // 2^3 mod 5 = 3; modulus 1 gives 0; modulus 0 gives zeros of its length; exponent 0 gives 1.
    expect_answer(PrecompileId::modexp, word(1) + word(1) + word(1) + "020305", "03", 200, Revision::berlin);
    expect_answer(PrecompileId::modexp, word(1) + word(1) + word(1) + "020301", "00", 200, Revision::berlin);
    expect_answer(PrecompileId::modexp, word(1) + word(1) + word(2) + "02030000", "0000", 200, Revision::berlin);
    expect_answer(PrecompileId::modexp, word(1) + word(1) + word(1) + "020007", "01", 200, Revision::berlin);
    // Input shorter than the lengths say: the rest is zeros (base 2, exponent 3 || 00, modulus 0x00.. -> 0).
    expect_answer(PrecompileId::modexp, word(1) + word(2) + word(1) + "0203", "00", 200, Revision::berlin);
    // Empty input: all lengths zero.
    expect_answer(PrecompileId::modexp, "", "", 0, Revision::byzantium);
    expect_answer(PrecompileId::modexp, "", "", 200, Revision::berlin);
    expect_answer(PrecompileId::modexp, "", "", 500, Revision::osaka);
}

TEST(ModexpPrecompile, ExponentPastTheInputIsZeroExtended) {
    // 2^(0x01 << 8*31) mod 1000003 with only the first exponent byte present in the input.
    const std::string input = word(1) + word(32) + word(3) + "02" + "01";
    const auto r = run(PrecompileId::modexp, input, 1'000'000, Revision::berlin);
    ASSERT_EQ(r.status, PrecompileStatus::success);
    // The modulus bytes are past the input too, so the modulus is 0 and the result is zeros.
    EXPECT_EQ(testing::hex(r.output), "000000");
    // Iterations = 248 (bit length of 2^248 minus one), complexity 1: max(200, 248/3) = 200.
    EXPECT_EQ(r.gas_used, 200);
}

TEST(ModexpPrecompile, HugeLengthsArePricedNotAllocated) {
    const std::string max_word(64, 'f');
    // A 2^256-1 byte modulus: unpayable at every revision.
    for (const Revision rev : {Revision::byzantium, Revision::berlin, Revision::osaka}) {
        const auto r = run(PrecompileId::modexp, word(1) + word(1) + max_word, 30'000'000, rev);
        EXPECT_EQ(r.status, PrecompileStatus::out_of_gas);
        EXPECT_EQ(r.gas_used, 30'000'000);
    }
    // Huge exponent length with empty base and modulus: free before Berlin (complexity 0), the
    // minimum price from Berlin, and the output is empty without reading the exponent.
    expect_answer(PrecompileId::modexp, word(0) + max_word + word(0), "", 0, Revision::byzantium);
    expect_answer(PrecompileId::modexp, word(0) + max_word + word(0), "", 200, Revision::berlin);
    // Huge exponent with a one-byte modulus is unpayable.
    EXPECT_EQ(run(PrecompileId::modexp, word(1) + max_word + word(1), 30'000'000, Revision::berlin).status,
              PrecompileStatus::out_of_gas);
    // A huge base length alone is unpayable even with modulus length 0 under EIP-198.
    EXPECT_EQ(run(PrecompileId::modexp, max_word + word(0) + word(0), 30'000'000, Revision::byzantium).status,
              PrecompileStatus::out_of_gas);
}

TEST(ModexpPrecompile, OsakaLengthLimit) {
    // EIP-7823: each length at most 1024 bytes from Osaka.
    expect_failure(PrecompileId::modexp, word(1025) + word(1) + word(1) + "02", Revision::osaka);
    expect_failure(PrecompileId::modexp, word(1) + word(1025) + word(1) + "02", Revision::osaka);
    expect_failure(PrecompileId::modexp, word(1) + word(1) + word(1025) + "02", Revision::osaka);
    const auto berlin = run(PrecompileId::modexp, word(1) + word(1) + word(1025) + "0203", 10'000'000, Revision::prague);
    EXPECT_EQ(berlin.status, PrecompileStatus::success);
    EXPECT_EQ(berlin.output.size(), 1025U);
}

}  // namespace
}  // namespace sluice::evm
