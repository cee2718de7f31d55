// The optimal ate pairing on bn254 (Miller loop over 6x+2 with the two Frobenius correction lines,
// then the final exponentiation to (p^12 - 1)/n), as the product-equals-one check of EIP-197.
//
// T moves in homogeneous projective coordinates (no inversion per step); each line is scaled by a
// factor in Fp2, which the final exponentiation removes. The hard part of the final exponentiation
// is the addition chain in powers of x of Scott et al., "On the final exponentiation for
// calculating pairings on ordinary elliptic curves" (2009).
#include <array>

#include "bn254_curve.hpp"

namespace sluice::evm::bn254 {
namespace {

// The BN parameter x, and 6x + 2 (65 bits).
constexpr std::uint64_t kBnX = 4965661367192848881ULL;
constexpr std::uint64_t kAteLow = 0x9d797039be763ba8;
constexpr unsigned kAteTopBit = 64;

// T in homogeneous coordinates: (X/Z, Y/Z).
struct Projective {
    Fp2 x, y, z;
};

// A line as the sparse Fp12 element a + (b + c v) w, with a = scalar * y_P.
struct Line {
    Fp2 a, b, c;
};

const Fp2& twist_b3() noexcept {
    static const Fp2 b3 = [] {
        const Fp2 three{*Fp::from_limbs({3, 0, 0, 0}), Fp::zero()};
        const Fp2 xi{*Fp::from_limbs({9, 0, 0, 0}), Fp::one()};
        return three * three * xi.inverse();  // 3 * b' with b' = 3 / xi
    }();
    return b3;
}

// (x0 + x1 v + x2 v^2)(b + c v) in Fp6.
Fp6 mul_by_bc(const Fp6& x, const Fp2& b, const Fp2& c) noexcept {
    return {x.c0 * b + (x.c2 * c).mul_by_xi(), x.c0 * c + x.c1 * b, x.c1 * c + x.c2 * b};
}

// f * (a + (b + c v) w), with a in Fp2.
Fp12 mul_by_line(const Fp12& f, const Line& l) noexcept {
    const Fp6 t0{f.c0.c0 * l.a, f.c0.c1 * l.a, f.c0.c2 * l.a};
    const Fp6 t1 = mul_by_bc(f.c1, l.b, l.c);
    const Fp6 sum = mul_by_bc(f.c0 + f.c1, l.a + l.b, l.c);
    return {t0 + t1.mul_by_v(), sum - t0 - t1};
}

// Tangent at T, evaluated at P, and T <- 2T. The affine line y_P - lambda x_P w + (lambda x_T - y_T) w^3
// with lambda = 3X^2 / 2YZ, times 2YZ (and simplified with the curve equation):
// 2YZ y_P - 3X^2 x_P w + (Y^2 - 3b'Z^2) w^3.
Line double_step(Projective& t, const G1& p) noexcept {
    const Fp2 xx = t.x.square();
    const Fp2 w = xx + xx + xx;
    const Fp2 yy = t.y.square();
    const Fp2 s = t.y * t.z;
    const Line line{(s + s) * p.y, -(w * p.x), yy - twist_b3() * t.z.square()};
    const Fp2 b = t.x * t.y * s;
    const Fp2 b4 = (b + b) + (b + b);
    const Fp2 h = w.square() - (b4 + b4);
    const Fp2 ss = s.square();
    const Fp2 yyss = yy * ss;
    const Fp2 yyss2 = yyss + yyss, yyss4 = yyss2 + yyss2;
    const Fp2 hs = h * s;
    const Fp2 s3 = ss * s;
    const Fp2 s3_2 = s3 + s3, s3_4 = s3_2 + s3_2;
    t = {hs + hs, w * (b4 - h) - (yyss4 + yyss4), s3_4 + s3_4};
    return line;
}

// Line through T and the affine point Q, evaluated at P, and T <- T + Q. With u = y_Q Z - Y and
// v = x_Q Z - X (lambda = u / v), the affine line times v: v y_P - u x_P w + (u x_Q - v y_Q) w^3.
Line add_step(Projective& t, const G2& q, const G1& p) noexcept {
    const Fp2 u = q.y * t.z - t.y;
    const Fp2 v = q.x * t.z - t.x;
    const Line line{v * p.y, -(u * p.x), u * q.x - v * q.y};
    const Fp2 vv = v.square();
    const Fp2 vvv = vv * v;
    const Fp2 vvx = vv * t.x;
    const Fp2 a = u.square() * t.z - vvv - vvx - vvx;
    t = {v * a, u * (vvx - a) - vvv * t.y, vvv * t.z};
    return line;
}

// The p-power Frobenius endomorphism carried to the twist.
G2 twist_frobenius(const G2& q) noexcept {
    const auto& g = frobenius_gammas();
    return {q.x.conjugate() * g[2], q.y.conjugate() * g[3], false};
}

Fp12 miller_loop(const G1& p, const G2& q) noexcept {
    Fp12 f = Fp12::one();
    Projective t{q.x, q.y, Fp2::one()};
    for (unsigned i = kAteTopBit; i-- > 0;) {
        f = mul_by_line(f.square(), double_step(t, p));
        if (((kAteLow >> i) & 1) != 0) f = mul_by_line(f, add_step(t, q, p));
    }
    const G2 q1 = twist_frobenius(q);
    G2 minus_q2 = twist_frobenius(q1);
    minus_q2.y = -minus_q2.y;
    f = mul_by_line(f, add_step(t, q1, p));
    f = mul_by_line(f, add_step(t, minus_q2, p));
    return f;
}

Fp12 pow_x(const Fp12& f) noexcept {
    Fp12 r = f;
    for (int i = 61; i >= 0; --i) {  // x has 63 bits; the top one is r = f
        r = r.square();
        if (((kBnX >> i) & 1) != 0) r = r * f;
    }
    return r;
}

Fp12 final_exponentiation(const Fp12& f) noexcept {
    // Easy part: f^((p^6 - 1)(p^2 + 1)). The result lies in the cyclotomic subgroup, where the
    // conjugate is the inverse.
    Fp12 t = f.conjugate() * f.inverse();
    t = t.frobenius().frobenius() * t;
    // Hard part: (p^4 - p^2 + 1)/n written in base p with coefficients polynomial in x.
    const Fp12 fp = t.frobenius();
    const Fp12 fp2 = fp.frobenius();
    const Fp12 fp3 = fp2.frobenius();
    const Fp12 fx = pow_x(t);
    const Fp12 fx2 = pow_x(fx);
    const Fp12 fx3 = pow_x(fx2);
    const Fp12 y0 = fp * fp2 * fp3;
    const Fp12 y1 = t.conjugate();
    const Fp12 y2 = fx2.frobenius().frobenius();
    const Fp12 y3 = fx.frobenius().conjugate();
    const Fp12 y4 = (fx * fx2.frobenius()).conjugate();
    const Fp12 y5 = fx2.conjugate();
    const Fp12 y6 = (fx3 * fx3.frobenius()).conjugate();
    Fp12 t0 = y6.square() * y4 * y5;
    Fp12 t1 = y3 * y5 * t0;
    t0 = t0 * y2;
    t1 = (t1.square() * t0).square();
    t0 = t1 * y1;
    t1 = t1 * y0;
    return t0.square() * t1;
}

}  // namespace

bool pairing_check(std::span<const std::pair<G1, G2>> pairs) noexcept {
    Fp12 f = Fp12::one();
    for (const auto& [p, q] : pairs) {
        if (p.infinity || q.infinity) continue;  // e(O, Q) = e(P, O) = 1
        f = f * miller_loop(p, q);
    }
    return final_exponentiation(f) == Fp12::one();
}

}  // namespace sluice::evm::bn254
