// u256: 256-bit unsigned integer of four 64-bit limbs (little-endian limb order), with the full
// set of EVM arithmetic. It is the EVM's stack element, so every arithmetic path is inline,
// constexpr and noexcept and never allocates; only the text conversions live in u256_string.cpp.
// Semantics follow the Yellow Paper: arithmetic wraps mod 2^256, x / 0 == 0 and x % 0 == 0,
// signed operations read the value as two's complement. Tested against GMP (tests/core/u256_gmp_test.cpp).
#pragma once

#include <array>
#include <bit>
#include <compare>
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"

namespace sluice {

__extension__ using uint128_t = unsigned __int128;

struct u256;
struct U256DivRem;

namespace detail {

// Add/subtract with carry. At run time the x86-64 builtins make both g++ and clang emit one
// unrolled ADC/SBB chain per operation (the uint128_t form compiles to a loop with spills on g++).
constexpr std::uint64_t addc(std::uint64_t a, std::uint64_t b, bool& carry) noexcept {
#if defined(__x86_64__)
    if (!std::is_constant_evaluated()) {
        unsigned long long r = 0;
        carry = __builtin_ia32_addcarryx_u64(static_cast<unsigned char>(carry), a, b, &r) != 0;
        return r;
    }
#endif
    const uint128_t s = uint128_t{a} + b + carry;
    carry = (s >> 64) != 0;
    return static_cast<std::uint64_t>(s);
}

constexpr std::uint64_t subb(std::uint64_t a, std::uint64_t b, bool& borrow) noexcept {
#if defined(__x86_64__)
    if (!std::is_constant_evaluated()) {
        unsigned long long r = 0;
#if defined(__clang__)
        borrow = __builtin_ia32_subborrow_u64(static_cast<unsigned char>(borrow), a, b, &r) != 0;
#else
        borrow = __builtin_ia32_sbb_u64(static_cast<unsigned char>(borrow), a, b, &r) != 0;
#endif
        return r;
    }
#endif
    const uint128_t d = uint128_t{a} - b - borrow;
    borrow = (d >> 64) != 0;
    return static_cast<std::uint64_t>(d);
}

}  // namespace detail

// Quotient and remainder of a / b in one division; b == 0 gives {0, 0} (EVM rule).
constexpr U256DivRem udivrem(const u256& a, const u256& b) noexcept;
constexpr u256 shl(const u256& x, std::uint64_t shift) noexcept;
constexpr u256 shr(const u256& x, std::uint64_t shift) noexcept;

struct u256 {
    std::array<std::uint64_t, 4> w{};  // w[0] is the least significant limb

    constexpr u256() noexcept = default;
    // Implicit from uint64_t; u256{w0, w1} etc. give the limbs from the least significant one.
    constexpr u256(std::uint64_t w0, std::uint64_t w1 = 0, std::uint64_t w2 = 0,  // NOLINT(google-explicit-constructor)
                   std::uint64_t w3 = 0) noexcept
        : w{w0, w1, w2, w3} {}

    static constexpr u256 max() noexcept { return {~0ULL, ~0ULL, ~0ULL, ~0ULL}; }

    constexpr bool is_zero() const noexcept { return (w[0] | w[1] | w[2] | w[3]) == 0; }
    constexpr explicit operator bool() const noexcept { return !is_zero(); }
    constexpr std::uint64_t low64() const noexcept { return w[0]; }
    constexpr bool fits_u64() const noexcept { return (w[1] | w[2] | w[3]) == 0; }
    // 256 for zero.
    constexpr unsigned count_leading_zeros() const noexcept {
        for (int i = 3; i >= 0; --i) {
            if (w[static_cast<std::size_t>(i)] != 0) {
                return static_cast<unsigned>(64 * (3 - i) + std::countl_zero(w[static_cast<std::size_t>(i)]));
            }
        }
        return 256;
    }
    // Number of significant bits; 0 for zero.
    constexpr unsigned bit_length() const noexcept { return 256 - count_leading_zeros(); }

    // --- big-endian bytes (the EVM's memory, storage and calldata order) ---

    // Reads exactly 32 bytes.
    static constexpr u256 load_be(const std::uint8_t* in32) noexcept {
        u256 r;
        if (std::is_constant_evaluated()) {
            for (std::size_t i = 0; i < 32; ++i) {
                r.w[3 - i / 8] |= std::uint64_t{in32[i]} << (8 * (7 - i % 8));
            }
            return r;
        }
        std::uint64_t t[4];
        std::memcpy(t, in32, 32);
        return {__builtin_bswap64(t[3]), __builtin_bswap64(t[2]), __builtin_bswap64(t[1]),
                __builtin_bswap64(t[0])};
    }
    // Writes exactly 32 bytes.
    constexpr void store_be(std::uint8_t* out32) const noexcept {
        if (std::is_constant_evaluated()) {
            for (std::size_t i = 0; i < 32; ++i) {
                out32[i] = static_cast<std::uint8_t>(w[3 - i / 8] >> (8 * (7 - i % 8)));
            }
            return;
        }
        const std::uint64_t t[4] = {__builtin_bswap64(w[3]), __builtin_bswap64(w[2]), __builtin_bswap64(w[1]),
                                    __builtin_bswap64(w[0])};
        std::memcpy(out32, t, 32);
    }
    // Big-endian bytes, left-padded with zeros when shorter than 32. Longer input keeps only its
    // last 32 bytes (the value mod 2^256), as the EVM does; use from_be_checked to reject it.
    static constexpr u256 from_be(ByteView bytes) noexcept {
        if (bytes.size() >= 32) return load_be(bytes.data() + (bytes.size() - 32));
        std::uint8_t buf[32]{};
        for (std::size_t i = 0; i < bytes.size(); ++i) buf[32 - bytes.size() + i] = bytes[i];
        return load_be(buf);
    }
    // As from_be, but more than 32 bytes is Errc::overflow whatever their value.
    static Result<u256> from_be_checked(ByteView bytes);
    constexpr Hash to_be() const noexcept {
        Hash h;
        store_be(h.data());
        return h;
    }

    // --- text ---

    // "0x"/"0X" + hex digits, otherwise decimal. Errc::bad_number for empty input, a bare "0x", signs,
    // spaces or any bad digit; Errc::overflow when the value needs more than 256 bits.
    static Result<u256> from_string(std::string_view text);
    static Result<u256> from_dec(std::string_view text);  // decimal digits only
    static Result<u256> from_hex(std::string_view text);  // requires the "0x" prefix
    std::string to_dec() const;
    std::string to_hex() const;  // "0x" + minimal lower-case digits, "0x0" for zero

    // --- arithmetic (wrapping mod 2^256) ---

    // The loops carry `#pragma GCC unroll` (honoured by g++ and clang): fully unrolled, the limbs
    // stay in registers; g++ -O2 would otherwise keep them as loops over memory.
    friend constexpr u256 operator+(const u256& a, const u256& b) noexcept {
        u256 r;
        bool carry = false;
#pragma GCC unroll 4
        for (std::size_t i = 0; i < 4; ++i) r.w[i] = detail::addc(a.w[i], b.w[i], carry);
        return r;
    }
    friend constexpr u256 operator-(const u256& a, const u256& b) noexcept {
        u256 r;
        bool borrow = false;
#pragma GCC unroll 4
        for (std::size_t i = 0; i < 4; ++i) r.w[i] = detail::subb(a.w[i], b.w[i], borrow);
        return r;
    }
    friend constexpr u256 operator-(const u256& a) noexcept { return u256{} - a; }
    // Low 256 bits of the product: only the 10 partial products that reach them.
    friend constexpr u256 operator*(const u256& a, const u256& b) noexcept {
        u256 r;
#pragma GCC unroll 4
        for (std::size_t i = 0; i < 4; ++i) {
            std::uint64_t carry = 0;
#pragma GCC unroll 4
            for (std::size_t j = 0; i + j < 3; ++j) {
                const uint128_t p = uint128_t{a.w[i]} * b.w[j] + r.w[i + j] + carry;
                r.w[i + j] = static_cast<std::uint64_t>(p);
                carry = static_cast<std::uint64_t>(p >> 64);
            }
            r.w[3] += a.w[i] * b.w[3 - i] + carry;
        }
        return r;
    }
    friend constexpr u256 operator/(const u256& a, const u256& b) noexcept;
    friend constexpr u256 operator%(const u256& a, const u256& b) noexcept;

    friend constexpr u256 operator&(const u256& a, const u256& b) noexcept {
        return {a.w[0] & b.w[0], a.w[1] & b.w[1], a.w[2] & b.w[2], a.w[3] & b.w[3]};
    }
    friend constexpr u256 operator|(const u256& a, const u256& b) noexcept {
        return {a.w[0] | b.w[0], a.w[1] | b.w[1], a.w[2] | b.w[2], a.w[3] | b.w[3]};
    }
    friend constexpr u256 operator^(const u256& a, const u256& b) noexcept {
        return {a.w[0] ^ b.w[0], a.w[1] ^ b.w[1], a.w[2] ^ b.w[2], a.w[3] ^ b.w[3]};
    }
    friend constexpr u256 operator~(const u256& a) noexcept { return {~a.w[0], ~a.w[1], ~a.w[2], ~a.w[3]}; }

    // Shifts of 256 or more give 0.
    friend constexpr u256 operator<<(const u256& x, std::uint64_t shift) noexcept { return shl(x, shift); }
    friend constexpr u256 operator>>(const u256& x, std::uint64_t shift) noexcept { return shr(x, shift); }
    friend constexpr u256 operator<<(const u256& x, const u256& shift) noexcept {
        return shift.fits_u64() ? shl(x, shift.w[0]) : u256{};
    }
    friend constexpr u256 operator>>(const u256& x, const u256& shift) noexcept {
        return shift.fits_u64() ? shr(x, shift.w[0]) : u256{};
    }

    constexpr u256& operator+=(const u256& b) noexcept { return *this = *this + b; }
    constexpr u256& operator-=(const u256& b) noexcept { return *this = *this - b; }
    constexpr u256& operator*=(const u256& b) noexcept { return *this = *this * b; }
    constexpr u256& operator/=(const u256& b) noexcept;
    constexpr u256& operator%=(const u256& b) noexcept;
    constexpr u256& operator&=(const u256& b) noexcept { return *this = *this & b; }
    constexpr u256& operator|=(const u256& b) noexcept { return *this = *this | b; }
    constexpr u256& operator^=(const u256& b) noexcept { return *this = *this ^ b; }
    constexpr u256& operator<<=(std::uint64_t shift) noexcept { return *this = shl(*this, shift); }
    constexpr u256& operator>>=(std::uint64_t shift) noexcept { return *this = shr(*this, shift); }
    constexpr u256& operator++() noexcept { return *this += 1; }
    constexpr u256& operator--() noexcept { return *this -= 1; }
    constexpr u256 operator++(int) noexcept {
        const u256 old = *this;
        *this += 1;
        return old;
    }
    constexpr u256 operator--(int) noexcept {
        const u256 old = *this;
        *this -= 1;
        return old;
    }

    // --- unsigned comparison ---

    friend constexpr bool operator==(const u256& a, const u256& b) noexcept = default;
    // a < b is the borrow out of a - b: branch-free, which matters for LT/GT in the interpreter.
    friend constexpr bool operator<(const u256& a, const u256& b) noexcept {
        bool borrow = false;
#pragma GCC unroll 4
        for (std::size_t i = 0; i < 4; ++i) detail::subb(a.w[i], b.w[i], borrow);
        return borrow;
    }
    friend constexpr bool operator>(const u256& a, const u256& b) noexcept { return b < a; }
    friend constexpr bool operator<=(const u256& a, const u256& b) noexcept { return !(b < a); }
    friend constexpr bool operator>=(const u256& a, const u256& b) noexcept { return !(a < b); }
    friend constexpr std::strong_ordering operator<=>(const u256& a, const u256& b) noexcept {
        for (std::size_t i = 4; i-- > 0;) {
            if (a.w[i] != b.w[i]) return a.w[i] < b.w[i] ? std::strong_ordering::less : std::strong_ordering::greater;
        }
        return std::strong_ordering::equal;
    }
};

static_assert(sizeof(u256) == 32);
static_assert(std::is_trivially_copyable_v<u256>);

struct U256DivRem {
    u256 quot;
    u256 rem;
};

// Decimal, for logs and test failure messages.
std::ostream& operator<<(std::ostream& os, const u256& x);

namespace detail {

// Number of limbs up to the most significant non-zero one (0 for zero).
constexpr int significant_limbs(const std::uint64_t* x, int n) noexcept {
    while (n > 0 && x[n - 1] == 0) --n;
    return n;
}

#if defined(__x86_64__)
// One DIV instruction; the caller guarantees hi < d so the quotient fits (no #DE).
inline std::uint64_t div_2by1_hw(std::uint64_t hi, std::uint64_t lo, std::uint64_t d, std::uint64_t& rem) noexcept {
    std::uint64_t q = 0;
    std::uint64_t r = 0;
    __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d));
    rem = r;
    return q;
}
#endif

// (hi:lo) / d with hi < d; the remainder goes to rem.
constexpr std::uint64_t div_2by1(std::uint64_t hi, std::uint64_t lo, std::uint64_t d, std::uint64_t& rem) noexcept {
#if defined(__x86_64__)
    if (!std::is_constant_evaluated()) return div_2by1_hw(hi, lo, d, rem);
#endif
    const uint128_t n = (uint128_t{hi} << 64) | lo;
    rem = static_cast<std::uint64_t>(n % d);
    return static_cast<std::uint64_t>(n / d);
}

// q[0..m) = u[0..m) / d; returns the remainder. d != 0.
constexpr std::uint64_t divrem_by_limb(const std::uint64_t* u, int m, std::uint64_t d, std::uint64_t* q) noexcept {
    std::uint64_t r = 0;
    for (int i = m - 1; i >= 0; --i) {
        const std::uint64_t hi = r;
        q[i] = div_2by1(hi, u[i], d, r);
    }
    return r;
}

// Knuth's algorithm D (TAOCP vol. 2, 4.3.1) on 64-bit limbs: u has m limbs, v has N limbs with
// v[N-1] != 0 and 2 <= N <= m <= 8. Writes m-N+1 quotient limbs to q and N remainder limbs to r.
// N is a template parameter so the per-digit multiply-subtract loops unroll.
template <int N>
constexpr void divrem_knuth(const std::uint64_t* u, int m, const std::uint64_t* v, std::uint64_t* q,
                            std::uint64_t* r) noexcept {
    // Normalise so the divisor's top bit is set; the quotient digit estimate is then off by at most 2.
    const int s = std::countl_zero(v[N - 1]);
    std::uint64_t vn[N]{};
    std::uint64_t un[9]{};
    if (s != 0) {
#pragma GCC unroll 4
        for (int i = N - 1; i > 0; --i) vn[i] = (v[i] << s) | (v[i - 1] >> (64 - s));
        vn[0] = v[0] << s;
        un[m] = u[m - 1] >> (64 - s);
        for (int i = m - 1; i > 0; --i) un[i] = (u[i] << s) | (u[i - 1] >> (64 - s));
        un[0] = u[0] << s;
    } else {
#pragma GCC unroll 4
        for (int i = 0; i < N; ++i) vn[i] = v[i];
        for (int i = 0; i < m; ++i) un[i] = u[i];
        un[m] = 0;
    }
    const std::uint64_t vh = vn[N - 1];
    const std::uint64_t vl = vn[N - 2];
    for (int j = m - N; j >= 0; --j) {
        std::uint64_t* uj = un + j;
        std::uint64_t qhat = 0;
        std::uint64_t rhat = 0;
        bool rhat_overflow = false;
        if (uj[N] >= vh) {  // only == is possible; the 2-by-1 division would overflow
            qhat = ~0ULL;
            rhat = uj[N - 1] + vh;
            rhat_overflow = rhat < vh;
        } else {
            qhat = div_2by1(uj[N], uj[N - 1], vh, rhat);
        }
        while (!rhat_overflow && uint128_t{qhat} * vl > ((uint128_t{rhat} << 64) | uj[N - 2])) {
            --qhat;
            rhat += vh;
            rhat_overflow = rhat < vh;
        }
        // uj[0..N] -= qhat * vn
        std::uint64_t mul_carry = 0;
        bool borrow = false;
#pragma GCC unroll 4
        for (int i = 0; i < N; ++i) {
            const uint128_t p = uint128_t{qhat} * vn[i] + mul_carry;
            mul_carry = static_cast<std::uint64_t>(p >> 64);
            uj[i] = subb(uj[i], static_cast<std::uint64_t>(p), borrow);
        }
        uj[N] = subb(uj[N], mul_carry, borrow);
        if (borrow) {  // qhat was one too large (probability about 2/2^64): add the divisor back
            --qhat;
            bool carry = false;
#pragma GCC unroll 4
            for (int i = 0; i < N; ++i) uj[i] = addc(uj[i], vn[i], carry);
            uj[N] += static_cast<std::uint64_t>(carry);
        }
        q[j] = qhat;
    }
    if (s != 0) {
#pragma GCC unroll 4
        for (int i = 0; i < N; ++i) r[i] = (un[i] >> s) | (un[i + 1] << (64 - s));
    } else {
#pragma GCC unroll 4
        for (int i = 0; i < N; ++i) r[i] = un[i];
    }
}

// Divides u (m limbs, m <= 8) by d (n >= 1 significant limbs, n <= m): q gets m-n+1 limbs, r n limbs.
constexpr void divrem_limbs(const std::uint64_t* u, int m, const std::uint64_t* d, int n, std::uint64_t* q,
                            std::uint64_t* r) noexcept {
    switch (n) {
        case 1: r[0] = divrem_by_limb(u, m, d[0], q); return;
        case 2: divrem_knuth<2>(u, m, d, q, r); return;
        case 3: divrem_knuth<3>(u, m, d, q, r); return;
        default: divrem_knuth<4>(u, m, d, q, r); return;
    }
}

// Remainder of the m-limb number u (m <= 8) modulo the 256-bit d != 0.
constexpr u256 mod_limbs(const std::uint64_t* u, int m, const u256& d) noexcept {
    const int n = significant_limbs(d.w.data(), 4);
    m = significant_limbs(u, m);
    u256 r;
    if (m < n) {
        for (int i = 0; i < m; ++i) r.w[static_cast<std::size_t>(i)] = u[i];
        return r;
    }
    std::uint64_t q[8]{};
    divrem_limbs(u, m, d.w.data(), n, q, r.w.data());
    return r;
}

}  // namespace detail

constexpr U256DivRem udivrem(const u256& a, const u256& b) noexcept {
    if (b.is_zero()) return {};
    if (a.fits_u64()) {  // b != 0, so a < b unless b fits too
        if (!b.fits_u64()) return {u256{}, a};
        return {u256{a.w[0] / b.w[0]}, u256{a.w[0] % b.w[0]}};
    }
    if (a < b) return {u256{}, a};
    const int m = detail::significant_limbs(a.w.data(), 4);
    const int n = detail::significant_limbs(b.w.data(), 4);
    U256DivRem res;
    detail::divrem_limbs(a.w.data(), m, b.w.data(), n, res.quot.w.data(), res.rem.w.data());
    return res;
}

constexpr u256 operator/(const u256& a, const u256& b) noexcept { return udivrem(a, b).quot; }
constexpr u256 operator%(const u256& a, const u256& b) noexcept { return udivrem(a, b).rem; }
constexpr u256& u256::operator/=(const u256& b) noexcept { return *this = *this / b; }
constexpr u256& u256::operator%=(const u256& b) noexcept { return *this = *this % b; }

// Shifts every limb by shift % 64 (carrying bits across limbs), then moves whole limbs. The spill
// from the neighbouring limb is (v >> 1) >> (63 - bits), which is 0 for bits == 0 without a branch.
constexpr u256 shl(const u256& x, std::uint64_t shift) noexcept {
    if (shift >= 256) return {};
    const unsigned bits = shift % 64;
    const auto& a = x.w;
    const std::uint64_t t0 = a[0] << bits;
    const std::uint64_t t1 = (a[1] << bits) | ((a[0] >> 1) >> (63 - bits));
    const std::uint64_t t2 = (a[2] << bits) | ((a[1] >> 1) >> (63 - bits));
    const std::uint64_t t3 = (a[3] << bits) | ((a[2] >> 1) >> (63 - bits));
    switch (shift / 64) {
        case 0: return {t0, t1, t2, t3};
        case 1: return {0, t0, t1, t2};
        case 2: return {0, 0, t0, t1};
        default: return {0, 0, 0, t0};
    }
}

constexpr u256 shr(const u256& x, std::uint64_t shift) noexcept {
    if (shift >= 256) return {};
    const unsigned bits = shift % 64;
    const auto& a = x.w;
    const std::uint64_t t0 = (a[0] >> bits) | ((a[1] << 1) << (63 - bits));
    const std::uint64_t t1 = (a[1] >> bits) | ((a[2] << 1) << (63 - bits));
    const std::uint64_t t2 = (a[2] >> bits) | ((a[3] << 1) << (63 - bits));
    const std::uint64_t t3 = a[3] >> bits;
    switch (shift / 64) {
        case 0: return {t0, t1, t2, t3};
        case 1: return {t1, t2, t3, 0};
        case 2: return {t2, t3, 0, 0};
        default: return {t3, 0, 0, 0};
    }
}

// Full 512-bit product, little-endian limbs.
constexpr std::array<std::uint64_t, 8> mul_full(const u256& a, const u256& b) noexcept {
    std::array<std::uint64_t, 8> r{};
#pragma GCC unroll 4
    for (std::size_t i = 0; i < 4; ++i) {
        std::uint64_t carry = 0;
#pragma GCC unroll 4
        for (std::size_t j = 0; j < 4; ++j) {
            const uint128_t p = uint128_t{a.w[i]} * b.w[j] + r[i + j] + carry;
            r[i + j] = static_cast<std::uint64_t>(p);
            carry = static_cast<std::uint64_t>(p >> 64);
        }
        r[i + 4] = carry;
    }
    return r;
}

// --- signed (two's complement) view, as the EVM's SDIV/SMOD/SLT/SGT/SAR/SIGNEXTEND ---

constexpr bool is_negative(const u256& x) noexcept { return (x.w[3] >> 63) != 0; }

constexpr bool slt(const u256& a, const u256& b) noexcept {
    const bool na = is_negative(a);
    const bool nb = is_negative(b);
    return na != nb ? na : a < b;
}
constexpr bool sgt(const u256& a, const u256& b) noexcept { return slt(b, a); }

// Truncates toward zero; x / 0 == 0, and -2^255 / -1 == -2^255 (wraps).
constexpr u256 sdiv(const u256& a, const u256& b) noexcept {
    const bool na = is_negative(a);
    const bool nb = is_negative(b);
    const u256 q = (na ? -a : a) / (nb ? -b : b);
    return na != nb ? -q : q;
}

// The result takes the sign of the dividend; x % 0 == 0.
constexpr u256 smod(const u256& a, const u256& b) noexcept {
    const bool na = is_negative(a);
    const bool nb = is_negative(b);
    const u256 r = (na ? -a : a) % (nb ? -b : b);
    return na ? -r : r;
}

// (a + b) mod m on the exact 257-bit sum; m == 0 gives 0.
constexpr u256 addmod(const u256& a, const u256& b, const u256& m) noexcept {
    if (m.is_zero()) return {};
    const u256 ar = a < m ? a : a % m;
    const u256 br = b < m ? b : b % m;
    // ar + br < 2m: one conditional subtraction reduces it, the carry counting as bit 256.
    const u256 s = ar + br;
    const bool carry = s < ar;
    return (carry || s >= m) ? s - m : s;
}

// (a * b) mod m on the exact 512-bit product; m == 0 gives 0.
constexpr u256 mulmod(const u256& a, const u256& b, const u256& m) noexcept {
    if (m.is_zero()) return {};
    const std::array<std::uint64_t, 8> p = mul_full(a, b);
    return detail::mod_limbs(p.data(), 8, m);
}

// x^2 mod 2^256: the cross products a_i*a_j (i != j) are computed once and doubled, so it takes 4
// full and 2 low-half multiplications instead of the 6 and 4 of x * x.
constexpr u256 sqr(const u256& x) noexcept {
    const auto& a = x.w;
    const uint128_t p01 = uint128_t{a[0]} * a[1];
    const uint128_t p02 = uint128_t{a[0]} * a[2];
    const std::uint64_t t3 = a[0] * a[3] + a[1] * a[2];
    // cross = p01 * 2^64 + p02 * 2^128 + t3 * 2^192, limbs c1..c3
    bool carry = false;
    const std::uint64_t c1 = static_cast<std::uint64_t>(p01);
    const std::uint64_t c2 = detail::addc(static_cast<std::uint64_t>(p01 >> 64), static_cast<std::uint64_t>(p02), carry);
    const std::uint64_t c3 = static_cast<std::uint64_t>(p02 >> 64) + t3 + static_cast<std::uint64_t>(carry);
    const uint128_t d0 = uint128_t{a[0]} * a[0];
    const uint128_t d1 = uint128_t{a[1]} * a[1];
    carry = false;
    u256 r;
    r.w[0] = static_cast<std::uint64_t>(d0);
    r.w[1] = detail::addc(static_cast<std::uint64_t>(d0 >> 64), c1 << 1, carry);
    r.w[2] = detail::addc(static_cast<std::uint64_t>(d1), (c2 << 1) | (c1 >> 63), carry);
    r.w[3] = static_cast<std::uint64_t>(d1 >> 64) + ((c3 << 1) | (c2 >> 63)) + static_cast<std::uint64_t>(carry);
    return r;
}

// base^exponent mod 2^256 by square-and-multiply over the exponent's bits.
constexpr u256 exp(u256 base, const u256& exponent) noexcept {
    if (base == 2) return exponent.fits_u64() ? shl(1, exponent.w[0]) : u256{};
    u256 result = 1;
    const unsigned bits = exponent.bit_length();
    for (unsigned i = 0; i < bits; ++i) {
        if (((exponent.w[i / 64] >> (i % 64)) & 1) != 0) result *= base;
        if (i + 1 < bits) base = sqr(base);
    }
    return result;
}

// SIGNEXTEND: extends the sign bit of byte b (0 = least significant) over the higher bytes; b >= 31
// returns x unchanged.
// Word by word: only the limb holding the sign byte needs a mask, the limbs above it become all
// zeros or all ones (a generic shift and subtract costs several times more).
constexpr u256 signextend(const u256& b, const u256& x) noexcept {
    if (!b.fits_u64() || b.w[0] >= 31) return x;
    const unsigned limb = static_cast<unsigned>(b.w[0]) / 8;
    const unsigned bit = static_cast<unsigned>(b.w[0]) % 8 * 8 + 7;  // the sign bit within the limb
    const std::uint64_t fill = ((x.w[limb] >> bit) & 1) != 0 ? ~std::uint64_t{0} : 0;
    const std::uint64_t low_mask = bit == 63 ? ~std::uint64_t{0} : (std::uint64_t{1} << (bit + 1)) - 1;
    u256 r = x;
    r.w[limb] = (x.w[limb] & low_mask) | (fill & ~low_mask);
    for (unsigned i = limb + 1; i < 4; ++i) r.w[i] = fill;
    return r;
}

// BYTE: byte i of x counted from the most significant (i = 0); 0 when i >= 32.
constexpr u256 byte(const u256& i, const u256& x) noexcept {
    if (!i.fits_u64() || i.w[0] >= 32) return {};
    const std::uint64_t k = 31 - i.w[0];  // byte index from the least significant end
    return (x.w[k / 8] >> (8 * (k % 8))) & 0xff;
}

// SAR: arithmetic shift right; shifts >= 256 give 0 or all ones by the sign.
constexpr u256 sar(const u256& shift, const u256& x) noexcept {
    if (!is_negative(x)) return x >> shift;
    if (!shift.fits_u64() || shift.w[0] >= 256) return u256::max();
    return ~shr(~x, shift.w[0]);
}

}  // namespace sluice
