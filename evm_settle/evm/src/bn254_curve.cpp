// bn254 G1/G2 group law (a = 0 short Weierstrass, Jacobian coordinates), scalar multiplication,
// point decoding with the curve and G2 subgroup checks of EIP-196/197.
#include "bn254_curve.hpp"

namespace sluice::evm::bn254 {
namespace {

template <class F>
F curve_b() noexcept;

template <>
Fp curve_b<Fp>() noexcept {
    return *Fp::from_limbs({3, 0, 0, 0});
}

// 3 / (9 + u)
template <>
Fp2 curve_b<Fp2>() noexcept {
    static const Fp2 b = [] {
        const Fp2 three{*Fp::from_limbs({3, 0, 0, 0}), Fp::zero()};
        const Fp2 xi{*Fp::from_limbs({9, 0, 0, 0}), Fp::one()};
        return three * xi.inverse();
    }();
    return b;
}

template <class F>
bool on_curve(const F& x, const F& y) noexcept {
    return y * y == x * x * x + curve_b<F>();
}

}  // namespace

template <class F>
Affine<F> Jacobian<F>::to_affine() const noexcept {
    if (is_infinity()) return {};
    const F zi = z.inverse();
    const F zi2 = zi * zi;
    return {x * zi2, y * zi2 * zi, false};
}

template <class F>
Jacobian<F> Jacobian<F>::doubled() const noexcept {
    if (is_infinity()) return *this;
    const F a = x * x;
    const F b = y * y;
    const F c = b * b;
    F d = (x + b) * (x + b) - a - c;
    d = d + d;
    const F e = a + a + a;
    const F f = e * e;
    const F x3 = f - d - d;
    const F c8 = [&] {
        const F c2 = c + c, c4 = c2 + c2;
        return c4 + c4;
    }();
    const F yz = y * z;
    return {x3, e * (d - x3) - c8, yz + yz};
}

template <class F>
Jacobian<F> Jacobian<F>::operator+(const Jacobian& q) const noexcept {
    if (is_infinity()) return q;
    if (q.is_infinity()) return *this;
    const F z1z1 = z * z;
    const F z2z2 = q.z * q.z;
    const F u1 = x * z2z2;
    const F u2 = q.x * z1z1;
    const F s1 = y * q.z * z2z2;
    const F s2 = q.y * z * z1z1;
    const F h = u2 - u1;
    if (h.is_zero()) {
        if ((s2 - s1).is_zero()) return doubled();
        return {};
    }
    const F i = (h + h) * (h + h);
    const F j = h * i;
    const F r = (s2 - s1) + (s2 - s1);
    const F v = u1 * i;
    const F x3 = r * r - j - v - v;
    const F s1j = s1 * j;
    const F y3 = r * (v - x3) - s1j - s1j;
    const F z3 = ((z + q.z) * (z + q.z) - z1z1 - z2z2) * h;
    return {x3, y3, z3};
}

template <class F>
Jacobian<F> Jacobian<F>::multiplied(const Limbs& scalar) const noexcept {
    Jacobian acc;
    for (std::size_t i = 256; i-- > 0;) {
        acc = acc.doubled();
        if (((scalar[i / 64] >> (i % 64)) & 1) != 0) acc = acc + *this;
    }
    return acc;
}

template <class F>
Jacobian<F> Jacobian<F>::multiplied(const std::uint8_t* scalar_be32) const noexcept {
    Limbs k{};
    for (std::size_t i = 0; i < 32; ++i) k[3 - i / 8] = (k[3 - i / 8] << 8) | scalar_be32[i];
    return multiplied(k);
}

template struct Jacobian<Fp>;
template struct Jacobian<Fp2>;

std::optional<G1> decode_g1(const std::uint8_t* in64) noexcept {
    const auto x = Fp::from_be(in64);
    const auto y = Fp::from_be(in64 + 32);
    if (!x || !y) return std::nullopt;
    if (x->is_zero() && y->is_zero()) return G1{};
    if (!on_curve(*x, *y)) return std::nullopt;
    return G1{*x, *y, false};
}

std::optional<G2> decode_g2(const std::uint8_t* in128) noexcept {
    const auto x1 = Fp::from_be(in128);
    const auto x0 = Fp::from_be(in128 + 32);
    const auto y1 = Fp::from_be(in128 + 64);
    const auto y0 = Fp::from_be(in128 + 96);
    if (!x0 || !x1 || !y0 || !y1) return std::nullopt;
    const Fp2 x{*x0, *x1};
    const Fp2 y{*y0, *y1};
    if (x.is_zero() && y.is_zero()) return G2{};
    if (!on_curve(x, y)) return std::nullopt;
    const G2 q{x, y, false};
    // The twist has a large cofactor: a point on it must also have order n.
    if (!Jacobian<Fp2>::from_affine(q).multiplied(kGroupOrder).is_infinity()) return std::nullopt;
    return q;
}

void encode_g1(const G1& p, std::uint8_t* out64) noexcept {
    if (p.infinity) {
        std::fill(out64, out64 + 64, std::uint8_t{0});
        return;
    }
    p.x.to_be(out64);
    p.y.to_be(out64 + 32);
}

}  // namespace sluice::evm::bn254
