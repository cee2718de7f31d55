// The receipt of an executed transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sluice/evm/host.hpp"
#include "sluice/evm/log.hpp"
#include "sluice/evm/precompiles.hpp"
#include "sluice/evm/transaction.hpp"

namespace sluice::evm {

struct Receipt {
    TxType type = TxType::legacy;
    bool success = false;
    StatusCode status = StatusCode::failure;  // how the top-level frame ended
    std::int64_t gas_used = 0;                // after refunds and the EIP-7623 floor
    std::int64_t cumulative_gas_used = 0;
    std::int64_t blob_gas_used = 0;
    std::vector<Log> logs;
    // Not consensus data, but what a block builder needs per transaction when a batch executor ran it
    // (sluice_parallel hands back receipts only): the top-level return or revert data, and whether the
    // execution reached a precompile sluice_evm does not implement (its result is then not trustworthy).
    Bytes output;
    std::optional<PrecompileId> unsupported_precompile;
};

}  // namespace sluice::evm
