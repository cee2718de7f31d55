// Turns one transaction's StateDiff into multi-version writes (see evm_location.hpp, WRITES).
#pragma once

#include "evm_mv_view.hpp"
#include "sluice/evm/state_diff.hpp"

namespace sluice::parallel {

// Writes the header of `change` if it differs from what the transaction saw, its code (kept alive
// by `codes`) and its slots. Returns false when the
// change cannot be expressed as location writes: deleting, or re-creating over, an account that
// held storage (its slots cannot be enumerated), or a change to an account the transaction never
// loaded.
[[nodiscard]] bool write_account_change(const evm::AccountChange& change, const MvStateView& seen,
                                        EvmCodeKeeper& codes, EvmTxView& view);

}  // namespace sluice::parallel
