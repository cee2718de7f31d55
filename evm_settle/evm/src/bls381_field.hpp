// The base field Fp of BLS12-381 (EIP-2537): p is 381 bits, held in Montgomery form on six 64-bit
// limbs. The first building block of the BLS12-381 precompiles; the tower and the curves come later.
// Fp arithmetic is inline, as bn254's is (it is the hot path of everything above it).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "sluice/core/u256.hpp"

namespace sluice::evm::bls381 {

inline constexpr std::size_t kLimbs = 6;
inline constexpr std::size_t kFieldBytes = 48;  // EIP-2537 encodes an Fp element as 64 bytes: 16 zero + 48

using Limbs = std::array<std::uint64_t, kLimbs>;  // little-endian limbs

// p = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab
inline constexpr Limbs kModulus = {0xb9feffffffffaaab, 0x1eabfffeb153ffff, 0x6730d2a0f6b0f624,
                                   0x64774b84f38512bf, 0x4b1ba7b6434bacd7, 0x1a0111ea397fe69a};
inline constexpr std::uint64_t kMontInv = 0x89f3fffcfffcfffd;  // -p^-1 mod 2^64
// R^2 mod p and R mod p, R = 2^384.
inline constexpr Limbs kR2 = {0xf4df1f341c341746, 0x0a76e6a609d104f1, 0x8de5476c4c95b6d5,
                              0x67eb88a9939d83c0, 0x9a793e85b519952d, 0x11988fe592cae3aa};
inline constexpr Limbs kMontOne = {0x760900000002fffd, 0xebf4000bc40c0002, 0x5f48985753c758ba,
                                   0x77ce585370525745, 0x5c071a97a256ec6d, 0x15f65ec3fa80e493};

constexpr bool limbs_less(const Limbs& a, const Limbs& b) noexcept {
    for (std::size_t i = kLimbs; i-- > 0;) {
        if (a[i] != b[i]) return a[i] < b[i];
    }
    return false;
}

// a -= b, returns the borrow.
constexpr std::uint64_t limbs_sub(Limbs& a, const Limbs& b) noexcept {
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < kLimbs; ++i) {
        const uint128_t d = uint128_t{a[i]} - b[i] - borrow;
        a[i] = static_cast<std::uint64_t>(d);
        borrow = static_cast<std::uint64_t>(d >> 64) & 1;
    }
    return borrow;
}

// a += b, returns the carry.
constexpr std::uint64_t limbs_add(Limbs& a, const Limbs& b) noexcept {
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < kLimbs; ++i) {
        const uint128_t s = uint128_t{a[i]} + b[i] + carry;
        a[i] = static_cast<std::uint64_t>(s);
        carry = static_cast<std::uint64_t>(s >> 64);
    }
    return carry;
}

// An element of Fp, held as a*R mod p (R = 2^384), always fully reduced.
struct Fp {
    Limbs m{};

    static constexpr Fp zero() noexcept { return {}; }
    static constexpr Fp one() noexcept { return {kMontOne}; }
    constexpr bool is_zero() const noexcept { return (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) == 0; }
    friend constexpr bool operator==(const Fp&, const Fp&) = default;

    friend constexpr Fp operator+(Fp a, const Fp& b) noexcept {
        limbs_add(a.m, b.m);  // p < 2^381: no carry out
        if (!limbs_less(a.m, kModulus)) limbs_sub(a.m, kModulus);
        return a;
    }
    friend constexpr Fp operator-(Fp a, const Fp& b) noexcept {
        if (limbs_sub(a.m, b.m) != 0) limbs_add(a.m, kModulus);
        return a;
    }
    constexpr Fp operator-() const noexcept { return zero() - *this; }

    // Montgomery multiplication (CIOS): a*b*R^-1 mod p.
    friend constexpr Fp operator*(const Fp& a, const Fp& b) noexcept {
        std::array<std::uint64_t, kLimbs + 2> t{};
#pragma GCC unroll 6
        for (std::size_t i = 0; i < kLimbs; ++i) {
            std::uint64_t carry = 0;
#pragma GCC unroll 6
            for (std::size_t j = 0; j < kLimbs; ++j) {
                const uint128_t s = uint128_t{a.m[j]} * b.m[i] + t[j] + carry;
                t[j] = static_cast<std::uint64_t>(s);
                carry = static_cast<std::uint64_t>(s >> 64);
            }
            uint128_t s = uint128_t{t[kLimbs]} + carry;
            t[kLimbs] = static_cast<std::uint64_t>(s);
            t[kLimbs + 1] = static_cast<std::uint64_t>(s >> 64);
            const std::uint64_t k = t[0] * kMontInv;
            s = uint128_t{k} * kModulus[0] + t[0];
            carry = static_cast<std::uint64_t>(s >> 64);
#pragma GCC unroll 5
            for (std::size_t j = 1; j < kLimbs; ++j) {
                s = uint128_t{k} * kModulus[j] + t[j] + carry;
                t[j - 1] = static_cast<std::uint64_t>(s);
                carry = static_cast<std::uint64_t>(s >> 64);
            }
            s = uint128_t{t[kLimbs]} + carry;
            t[kLimbs - 1] = static_cast<std::uint64_t>(s);
            t[kLimbs] = t[kLimbs + 1] + static_cast<std::uint64_t>(s >> 64);
        }
        Fp r{{t[0], t[1], t[2], t[3], t[4], t[5]}};
        if (t[kLimbs] != 0 || !limbs_less(r.m, kModulus)) limbs_sub(r.m, kModulus);
        return r;
    }

    Fp& operator+=(const Fp& b) noexcept {
        return *this = *this + b;
    }
    Fp& operator-=(const Fp& b) noexcept {
        return *this = *this - b;
    }
    Fp& operator*=(const Fp& b) noexcept {
        return *this = *this * b;
    }

    constexpr Fp square() const noexcept {
        return *this * *this;
    }

    // From a canonical integer (< p); nullopt otherwise.
    static std::optional<Fp> from_limbs(const Limbs& v) noexcept;
    // From 48 big-endian bytes; nullopt if the value is not below p (EIP-2537 rejects it).
    static std::optional<Fp> from_be(const std::uint8_t* bytes48) noexcept;
    // As from_be, and nullopt as well unless the span holds exactly 48 bytes.
    static std::optional<Fp> from_bytes(std::span<const std::uint8_t> bytes) noexcept;
    void to_be(std::uint8_t* out48) const noexcept;
    std::array<std::uint8_t, kFieldBytes> to_bytes() const noexcept;
    Limbs to_limbs() const noexcept;
    // A constant written in hex (no prefix, at most 96 digits, below p), as the specs print them.
    // Only for the library's own constants: a malformed string is a programming error (it aborts).
    static Fp from_hex(std::string_view hex) noexcept;
    // The parity of the canonical integer: sgn0 of RFC 9380 section 4.1 for m = 1.
    bool is_odd() const noexcept {
        return (to_limbs()[0] & 1) != 0;
    }

    Fp pow(const Limbs& exponent) const noexcept;
    Fp inverse() const noexcept;            // 0 for 0
    Fp inverse_by_fermat() const noexcept;  // a^(p-2), the same value by another route
    // A square root (a^((p+1)/4), p = 3 mod 4); nullopt if a is not a square.
    std::optional<Fp> sqrt() const noexcept;
};

}  // namespace sluice::evm::bls381
