#include "sluice/l1/base_fee.hpp"

namespace sluice::l1 {
namespace {

// fee * num / den / 8, with num <= den; dividing first when the product would pass 2^256 (a base fee that
// large only comes from a configured one, and a wei of rounding there is immaterial).
u256 change(const u256& fee, std::uint64_t num, std::uint64_t den) {
    const u256 n{num}, d{den}, q{kBaseFeeChangeDenominator};
    if (fee > u256::max() / n) return fee / d * n / q;
    return fee * n / d / q;
}

}  // namespace

u256 next_base_fee(const u256& parent_base_fee, std::int64_t parent_gas_used, std::int64_t parent_gas_limit) {
    const std::int64_t target = parent_gas_limit / kElasticityMultiplier;
    if (target <= 0 || parent_gas_used == target) return parent_base_fee;
    const auto t = static_cast<std::uint64_t>(target);
    if (parent_gas_used > target) {
        u256 delta = change(parent_base_fee, static_cast<std::uint64_t>(parent_gas_used - target), t);
        if (delta.is_zero()) delta = u256{1};
        return parent_base_fee > u256::max() - delta ? u256::max() : parent_base_fee + delta;
    }
    return parent_base_fee - change(parent_base_fee, static_cast<std::uint64_t>(target - parent_gas_used), t);
}

}  // namespace sluice::l1
