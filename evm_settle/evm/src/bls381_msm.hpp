// Multi-scalar multiplication sum_i k_i P_i over G1 or G2 (EIP-2537 G1MSM / G2MSM) by Pippenger's
// bucket method, the algorithm the EIP's discount table assumes.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "bls381_curve.hpp"

namespace sluice::evm::bls381 {

using Scalar32 = std::array<std::uint8_t, 32>;  // big-endian, not reduced mod r

// points.size() must equal scalars.size(); points may be the infinity and must be in the order-r
// subgroup (the precompiles check it): a single pair takes the endomorphism multiplication.
template <class F>
Jacobian<F> msm(std::span<const Affine<F>> points, std::span<const Scalar32> scalars);

}  // namespace sluice::evm::bls381
