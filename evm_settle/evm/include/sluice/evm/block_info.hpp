// The block a transaction executes in, and the EIP-4844 blob parameters of its fork.
#pragma once

#include <cstdint>
#include <span>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/evm/revision.hpp"

namespace sluice::evm {

inline constexpr std::uint64_t kGasPerBlob = 131072;  // 2^17

// EIP-4844 / EIP-7691 blob parameters (the fixtures' config.blobSchedule entry for a fork).
struct BlobParams {
    std::uint64_t target = 0;
    std::uint64_t max = 0;
    std::uint64_t base_fee_update_fraction = 1;
};

// Mainnet defaults for a revision: Cancun 3/6/3338477, Prague 6/9/5007716; none before Cancun.
BlobParams default_blob_params(Revision rev) noexcept;

// fake_exponential(1, excess_blob_gas, update_fraction) of EIP-4844.
u256 blob_base_fee(std::uint64_t excess_blob_gas, const BlobParams& params) noexcept;

struct BlockInfo {
    Address coinbase;
    std::int64_t number = 0;
    std::int64_t timestamp = 0;
    std::int64_t gas_limit = 0;
    u256 base_fee;
    u256 difficulty;
    Bytes32 prev_randao;
    std::uint64_t excess_blob_gas = 0;
    BlobParams blob_params;
    u256 chain_id = 1;
    // BLOCKHASH's answers: the hashes of the blocks before this one, oldest first, the last being block
    // number - 1's (a chain passes at most the 256 that BLOCKHASH can see). Borrowed: the caller keeps them
    // alive while the block executes. Empty: no history (the state tests), and BLOCKHASH answers
    // keccak256 of the decimal block number as the reference runners do.
    std::span<const Hash> ancestor_hashes;
};

}  // namespace sluice::evm
