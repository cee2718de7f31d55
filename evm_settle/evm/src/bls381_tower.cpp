// BLS12-381 tower: the Fp2 inverse and square root, Fp6 and Fp12 multiplication, squaring and
// inversion, and the Frobenius maps with their coefficients.
#include "bls381_tower.hpp"

namespace sluice::evm::bls381 {
namespace {

// v / d for a small divisor d that divides v exactly (checked by the static_assert below).
constexpr Limbs limbs_div_small(const Limbs& v, std::uint64_t d) noexcept {
    Limbs q{};
    uint128_t rem = 0;
    for (std::size_t i = kLimbs; i-- > 0;) {
        const uint128_t cur = (rem << 64) | v[i];
        q[i] = static_cast<std::uint64_t>(cur / d);
        rem = cur % d;
    }
    return q;
}

constexpr std::uint64_t limbs_mod_small(const Limbs& v, std::uint64_t d) noexcept {
    uint128_t rem = 0;
    for (std::size_t i = kLimbs; i-- > 0;)
        rem = ((rem << 64) | v[i]) % d;
    return static_cast<std::uint64_t>(rem);
}

constexpr Limbs kModulusMinus1 = [] {
    Limbs v = kModulus;
    limbs_sub(v, Limbs{1, 0, 0, 0, 0, 0});
    return v;
}();
static_assert(limbs_mod_small(kModulusMinus1, 6) == 0, "p = 1 mod 6: xi^((p-1)/6) is defined");
constexpr Limbs kModulusMinus1Over6 = limbs_div_small(kModulusMinus1, 6);

}  // namespace

// (a + b u)^-1 = (a - b u) / (a^2 + b^2); the norm a^2 + b^2 is nonzero unless a = b = 0 (-1 is not a
// square mod p), and then Fp's inverse gives 0.
Fp2 Fp2::inverse() const noexcept {
    const Fp t = (c0.square() + c1.square()).inverse();
    return {c0 * t, -(c1 * t)};
}

// Through the norm: x = a + b u is a square in Fp2 iff N = a^2 + b^2 is a square in Fp. With n = sqrt(N),
// a root r + s u has r^2 = (a + n)/2 or (a - n)/2 (exactly one of the two is a square in Fp when b != 0,
// their product being -b^2/4), and s = b / (2r). When b = 0 the root is sqrt(a) or sqrt(-a) u. The result
// is checked by squaring. Not constant-time: EIP-2537 inputs are public.
std::optional<Fp2> Fp2::sqrt() const noexcept {
    if (c1.is_zero()) {
        if (const auto r = c0.sqrt()) return Fp2{*r, Fp::zero()};
        if (const auto s = (-c0).sqrt()) return Fp2{Fp::zero(), *s};
        return std::nullopt;
    }
    const auto n = (c0.square() + c1.square()).sqrt();
    if (!n) return std::nullopt;
    static const Fp half = (Fp::one() + Fp::one()).inverse();
    auto r = ((c0 + *n) * half).sqrt();
    if (!r) r = ((c0 - *n) * half).sqrt();
    if (!r) return std::nullopt;
    const Fp s = c1 * (*r + *r).inverse();
    const Fp2 root{*r, s};
    if (root.square() != *this) return std::nullopt;
    return root;
}

// Karatsuba over Fp2 with v^3 = xi: six Fp2 products.
Fp6 operator*(const Fp6& a, const Fp6& b) noexcept {
    const Fp2 t0 = a.c0 * b.c0;
    const Fp2 t1 = a.c1 * b.c1;
    const Fp2 t2 = a.c2 * b.c2;
    return {t0 + ((a.c1 + a.c2) * (b.c1 + b.c2) - t1 - t2).mul_by_nonresidue(),
            (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1 + t2.mul_by_nonresidue(),
            (a.c0 + a.c2) * (b.c0 + b.c2) - t0 - t2 + t1};
}

// (a0 + a1 v + a2 v^2)^2 from s0 = a0^2, s1 = 2 a0 a1, s2 = (a0 - a1 + a2)^2, s3 = 2 a1 a2, s4 = a2^2:
//   c0 = a0^2 + 2 a1 a2 xi = s0 + xi s3
//   c1 = 2 a0 a1 + a2^2 xi = s1 + xi s4
//   c2 = a1^2 + 2 a0 a2    = s1 + s2 + s3 - s0 - s4
Fp6 Fp6::square() const noexcept {
    const Fp2 s0 = c0.square();
    const Fp2 p01 = c0 * c1;
    const Fp2 s1 = p01 + p01;
    const Fp2 s2 = (c0 - c1 + c2).square();
    const Fp2 p12 = c1 * c2;
    const Fp2 s3 = p12 + p12;
    const Fp2 s4 = c2.square();
    return {s0 + s3.mul_by_nonresidue(), s1 + s4.mul_by_nonresidue(), s1 + s2 + s3 - s0 - s4};
}

// x^-1 = adj(x) / N(x) where adj(x) = t0 + t1 v + t2 v^2 is the adjugate of multiplication by x, and
// x * adj(x) = N(x) lies in Fp2.
Fp6 Fp6::inverse() const noexcept {
    const Fp2 t0 = c0.square() - (c1 * c2).mul_by_nonresidue();
    const Fp2 t1 = c2.square().mul_by_nonresidue() - c0 * c1;
    const Fp2 t2 = c1.square() - c0 * c2;
    const Fp2 norm = c0 * t0 + (c2 * t1 + c1 * t2).mul_by_nonresidue();
    return Fp6{t0, t1, t2} * norm.inverse();
}

// (c0 + c1 v + c2 v^2)^p = conj(c0) + conj(c1) gamma_2 v + conj(c2) gamma_4 v^2, as v = w^2.
Fp6 Fp6::frobenius() const noexcept {
    const auto& g = frobenius_gammas();
    return {c0.conjugate(), c1.conjugate() * g[2], c2.conjugate() * g[4]};
}

// Karatsuba over Fp6 with w^2 = v: three Fp6 products.
Fp12 operator*(const Fp12& a, const Fp12& b) noexcept {
    const Fp6 t0 = a.c0 * b.c0;
    const Fp6 t1 = a.c1 * b.c1;
    return {t0 + t1.mul_by_nonresidue(), (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1};
}

// (a + b w)^2 = (a^2 + b^2 v) + 2ab w, and a^2 + b^2 v = (a + b)(a + b v) - ab - ab v: two Fp6 products.
Fp12 Fp12::square() const noexcept {
    const Fp6 ab = c0 * c1;
    return {(c0 + c1) * (c0 + c1.mul_by_nonresidue()) - ab - ab.mul_by_nonresidue(), ab + ab};
}

// (a + b w)^-1 = (a - b w) / (a^2 - b^2 v).
Fp12 Fp12::inverse() const noexcept {
    const Fp6 t = (c0.square() - c1.square().mul_by_nonresidue()).inverse();
    return {c0 * t, -(c1 * t)};
}

// (sum_k x_k w^k)^p = sum_k conj(x_k) gamma_k w^k, where c0 holds the coefficients of w^0, w^2, w^4 and
// c1 those of w^1, w^3, w^5.
Fp12 Fp12::frobenius() const noexcept {
    const auto& g = frobenius_gammas();
    return {{c0.c0.conjugate(), c0.c1.conjugate() * g[2], c0.c2.conjugate() * g[4]},
            {c1.c0.conjugate() * g[1], c1.c1.conjugate() * g[3], c1.c2.conjugate() * g[5]}};
}

// Granger-Scott (PKC 2010): write Fp12 as Fp4[s]/(s^3 - t) with Fp4 = Fp2[t]/(t^2 - xi), s = w and
// t = w^3, so f = A + B s + C s^2 with A = x0 + x3 t, B = x1 + x4 t, C = x2 + x5 t (x_k the coefficient
// of w^k). On the cyclotomic subgroup, where the conjugate over Fp4 (t -> -t) is the p^2-power
// Frobenius, f^2 = (3 A^2 - 2 conj(A)) + (3 t C^2 + 2 conj(B)) s + (3 B^2 - 2 conj(C)) s^2: three Fp4
// squares, nine Fp2 squarings.
Fp12 Fp12::cyclotomic_square() const noexcept {
    // (a + b t)^2 = (a^2 + xi b^2) + ((a + b)^2 - a^2 - b^2) t.
    const auto fp4_square = [](const Fp2& a, const Fp2& b) {
        const Fp2 a2 = a.square();
        const Fp2 b2 = b.square();
        return std::array<Fp2, 2>{a2 + b2.mul_by_nonresidue(), (a + b).square() - a2 - b2};
    };
    const Fp2 &x0 = c0.c0, &x2 = c0.c1, &x4 = c0.c2, &x1 = c1.c0, &x3 = c1.c1, &x5 = c1.c2;
    const auto a = fp4_square(x0, x3);  // A^2
    const auto b = fp4_square(x1, x4);  // B^2
    const auto c = fp4_square(x2, x5);  // C^2
    const auto thrice_minus_twice = [](const Fp2& sq, const Fp2& x) { return sq + sq + sq - x - x; };
    const auto thrice_plus_twice = [](const Fp2& sq, const Fp2& x) { return sq + sq + sq + x + x; };
    return {{thrice_minus_twice(a[0], x0), thrice_minus_twice(b[0], x2), thrice_minus_twice(c[0], x4)},
            {thrice_plus_twice(c[1].mul_by_nonresidue(), x1), thrice_plus_twice(a[1], x3),
             thrice_plus_twice(b[1], x5)}};
}

const std::array<Fp2, 6>& frobenius_gammas() noexcept {
    static const std::array<Fp2, 6> gammas = [] {
        const Fp2 xi = Fp2::one().mul_by_nonresidue();  // 1 + u
        const Fp2 g1 = pow(xi, kModulusMinus1Over6);
        std::array<Fp2, 6> g{};
        g[0] = Fp2::one();
        for (std::size_t k = 1; k < 6; ++k)
            g[k] = g[k - 1] * g1;
        return g;
    }();
    return gammas;
}

}  // namespace sluice::evm::bls381
