// BLS12-381 G1 and G2 (EIP-2537): the generators lie on their curves and in the order-r subgroup;
// r*G is infinity and (r-1)*G is -G; scalar multiplication is linear on random scalars from a fixed
// seed; the exceptional cases of addition; the EIP-2537 encodings round-trip and every malformed input
// is rejected; and a point of G1's curve outside the subgroup fails the subgroup check.
#include "bls381_curve.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include "sluice/core/u256.hpp"

namespace sluice::evm::bls381 {
namespace {

constexpr std::uint64_t kSeed = 0x5eed'2026'0017'c0feULL;

// Test scalars below r, with core's u256 (tested against GMP).
using L4 = u256;
const L4 kR = u256::load_be(kGroupOrderBe.data());
L4 add_mod_r(const L4& a, const L4& b) {
    return addmod(a, b, kR);
}
L4 mul_mod_r(const L4& a, const L4& b) {
    return mulmod(a, b, kR);
}

class Rng {
  public:
    L4 scalar() {  // uniform-ish below r
        for (;;) {
            L4 v{gen_(), gen_(), gen_(), gen_() & ((1ULL << 63) - 1)};
            if (v < kR) return v;
        }
    }

  private:
    std::mt19937_64 gen_{kSeed};
};

template <class F>
Jacobian<F> mul(const Affine<F>& p, const L4& k) {
    const Hash s = k.to_be();
    return multiply(p, std::span<const std::uint8_t>(s.data(), s.size()));
}

template <class F>
void check_generator(const Affine<F>& g) {
    EXPECT_FALSE(g.infinity);
    EXPECT_TRUE(is_on_curve(g));
    EXPECT_TRUE(is_in_subgroup(g));
    EXPECT_TRUE(mul(g, kR).is_infinity());
    L4 r_minus_1 = kR;
    r_minus_1 = r_minus_1 - L4{1};
    EXPECT_EQ(mul(g, r_minus_1).to_affine(), negate(g));
    EXPECT_EQ(mul(g, L4{1}).to_affine(), g);
    EXPECT_TRUE(mul(g, L4{}).is_infinity());
    // The empty scalar is zero, and leading zero bytes do not matter.
    EXPECT_TRUE(multiply(g, std::span<const std::uint8_t>{}).is_infinity());
    const std::vector<std::uint8_t> long_two(100, 0);
    std::vector<std::uint8_t> two = long_two;
    two.back() = 2;
    EXPECT_EQ(multiply(g, std::span<const std::uint8_t>(two)).to_affine(),
              Jacobian<F>::from_affine(g).doubled().to_affine());
}

TEST(Bls381Curve, GeneratorsOnCurveAndInSubgroup) {
    check_generator(g1_generator());
    check_generator(g2_generator());
}

template <class F>
void check_linearity(const Affine<F>& g, Rng& rng, int rounds) {
    for (int i = 0; i < rounds; ++i) {
        const L4 a = rng.scalar();
        const L4 b = rng.scalar();
        const Jacobian<F> ag = mul(g, a);
        const Jacobian<F> bg = mul(g, b);
        EXPECT_TRUE(mul(g, add_mod_r(a, b)).equals(ag + bg));
        EXPECT_EQ(mul(g, add_mod_r(a, b)).to_affine(), (ag + bg).to_affine());
        EXPECT_EQ(mul(bg.to_affine(), a).to_affine(), mul(g, mul_mod_r(a, b)).to_affine());
        EXPECT_TRUE(is_on_curve(ag.to_affine()));
    }
}

TEST(Bls381Curve, ScalarMultiplicationIsLinear) {
    Rng rng;
    check_linearity(g1_generator(), rng, 4);
    check_linearity(g2_generator(), rng, 2);
}

template <class F>
void check_addition_cases(const Affine<F>& g, Rng& rng) {
    const Jacobian<F> p = mul(g, rng.scalar());
    const Jacobian<F> q = mul(g, rng.scalar());
    const Jacobian<F> inf;
    EXPECT_EQ((p + p).to_affine(), p.doubled().to_affine());
    // Doubling reached through the general formula with different Z for the same point.
    const Jacobian<F> p_other_z = Jacobian<F>::from_affine(p.to_affine());
    EXPECT_EQ((p + p_other_z).to_affine(), p.doubled().to_affine());
    EXPECT_TRUE((p + p.negated()).is_infinity());
    EXPECT_TRUE((p + p_other_z.negated()).is_infinity());
    EXPECT_EQ((p + inf).to_affine(), p.to_affine());
    EXPECT_EQ((inf + p).to_affine(), p.to_affine());
    EXPECT_TRUE((inf + inf).is_infinity());
    EXPECT_TRUE(inf.doubled().is_infinity());
    EXPECT_EQ((p + q).to_affine(), (q + p).to_affine());
    EXPECT_EQ(((p + q) + p).to_affine(), (p + (q + p)).to_affine());
    EXPECT_EQ(p.negated().to_affine(), negate(p.to_affine()));
    EXPECT_TRUE(p.equals(p_other_z));
    EXPECT_FALSE(p.equals(q));
    EXPECT_FALSE(p.equals(inf));
    EXPECT_TRUE(inf.equals(Jacobian<F>{}));
    EXPECT_EQ(negate(Affine<F>{}), Affine<F>{});
    EXPECT_TRUE(is_on_curve(Affine<F>{}));
    EXPECT_TRUE(is_in_subgroup(Affine<F>{}));
    // The mixed addition agrees with the full one, exceptional cases included (Z != 1 on the left).
    const Affine<F> pa = p.to_affine();
    const Affine<F> qa = q.to_affine();
    const Jacobian<F> q2 = q.doubled();
    EXPECT_EQ(q2.plus_affine(pa).to_affine(), (q2 + p).to_affine());
    EXPECT_EQ(p.plus_affine(pa).to_affine(), p.doubled().to_affine());
    EXPECT_TRUE(p.plus_affine(negate(pa)).is_infinity());
    EXPECT_EQ(inf.plus_affine(qa).to_affine(), qa);
    EXPECT_EQ(p.plus_affine(Affine<F>{}).to_affine(), pa);
}

TEST(Bls381Curve, AdditionExceptionalCases) {
    Rng rng;
    check_addition_cases(g1_generator(), rng);
    check_addition_cases(g2_generator(), rng);
}

std::array<std::uint8_t, 48> modulus_be() {
    std::array<std::uint8_t, 48> p{};
    for (std::size_t i = 0; i < 48; ++i)
        p[i] = static_cast<std::uint8_t>(kModulus[kLimbs - 1 - i / 8] >> (8 * (7 - i % 8)));
    return p;
}

TEST(Bls381Curve, G1EncodingRoundTripAndRejections) {
    Rng rng;
    const G1 p = mul(g1_generator(), rng.scalar()).to_affine();
    const auto enc = encode_g1(p);
    for (std::size_t i = 0; i < 16; ++i) {
        EXPECT_EQ(enc[i], 0);
        EXPECT_EQ(enc[64 + i], 0);
    }
    EXPECT_EQ(decode_g1(enc), p);
    EXPECT_EQ(decode_g1(enc, true), p);
    EXPECT_EQ(decode_g1(encode_g1(g1_generator())), g1_generator());

    const std::array<std::uint8_t, 128> zeros{};
    EXPECT_EQ(encode_g1(G1{}), zeros);
    ASSERT_TRUE(decode_g1(zeros));
    EXPECT_TRUE(decode_g1(zeros)->infinity);
    EXPECT_TRUE(decode_g1(zeros, true)->infinity);

    // Wrong length.
    const std::vector<std::uint8_t> v(enc.begin(), enc.end());
    EXPECT_FALSE(decode_g1(std::span(v).first(127)));
    std::vector<std::uint8_t> longer = v;
    longer.push_back(0);
    EXPECT_FALSE(decode_g1(longer));
    EXPECT_FALSE(decode_g1(std::span<const std::uint8_t>{}));
    // Non-zero padding, in each coordinate and at each end of the padding.
    for (const std::size_t at : {0, 15, 64, 79}) {
        auto bad = enc;
        bad[at] = 1;
        EXPECT_FALSE(decode_g1(bad)) << at;
    }
    // Coordinate >= p: p itself and 2^384 - 1.
    const auto pbe = modulus_be();
    for (const std::size_t coord : {0, 1}) {
        auto bad = enc;
        std::copy(pbe.begin(), pbe.end(), bad.begin() + 64 * coord + 16);
        EXPECT_FALSE(decode_g1(bad)) << coord;
        std::fill(bad.begin() + 64 * coord + 16, bad.begin() + 64 * coord + 64, std::uint8_t{0xff});
        EXPECT_FALSE(decode_g1(bad)) << coord;
    }
    // Off the curve: y + 1.
    auto off = encode_g1({p.x, p.y + Fp::one(), false});
    EXPECT_FALSE(decode_g1(off));
    // (0, 0) is infinity, but (0, y) for y != 0 is not on the curve unless y^2 = 4.
    const auto bad_zero_x = encode_g1({Fp::zero(), Fp::one(), false});
    EXPECT_FALSE(decode_g1(bad_zero_x));
}

TEST(Bls381Curve, G2EncodingRoundTripAndRejections) {
    Rng rng;
    const G2 p = mul(g2_generator(), rng.scalar()).to_affine();
    const auto enc = encode_g2(p);
    EXPECT_EQ(decode_g2(enc), p);
    EXPECT_EQ(decode_g2(enc, true), p);
    // Order c0 then c1: x.c0 occupies bytes 16..63.
    EXPECT_TRUE(std::equal(enc.begin() + 16, enc.begin() + 64, p.x.c0.to_bytes().begin()));
    EXPECT_TRUE(std::equal(enc.begin() + 80, enc.begin() + 128, p.x.c1.to_bytes().begin()));
    EXPECT_TRUE(std::equal(enc.begin() + 144, enc.begin() + 192, p.y.c0.to_bytes().begin()));
    EXPECT_TRUE(std::equal(enc.begin() + 208, enc.begin() + 256, p.y.c1.to_bytes().begin()));

    const std::array<std::uint8_t, 256> zeros{};
    EXPECT_EQ(encode_g2(G2{}), zeros);
    ASSERT_TRUE(decode_g2(zeros));
    EXPECT_TRUE(decode_g2(zeros)->infinity);

    const std::vector<std::uint8_t> v(enc.begin(), enc.end());
    EXPECT_FALSE(decode_g2(std::span(v).first(255)));
    EXPECT_FALSE(decode_g2(std::span(v).first(128)));
    std::vector<std::uint8_t> longer = v;
    longer.push_back(0);
    EXPECT_FALSE(decode_g2(longer));
    for (const std::size_t coord : {0, 1, 2, 3}) {
        auto bad = enc;
        bad[64 * coord] = 1;
        EXPECT_FALSE(decode_g2(bad)) << coord;
        bad = enc;
        bad[64 * coord + 15] = 0x80;
        EXPECT_FALSE(decode_g2(bad)) << coord;
    }
    const auto pbe = modulus_be();
    for (const std::size_t coord : {0, 1, 2, 3}) {
        auto bad = enc;
        std::copy(pbe.begin(), pbe.end(), bad.begin() + 64 * coord + 16);
        EXPECT_FALSE(decode_g2(bad)) << coord;
    }
    // Off the curve, and swapping c0/c1 of x (the other ordering) lands off the curve too.
    EXPECT_FALSE(decode_g2(encode_g2({p.x, p.y + Fp2::one(), false})));
    EXPECT_FALSE(decode_g2(encode_g2({{p.x.c1, p.x.c0}, p.y, false})));
}

// Points of E(Fp) outside G1: the cofactor of G1 is > 1, so trying x = 0, 1, 2, ... until x^3 + 4 is a
// square gives points on the curve that are not of order r.
std::optional<G1> g1_point_from_x(std::uint64_t start) {
    const Fp b = *Fp::from_limbs({4, 0, 0, 0, 0, 0});
    for (std::uint64_t k = start; k < start + 100; ++k) {
        const Fp x = *Fp::from_limbs({k, 0, 0, 0, 0, 0});
        if (const auto y = (x.square() * x + b).sqrt()) return G1{x, *y, false};
    }
    return std::nullopt;
}

TEST(Bls381Curve, G1PointOutsideSubgroup) {
    // x = 0 already works: (0, +-2) is a flex of y^2 = x^3 + 4, a point of order 3 (3 divides h1).
    const auto first = g1_point_from_x(0);
    ASSERT_TRUE(first);
    const G1 t = *first;
    EXPECT_TRUE(t.x.is_zero());
    EXPECT_TRUE(is_on_curve(t));
    EXPECT_FALSE(is_in_subgroup(t));
    const std::array<std::uint8_t, 1> three = {3};
    EXPECT_TRUE(multiply(t, std::span<const std::uint8_t>(three)).is_infinity());
    const auto enc_t = encode_g1(t);
    EXPECT_EQ(decode_g1(enc_t), t);        // G1ADD accepts it
    EXPECT_FALSE(decode_g1(enc_t, true));  // MSM and pairing inputs do not

    // The next one, x >= 1, is a point of large order outside G1.
    const auto next = g1_point_from_x(1);
    ASSERT_TRUE(next);
    const G1 q = *next;
    EXPECT_TRUE(is_on_curve(q));
    EXPECT_FALSE(is_in_subgroup(q));
    const auto enc = encode_g1(q);
    EXPECT_EQ(decode_g1(enc), q);
    EXPECT_FALSE(decode_g1(enc, true));
    // Clearing the cofactor h1 = (z - 1)^2 / 3 = 0x396c8c005555e1568c00aaab0000aaab (z the curve
    // parameter -0xd201000000010000; #E(Fp) = h1 * r) lands in G1.
    const std::array<std::uint8_t, 16> h1 = {0x39, 0x6c, 0x8c, 0x00, 0x55, 0x55, 0xe1, 0x56,
                                             0x8c, 0x00, 0xaa, 0xab, 0x00, 0x00, 0xaa, 0xab};
    const G1 cleared = multiply(q, std::span<const std::uint8_t>(h1)).to_affine();
    EXPECT_FALSE(cleared.infinity);
    EXPECT_TRUE(is_on_curve(cleared));
    EXPECT_TRUE(is_in_subgroup(cleared));
    EXPECT_EQ(decode_g1(encode_g1(cleared), true), cleared);
    // Its sum with the generator is on the curve and still outside the subgroup.
    const G1 s = (Jacobian<Fp>::from_affine(q) + Jacobian<Fp>::from_affine(g1_generator())).to_affine();
    EXPECT_TRUE(is_on_curve(s));
    EXPECT_FALSE(is_in_subgroup(s));
}

// A point of E'(Fp2) outside G2, found the same way over x = k in Fp.
TEST(Bls381Curve, G2PointOutsideSubgroup) {
    std::optional<G2> found;
    for (std::uint64_t k = 0; k < 100 && !found; ++k) {
        const Fp2 x{*Fp::from_limbs({k, 0, 0, 0, 0, 0}), Fp::zero()};
        const Fp four = *Fp::from_limbs({4, 0, 0, 0, 0, 0});
        if (const auto y = (x.square() * x + Fp2{four, four}).sqrt()) found = G2{x, *y, false};
    }
    ASSERT_TRUE(found);
    EXPECT_TRUE(is_on_curve(*found));
    EXPECT_FALSE(is_in_subgroup(*found));
    const auto enc = encode_g2(*found);
    EXPECT_EQ(decode_g2(enc), *found);
    EXPECT_FALSE(decode_g2(enc, true));
}

}  // namespace
}  // namespace sluice::evm::bls381
