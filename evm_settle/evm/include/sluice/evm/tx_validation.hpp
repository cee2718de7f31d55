// Transaction validity against a block and the sender's account: intrinsic gas (EIP-2028
// calldata, EIP-2930 access lists, EIP-3860 initcode words, EIP-7702 authorizations), the EIP-7623
// calldata floor, fee caps (EIP-1559), blob rules (EIP-4844), EIP-3607 senders and nonces.
// Every rejection is a typed Errc::tx_* error.
#pragma once

#include <cstdint>

#include "sluice/core/result.hpp"
#include "sluice/evm/block_info.hpp"
#include "sluice/evm/state.hpp"
#include "sluice/evm/transaction.hpp"

namespace sluice::evm {

struct IntrinsicGas {
    std::int64_t intrinsic = 0;  // charged before execution
    std::int64_t floor = 0;      // EIP-7623 minimum gas used (0 before Prague)
};

IntrinsicGas intrinsic_gas(const Transaction& tx, Revision rev) noexcept;

// The first revision at which transactions of `type` are valid (Berlin, London, Cancun, Prague for 1-4).
Revision tx_type_since(TxType type) noexcept;

// The price per gas the sender pays: base fee + min(tip cap, fee cap - base fee) from London.
u256 effective_gas_price(const Transaction& tx, const u256& base_fee, Revision rev) noexcept;

// Checks everything that makes a transaction invalid (not merely failing) in `block`.
// `blob_fee` is the block's blob base fee per blob gas.
Status validate_transaction(State& state, const BlockInfo& block, const Transaction& tx, Revision rev,
                            const IntrinsicGas& gas, const u256& blob_fee);

}  // namespace sluice::evm
