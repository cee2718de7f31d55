// The extension tower of BLS12-381 (EIP-2537) over the base field Fp of bls381_field.hpp:
//   Fp2  = Fp[u]  / (u^2 + 1)
//   Fp6  = Fp2[v] / (v^3 - xi),  xi = u + 1
//   Fp12 = Fp6[w] / (w^2 - v)
// so that w^6 = xi. Fp2 arithmetic is inline (it sits under the curve arithmetic of G2); Fp6 and Fp12
// multiplication, the inverses, the Fp2 square root and the Frobenius maps live in bls381_tower.cpp.
#pragma once

#include <array>
#include <optional>

#include "bls381_field.hpp"

namespace sluice::evm::bls381 {

struct Fp2 {
    Fp c0, c1;  // c0 + c1*u

    static constexpr Fp2 zero() noexcept { return {}; }
    static constexpr Fp2 one() noexcept { return {Fp::one(), Fp::zero()}; }
    constexpr bool is_zero() const noexcept { return c0.is_zero() && c1.is_zero(); }
    friend constexpr bool operator==(const Fp2&, const Fp2&) = default;

    friend constexpr Fp2 operator+(const Fp2& a, const Fp2& b) noexcept { return {a.c0 + b.c0, a.c1 + b.c1}; }
    friend constexpr Fp2 operator-(const Fp2& a, const Fp2& b) noexcept { return {a.c0 - b.c0, a.c1 - b.c1}; }
    constexpr Fp2 operator-() const noexcept { return {-c0, -c1}; }
    // (a0 + a1 u)(b0 + b1 u) = a0 b0 - a1 b1 + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) u: three Fp products.
    friend constexpr Fp2 operator*(const Fp2& a, const Fp2& b) noexcept {
        const Fp t0 = a.c0 * b.c0;
        const Fp t1 = a.c1 * b.c1;
        return {t0 - t1, (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1};
    }
    friend constexpr Fp2 operator*(const Fp2& a, const Fp& s) noexcept { return {a.c0 * s, a.c1 * s}; }
    Fp2& operator+=(const Fp2& b) noexcept { return *this = *this + b; }
    Fp2& operator-=(const Fp2& b) noexcept { return *this = *this - b; }
    Fp2& operator*=(const Fp2& b) noexcept { return *this = *this * b; }

    // (a + b u)^2 = (a + b)(a - b) + 2ab u.
    constexpr Fp2 square() const noexcept {
        const Fp t = c0 * c1;
        return {(c0 + c1) * (c0 - c1), t + t};
    }
    constexpr Fp2 conjugate() const noexcept { return {c0, -c1}; }
    // x^p: u^p = u * (u^2)^((p-1)/2) = u * (-1)^odd = -u, since p = 3 mod 4.
    constexpr Fp2 frobenius() const noexcept { return conjugate(); }
    // Multiplication by xi = u + 1: (a + b u)(1 + u) = (a - b) + (a + b) u.
    constexpr Fp2 mul_by_nonresidue() const noexcept { return {c0 - c1, c0 + c1}; }

    Fp2 inverse() const noexcept;  // 0 for 0
    // A square root; nullopt if x is not a square in Fp2.
    std::optional<Fp2> sqrt() const noexcept;
};

struct Fp6 {
    Fp2 c0, c1, c2;  // c0 + c1*v + c2*v^2

    static constexpr Fp6 zero() noexcept { return {}; }
    static constexpr Fp6 one() noexcept { return {Fp2::one(), Fp2::zero(), Fp2::zero()}; }
    constexpr bool is_zero() const noexcept { return c0.is_zero() && c1.is_zero() && c2.is_zero(); }
    friend constexpr bool operator==(const Fp6&, const Fp6&) = default;

    friend constexpr Fp6 operator+(const Fp6& a, const Fp6& b) noexcept {
        return {a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2};
    }
    friend constexpr Fp6 operator-(const Fp6& a, const Fp6& b) noexcept {
        return {a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2};
    }
    constexpr Fp6 operator-() const noexcept { return {-c0, -c1, -c2}; }
    friend Fp6 operator*(const Fp6& a, const Fp6& b) noexcept;
    friend constexpr Fp6 operator*(const Fp6& a, const Fp2& s) noexcept {
        return {a.c0 * s, a.c1 * s, a.c2 * s};
    }
    Fp6& operator+=(const Fp6& b) noexcept { return *this = *this + b; }
    Fp6& operator-=(const Fp6& b) noexcept { return *this = *this - b; }
    Fp6& operator*=(const Fp6& b) noexcept { return *this = *this * b; }

    Fp6 square() const noexcept;
    // Multiplication by v: (c0 + c1 v + c2 v^2) v = xi c2 + c0 v + c1 v^2.
    constexpr Fp6 mul_by_nonresidue() const noexcept { return {c2.mul_by_nonresidue(), c0, c1}; }
    Fp6 inverse() const noexcept;    // 0 for 0
    Fp6 frobenius() const noexcept;  // x^p
};

struct Fp12 {
    Fp6 c0, c1;  // c0 + c1*w

    static constexpr Fp12 zero() noexcept { return {}; }
    static constexpr Fp12 one() noexcept { return {Fp6::one(), Fp6::zero()}; }
    constexpr bool is_zero() const noexcept { return c0.is_zero() && c1.is_zero(); }
    friend constexpr bool operator==(const Fp12&, const Fp12&) = default;

    friend constexpr Fp12 operator+(const Fp12& a, const Fp12& b) noexcept {
        return {a.c0 + b.c0, a.c1 + b.c1};
    }
    friend constexpr Fp12 operator-(const Fp12& a, const Fp12& b) noexcept {
        return {a.c0 - b.c0, a.c1 - b.c1};
    }
    constexpr Fp12 operator-() const noexcept { return {-c0, -c1}; }
    friend Fp12 operator*(const Fp12& a, const Fp12& b) noexcept;
    Fp12& operator+=(const Fp12& b) noexcept { return *this = *this + b; }
    Fp12& operator-=(const Fp12& b) noexcept { return *this = *this - b; }
    Fp12& operator*=(const Fp12& b) noexcept { return *this = *this * b; }

    Fp12 square() const noexcept;
    // x^(p^6): w^(p^6) = -w, the automorphism of Fp12 over Fp6.
    constexpr Fp12 conjugate() const noexcept { return {c0, -c1}; }
    Fp12 inverse() const noexcept;    // 0 for 0
    Fp12 frobenius() const noexcept;  // x^p
    // The square of an element of the cyclotomic subgroup (norm 1 down to Fp4, as every output of the
    // final exponentiation's easy part is), at half the cost of square(); wrong for other elements.
    Fp12 cyclotomic_square() const noexcept;
};

// gamma_k = xi^(k(p-1)/6) = w^(k(p-1)) for k = 0..5, so that (w^k)^p = gamma_k w^k. Computed once, on
// first use; the Frobenius maps of Fp6 (gamma_2, gamma_4) and Fp12 use them, and so will the twist.
const std::array<Fp2, 6>& frobenius_gammas() noexcept;

// x^e by square-and-multiply over the 384 bits of e, for any field of the tower (and Fp2 in the tests).
template <class F>
F pow(const F& x, const Limbs& e) noexcept {
    F r = F::one();
    for (std::size_t i = 64 * kLimbs; i-- > 0;) {
        r = r.square();
        if (((e[i / 64] >> (i % 64)) & 1) != 0) r = r * x;
    }
    return r;
}

}  // namespace sluice::evm::bls381
