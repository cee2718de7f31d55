// The gas report's measurements: the scenarios of contracts/test/adjudicator.test.js and loan.test.js, replayed
// on the embedded EVM in the same order with the same keys, participants, channel nonces and amounts, so the
// calldata — and with it the gas — matches what hardhat measured for contracts/README.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sluice/core/result.hpp"
#include "sluice/evm/revision.hpp"

namespace sluice::contracts {

// Key (as in hardhat's build-hardhat/gas.json) -> gas used by the transaction (per channel for concludeBatch).
using GasTable = std::map<std::string, std::int64_t>;

// Hardhat runs the contract tests with hardfork "cancun"; that is what contracts/gas.json records.
inline constexpr evm::Revision kGasReportRevision = evm::Revision::cancun;

Result<GasTable> measure_gas(evm::Revision revision = kGasReportRevision);

// One flat JSON object, keys sorted, two-space indent and a final newline: the content of contracts/gas.json.
std::string gas_table_json(const GasTable& table);

}  // namespace sluice::contracts
