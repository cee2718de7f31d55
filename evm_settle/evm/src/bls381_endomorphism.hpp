// The endomorphisms of BLS12-381 and what they buy: phi(x, y) = (beta x, y) on E(Fp) and the
// untwist-Frobenius-twist psi on E'(Fp2). They give the subgroup checks of EIP-2537's
// assets/eip-2537/fast_subgroup_checks.md (Scott, eprint 2021/1130 section 4; eprint 2022/352
// section 4.2) and the G2 cofactor clearing of RFC 9380 Appendix G.3 (Budroni-Pintore), each a few
// multiplications by the 64-bit x instead of one by r (255 bits) or h_eff (636 bits).
#pragma once

#include <cstdint>
#include <span>

#include "bls381_curve.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::evm::bls381 {

G1 phi(const G1& p) noexcept;
// psi(x, y) = (conj(x) / xi^((p-1)/3), conj(y) / xi^((p-1)/2)), xi = 1 + u.
G2 psi(const G2& p) noexcept;

// phi(P) + x^2 P == 0, resp. psi(P) - x P == 0 (x = -0xd201000000010000: psi is multiplication by
// p = x mod r on G2; the EIP's note writes the seed as |x| there); P must be on the curve.
bool g1_in_subgroup_by_endomorphism(const G1& p) noexcept;
bool g2_in_subgroup_by_endomorphism(const G2& p) noexcept;

// k P for P in the order-r subgroup (unchecked: the caller has checked it), k any 256-bit big-endian
// scalar: k is reduced mod r and split along the endomorphism, k = k0 + k1 x^2 with phi(P) = -x^2 P on
// G1, k = k0 + k1 |x| + k2 |x|^2 + k3 |x|^3 with psi(Q) = x Q on G2, and the short multiplications
// interleaved (128, resp. 64, doublings instead of 256).
G1Jacobian g1_multiply_in_subgroup(const G1& p, std::span<const std::uint8_t, 32> k_be) noexcept;
G2Jacobian g2_multiply_in_subgroup(const G2& p, std::span<const std::uint8_t, 32> k_be) noexcept;

// The split itself, k P = sum_i digits[i] bases[i], for the MSMs to run Pippenger on shorter scalars.
template <class F, std::size_t N>
struct Split {
    std::array<Affine<F>, N> bases;
    std::array<u256, N> digits;  // each below 2^bits
    static constexpr unsigned bits = N == 2 ? 128 : 64;
};
Split<Fp, 2> split_g1(const G1& p, std::span<const std::uint8_t, 32> k_be) noexcept;
Split<Fp2, 4> split_g2(const G2& p, std::span<const std::uint8_t, 32> k_be) noexcept;

// h_eff P for the h_eff of RFC 9380 section 8.8.2, as [x^2 - x - 1] P + [x - 1] psi(P) + psi^2(2P).
G2Jacobian clear_cofactor_g2(const G2& p) noexcept;

}  // namespace sluice::evm::bls381
