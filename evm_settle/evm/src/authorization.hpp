// EIP-7702: applying a set-code transaction's authorization list to the state.
#pragma once

#include <cstdint>

#include "sluice/evm/state.hpp"
#include "sluice/evm/transaction.hpp"

namespace sluice::evm {

// Applies every valid tuple (invalid ones are skipped, as the EIP says) and returns the refund for
// authorities that already existed.
std::int64_t apply_authorizations(State& state, const Transaction& tx, const u256& chain_id);

}  // namespace sluice::evm
