// The endomorphism shortcuts against their definitions: psi's coefficients are those of EIP-2537's
// fast_subgroup_checks.md; the fast subgroup checks agree with r * P == infinity on points of the
// subgroup (multiples of the generators) and on points of the curves outside it (isogeny images of
// SWU outputs before cofactor clearing, and (0, 2) of order 3); and the psi cofactor clearing equals
// multiplication by h_eff.
#include "bls381_endomorphism.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "bls381_map.hpp"
#include "bls381_testing.hpp"

namespace sluice::evm::bls381 {
namespace {

constexpr std::uint64_t kSeed = 0x5eed'2537'0017'0002ULL;

using testing::random_fp;

template <class F>
Affine<F> random_multiple(const Affine<F>& g, std::mt19937_64& gen) {
    std::array<std::uint8_t, 32> k{};
    for (auto& b : k)
        b = static_cast<std::uint8_t>(gen());
    return multiply(g, std::span<const std::uint8_t>(k)).to_affine();
}

TEST(Bls381Endomorphism, PsiCoefficientsAreTheEips) {
    // psi((x, y)) := (conjugate(x) * r, conjugate(y) * s), the constants in hex.
    const G2 g = g2_generator();
    const G2 image = psi(g);
    const Fp2 r{Fp::zero(), Fp::from_hex("1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409"
                                         "427eb4f49fffd8bfd00000000aaad")};
    const Fp2 s{Fp::from_hex("135203e60180a68ee2e9c448d77a2cd91c3dedd930b1cf60ef396489f61eb45e304466cf3e67fa0"
                             "af1ee7b04121bdea2"),
                Fp::from_hex("6af0e0437ff400b6831e36d6bd17ffe48395dabc2d3435e77f76e17009241c5ee67992f72ec05f4"
                             "c81084fbede3cc09")};
    EXPECT_EQ(image.x, g.x.conjugate() * r);
    EXPECT_EQ(image.y, g.y.conjugate() * s);
    EXPECT_TRUE(is_on_curve(image));
    EXPECT_TRUE(is_on_curve(phi(g1_generator())));
}

TEST(Bls381Endomorphism, SubgroupChecksAgreeWithTheOrder) {
    std::mt19937_64 gen(kSeed);
    std::size_t outside = 0;
    for (int i = 0; i < 6; ++i) {
        const G1 in1 = random_multiple(g1_generator(), gen);
        EXPECT_TRUE(g1_in_subgroup_by_endomorphism(in1));
        EXPECT_TRUE(is_in_subgroup_by_order(in1));
        const G2 in2 = random_multiple(g2_generator(), gen);
        EXPECT_TRUE(g2_in_subgroup_by_endomorphism(in2));
        EXPECT_TRUE(is_in_subgroup_by_order(in2));

        const G1 any1 = iso_map_g1(sswu_g1(random_fp(gen)));
        const G2 any2 = iso_map_g2(sswu_g2(Fp2{random_fp(gen), random_fp(gen)}));
        ASSERT_TRUE(is_on_curve(any1));
        ASSERT_TRUE(is_on_curve(any2));
        EXPECT_EQ(g1_in_subgroup_by_endomorphism(any1), is_in_subgroup_by_order(any1));
        EXPECT_EQ(g2_in_subgroup_by_endomorphism(any2), is_in_subgroup_by_order(any2));
        outside += !is_in_subgroup_by_order(any1) + !is_in_subgroup_by_order(any2);
    }
    EXPECT_EQ(outside, 12u);  // the cofactors are huge: a random curve point is outside
    const G1 order3{Fp::zero(), *Fp::from_limbs({2, 0, 0, 0, 0, 0}), false};
    EXPECT_FALSE(g1_in_subgroup_by_endomorphism(order3));
    EXPECT_TRUE(g1_in_subgroup_by_endomorphism(G1{}));
    EXPECT_TRUE(g2_in_subgroup_by_endomorphism(G2{}));
}

// The split multiplications against plain double-and-add, on scalars below r, at and around r and
// up to 2^256 - 1 (the EIP-2537 scalars are not reduced).
TEST(Bls381Endomorphism, SubgroupMultiplicationEqualsDoubleAndAdd) {
    std::mt19937_64 gen(kSeed + 2);
    std::vector<std::array<std::uint8_t, 32>> scalars;
    std::array<std::uint8_t, 32> r{};
    std::copy(kGroupOrderBe.begin(), kGroupOrderBe.end(), r.begin());
    scalars.push_back(r);
    auto r_minus_1 = r;
    r_minus_1[31] = 0;
    scalars.push_back(r_minus_1);
    auto r_plus_1 = r;
    r_plus_1[31] = 2;
    scalars.push_back(r_plus_1);
    scalars.push_back({});
    std::array<std::uint8_t, 32> all_ones{};
    all_ones.fill(0xff);
    scalars.push_back(all_ones);
    for (int i = 0; i < 6; ++i) {
        std::array<std::uint8_t, 32> k{};
        for (auto& b : k)
            b = static_cast<std::uint8_t>(gen());
        scalars.push_back(k);
    }
    const G1 p1 = random_multiple(g1_generator(), gen);
    const G2 p2 = random_multiple(g2_generator(), gen);
    for (const auto& k : scalars) {
        const std::span<const std::uint8_t, 32> ks(k);
        EXPECT_EQ(g1_multiply_in_subgroup(p1, ks).to_affine(),
                  multiply(p1, std::span<const std::uint8_t>(k)).to_affine());
        EXPECT_EQ(g2_multiply_in_subgroup(p2, ks).to_affine(),
                  multiply(p2, std::span<const std::uint8_t>(k)).to_affine());
    }
    EXPECT_TRUE(g1_multiply_in_subgroup(G1{}, std::span<const std::uint8_t, 32>(all_ones)).is_infinity());
    EXPECT_TRUE(g2_multiply_in_subgroup(G2{}, std::span<const std::uint8_t, 32>(all_ones)).is_infinity());
}

TEST(Bls381Endomorphism, CofactorClearingEqualsHeff) {
    std::mt19937_64 gen(kSeed + 1);
    for (int i = 0; i < 4; ++i) {
        const G2 p = iso_map_g2(sswu_g2(Fp2{random_fp(gen), random_fp(gen)}));
        const G2 cleared = clear_cofactor_g2(p).to_affine();
        EXPECT_EQ(cleared, clear_cofactor_g2_by_h_eff(p));
        EXPECT_TRUE(is_in_subgroup_by_order(cleared));
    }
    EXPECT_TRUE(clear_cofactor_g2(G2{}).is_infinity());
}

}  // namespace
}  // namespace sluice::evm::bls381
