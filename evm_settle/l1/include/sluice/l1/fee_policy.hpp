// FeePolicy: the fees the signer (tx_signer.hpp) puts on a transaction. EIP-1559 chains: the tip is the
// median over recent blocks of eth_feeHistory's reward at a percentile (eth_maxPriorityFeePerGas when the
// recent blocks carry no transactions), and max fee = 2 × base fee + tip, as ethers and geth estimate, so the
// transaction stays includable through several full blocks of base-fee growth. Chains without a base fee
// get a legacy gas price (eth_gasPrice).
//
// The user's caps are hard limits: fees the chain needs above them (a tip above the tip cap, base fee + tip
// above the max-fee cap) are refused with signer_fee_above_cap before anything is signed. When only the
// 2 × base fee headroom exceeds the cap, the max fee is clamped to the cap instead.
//
// Bumps (a replacement with the same nonce): geth and most nodes require both fees raised by at least 10%;
// a bump takes the larger of that and the current estimate, and fails with signer_fee_above_cap when the
// cap leaves no room for a 10% raise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/l1/l1_client.hpp"

namespace sluice::l1 {

struct FeeCaps {
    std::optional<u256> max_fee_per_gas;           // also caps a legacy gas price
    std::optional<u256> max_priority_fee_per_gas;  // the tip
};

struct FeePolicyOptions {
    FeeCaps caps;
    std::uint64_t history_blocks = 10;
    double reward_percentile = 50;
    std::uint32_t bump_percent = 10;  // nodes refuse a replacement below +10% (geth's default price bump)
};

struct Fees {
    bool legacy = false;  // gas_price only
    u256 gas_price;
    u256 max_fee_per_gas;
    u256 max_priority_fee_per_gas;

    friend bool operator==(const Fees&, const Fees&) = default;
};

std::string describe(const Fees& fees);

class FeePolicy {
  public:
    explicit FeePolicy(FeePolicyOptions options = {}) : options_(options) {}

    // The fees for a transaction sent now, within the caps.
    Async<Fees> estimate(L1Client& client) const;

    // From a base fee and a tip (or a legacy price) to capped fees: the pure part of estimate().
    Result<Fees> from_market(const std::optional<u256>& base_fee, const u256& tip_or_gas_price) const;

    // Fees for a replacement of `previous`: each fee raised by bump_percent (rounded up) and at least
    // `current` (today's estimate), within the caps.
    Result<Fees> bump(const Fees& previous, const Fees& current) const;

    const FeePolicyOptions& options() const noexcept { return options_; }

  private:
    FeePolicyOptions options_;
};

}  // namespace sluice::l1
