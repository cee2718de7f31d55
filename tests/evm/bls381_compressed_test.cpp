// Compressed BLS12-381 points (the KZG encodings of EIP-4844): the G1 and G2 generators decode from
// their well-known compressed forms (the first entries of the KZG ceremony's G1 and G2 monomial lists
// are the generators); encode/decode round-trips both roots of y; and each malformed encoding is
// rejected: wrong length, compression flag clear, non-canonical infinity, x >= p, x with no point,
// a point outside the subgroup when the check is asked for.
#include "bls381_compressed.hpp"

#include <gtest/gtest.h>

#include <string>

#include "precompile_testing.hpp"

namespace sluice::evm::bls381 {
namespace {

using sluice::evm::testing::unhex;

const std::string kG1GeneratorCompressed =
    "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb";
const std::string kG2GeneratorCompressed =
    "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
    "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8";

std::optional<G1> g1(const std::string& hex, bool subgroup = true) {
    const Bytes b = unhex(hex);
    return decode_g1_compressed(b, subgroup);
}

TEST(Bls381Compressed, GeneratorsDecode) {
    EXPECT_EQ(g1(kG1GeneratorCompressed), g1_generator());
    const Bytes g2 = unhex(kG2GeneratorCompressed);
    EXPECT_EQ(decode_g2_compressed(g2), g2_generator());
    // The sign flag flipped gives the negation.
    EXPECT_EQ(g1("b" + kG1GeneratorCompressed.substr(1)), negate(g1_generator()));
    Bytes g2_neg = g2;
    g2_neg[0] ^= 0x20;
    EXPECT_EQ(decode_g2_compressed(g2_neg), negate(g2_generator()));
}

TEST(Bls381Compressed, RoundTrip) {
    G1Jacobian p = G1Jacobian::from_affine(g1_generator());
    for (int i = 0; i < 8; ++i) {
        for (const G1& q : {p.to_affine(), negate(p.to_affine())}) {
            const auto e = encode_g1_compressed(q);
            EXPECT_EQ(decode_g1_compressed(e), q);
        }
        p = p.doubled() + G1Jacobian::from_affine(g1_generator());
    }
    const auto inf = encode_g1_compressed(G1{});
    EXPECT_EQ(inf[0], 0xc0);
    EXPECT_EQ(decode_g1_compressed(inf), G1{});
}

TEST(Bls381Compressed, RejectsMalformed) {
    EXPECT_FALSE(g1(kG1GeneratorCompressed.substr(2)));
    EXPECT_FALSE(g1(kG1GeneratorCompressed + "00"));
    // Compression flag clear.
    EXPECT_FALSE(g1("1" + kG1GeneratorCompressed.substr(1)));
    // Infinity with the sign bit or any other bit set.
    EXPECT_FALSE(g1("e0" + std::string(94, '0')));
    EXPECT_FALSE(g1("c0" + std::string(93, '0') + "1"));
    EXPECT_FALSE(g1("c1" + std::string(94, '0')));
    // x = p (flag bits on top of p's 381 bits).
    EXPECT_FALSE(g1(
        "9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab"));
    // x = 1: 1 + 4 is not a square mod p.
    EXPECT_FALSE(g1("80" + std::string(93, '0') + "1"));
    // (0, 2) has order 3: accepted only without the subgroup check.
    EXPECT_TRUE(g1("80" + std::string(94, '0'), false));
    EXPECT_FALSE(g1("80" + std::string(94, '0'), true));
    EXPECT_FALSE(decode_g2_compressed(unhex(kG2GeneratorCompressed.substr(2))));
}

}  // namespace
}  // namespace sluice::evm::bls381
