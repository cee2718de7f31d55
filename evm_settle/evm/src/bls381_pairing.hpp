// The optimal ate pairing of BLS12-381 (EIP-2537 precompile 0x0f): a Miller loop over |x|, x =
// -0xd201000000010000 (conjugated at the end since x < 0), with the lines of the M-type twist evaluated
// at the G1 point, and the final exponentiation: the easy part (p^6 - 1)(p^2 + 1) by conjugate,
// inverse and Frobenius, the hard part 3 (p^4 - p^2 + 1)/r by a chain of exponentiations by x.
#pragma once

#include <span>
#include <utility>
#include <vector>

#include "bls381_curve.hpp"

namespace sluice::evm::bls381 {

// The Miller loop's lines for one G2 point: the walk of T = Q, 2Q, 3Q, ... with its inversions depends
// on Q alone, so a fixed Q (KZG's [tau]_2) is prepared once; each line is kept as its slope lambda and
// c = lambda xt - yt, and evaluating it at P costs one Fp2-by-Fp product.
struct PreparedG2 {
    struct LineCoefficients {
        Fp2 lambda, c;
    };
    std::vector<LineCoefficients> lines;  // in loop order: a doubling per bit, an addition per set bit
    bool infinity = true;
};
PreparedG2 prepare(const G2& q);

// The Miller loop f_{x,Q}(P), up to factors the final exponentiation removes; 1 if P or Q is infinity.
Fp12 miller_loop(const G1& p, const G2& q);
// f^(3 (p^12 - 1)/r): the cube of the usual reduced pairing value, still a non-degenerate bilinear
// pairing, and equal to 1 exactly when the usual one is (3 does not divide r), which is all the
// pairing check and KZG ask.
Fp12 final_exponentiation(const Fp12& f) noexcept;
// The reference hard part: f^((p^4 - p^2 + 1)/r) by plain exponentiation.
Fp12 final_exponentiation_hard(const Fp12& f) noexcept;
// The hard part final_exponentiation uses, by the x-chain: g^(3 (p^4 - p^2 + 1)/r) for g in the
// cyclotomic subgroup (an output of the easy part).
Fp12 final_exponentiation_hard_cubed(const Fp12& g) noexcept;
// e(P, Q) = final_exponentiation(miller_loop(P, Q)).
Fp12 pairing(const G1& p, const G2& q);
// prod e(P_i, Q_i) == 1, with one final exponentiation; pairs with a point at infinity contribute 1.
// The points must be on their curves and in the order-r subgroups (the decoders check this).
// One Miller loop over all pairs (shared squarings) and one final exponentiation.
bool pairing_check(std::span<const std::pair<G1, G2>> pairs);
// The same over prepared G2 points (none may be null).
bool pairing_check(std::span<const std::pair<G1, const PreparedG2*>> pairs) noexcept;
// f times the sparse line yp w^4 + a w^3 + c w, exposed so the tests can compare it with a full product.
Fp12 mul_by_line_for_test(const Fp12& f, const Fp& yp, const Fp2& a, const Fp2& c) noexcept;

}  // namespace sluice::evm::bls381
