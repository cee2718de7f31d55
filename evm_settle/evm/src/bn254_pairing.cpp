// The optimal ate pairing on bn254 (Miller loop over 6x+2 with the two Frobenius correction lines,
// then the final exponentiation to (p^12 - 1)/n), as the product-equals-one check of EIP-197.
//
// Correctness first: T moves in affine coordinates (one Fp2 inversion per step) and the hard part of
// the final exponentiation is a plain square-and-multiply by (p^4 - p^2 + 1)/n.
#include <array>

#include "bn254_curve.hpp"

namespace sluice::evm::bn254 {
namespace {

// 6x + 2 for the BN parameter x = 4965661367192848881 (65 bits).
constexpr std::uint64_t kAteLow = 0x9d797039be763ba8;
constexpr unsigned kAteTopBit = 64;

// (p^4 - p^2 + 1) / n, little-endian limbs (761 bits).
constexpr std::array<std::uint64_t, 12> kHardExponent = {
    0xe81bb482ccdf42b1, 0x5abf5cc4f49c36d4, 0xf1154e7e1da014fd, 0xdcc7b44c87cdbacf,
    0xaaa441e3954bcf8a, 0x6b887d56d5095f23, 0x79581e16f3fd90c6, 0x3b1b1355d189227d,
    0x4e529a5861876f6b, 0x6c0eb522d5b12278, 0x331ec15183177faf, 0x01baaa710b0759ad};

// The line through twist points with slope `lambda` through (xt, yt), evaluated at P after the
// untwisting (x, y) -> (x w^2, y w^3): y_P - lambda x_P w + (lambda x_t - y_t) w^3.
Fp12 line_value(const Fp2& lambda, const Fp2& xt, const Fp2& yt, const G1& p) noexcept {
    return {{Fp2{p.y, Fp::zero()}, Fp2::zero(), Fp2::zero()},
            {-(lambda * p.x), lambda * xt - yt, Fp2::zero()}};
}

// f <- f * l_{T,T}(P), T <- 2T.
void double_step(Fp12& f, G2& t, const G1& p) noexcept {
    const Fp2 x2 = t.x.square();
    const Fp2 lambda = (x2 + x2 + x2) * (t.y + t.y).inverse();
    f = f * line_value(lambda, t.x, t.y, p);
    const Fp2 x3 = lambda.square() - t.x - t.x;
    t.y = lambda * (t.x - x3) - t.y;
    t.x = x3;
}

// f <- f * l_{T,Q}(P), T <- T + Q.
void add_step(Fp12& f, G2& t, const G2& q, const G1& p) noexcept {
    if (t.x == q.x && t.y == q.y) {
        double_step(f, t, p);
        return;
    }
    const Fp2 lambda = (q.y - t.y) * (q.x - t.x).inverse();
    f = f * line_value(lambda, t.x, t.y, p);
    const Fp2 x3 = lambda.square() - t.x - q.x;
    t.y = lambda * (t.x - x3) - t.y;
    t.x = x3;
}

// The p-power Frobenius endomorphism carried to the twist.
G2 twist_frobenius(const G2& q) noexcept {
    const auto& g = frobenius_gammas();
    return {q.x.conjugate() * g[2], q.y.conjugate() * g[3], false};
}

Fp12 miller_loop(const G1& p, const G2& q) noexcept {
    Fp12 f = Fp12::one();
    G2 t = q;
    for (unsigned i = kAteTopBit; i-- > 0;) {
        f = f.square();
        double_step(f, t, p);
        if (((kAteLow >> i) & 1) != 0) add_step(f, t, q, p);
    }
    const G2 q1 = twist_frobenius(q);
    G2 minus_q2 = twist_frobenius(q1);
    minus_q2.y = -minus_q2.y;
    add_step(f, t, q1, p);
    add_step(f, t, minus_q2, p);
    return f;
}

Fp12 final_exponentiation(const Fp12& f) noexcept {
    // Easy part: f^((p^6 - 1)(p^2 + 1)).
    Fp12 r = f.conjugate() * f.inverse();
    r = r.frobenius().frobenius() * r;
    // Hard part.
    Fp12 acc = Fp12::one();
    for (std::size_t i = 64 * kHardExponent.size(); i-- > 0;) {
        acc = acc.square();
        if (((kHardExponent[i / 64] >> (i % 64)) & 1) != 0) acc = acc * r;
    }
    return acc;
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
