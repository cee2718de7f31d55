// EIP-1559's base fee: each block's follows its parent's gas used against the gas target (half the gas
// limit, the elasticity multiplier 2), moving by at most 1/8 per block.
#pragma once

#include <cstdint>

#include "sluice/core/u256.hpp"

namespace sluice::l1 {

inline constexpr std::int64_t kElasticityMultiplier = 2;
inline constexpr std::uint64_t kBaseFeeChangeDenominator = 8;

// The base fee of the block whose parent had `parent_base_fee` and used `parent_gas_used` of
// `parent_gas_limit`: unchanged at the target, up by max(1, fee * excess / target / 8) above it, down by
// fee * shortfall / target / 8 below it.
u256 next_base_fee(const u256& parent_base_fee, std::int64_t parent_gas_used, std::int64_t parent_gas_limit);

}  // namespace sluice::l1
