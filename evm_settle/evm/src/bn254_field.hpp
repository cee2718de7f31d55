// The fields of the bn254 (alt_bn128) curve of EIP-196/197: Fp in Montgomery form on four 64-bit
// limbs, and the tower Fp2 = Fp[u]/(u^2+1), Fp6 = Fp2[v]/(v^3-xi) with xi = 9+u, Fp12 = Fp6[w]/(w^2-v).
// Fp arithmetic is inline (it is the hot path of everything above it).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "sluice/core/u256.hpp"

namespace sluice::evm::bn254 {

using Limbs = std::array<std::uint64_t, 4>;  // little-endian limbs

inline constexpr Limbs kModulus = {0x3c208c16d87cfd47, 0x97816a916871ca8d, 0xb85045b68181585d, 0x30644e72e131a029};
inline constexpr Limbs kGroupOrder = {0x43e1f593f0000001, 0x2833e84879b97091, 0xb85045b68181585d,
                                      0x30644e72e131a029};
inline constexpr std::uint64_t kMontInv = 0x87d20782e4866389;  // -p^-1 mod 2^64
inline constexpr Limbs kR2 = {0xf32cfc5b538afa89, 0xb5e71911d44501fb, 0x47ab1eff0a417ff6, 0x06d89f71cab8351f};
inline constexpr Limbs kMontOne = {0xd35d438dc58f0d9d, 0x0a78eb28f5c70b3d, 0x666ea36f7879462c, 0x0e0a77c19a07df2f};

constexpr bool limbs_less(const Limbs& a, const Limbs& b) noexcept {
    for (std::size_t i = 4; i-- > 0;) {
        if (a[i] != b[i]) return a[i] < b[i];
    }
    return false;
}

// a -= b, returns the borrow.
constexpr std::uint64_t limbs_sub(Limbs& a, const Limbs& b) noexcept {
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const uint128_t d = uint128_t{a[i]} - b[i] - borrow;
        a[i] = static_cast<std::uint64_t>(d);
        borrow = static_cast<std::uint64_t>(d >> 64) & 1;
    }
    return borrow;
}

// a += b, returns the carry.
constexpr std::uint64_t limbs_add(Limbs& a, const Limbs& b) noexcept {
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const uint128_t s = uint128_t{a[i]} + b[i] + carry;
        a[i] = static_cast<std::uint64_t>(s);
        carry = static_cast<std::uint64_t>(s >> 64);
    }
    return carry;
}

// An element of Fp, held as a*R mod p (R = 2^256), always fully reduced.
struct Fp {
    Limbs m{};

    static constexpr Fp zero() noexcept { return {}; }
    static constexpr Fp one() noexcept { return {kMontOne}; }
    constexpr bool is_zero() const noexcept { return (m[0] | m[1] | m[2] | m[3]) == 0; }
    friend constexpr bool operator==(const Fp&, const Fp&) = default;

    friend constexpr Fp operator+(Fp a, const Fp& b) noexcept {
        limbs_add(a.m, b.m);  // p < 2^254: no carry out
        if (!limbs_less(a.m, kModulus)) limbs_sub(a.m, kModulus);
        return a;
    }
    friend constexpr Fp operator-(Fp a, const Fp& b) noexcept {
        if (limbs_sub(a.m, b.m) != 0) limbs_add(a.m, kModulus);
        return a;
    }
    constexpr Fp operator-() const noexcept { return zero() - *this; }

    // Montgomery multiplication (CIOS).
    friend constexpr Fp operator*(const Fp& a, const Fp& b) noexcept {
        std::array<std::uint64_t, 6> t{};
#pragma GCC unroll 4
        for (std::size_t i = 0; i < 4; ++i) {
            std::uint64_t carry = 0;
#pragma GCC unroll 4
            for (std::size_t j = 0; j < 4; ++j) {
                const uint128_t s = uint128_t{a.m[j]} * b.m[i] + t[j] + carry;
                t[j] = static_cast<std::uint64_t>(s);
                carry = static_cast<std::uint64_t>(s >> 64);
            }
            uint128_t s = uint128_t{t[4]} + carry;
            t[4] = static_cast<std::uint64_t>(s);
            t[5] = static_cast<std::uint64_t>(s >> 64);
            const std::uint64_t k = t[0] * kMontInv;
            s = uint128_t{k} * kModulus[0] + t[0];
            carry = static_cast<std::uint64_t>(s >> 64);
#pragma GCC unroll 3
            for (std::size_t j = 1; j < 4; ++j) {
                s = uint128_t{k} * kModulus[j] + t[j] + carry;
                t[j - 1] = static_cast<std::uint64_t>(s);
                carry = static_cast<std::uint64_t>(s >> 64);
            }
            s = uint128_t{t[4]} + carry;
            t[3] = static_cast<std::uint64_t>(s);
            t[4] = t[5] + static_cast<std::uint64_t>(s >> 64);
        }
        Fp r{{t[0], t[1], t[2], t[3]}};
        if (t[4] != 0 || !limbs_less(r.m, kModulus)) limbs_sub(r.m, kModulus);
        return r;
    }

    Fp& operator+=(const Fp& b) noexcept { return *this = *this + b; }
    Fp& operator-=(const Fp& b) noexcept { return *this = *this - b; }
    Fp& operator*=(const Fp& b) noexcept { return *this = *this * b; }

    // From a canonical integer (< p); nullopt otherwise.
    static std::optional<Fp> from_limbs(const Limbs& v) noexcept;
    // From 32 big-endian bytes; nullopt if the value is not below p (EIP-196 rejects it).
    static std::optional<Fp> from_be(const std::uint8_t* bytes32) noexcept;
    void to_be(std::uint8_t* out32) const noexcept;
    Limbs to_limbs() const noexcept;
    Fp inverse() const noexcept;  // 0 for 0
};

struct Fp2 {
    Fp c0, c1;  // c0 + c1*u

    static constexpr Fp2 zero() noexcept { return {}; }
    static constexpr Fp2 one() noexcept { return {Fp::one(), Fp::zero()}; }
    constexpr bool is_zero() const noexcept { return c0.is_zero() && c1.is_zero(); }
    friend constexpr bool operator==(const Fp2&, const Fp2&) = default;

    friend constexpr Fp2 operator+(const Fp2& a, const Fp2& b) noexcept { return {a.c0 + b.c0, a.c1 + b.c1}; }
    friend constexpr Fp2 operator-(const Fp2& a, const Fp2& b) noexcept { return {a.c0 - b.c0, a.c1 - b.c1}; }
    constexpr Fp2 operator-() const noexcept { return {-c0, -c1}; }
    friend constexpr Fp2 operator*(const Fp2& a, const Fp2& b) noexcept {
        const Fp t0 = a.c0 * b.c0;
        const Fp t1 = a.c1 * b.c1;
        return {t0 - t1, (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1};
    }
    friend constexpr Fp2 operator*(const Fp2& a, const Fp& s) noexcept { return {a.c0 * s, a.c1 * s}; }
    Fp2& operator+=(const Fp2& b) noexcept { return *this = *this + b; }
    Fp2& operator-=(const Fp2& b) noexcept { return *this = *this - b; }
    Fp2& operator*=(const Fp2& b) noexcept { return *this = *this * b; }

    constexpr Fp2 square() const noexcept {
        const Fp t = c0 * c1;
        return {(c0 + c1) * (c0 - c1), t + t};
    }
    constexpr Fp2 conjugate() const noexcept { return {c0, -c1}; }
    // Multiplication by xi = 9 + u.
    constexpr Fp2 mul_by_xi() const noexcept {
        const Fp a2 = c0 + c0, a4 = a2 + a2, a8 = a4 + a4;
        const Fp b2 = c1 + c1, b4 = b2 + b2, b8 = b4 + b4;
        return {a8 + c0 - c1, c0 + b8 + c1};
    }
    Fp2 inverse() const noexcept;
};

struct Fp6 {
    Fp2 c0, c1, c2;  // c0 + c1*v + c2*v^2

    static constexpr Fp6 zero() noexcept { return {}; }
    static constexpr Fp6 one() noexcept { return {Fp2::one(), Fp2::zero(), Fp2::zero()}; }
    friend constexpr bool operator==(const Fp6&, const Fp6&) = default;
    friend Fp6 operator+(const Fp6& a, const Fp6& b) noexcept { return {a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2}; }
    friend Fp6 operator-(const Fp6& a, const Fp6& b) noexcept { return {a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2}; }
    Fp6 operator-() const noexcept { return {-c0, -c1, -c2}; }
    friend Fp6 operator*(const Fp6& a, const Fp6& b) noexcept;
    Fp6 mul_by_v() const noexcept { return {c2.mul_by_xi(), c0, c1}; }
    Fp6 inverse() const noexcept;
};

struct Fp12 {
    Fp6 c0, c1;  // c0 + c1*w

    static Fp12 one() noexcept { return {Fp6::one(), Fp6::zero()}; }
    friend bool operator==(const Fp12&, const Fp12&) = default;
    friend Fp12 operator*(const Fp12& a, const Fp12& b) noexcept;
    Fp12 square() const noexcept;
    Fp12 conjugate() const noexcept { return {c0, -c1}; }  // = x^(p^6)
    Fp12 inverse() const noexcept;
    Fp12 frobenius() const noexcept;  // x^p
};

// xi^(k(p-1)/6) for k = 0..5: w^(p-1) powers, used by the Frobenius maps of Fp12 and of the twist.
const std::array<Fp2, 6>& frobenius_gammas() noexcept;

}  // namespace sluice::evm::bn254
