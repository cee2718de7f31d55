// BLS12-381 optimal ate pairing (EIP-2537 0x0f): e(G1, G2) != 1 and lies in the order-r subgroup;
// bilinearity on random scalars from a fixed seed; pairing_check on a product that is 1 and on one that
// is not; pairs with a point at infinity are skipped; and the hard part of the final exponentiation
// uses the exponent (p^4 - p^2 + 1)/r, computed here with GMP, and the fast x-chain one gives its cube.
#include "bls381_pairing.hpp"

#include <gmp.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "sluice/core/u256.hpp"

namespace sluice::evm::bls381 {
namespace {

constexpr std::uint64_t kSeed = 0x5eed'2026'0017'9a1fULL;

// Test scalars below r, with core's u256 (tested against GMP).
using L4 = u256;
const L4 kR = u256::load_be(kGroupOrderBe.data());
L4 add_mod_r(const L4& a, const L4& b) {
    return addmod(a, b, kR);
}
L4 mul_mod_r(const L4& a, const L4& b) {
    return mulmod(a, b, kR);
}

Limbs to_limbs6(const L4& v) {
    return {v.w[0], v.w[1], v.w[2], v.w[3], 0, 0};
}

class Rng {
  public:
    L4 scalar() {
        for (;;) {
            L4 v{gen_(), gen_(), gen_(), gen_() & ((1ULL << 63) - 1)};
            if (v < kR && v != L4{}) return v;
        }
    }

  private:
    std::mt19937_64 gen_{kSeed};
};

template <class F>
Affine<F> mul(const Affine<F>& p, const L4& k) {
    const Hash s = k.to_be();
    return multiply(p, std::span<const std::uint8_t>(s.data(), s.size())).to_affine();
}

const G1& P() {
    return g1_generator();
}
const G2& Q() {
    return g2_generator();
}

TEST(Bls381Pairing, NonDegenerateAndOfOrderR) {
    const Fp12 e = pairing(P(), Q());
    EXPECT_NE(e, Fp12::one());
    EXPECT_FALSE(e.is_zero());
    EXPECT_EQ(pow(e, to_limbs6(kR)), Fp12::one());
    // e(-P, Q) = e(P, Q)^-1, which is the conjugate in the cyclotomic subgroup.
    EXPECT_EQ(pairing(negate(P()), Q()), e.conjugate());
    EXPECT_EQ(e * e.conjugate(), Fp12::one());
}

TEST(Bls381Pairing, Bilinear) {
    Rng rng;
    const L4 a = rng.scalar();
    const L4 b = rng.scalar();
    const L4 ab = mul_mod_r(a, b);
    const Fp12 e = pairing(P(), Q());
    const Fp12 e_ab = pow(e, to_limbs6(ab));
    EXPECT_EQ(pairing(mul(P(), a), mul(Q(), b)), e_ab);
    EXPECT_EQ(pairing(mul(P(), ab), Q()), e_ab);
    EXPECT_EQ(pairing(P(), mul(Q(), ab)), e_ab);
}

TEST(Bls381Pairing, PairingCheck) {
    Rng rng;
    const L4 a = rng.scalar();
    const L4 b = rng.scalar();
    const L4 ab = mul_mod_r(a, b);
    const G1 ap = mul(P(), a);
    const G2 bq = mul(Q(), b);
    const std::vector<std::pair<G1, G2>> good = {{ap, bq}, {negate(mul(P(), ab)), Q()}};
    EXPECT_TRUE(pairing_check(good));
    const L4 ab1 = add_mod_r(ab, L4{1});
    const std::vector<std::pair<G1, G2>> bad = {{ap, bq}, {negate(mul(P(), ab1)), Q()}};
    EXPECT_FALSE(pairing_check(bad));
}

TEST(Bls381Pairing, Infinity) {
    const G1 inf1{};
    const G2 inf2{};
    EXPECT_EQ(pairing(inf1, Q()), Fp12::one());
    EXPECT_EQ(pairing(P(), inf2), Fp12::one());
    EXPECT_TRUE(pairing_check(std::span<const std::pair<G1, G2>>{}));
    const std::vector<std::pair<G1, G2>> only_inf = {{inf1, Q()}, {P(), inf2}, {inf1, inf2}};
    EXPECT_TRUE(pairing_check(only_inf));
    // Skipped pairs do not hide a non-trivial one, nor spoil a product that is 1.
    const std::vector<std::pair<G1, G2>> one_real = {{inf1, Q()}, {P(), Q()}, {P(), inf2}};
    EXPECT_FALSE(pairing_check(one_real));
    const std::vector<std::pair<G1, G2>> cancel = {{P(), Q()}, {inf1, Q()}, {negate(P()), Q()}};
    EXPECT_TRUE(pairing_check(cancel));
}

// The hard part against plain exponentiation by (p^4 - p^2 + 1)/r, the exponent computed with GMP.
TEST(Bls381Pairing, HardPartExponent) {
    mpz_t p, r, e, q;
    mpz_inits(p, r, e, q, nullptr);
    mpz_import(p, kLimbs, -1, sizeof(std::uint64_t), 0, 0, kModulus.data());
    mpz_import(r, kGroupOrderBe.size(), 1, 1, 0, 0, kGroupOrderBe.data());
    mpz_pow_ui(e, p, 4);
    mpz_pow_ui(q, p, 2);
    mpz_sub(e, e, q);
    mpz_add_ui(e, e, 1);
    ASSERT_TRUE(mpz_divisible_p(e, r));
    mpz_divexact(e, e, r);
    std::vector<std::uint64_t> limbs((mpz_sizeinbase(e, 2) + 63) / 64);
    std::size_t count = 0;
    mpz_export(limbs.data(), &count, -1, sizeof(std::uint64_t), 0, 0, e);
    limbs.resize(count);
    mpz_clears(p, r, e, q, nullptr);

    // Some element of Fp12: a Miller loop value.
    const Fp12 f = miller_loop(P(), Q());
    Fp12 expected = Fp12::one();
    for (std::size_t i = 64 * limbs.size(); i-- > 0;) {
        expected = expected.square();
        if (((limbs[i / 64] >> (i % 64)) & 1) != 0) expected = expected * f;
    }
    EXPECT_EQ(final_exponentiation_hard(f), expected);
}

// The sparse line product equals the full product with the line written out as an Fp12.
TEST(Bls381Pairing, SparseLineProductMatchesFullProduct) {
    const Fp12 f = miller_loop(P(), Q());
    const Fp12 g = miller_loop(negate(P()), mul(Q(), L4{5}));
    const Fp yp = P().x;
    const Fp2 a = g.c0.c1;
    const Fp2 c = g.c1.c2;
    Fp12 l = Fp12::zero();
    l.c0.c2 = Fp2{yp, Fp::zero()};
    l.c1.c1 = a;
    l.c1.c0 = c;
    EXPECT_EQ(mul_by_line_for_test(f, yp, a, c), f * l);
    EXPECT_EQ(mul_by_line_for_test(g, yp, a, c), g * l);
}

// Prepared G2 points give the same checks as the plain ones, including an infinity among them.
TEST(Bls381Pairing, PreparedPointsCheckTheSame) {
    const PreparedG2 q = prepare(Q());
    const PreparedG2 q3 = prepare(mul(Q(), L4{3}));
    const PreparedG2 inf = prepare(G2{});
    EXPECT_EQ(q.lines.size(), 63u + 5u);  // a doubling per bit below the top, an addition per other set bit
    const std::vector<std::pair<G1, const PreparedG2*>> holds = {
        {mul(P(), L4{3}), &q}, {negate(P()), &q3}, {P(), &inf}};
    const std::vector<std::pair<G1, const PreparedG2*>> fails = {{mul(P(), L4{2}), &q}, {negate(P()), &q3}};
    EXPECT_TRUE(pairing_check(holds));
    EXPECT_FALSE(pairing_check(fails));
    const std::vector<std::pair<G1, G2>> plain = {{mul(P(), L4{3}), Q()}, {negate(P()), mul(Q(), L4{3})}};
    EXPECT_TRUE(pairing_check(plain));
}

// The cyclotomic squaring agrees with squaring on the easy part's outputs (and only there: a Miller
// loop value itself is not in the subgroup).
TEST(Bls381Pairing, CyclotomicSquareOnTheCyclotomicSubgroup) {
    const Fp12 f = miller_loop(P(), mul(Q(), L4{3}));
    Fp12 g = f.conjugate() * f.inverse();
    g = g.frobenius().frobenius() * g;
    EXPECT_EQ(g.cyclotomic_square(), g.square());
    EXPECT_EQ(g.square().cyclotomic_square(), g.square().square());
    EXPECT_NE(f.cyclotomic_square(), f.square());
}

// The x-chain hard part is the cube of the reference on the easy part's outputs (the cyclotomic
// subgroup, where it relies on the inverse being the conjugate).
TEST(Bls381Pairing, FastHardPartIsTheCubeOfTheReference) {
    for (const Fp12& f : {miller_loop(P(), Q()), miller_loop(negate(P()), Q()) * miller_loop(P(), Q())}) {
        Fp12 g = f.conjugate() * f.inverse();
        g = g.frobenius().frobenius() * g;
        const Fp12 reference = final_exponentiation_hard(g);
        EXPECT_EQ(final_exponentiation_hard_cubed(g), reference.square() * reference);
        EXPECT_EQ(final_exponentiation(f), reference.square() * reference);
    }
}

}  // namespace
}  // namespace sluice::evm::bls381
