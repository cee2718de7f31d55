// Executes one transaction against a base state: validation, gas purchase, nonce, warm sets,
// EIP-7702 authorizations, the message call or creation, refunds (capped at 1/5 from London),
// EIP-7623 floor, fee to the coinbase, EIP-161/EIP-6780 clean-up. The base state is only read;
// the writes come back as a StateDiff for the caller to apply.
#pragma once

#include <cstdint>
#include <optional>

#include "sluice/core/result.hpp"
#include "sluice/evm/block_info.hpp"
#include "sluice/evm/precompiles.hpp"
#include "sluice/evm/receipt.hpp"
#include "sluice/evm/state_diff.hpp"
#include "sluice/evm/state_view.hpp"
#include "sluice/evm/transaction.hpp"

namespace sluice::evm {

struct TxExecution {
    Receipt receipt;
    StateDiff diff;
    // Return data of the top-level call (revert data on revert): what eth_call and app checks read.
    Bytes output;
    // Set when execution reached a precompile we do not implement: the result is then not trustworthy.
    std::optional<PrecompileId> unsupported_precompile;
    // With ApplyOptions::defer_coinbase_fee: the priority fee the caller must still add to the
    // coinbase balance (creating the account if absent); zero when it was credited here.
    u256 deferred_coinbase_fee;
};

struct ApplyOptions {
    // Return the coinbase's priority fee in TxExecution instead of crediting it, so a parallel
    // executor can add it as a commutative delta: crediting reads the coinbase balance, which would
    // make every pair of transactions in a block conflict. The fee is still credited here when the
    // transaction itself loaded the coinbase account (it read the balance anyway, and the credit
    // must follow its own writes) or when the fee is zero (the credit is then only an EIP-161 touch,
    // which can delete an empty coinbase and so depends on its state).
    bool defer_coinbase_fee = false;
};

// An invalid transaction returns its Errc::tx_* error and changes nothing.
Result<TxExecution> apply_transaction(const StateView& base, const BlockInfo& block, const Transaction& tx,
                                      Revision rev, std::int64_t cumulative_gas_before = 0,
                                      const ApplyOptions& options = {});

}  // namespace sluice::evm
