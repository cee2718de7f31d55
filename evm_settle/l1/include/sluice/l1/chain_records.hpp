// What a node keeps about its chain and answers queries from: blocks, mined transactions with their
// receipts, and the logs of a block range.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/evm/host.hpp"
#include "sluice/evm/log.hpp"
#include "sluice/evm/transaction.hpp"
#include "sluice/l1/logs_bloom.hpp"
#include "sluice/l1/signed_transaction.hpp"

namespace sluice::l1 {

// A sealed block. Its transactions are transactions()[first_transaction, first_transaction +
// transaction_count) of the Devchain: blocks and transactions are both append-only, so a block needs no list
// of its own.
struct Block {
    std::int64_t number = 0;
    std::int64_t timestamp = 0;
    u256 base_fee;
    std::int64_t gas_used = 0;
    std::int64_t gas_limit = 0;
    Address coinbase;
    Bytes32 prev_randao;
    Hash parent_hash;
    Hash state_root;
    Hash transactions_root;
    Hash receipts_root;
    Bloom logs_bloom;
    Hash parent_beacon_block_root;  // from Cancun; the devchain has no beacon chain and leaves it zero
    Hash hash;                      // keccak256 of header_rlp (block_header.hpp)
    std::size_t size =
        0;  // bytes of the block's RLP: header, transactions, empty ommers (and withdrawals) lists
    std::size_t first_transaction = 0;
    std::size_t transaction_count = 0;
};

struct TxReceipt {
    Hash transaction_hash;
    Hash block_hash;
    std::int64_t block_number = 0;
    std::int64_t block_timestamp = 0;
    std::size_t transaction_index = 0;  // within its block
    std::size_t first_log_index = 0;    // the block-wide index of logs[0]
    evm::TxType type = evm::TxType::legacy;
    Address from;
    std::optional<Address> to;
    bool status = false;  // false: the EVM reverted (or ran out of gas); the gas is charged all the same
    evm::StatusCode status_code = evm::StatusCode::failure;
    std::int64_t gas_used = 0;
    std::int64_t cumulative_gas_used = 0;
    u256 effective_gas_price;
    std::vector<evm::Log> logs;
    Bloom logs_bloom;
    Bytes output;                             // return data, or the revert data when status is false
    std::optional<Address> contract_address;  // set for a successful creation
};

// A mined transaction. `signed_tx` is the decoded raw transaction; a transaction the devchain sent for a
// named sender without a key (Devchain::send) carries a placeholder signature: y_parity 0, r = the sender's
// address, s = 1. It does not verify, but it makes the hash unique per sender, as hardhat's impersonated
// transactions do.
struct TransactionRecord {
    SignedTransaction signed_tx;
    Bytes raw;
    TxReceipt receipt;
};

// eth_getLogs: the blocks [from_block, to_block], then every condition that is set.
struct LogFilter {
    std::int64_t from_block = 0;
    std::int64_t to_block = 0;
    std::vector<Address> addresses;            // empty: any address
    std::vector<std::vector<Bytes32>> topics;  // position i: empty = any, else one of these
};

struct LogRecord {
    evm::Log log;
    std::int64_t block_number = 0;
    Hash block_hash;
    Hash transaction_hash;
    std::size_t transaction_index = 0;
    std::size_t log_index = 0;  // within its block
};

}  // namespace sluice::l1
