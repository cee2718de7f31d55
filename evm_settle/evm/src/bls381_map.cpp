// RFC 9380 map_to_curve_simple_swu (section 6.6.2, the plain form of its steps, not the
// constant-time straight-line one: the precompile's input is public), the isogeny maps and cofactor
// clearing (section 7: clear_cofactor(P) = h_eff * P).
#include "bls381_map.hpp"

#include <array>
#include <cstdlib>
#include <type_traits>
#include <vector>

#include "bls381_endomorphism.hpp"
#include "bls381_map_constants.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::evm::bls381 {
namespace {

namespace mc = map_constants;

Fp small(std::uint64_t v) noexcept {
    return *Fp::from_limbs({v, 0, 0, 0, 0, 0});
}
Fp2 fp2_from_hex(const mc::HexFp2& h) noexcept {
    return {Fp::from_hex(h.c0), Fp::from_hex(h.c1)};
}

// sgn0 of section 4.1: the parity of the first nonzero coordinate, lowest degree first.
bool sgn0(const Fp& x) noexcept {
    return x.is_odd();
}
bool sgn0(const Fp2& x) noexcept {
    return x.c0.is_odd() || (x.c0.is_zero() && x.c1.is_odd());
}

template <class F>
struct Curve {
    F a, b, z;
    std::vector<F> x_num, x_den, y_num, y_den;  // ascending degree; dens without their leading 1
    std::vector<std::uint8_t> h_eff;            // big-endian
};

std::vector<std::uint8_t> bytes_from_hex(std::string_view hex) {
    auto bytes = from_hex(hex, HexPrefix::optional);
    if (!bytes) std::abort();  // the constants are well-formed
    return std::vector<std::uint8_t>(bytes->begin(), bytes->end());
}

template <class F, class Hex, std::size_t N>
std::vector<F> coefficients(const std::array<Hex, N>& hex, F (*parse)(const Hex&)) {
    std::vector<F> out;
    out.reserve(N);
    for (const auto& h : hex)
        out.push_back(parse(h));
    return out;
}

Fp fp_from_view(const std::string_view& h) {
    return Fp::from_hex(h);
}

const Curve<Fp>& g1_curve() noexcept {
    static const Curve<Fp> c{Fp::from_hex(mc::kG1IsoA),
                             Fp::from_hex(mc::kG1IsoB),
                             small(11),
                             coefficients(mc::kG1XNum, fp_from_view),
                             coefficients(mc::kG1XDen, fp_from_view),
                             coefficients(mc::kG1YNum, fp_from_view),
                             coefficients(mc::kG1YDen, fp_from_view),
                             bytes_from_hex(mc::kG1Heff)};
    return c;
}

const Curve<Fp2>& g2_curve() noexcept {
    static const Curve<Fp2> c{Fp2{Fp::zero(), small(240)},
                              Fp2{small(1012), small(1012)},
                              -Fp2{small(2), small(1)},
                              coefficients(mc::kG2XNum, fp2_from_hex),
                              coefficients(mc::kG2XDen, fp2_from_hex),
                              coefficients(mc::kG2YNum, fp2_from_hex),
                              coefficients(mc::kG2YDen, fp2_from_hex),
                              bytes_from_hex(mc::kG2Heff)};
    return c;
}

// Horner; `monic` adds the implicit leading coefficient 1.
template <class F>
F evaluate(const std::vector<F>& coeffs, const F& x, bool monic) noexcept {
    F r = monic ? F::one() : F::zero();
    for (std::size_t i = coeffs.size(); i-- > 0;)
        r = r * x + coeffs[i];
    return r;
}

template <class F>
Affine<F> sswu(const Curve<F>& c, const F& u) noexcept {
    const F zu2 = c.z * u.square();
    const F t = zu2.square() + zu2;  // Z^2 u^4 + Z u^2
    // Step 1-3: x1 = (-B/A)(1 + 1/t), or B/(Z A) in the exceptional case t = 0.
    const F x1 = t.is_zero() ? c.b * (c.z * c.a).inverse() : -c.b * c.a.inverse() * (F::one() + t.inverse());
    const auto g = [&](const F& x) { return (x.square() + c.a) * x + c.b; };
    F x = x1;
    auto y = g(x1).sqrt();
    if (!y) {
        x = zu2 * x1;  // g(x2) = (Z u^2)^3 g(x1) is then a square
        y = g(x).sqrt();
    }
    // One of g(x1), g(x2) is a square by the choice of Z; a failure here is a wrong constant.
    if (!y) std::abort();
    if (sgn0(u) != sgn0(*y)) *y = -*y;
    return {x, *y, false};
}

template <class F>
Affine<F> iso_map(const Curve<F>& c, const Affine<F>& p) noexcept {
    if (p.infinity) return p;
    const F x_den = evaluate(c.x_den, p.x, true);
    const F y_den = evaluate(c.y_den, p.x, true);
    if (x_den.is_zero() || y_den.is_zero()) return {};
    return {evaluate(c.x_num, p.x, false) * x_den.inverse(),
            p.y * evaluate(c.y_num, p.x, false) * y_den.inverse(), false};
}

// G2's clear_cofactor by the psi chain of Appendix G.3 (equal to h_eff P, ~10x cheaper); G1's h_eff
// is 64 bits and multiplied directly.
template <class F>
Affine<F> map_to_group(const Curve<F>& c, const F& u) noexcept {
    const Affine<F> q = iso_map(c, sswu(c, u));
    if constexpr (std::is_same_v<F, Fp2>) {
        return clear_cofactor_g2(q).to_affine();
    } else {
        return multiply(q, std::span<const std::uint8_t>(c.h_eff)).to_affine();
    }
}

}  // namespace

G1 sswu_g1(const Fp& u) noexcept {
    return sswu(g1_curve(), u);
}
G2 sswu_g2(const Fp2& u) noexcept {
    return sswu(g2_curve(), u);
}
G1 iso_map_g1(const G1& p) noexcept {
    return iso_map(g1_curve(), p);
}
G2 iso_map_g2(const G2& p) noexcept {
    return iso_map(g2_curve(), p);
}
G1 map_fp_to_g1(const Fp& u) noexcept {
    return map_to_group(g1_curve(), u);
}
G2 map_fp2_to_g2(const Fp2& u) noexcept {
    return map_to_group(g2_curve(), u);
}
G2 clear_cofactor_g2_by_h_eff(const G2& p) noexcept {
    return multiply(p, std::span<const std::uint8_t>(g2_curve().h_eff)).to_affine();
}

}  // namespace sluice::evm::bls381
