// FeePolicy: EIP-1559 / legacy fee estimation, caps and replacement bumps (fee_policy.hpp).
#include "sluice/l1/fee_policy.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace sluice::l1 {

namespace {

Error above_cap(const std::string& what, const u256& needed, const u256& cap) {
    return make_error(Errc::signer_fee_above_cap,
                      what + " needs " + needed.to_dec() + " wei per gas, above the cap of " + cap.to_dec());
}

// x raised by `percent`, rounded up, and by at least 1 wei so a zero fee moves too.
u256 raised(const u256& x, std::uint32_t percent) {
    const u256 step = (x * u256{percent} + u256{99}) / u256{100};
    return x + std::max(step, u256{1});
}

}  // namespace

std::string describe(const Fees& fees) {
    if (fees.legacy) return "gas price " + fees.gas_price.to_dec();
    return "max fee " + fees.max_fee_per_gas.to_dec() + ", tip " + fees.max_priority_fee_per_gas.to_dec();
}

Result<Fees> FeePolicy::from_market(const std::optional<u256>& base_fee, const u256& tip_or_gas_price) const {
    const FeeCaps& caps = options_.caps;
    Fees fees;
    if (!base_fee) {
        fees.legacy = true;
        fees.gas_price = tip_or_gas_price;
        if (caps.max_fee_per_gas && fees.gas_price > *caps.max_fee_per_gas)
            return above_cap("the gas price", fees.gas_price, *caps.max_fee_per_gas);
        return fees;
    }
    const u256& tip = tip_or_gas_price;
    if (caps.max_priority_fee_per_gas && tip > *caps.max_priority_fee_per_gas)
        return above_cap("the priority fee", tip, *caps.max_priority_fee_per_gas);
    const u256 needed = *base_fee + tip;
    if (caps.max_fee_per_gas && needed > *caps.max_fee_per_gas)
        return above_cap("base fee " + base_fee->to_dec() + " + tip", needed, *caps.max_fee_per_gas);
    fees.max_priority_fee_per_gas = tip;
    fees.max_fee_per_gas = u256{2} * *base_fee + tip;
    if (caps.max_fee_per_gas) fees.max_fee_per_gas = std::min(fees.max_fee_per_gas, *caps.max_fee_per_gas);
    return fees;
}

Async<Fees> FeePolicy::estimate(L1Client& client) const {
    SLUICE_CO_TRY(const std::optional<BlockSummary> head, co_await client.block(BlockTag::latest()));
    if (!head) co_return make_error(Errc::l1_malformed_reply, "the node has no latest block");
    if (!head->base_fee) {
        SLUICE_CO_TRY(const u256 price, co_await client.gas_price());
        co_return from_market(std::nullopt, price);
    }
    const std::array<double, 1> percentiles{options_.reward_percentile};
    SLUICE_CO_TRY(const FeeHistory history,
                  co_await client.fee_history(options_.history_blocks, BlockTag::latest(), percentiles));
    // Empty blocks report a zero reward: they say nothing about the tip the market pays.
    std::vector<u256> rewards;
    for (std::size_t i = 0; i < history.reward.size() && i < history.gas_used_ratio.size(); ++i) {
        if (history.gas_used_ratio[i] > 0 && !history.reward[i].empty())
            rewards.push_back(history.reward[i][0]);
    }
    u256 tip;
    if (rewards.empty()) {
        SLUICE_CO_TRY(tip, co_await client.max_priority_fee_per_gas());
    } else {
        std::sort(rewards.begin(), rewards.end());
        tip = rewards[rewards.size() / 2];
    }
    // The next block's base fee is the last entry; a node that leaves it out gets the head's.
    const u256 base_fee =
        history.base_fee_per_gas.empty() ? *head->base_fee : history.base_fee_per_gas.back();
    co_return from_market(base_fee, tip);
}

Result<Fees> FeePolicy::bump(const Fees& previous, const Fees& current) const {
    const FeeCaps& caps = options_.caps;
    const std::uint32_t p = options_.bump_percent;
    Fees next = previous;
    if (previous.legacy) {
        const u256 least = raised(previous.gas_price, p);
        next.gas_price = std::max(least, current.legacy ? current.gas_price : current.max_fee_per_gas);
        if (caps.max_fee_per_gas && next.gas_price > *caps.max_fee_per_gas) {
            if (least > *caps.max_fee_per_gas)
                return above_cap("a replacement's gas price", least, *caps.max_fee_per_gas);
            next.gas_price = *caps.max_fee_per_gas;
        }
        return next;
    }
    const u256 least_tip = raised(previous.max_priority_fee_per_gas, p);
    const u256 least_max = std::max(raised(previous.max_fee_per_gas, p), least_tip);
    next.max_priority_fee_per_gas = std::max(least_tip, current.max_priority_fee_per_gas);
    next.max_fee_per_gas = std::max({least_max, current.max_fee_per_gas, next.max_priority_fee_per_gas});
    if (caps.max_priority_fee_per_gas && next.max_priority_fee_per_gas > *caps.max_priority_fee_per_gas) {
        if (least_tip > *caps.max_priority_fee_per_gas)
            return above_cap("a replacement's priority fee", least_tip, *caps.max_priority_fee_per_gas);
        next.max_priority_fee_per_gas = *caps.max_priority_fee_per_gas;
    }
    if (caps.max_fee_per_gas && next.max_fee_per_gas > *caps.max_fee_per_gas) {
        if (least_max > *caps.max_fee_per_gas)
            return above_cap("a replacement's max fee", least_max, *caps.max_fee_per_gas);
        next.max_fee_per_gas = *caps.max_fee_per_gas;
        next.max_priority_fee_per_gas = std::min(next.max_priority_fee_per_gas, next.max_fee_per_gas);
    }
    return next;
}

}  // namespace sluice::l1
