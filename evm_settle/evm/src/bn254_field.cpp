// bn254 field tower: conversions and inversion in Fp, and the Fp2/Fp6/Fp12 operations that are not
// inline (multiplication, inversion, Frobenius).
#include "bn254_field.hpp"

namespace sluice::evm::bn254 {
namespace {

constexpr Limbs kModulusMinus2 = {0x3c208c16d87cfd45, 0x97816a916871ca8d, 0xb85045b68181585d,
                                  0x30644e72e131a029};
constexpr Limbs kModulusMinus1Over6 = {0x34b017592414d4e1, 0xee9591c2e6bda1c2, 0xf40d60f3c0403964,
                                       0x0810b7bdd032f006};

template <class F>
F power(const F& base, const Limbs& exponent) noexcept {
    F result = F::one();
    for (std::size_t i = 256; i-- > 0;) {
        result = result * result;
        if (((exponent[i / 64] >> (i % 64)) & 1) != 0) result = result * base;
    }
    return result;
}

}  // namespace

std::optional<Fp> Fp::from_limbs(const Limbs& v) noexcept {
    if (!limbs_less(v, kModulus)) return std::nullopt;
    return Fp{v} * Fp{kR2};
}

std::optional<Fp> Fp::from_be(const std::uint8_t* bytes32) noexcept {
    Limbs v{};
    for (std::size_t i = 0; i < 32; ++i) {
        v[3 - i / 8] = (v[3 - i / 8] << 8) | bytes32[i];
    }
    return from_limbs(v);
}

Limbs Fp::to_limbs() const noexcept { return (*this * Fp{{1, 0, 0, 0}}).m; }

void Fp::to_be(std::uint8_t* out32) const noexcept {
    const Limbs v = to_limbs();
    for (std::size_t i = 0; i < 32; ++i) {
        out32[i] = static_cast<std::uint8_t>(v[3 - i / 8] >> (8 * (7 - i % 8)));
    }
}

Fp Fp::inverse() const noexcept { return power(*this, kModulusMinus2); }

Fp2 Fp2::inverse() const noexcept {
    const Fp t = (c0 * c0 + c1 * c1).inverse();
    return {c0 * t, -(c1 * t)};
}

Fp6 operator*(const Fp6& a, const Fp6& b) noexcept {
    const Fp2 t0 = a.c0 * b.c0;
    const Fp2 t1 = a.c1 * b.c1;
    const Fp2 t2 = a.c2 * b.c2;
    return {((a.c1 + a.c2) * (b.c1 + b.c2) - t1 - t2).mul_by_xi() + t0,
            (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1 + t2.mul_by_xi(),
            (a.c0 + a.c2) * (b.c0 + b.c2) - t0 - t2 + t1};
}

Fp6 Fp6::inverse() const noexcept {
    const Fp2 t0 = c0.square() - (c1 * c2).mul_by_xi();
    const Fp2 t1 = c2.square().mul_by_xi() - c0 * c1;
    const Fp2 t2 = c1.square() - c0 * c2;
    const Fp2 norm_inv = (c0 * t0 + (c2 * t1).mul_by_xi() + (c1 * t2).mul_by_xi()).inverse();
    return {t0 * norm_inv, t1 * norm_inv, t2 * norm_inv};
}

Fp12 operator*(const Fp12& a, const Fp12& b) noexcept {
    const Fp6 t0 = a.c0 * b.c0;
    const Fp6 t1 = a.c1 * b.c1;
    return {t0 + t1.mul_by_v(), (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1};
}

Fp12 Fp12::square() const noexcept {
    // (a + bw)^2 = a^2 + b^2 v + 2ab w, with a^2 + b^2 v = (a + b)(a + bv) - ab - ab v.
    const Fp6 ab = c0 * c1;
    return {(c0 + c1) * (c0 + c1.mul_by_v()) - ab - ab.mul_by_v(), ab + ab};
}

Fp12 Fp12::inverse() const noexcept {
    const Fp6 t = (c0 * c0 - (c1 * c1).mul_by_v()).inverse();
    return {c0 * t, -(c1 * t)};
}

const std::array<Fp2, 6>& frobenius_gammas() noexcept {
    static const std::array<Fp2, 6> gammas = [] {
        const Fp2 xi{*Fp::from_limbs({9, 0, 0, 0}), Fp::one()};
        const Fp2 g1 = power(xi, kModulusMinus1Over6);
        std::array<Fp2, 6> g{};
        g[0] = Fp2::one();
        for (std::size_t k = 1; k < 6; ++k) g[k] = g[k - 1] * g1;
        return g;
    }();
    return gammas;
}

// (sum c_k w^k)^p = sum conj(c_k) w^(kp) = sum conj(c_k) gamma_k w^k, where the tower places
// c0.c0, c0.c1, c0.c2 at w^0, w^2, w^4 and c1.c0, c1.c1, c1.c2 at w^1, w^3, w^5.
Fp12 Fp12::frobenius() const noexcept {
    const auto& g = frobenius_gammas();
    return {{c0.c0.conjugate(), c0.c1.conjugate() * g[2], c0.c2.conjugate() * g[4]},
            {c1.c0.conjugate() * g[1], c1.c1.conjugate() * g[3], c1.c2.conjugate() * g[5]}};
}

}  // namespace sluice::evm::bn254
