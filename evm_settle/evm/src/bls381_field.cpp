// BLS12-381 Fp: conversions, exponentiation, inversion and square roots.
#include "bls381_field.hpp"

#include <gmp.h>

#include <cstdlib>

namespace sluice::evm::bls381 {
namespace {

constexpr Limbs kModulusMinus2 = {0xb9feffffffffaaa9, 0x1eabfffeb153ffff, 0x6730d2a0f6b0f624,
                                  0x64774b84f38512bf, 0x4b1ba7b6434bacd7, 0x1a0111ea397fe69a};
constexpr Limbs kModulusPlus1Over4 = {0xee7fbfffffffeaab, 0x07aaffffac54ffff, 0xd9cc34a83dac3d89,
                                      0xd91dd2e13ce144af, 0x92c6e9ed90d2eb35, 0x0680447a8e5ff9a6};

}  // namespace

std::optional<Fp> Fp::from_limbs(const Limbs& v) noexcept {
    if (!limbs_less(v, kModulus)) return std::nullopt;
    return Fp{v} * Fp{kR2};
}

std::optional<Fp> Fp::from_be(const std::uint8_t* bytes48) noexcept {
    Limbs v{};
    for (std::size_t i = 0; i < kFieldBytes; ++i) {
        v[kLimbs - 1 - i / 8] = (v[kLimbs - 1 - i / 8] << 8) | bytes48[i];
    }
    return from_limbs(v);
}

std::optional<Fp> Fp::from_bytes(std::span<const std::uint8_t> bytes) noexcept {
    if (bytes.size() != kFieldBytes) return std::nullopt;
    return from_be(bytes.data());
}

Limbs Fp::to_limbs() const noexcept {
    return (*this * Fp{{1, 0, 0, 0, 0, 0}}).m;
}

void Fp::to_be(std::uint8_t* out48) const noexcept {
    const Limbs v = to_limbs();
    for (std::size_t i = 0; i < kFieldBytes; ++i) {
        out48[i] = static_cast<std::uint8_t>(v[kLimbs - 1 - i / 8] >> (8 * (7 - i % 8)));
    }
}

std::array<std::uint8_t, kFieldBytes> Fp::to_bytes() const noexcept {
    std::array<std::uint8_t, kFieldBytes> out{};
    to_be(out.data());
    return out;
}

Fp Fp::from_hex(std::string_view hex) noexcept {
    if (hex.size() > 2 * kFieldBytes) std::abort();
    std::array<std::uint8_t, kFieldBytes> be{};
    const std::size_t skip = 2 * kFieldBytes - hex.size();  // leading zero digits the spec omits
    for (std::size_t i = 0; i < hex.size(); ++i) {
        const char c = hex[i];
        int d = -1;
        if (c >= '0' && c <= '9') d = c - '0';
        if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        if (d < 0) std::abort();
        const std::size_t nibble = skip + i;
        be[nibble / 2] = static_cast<std::uint8_t>(be[nibble / 2] | (d << (nibble % 2 == 0 ? 4 : 0)));
    }
    const auto v = from_be(be.data());
    if (!v) std::abort();
    return *v;
}

Fp Fp::pow(const Limbs& exponent) const noexcept {
    Fp result = one();
    for (std::size_t i = 64 * kLimbs; i-- > 0;) {
        result = result.square();
        if (((exponent[i / 64] >> (i % 64)) & 1) != 0) result = result * *this;
    }
    return result;
}

// By GMP's extended gcd (variable time: every input of the precompiles is public). Fermat's
// a^(p-2) costs ~570 multiplications, which made every affine conversion and every affine Miller-loop
// step cost more than the rest of its arithmetic together.
Fp Fp::inverse() const noexcept {
    static_assert(sizeof(mp_limb_t) == sizeof(std::uint64_t));
    if (is_zero()) return zero();
    const Limbs a = to_limbs();
    mpz_t x, modulus, r;
    mpz_roinit_n(x, reinterpret_cast<const mp_limb_t*>(a.data()), kLimbs);
    mpz_roinit_n(modulus, reinterpret_cast<const mp_limb_t*>(kModulus.data()), kLimbs);
    mpz_init2(r, 64 * kLimbs);
    mpz_invert(r, x, modulus);  // p is prime and a != 0: the inverse exists
    Limbs out{};
    mpz_export(out.data(), nullptr, -1, sizeof(std::uint64_t), 0, 0, r);
    mpz_clear(r);
    return *from_limbs(out);
}

// The reference inverse, kept for the tests to check the fast one against.
Fp Fp::inverse_by_fermat() const noexcept {
    return pow(kModulusMinus2);
}

// For p = 3 mod 4, if a is a square then r = a^((p+1)/4) has r^2 = a^((p+1)/2) = a * a^((p-1)/2) = a.
std::optional<Fp> Fp::sqrt() const noexcept {
    const Fp r = pow(kModulusPlus1Over4);
    if (r.square() != *this) return std::nullopt;
    return r;
}

}  // namespace sluice::evm::bls381
