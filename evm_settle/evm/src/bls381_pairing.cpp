// The optimal ate pairing of BLS12-381. The Miller loop runs on the twist E'(Fp2) in affine
// coordinates. The M-type twist maps E' -> E by (x, y) -> (x / w^2, y / w^3), so a line of slope
// lambda through T = (xt, yt) on E' becomes, at P = (xp, yp) on E,
//   l(P) = yp - (lambda / w) xp + (lambda xt - yt) / w^3,
// which we multiply by w^4 = v^2 (an element of Fp6, removed by the p^6 - 1 of the final
// exponentiation): yp v^2 - lambda xp v w + (lambda xt - yt) w. Vertical lines lie in Fp6 and are
// dropped for the same reason.
#include "bls381_pairing.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace sluice::evm::bls381 {
namespace {

// |x| = 0xd201000000010000.
constexpr std::uint64_t kAbsX = 0xd201000000010000ULL;

// (p^4 - p^2 + 1)/r, 1268 bits, little-endian limbs.
constexpr std::array<std::uint64_t, 20> kHardExponent = {
    0xe516c3f438e3ba79, 0xfa9912aae208ccf1, 0x905ce937335d5b68, 0xc71a2629b0dea236, 0x83774940996754c8,
    0x21d160aeb6a1e799, 0x2ed0b283ed237db4, 0x915c97f36c6f1821, 0x67f17fcbde783765, 0x2378b9039096d1b7,
    0x7988f8761bdc51dc, 0x2076995003fc77a1, 0x827eca0ba621315b, 0xe5a72bce8d63cb9f, 0xf68f7764c28b6f8a,
    0x2f230063cf081517, 0x94506632528d6a9a, 0xd3cde88eeb996ca3, 0xc0bd38c3195c899e, 0x000f686b3d807d01};

// The line of slope lambda through T on E', evaluated at P and scaled by w^4, has three nonzero
// coefficients: yp w^4 + a w^3 + c w with a = -lambda xp and c = lambda xt - yt.
struct Line {
    Fp yp;
    Fp2 a, c;
};

Line evaluate(const PreparedG2::LineCoefficients& l, const G1& p) noexcept {
    return {p.y, -(l.lambda * p.x), l.c};
}

// f * l without the zero coefficients: l = l0 + l1 w with l0 = yp v^2 and l1 = c + a v, so
//   f0 l0 = yp (xi f0.c1 + xi f0.c2 v + f0.c0 v^2),
//   f1 l1 = (f1.c0 c + xi f1.c2 a) + (f1.c0 a + f1.c1 c) v + (f1.c1 a + f1.c2 c) v^2,
// and the w coefficient by Karatsuba, (f0 + f1)(l0 + l1) - f0 l0 - f1 l1: 12 Fp2 products, not 18.
Fp12 mul_by_line(const Fp12& f, const Line& l) noexcept {
    const Fp6& f0 = f.c0;
    const Fp6& f1 = f.c1;
    const Fp6 t0{f0.c1.mul_by_nonresidue() * l.yp, f0.c2.mul_by_nonresidue() * l.yp, f0.c0 * l.yp};
    const Fp6 t1{f1.c0 * l.c + (f1.c2 * l.a).mul_by_nonresidue(), f1.c0 * l.a + f1.c1 * l.c,
                 f1.c1 * l.a + f1.c2 * l.c};
    const Fp6 l0_plus_l1{l.c, l.a, Fp2{l.yp, Fp::zero()}};
    return {t0 + t1.mul_by_nonresidue(), (f0 + f1) * l0_plus_l1 - t0 - t1};
}

// The tangent at T (T has odd order, so yt != 0), and T doubled.
PreparedG2::LineCoefficients double_step(G2& t) noexcept {
    const Fp2 x2 = t.x.square();
    const Fp2 lambda = (x2 + x2 + x2) * (t.y + t.y).inverse();
    const PreparedG2::LineCoefficients l{lambda, lambda * t.x - t.y};
    const Fp2 x3 = lambda.square() - t.x - t.x;
    t.y = lambda * (t.x - x3) - t.y;
    t.x = x3;
    return l;
}

// The line through T and Q, and T = T + Q (T = kQ with 1 < k < |x| < r, so T != +-Q).
PreparedG2::LineCoefficients add_step(G2& t, const G2& q) noexcept {
    const Fp2 lambda = (q.y - t.y) * (q.x - t.x).inverse();
    const PreparedG2::LineCoefficients l{lambda, lambda * t.x - t.y};
    const Fp2 x3 = lambda.square() - t.x - q.x;
    t.y = lambda * (t.x - x3) - t.y;
    t.x = x3;
    return l;
}

bool bit_of_abs_x(int i) noexcept {
    return ((kAbsX >> i) & 1) != 0;
}

// prod_i f_{|x|,Q_i}(P_i) without the final conjugation, all pairs in one loop so that they share the
// squarings of f. Pairs with a point at infinity contribute 1 and are skipped.
Fp12 multi_miller_loop_abs(std::span<const std::pair<G1, const PreparedG2*>> pairs) noexcept {
    Fp12 f = Fp12::one();
    std::size_t step = 0;
    for (int i = 62; i >= 0; --i) {  // bit 63 of |x| is the leading one
        f = f.square();
        const std::size_t steps = bit_of_abs_x(i) ? 2 : 1;
        for (const auto& [p, q] : pairs) {
            if (p.infinity || q->infinity) continue;
            for (std::size_t k = 0; k < steps; ++k)
                f = mul_by_line(f, evaluate(q->lines[step + k], p));
        }
        step += steps;
    }
    return f;
}

}  // namespace

PreparedG2 prepare(const G2& q) {
    PreparedG2 prepared;
    prepared.infinity = q.infinity;
    if (q.infinity) return prepared;
    G2 t = q;
    for (int i = 62; i >= 0; --i) {
        prepared.lines.push_back(double_step(t));
        if (bit_of_abs_x(i)) prepared.lines.push_back(add_step(t, q));
    }
    return prepared;
}

Fp12 miller_loop(const G1& p, const G2& q) {
    // x < 0: f_{-n} = 1/(f_n v_n); after the p^6 - 1 of the final exponentiation 1/f agrees with
    // conj(f) and the vertical line v_n with 1.
    const PreparedG2 prepared = prepare(q);
    const std::array<std::pair<G1, const PreparedG2*>, 1> pair = {{{p, &prepared}}};
    return multi_miller_loop_abs(pair).conjugate();
}

Fp12 mul_by_line_for_test(const Fp12& f, const Fp& yp, const Fp2& a, const Fp2& c) noexcept {
    return mul_by_line(f, Line{yp, a, c});
}

Fp12 final_exponentiation_hard(const Fp12& f) noexcept {
    Fp12 r = Fp12::one();
    for (std::size_t i = 64 * kHardExponent.size(); i-- > 0;) {
        r = r.square();
        if (((kHardExponent[i / 64] >> (i % 64)) & 1) != 0) r = r * f;
    }
    return r;
}

namespace {

// g^x for g in the cyclotomic subgroup, where the inverse is the conjugate: x < 0, so g^x is the
// conjugate of g^|x|, by square-and-multiply over the 64 bits of |x| (six of them set), with the
// cyclotomic squaring.
Fp12 pow_x(const Fp12& g) noexcept {
    Fp12 r = g;
    for (int i = 62; i >= 0; --i) {
        r = r.cyclotomic_square();
        if (((kAbsX >> i) & 1) != 0) r = r * g;
    }
    return r.conjugate();
}

}  // namespace

// 3 (p^4 - p^2 + 1)/r = l0 + l1 p + l2 p^2 + l3 p^3 with l3 = (x - 1)^2, l2 = l3 x, l1 = l2 x - l3,
// l0 = l1 x + 3 (an identity of the BLS12 polynomials p(x), r(x), checked for x = -0xd201000000010000
// by the test against the reference). Five exponentiations by x and three Frobenius maps instead of one
// exponentiation by a 1268-bit number.
Fp12 final_exponentiation_hard_cubed(const Fp12& g) noexcept {
    const Fp12 g_x_minus_1 = pow_x(g) * g.conjugate();
    const Fp12 a3 = pow_x(g_x_minus_1) * g_x_minus_1.conjugate();  // g^l3
    const Fp12 a2 = pow_x(a3);                                     // g^l2
    const Fp12 a1 = pow_x(a2) * a3.conjugate();                    // g^l1
    const Fp12 a0 = pow_x(a1) * g.square() * g;                    // g^l0
    return a0 * a1.frobenius() * a2.frobenius().frobenius() * a3.frobenius().frobenius().frobenius();
}

Fp12 final_exponentiation(const Fp12& f) noexcept {
    // Easy part: f^(p^6 - 1) = conj(f) / f, then ^(p^2 + 1).
    Fp12 g = f.conjugate() * f.inverse();
    g = g.frobenius().frobenius() * g;
    return final_exponentiation_hard_cubed(g);
}

Fp12 pairing(const G1& p, const G2& q) {
    return final_exponentiation(miller_loop(p, q));
}

bool pairing_check(std::span<const std::pair<G1, const PreparedG2*>> pairs) noexcept {
    // Conjugation commutes with the product, so one conjugate suffices.
    return final_exponentiation(multi_miller_loop_abs(pairs).conjugate()) == Fp12::one();
}

bool pairing_check(std::span<const std::pair<G1, G2>> pairs) {
    std::vector<PreparedG2> prepared;
    prepared.reserve(pairs.size());
    std::vector<std::pair<G1, const PreparedG2*>> refs;
    refs.reserve(pairs.size());
    for (const auto& [p, q] : pairs) {
        prepared.push_back(p.infinity ? PreparedG2{} : prepare(q));
        refs.emplace_back(p, &prepared.back());
    }
    return pairing_check(refs);
}

}  // namespace sluice::evm::bls381
