// The values an L1 node answers with, as L1Client (l1_client.hpp) returns them: what the execution API
// specification's JSON carries, parsed and typed. Receipts and logs reuse the devchain's records
// (chain_records.hpp), whose fields a node's JSON fills except TxReceipt::output (empty), status_code
// (success or failure from the status) and block_timestamp (0: receipts carry none; read the block).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/l1/chain_records.hpp"
#include "sluice/l1/logs_bloom.hpp"

namespace sluice::l1 {

// Which block a query reads: a number, or one of the tags nodes understand.
struct BlockTag {
    enum class Kind : std::uint8_t { number, latest, pending, earliest, safe, finalized };
    Kind kind = Kind::latest;
    std::int64_t number = 0;  // for Kind::number

    static BlockTag at(std::int64_t n) noexcept { return BlockTag{Kind::number, n}; }
    static BlockTag latest() noexcept { return BlockTag{Kind::latest, 0}; }
    static BlockTag pending() noexcept { return BlockTag{Kind::pending, 0}; }
    static BlockTag earliest() noexcept { return BlockTag{Kind::earliest, 0}; }
    static BlockTag safe() noexcept { return BlockTag{Kind::safe, 0}; }
    static BlockTag finalized() noexcept { return BlockTag{Kind::finalized, 0}; }

    // "latest" or "0x1f", as JSON-RPC params carry it.
    std::string to_param() const;
    friend bool operator==(const BlockTag&, const BlockTag&) = default;
};

// A block header with its transactions' hashes (eth_getBlockBy*(…, false)).
struct BlockSummary {
    std::int64_t number = 0;
    Hash hash;
    Hash parent_hash;
    std::int64_t timestamp = 0;
    std::optional<u256> base_fee;  // absent before London
    std::int64_t gas_used = 0;
    std::int64_t gas_limit = 0;
    Address coinbase;
    Hash state_root;
    Hash transactions_root;
    Hash receipts_root;
    Bloom logs_bloom;
    Bytes32 prev_randao;  // mixHash: PREVRANDAO since the merge
    std::vector<Hash> transactions;
};

// The transaction object of eth_call and eth_estimateGas. Unset fields are left out of the JSON, so the
// node applies its defaults (a zero sender, the block gas limit, no fee).
struct CallRequest {
    std::optional<Address> from;
    std::optional<Address> to;  // nullopt: `data` is creation code
    Bytes data;
    u256 value;
    std::optional<std::uint64_t> gas;
    std::optional<u256> max_fee_per_gas;
    std::optional<u256> max_priority_fee_per_gas;
};

// eth_call's answer: a revert is an outcome, not an error, since a caller often wants the reason.
struct CallOutcome {
    bool reverted = false;
    Bytes data;  // return data, or the revert data when reverted
};

struct FeeHistory {
    std::int64_t oldest_block = 0;
    std::vector<u256> base_fee_per_gas;  // one per block, and one more: the next block's
    std::vector<double> gas_used_ratio;
    std::vector<std::vector<u256>> reward;  // per block, one per requested percentile
};

// eth_getTransactionByHash: pending (no block) or mined.
struct TransactionInfo {
    Hash hash;
    std::uint64_t type = 0;
    Address from;
    std::optional<Address> to;
    std::uint64_t nonce = 0;
    u256 value;
    Bytes input;
    std::uint64_t gas = 0;
    std::optional<u256> gas_price;  // legacy and 2930; nodes also report the effective price of mined 1559s
    std::optional<u256> max_fee_per_gas;
    std::optional<u256> max_priority_fee_per_gas;
    std::optional<std::int64_t> block_number;
    std::optional<Hash> block_hash;
    std::optional<std::size_t> transaction_index;
};

// eth_getLogs: a block range (tags allowed) or one block by hash, then addresses and topics as LogFilter.
struct LogQuery {
    BlockTag from_block = BlockTag::latest();
    BlockTag to_block = BlockTag::latest();
    std::optional<Hash> block_hash;  // when set, from/to are ignored (EIP-234)
    std::vector<Address> addresses;
    std::vector<std::vector<Bytes32>> topics;
};

// eth_getProof (EIP-1186): the account's trie path and each requested slot's storage-trie path.
struct StorageProof {
    Bytes32 key;
    u256 value;
    std::vector<Bytes> proof;
};
struct AccountProof {
    Address address;
    u256 balance;
    std::uint64_t nonce = 0;
    Hash code_hash;
    Hash storage_hash;
    std::vector<Bytes> account_proof;
    std::vector<StorageProof> storage;
};

}  // namespace sluice::l1
