// The EIP-2537 maps MAP_FP_TO_G1 and MAP_FP2_TO_G2: RFC 9380's map_to_curve (simplified SWU onto a
// curve isogenous to E, then the isogeny, section 6.6.3) followed by clear_cofactor (section 7), i.e.
// the encode_to_curve of the BLS12381G1/G2 SSWU suites without the hash to the field.
#pragma once

#include "bls381_curve.hpp"

namespace sluice::evm::bls381 {

// A point of the order-r subgroup of G1 (possibly the infinity).
G1 map_fp_to_g1(const Fp& u) noexcept;
G2 map_fp2_to_g2(const Fp2& u) noexcept;

// The stages, exposed for the tests: simplified SWU onto E' (an affine point of E'), and the isogeny
// E' -> E (the infinity when a denominator vanishes, at the kernel's points).
G1 sswu_g1(const Fp& u) noexcept;
G2 sswu_g2(const Fp2& u) noexcept;
G1 iso_map_g1(const G1& p) noexcept;
G2 iso_map_g2(const G2& p) noexcept;
// h_eff P by plain scalar multiplication: the reference for clear_cofactor_g2.
G2 clear_cofactor_g2_by_h_eff(const G2& p) noexcept;

}  // namespace sluice::evm::bls381
