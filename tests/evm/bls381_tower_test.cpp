// BLS12-381 extension tower (EIP-2537): Fp2 = Fp[u]/(u^2+1), Fp6 = Fp2[v]/(v^3-(u+1)), Fp12 =
// Fp6[w]/(w^2-v). On random elements from a fixed seed: the ring axioms, inverses, squaring against
// multiplication, the defining relations as elements, multiplication by the non-residues against
// multiplication by the element, conjugation, the Frobenius maps against x^p by square-and-multiply,
// and the Fp2 square root.
#include "bls381_tower.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace sluice::evm::bls381 {
namespace {

constexpr std::uint64_t kSeed = 0x5eed'2026'0017'0b12ULL;

class Rng {
  public:
    Fp fp() {
        for (;;) {
            Limbs v{};
            for (auto& limb : v)
                limb = gen_();
            v[kLimbs - 1] &= (1ULL << 61) - 1;  // below 2^381, then rejection below p
            if (const auto x = Fp::from_limbs(v)) return *x;
        }
    }
    Fp2 fp2() { return {fp(), fp()}; }
    Fp6 fp6() { return {fp2(), fp2(), fp2()}; }
    Fp12 fp12() { return {fp6(), fp6()}; }

  private:
    std::mt19937_64 gen_{kSeed};
};

Fp small(std::uint64_t k) {
    return *Fp::from_limbs({k, 0, 0, 0, 0, 0});
}

const Fp2 kU{Fp::zero(), Fp::one()};
const Fp2 kXi{Fp::one(), Fp::one()};
const Fp6 kV{Fp2::zero(), Fp2::one(), Fp2::zero()};
const Fp12 kW{Fp6::zero(), Fp6::one()};

// Embeddings of the lower fields, to state relations across levels.
Fp6 lift(const Fp2& x) {
    return {x, Fp2::zero(), Fp2::zero()};
}
Fp12 lift(const Fp6& x) {
    return {x, Fp6::zero()};
}

template <class F>
void check_field_axioms(const F& a, const F& b, const F& c) {
    EXPECT_EQ(a + b, b + a);
    EXPECT_EQ(a * b, b * a);
    EXPECT_EQ((a + b) + c, a + (b + c));
    EXPECT_EQ((a * b) * c, a * (b * c));
    EXPECT_EQ(a * (b + c), a * b + a * c);
    EXPECT_EQ((a - b) + b, a);
    EXPECT_EQ(a + (-a), F::zero());
    EXPECT_EQ(a - b, a + (-b));
    EXPECT_EQ(a + F::zero(), a);
    EXPECT_EQ(a * F::one(), a);
    EXPECT_EQ(a * F::zero(), F::zero());
    EXPECT_EQ(a.square(), a * a);
    EXPECT_EQ((a + b).square(), a.square() + (a * b + a * b) + b.square());
    if (!a.is_zero()) {
        EXPECT_EQ(a * a.inverse(), F::one());
        EXPECT_EQ(a.inverse().inverse(), a);
        EXPECT_EQ((a * b).inverse(), a.inverse() * b.inverse());
    }
    EXPECT_EQ(F::zero().inverse(), F::zero());
    EXPECT_EQ(F::one().inverse(), F::one());
}

constexpr int kRounds = 200;

TEST(Bls381Tower, Fp2Axioms) {
    Rng rng;
    for (int i = 0; i < kRounds; ++i)
        check_field_axioms(rng.fp2(), rng.fp2(), rng.fp2());
    // Elements with one zero coordinate, where shortcuts would go wrong first.
    check_field_axioms(Fp2{rng.fp(), Fp::zero()}, Fp2{Fp::zero(), rng.fp()}, rng.fp2());
    check_field_axioms(kU, kXi, Fp2{-Fp::one(), -Fp::one()});
}

TEST(Bls381Tower, Fp6Axioms) {
    Rng rng;
    for (int i = 0; i < kRounds; ++i)
        check_field_axioms(rng.fp6(), rng.fp6(), rng.fp6());
    check_field_axioms(kV, lift(rng.fp2()), Fp6{Fp2::zero(), Fp2::zero(), rng.fp2()});
}

TEST(Bls381Tower, Fp12Axioms) {
    Rng rng;
    for (int i = 0; i < kRounds / 2; ++i)
        check_field_axioms(rng.fp12(), rng.fp12(), rng.fp12());
    check_field_axioms(kW, lift(rng.fp6()), Fp12{Fp6::zero(), rng.fp6()});
}

TEST(Bls381Tower, DefiningRelations) {
    EXPECT_EQ(kU * kU, -Fp2::one());  // u^2 = -1
    EXPECT_EQ(kU.square(), -Fp2::one());
    EXPECT_EQ(kV * kV * kV, lift(kXi));  // v^3 = u + 1
    EXPECT_EQ(kV.square() * kV, lift(kXi));
    EXPECT_EQ(kW * kW, lift(kV));  // w^2 = v
    EXPECT_EQ(kW.square(), lift(kV));
    EXPECT_EQ(pow(kW, {6, 0, 0, 0, 0, 0}), lift(lift(kXi)));  // w^6 = xi
    // Nothing smaller: u, v, w are not in the field below.
    EXPECT_NE(kU.c1, Fp::zero());
    EXPECT_NE(kV * kV, lift(kV.square().c0));
    // Scalars embed as ring homomorphisms.
    Rng rng;
    for (int i = 0; i < 20; ++i) {
        const Fp a = rng.fp(), b = rng.fp();
        EXPECT_EQ((Fp2{a, Fp::zero()} * Fp2{b, Fp::zero()}), (Fp2{a * b, Fp::zero()}));
        const Fp2 x = rng.fp2(), y = rng.fp2();
        EXPECT_EQ(lift(x) * lift(y), lift(x * y));
        EXPECT_EQ(lift(x).inverse(), lift(x.inverse()));
        const Fp6 s = rng.fp6(), t = rng.fp6();
        EXPECT_EQ(lift(s) * lift(t), lift(s * t));
        EXPECT_EQ(lift(s).square(), lift(s.square()));
        EXPECT_EQ((Fp6{x, Fp2::zero(), Fp2::zero()} * s), s * x);
    }
}

TEST(Bls381Tower, MulByNonResidue) {
    Rng rng;
    for (int i = 0; i < kRounds; ++i) {
        const Fp2 x = rng.fp2();
        EXPECT_EQ(x.mul_by_nonresidue(), x * kXi);
        const Fp6 y = rng.fp6();
        EXPECT_EQ(y.mul_by_nonresidue(), y * kV);
        EXPECT_EQ(lift(y) * kW * kW, lift(y.mul_by_nonresidue()));
    }
}

TEST(Bls381Tower, Conjugate) {
    Rng rng;
    for (int i = 0; i < kRounds; ++i) {
        const Fp2 a = rng.fp2(), b = rng.fp2();
        EXPECT_EQ(a.conjugate().conjugate(), a);
        EXPECT_EQ((a * b).conjugate(), a.conjugate() * b.conjugate());
        EXPECT_EQ((a + b).conjugate(), a.conjugate() + b.conjugate());
        const Fp2 norm = a * a.conjugate();  // a0^2 + a1^2, in Fp
        EXPECT_TRUE(norm.c1.is_zero());
        EXPECT_EQ(norm.c0, a.c0.square() + a.c1.square());
        EXPECT_TRUE((a + a.conjugate()).c1.is_zero());

        const Fp12 x = rng.fp12(), y = rng.fp12();
        EXPECT_EQ(x.conjugate().conjugate(), x);
        EXPECT_EQ((x * y).conjugate(), x.conjugate() * y.conjugate());
        EXPECT_EQ((x + y).conjugate(), x.conjugate() + y.conjugate());
        EXPECT_TRUE((x * x.conjugate()).c1.is_zero());  // the norm to Fp6
        if (!x.is_zero()) {
            EXPECT_EQ(x.inverse(), x.conjugate() * lift((x * x.conjugate()).c0.inverse()));
        }
    }
    EXPECT_EQ(kU.conjugate(), -kU);
    EXPECT_EQ(kW.conjugate(), -kW);
}

TEST(Bls381Tower, Fp2FrobeniusIsPowP) {
    Rng rng;
    for (int i = 0; i < 50; ++i) {
        const Fp2 x = rng.fp2();
        EXPECT_EQ(x.frobenius(), pow(x, kModulus));
        EXPECT_EQ(x.frobenius().frobenius(), x);
    }
}

TEST(Bls381Tower, FrobeniusGammas) {
    const auto& g = frobenius_gammas();
    EXPECT_EQ(g[0], Fp2::one());
    // gamma_1 is w^(p-1): w^p = gamma_1 w, and gamma_1^6 = xi^(p-1) = conj(xi) / xi.
    EXPECT_EQ(pow(kW, kModulus), lift(lift(g[1])) * kW);
    EXPECT_EQ(pow(g[1], {6, 0, 0, 0, 0, 0}), kXi.conjugate() * kXi.inverse());
    for (std::size_t k = 1; k < 6; ++k)
        EXPECT_EQ(g[k], g[k - 1] * g[1]);
    // gamma_3 = xi^((p-1)/2) and gamma_2 = xi^((p-1)/3): xi is neither a square nor a cube in Fp2,
    // which is what makes w^6 - xi irreducible.
    EXPECT_NE(g[3], Fp2::one());
    EXPECT_NE(g[2], Fp2::one());
}

TEST(Bls381Tower, Fp6FrobeniusIsPowP) {
    Rng rng;
    for (int i = 0; i < 10; ++i) {
        const Fp6 x = rng.fp6();
        EXPECT_EQ(x.frobenius(), pow(x, kModulus));
        Fp6 y = x;
        for (int k = 0; k < 6; ++k)
            y = y.frobenius();
        EXPECT_EQ(y, x);  // [Fp6 : Fp] = 6
    }
    EXPECT_EQ(kV.frobenius(), pow(kV, kModulus));
}

TEST(Bls381Tower, Fp12FrobeniusIsPowP) {
    Rng rng;
    for (int i = 0; i < 5; ++i) {
        const Fp12 x = rng.fp12();
        const Fp12 fx = x.frobenius();
        EXPECT_EQ(fx, pow(x, kModulus));
        Fp12 y = x;
        for (int k = 0; k < 6; ++k)
            y = y.frobenius();
        EXPECT_EQ(y, x.conjugate());  // x^(p^6) is the conjugate over Fp6
        for (int k = 0; k < 6; ++k)
            y = y.frobenius();
        EXPECT_EQ(y, x);  // [Fp12 : Fp] = 12
    }
    for (int i = 0; i < 20; ++i) {
        const Fp12 a = rng.fp12(), b = rng.fp12();
        EXPECT_EQ((a * b).frobenius(), a.frobenius() * b.frobenius());
        EXPECT_EQ((a + b).frobenius(), a.frobenius() + b.frobenius());
    }
    EXPECT_EQ(kW.frobenius(), pow(kW, kModulus));
}

TEST(Bls381Tower, Fp2Sqrt) {
    Rng rng;
    int non_squares = 0;
    const int n = 400;
    for (int i = 0; i < n; ++i) {
        const Fp2 x = rng.fp2();
        const auto r = x.sqrt();
        if (r) {
            EXPECT_EQ(r->square(), x);
        } else {
            ++non_squares;
            // A non-square times a nonzero square is a non-square; its square is a square.
            EXPECT_FALSE((x * rng.fp2().square()).sqrt().has_value());
        }
        const auto s = x.square().sqrt();
        ASSERT_TRUE(s.has_value());
        EXPECT_TRUE(*s == x || *s == -x);
        // Elements of Fp: every one is a square in Fp2, as sqrt(a) or sqrt(-a) u.
        const Fp a = rng.fp();
        const auto t = Fp2{a, Fp::zero()}.sqrt();
        ASSERT_TRUE(t.has_value());
        EXPECT_EQ(t->square(), (Fp2{a, Fp::zero()}));
        // Pure imaginary elements.
        const Fp2 b{Fp::zero(), rng.fp()};
        if (const auto q = b.sqrt()) {
            EXPECT_EQ(q->square(), b);
        }
    }
    // Half the nonzero elements are squares.
    EXPECT_GT(non_squares, n * 2 / 5);
    EXPECT_LT(non_squares, n * 3 / 5);
    EXPECT_EQ(Fp2::zero().sqrt(), Fp2::zero());
    EXPECT_EQ(Fp2::one().sqrt()->square(), Fp2::one());
    EXPECT_EQ((-Fp2::one()).sqrt()->square(), -Fp2::one());  // u or -u
    EXPECT_FALSE(kXi.sqrt().has_value());                    // the tower's non-residue
    const Fp2 two{small(2), Fp::zero()};
    ASSERT_TRUE(two.sqrt().has_value());
    EXPECT_EQ(two.sqrt()->square(), two);
}

}  // namespace
}  // namespace sluice::evm::bls381
