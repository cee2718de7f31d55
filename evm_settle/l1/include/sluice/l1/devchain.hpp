// Devchain: an in-process L1 (DESIGN.md §6) over sluice_evm. Two mining modes: automine (the default) mines
// each transaction at once in a block of its own; interval mining admits transactions to a mempool
// (mempool.hpp) after a node's checks, and mine() (evm_mine, or sluice-devchain's --block-time timer) builds
// a block from it up to the block gas limit. Time moves only when blocks are mined, and can be pushed
// forward like hardhat's evm_increaseTime / evm_setNextBlockTimestamp, so tests of challenge periods and
// lock expiries never sleep.
//
// A block's transactions run as one batch on sluice_parallel's EvmExecutor (config.executor_threads; 1 is
// the sequential loop), whose result equals running them one by one. Validity is per transaction and in
// block order: a transaction the batch found invalid (say its balance was spent by an earlier one in the
// same block) changed nothing in the batch's state, exactly as if it had never been in it, so it is just
// left out. Only a transaction that reached a precompile sluice_evm does not implement is taken out and the
// batch rerun without it, since its effects on the later transactions cannot be trusted.
//
// Two ways in: send() names its sender and needs no signature (as with hardhat's unlocked accounts; nonces
// and fees are filled in), and send_raw() takes a signed raw transaction as eth_sendRawTransaction does
// (decoded, chain id and the state-independent rules checked, then nonce, balance and fees against the
// state). A transaction the EVM reverts is still mined (status false, gas charged); only an invalid one
// (Errc::tx_*) is refused and changes nothing.
//
// The chain keeps what a node answers queries from: every block with its header hash (block_header.hpp),
// every mined transaction with its receipt, and the logs. State is kept for the latest block only. BLOCKHASH
// answers the real hashes of the 256 blocks before the one executing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/evm/block_info.hpp"
#include "sluice/evm/log.hpp"
#include "sluice/evm/memory_state.hpp"
#include "sluice/evm/revision.hpp"
#include "sluice/evm/state_diff.hpp"
#include "sluice/l1/chain_records.hpp"
#include "sluice/l1/mempool.hpp"
#include "sluice/l1/state_proof.hpp"

namespace sluice::parallel {
class EvmExecutor;
}

namespace sluice::l1 {

class ChainStore;

enum class MiningMode : std::uint8_t { automine, interval };

struct GenesisAccount {
    Address address;
    u256 balance;
};

struct DevchainConfig {
    u256 chain_id = 31337;  // hardhat's, so addresses and signatures line up with the hardhat tests
    evm::Revision revision = evm::Revision::prague;
    std::int64_t genesis_timestamp = 1'700'000'000;
    std::int64_t block_interval = 1;  // seconds between consecutive blocks unless time is pushed forward
    std::int64_t block_gas_limit = 60'000'000;
    // The genesis block's base fee, and every block's unless base_fee_adjusts, when each block's follows
    // EIP-1559 from its parent's (base_fee.hpp). Zero and fixed by default so balances show only what
    // contracts moved; a non-zero fee is burnt, a non-zero tip goes to the coinbase.
    u256 base_fee;
    bool base_fee_adjusts = false;
    u256 priority_fee;  // the tip of transactions sent for a named sender, and the suggested one
    MiningMode mining = MiningMode::automine;
    std::size_t mempool_capacity = 4096;
    unsigned executor_threads = 1;  // the block executor's threads; 1 runs the sequential loop
    Address coinbase = Address::from_hex("0x00000000000000000000000000000000000c0ffe").value();
    std::vector<GenesisAccount> genesis;
};

struct CallResult {
    bool status = false;
    evm::StatusCode status_code = evm::StatusCode::failure;  // how the top-level frame ended
    std::int64_t gas_used = 0;
    Bytes output;  // return data or revert data
};

struct Deployment {
    Address address;
    TxReceipt receipt;
};

using SnapshotId = std::uint64_t;

class Devchain {
  public:
    static constexpr std::uint64_t kDefaultGasLimit = 30'000'000;
    // Timestamps stay below this, far from where time arithmetic could overflow.
    static constexpr std::int64_t kMaxTimestamp = std::int64_t{1} << 62;

    // A fresh chain in memory.
    explicit Devchain(DevchainConfig config = {});
    // A chain kept in <data_dir>/chain.sqlite (chain_store.hpp): continued when the file holds one with the
    // same chain id and genesis, else started there. Errors: store_* (store_busy when another process has
    // the file open), devchain_store_mismatch (another chain id or genesis).
    static Result<Devchain> open(DevchainConfig config, const std::filesystem::path& data_dir);
    ~Devchain();
    Devchain(Devchain&&);
    Devchain& operator=(Devchain&&);

    const DevchainConfig& config() const noexcept { return config_; }
    // The first failed write to the data dir's store. Once there is one the chain halts: every call that
    // would change it fails with that error, so it never runs ahead of its file.
    const Status& store_status() const noexcept { return store_status_; }
    const u256& chain_id() const noexcept { return config_.chain_id; }

    // ---- transactions ----
    // send, send_raw and deploy mine at once in both modes (in interval mining, in a block with what the
    // mempool holds, the transaction admitted first; devchain_not_included if the block left it out).
    // to = nullopt creates a contract from `data`. Errors: the Errc::tx_* of an invalid transaction,
    // devchain_unsupported_precompile when execution reached a precompile sluice_evm does not implement.
    Result<TxReceipt> send(const Address& from, const std::optional<Address>& to, const u256& value,
                           ByteView data, std::uint64_t gas_limit = kDefaultGasLimit);
    // eth_sendRawTransaction. Errors: those of decode_transaction and check_transaction (tx_wrong_chain_id,
    // ...), then the Errc::tx_* of evm::validate_transaction (nonce, funds, fee cap below the base fee, ...),
    // and devchain_unsupported_precompile.
    Result<TxReceipt> send_raw(ByteView raw);
    // eth_sendRawTransaction as a node answers it: automine mines it (as send_raw); interval mining checks
    // it as a node admits a transaction (send_raw's checks, then the fee cap against the next block's base
    // fee, the nonce not below the account's, the balance for gas limit × fee cap + value, the gas limit
    // within the block's), pools it and returns its hash at once. Errors: send_raw's, and the mempool's
    // (devchain_replacement_underpriced, devchain_mempool_full, devchain_already_known).
    Result<Hash> submit_raw(ByteView raw);
    const Mempool& mempool() const noexcept { return mempool_; }
    const PendingTransaction* pending_transaction(const Hash& hash) const { return mempool_.find(hash); }
    // The nonce a sender's next transaction takes: past its pooled run of consecutive nonces ("pending").
    std::uint64_t pending_nonce(const Address& account) const;
    // The base fee the next block will carry.
    u256 next_base_fee() const;
    // Creation code followed by the ABI-encoded constructor arguments; devchain_deploy_failed (with the
    // revert data in the message) when the creation reverts, though that transaction is mined like any other.
    Result<Deployment> deploy(const Address& from, ByteView creation_code, ByteView constructor_args = {},
                              std::uint64_t gas_limit = kDefaultGasLimit);
    // eth_call: executes in the context of the next block (its number and timestamp) and changes nothing.
    // Gas is free in a call (BASEFEE reads 0). A revert is a CallResult with status false; only an invalid
    // call (e.g. value the caller does not have) is an error. A call without `to` runs `data` as creation
    // code.
    Result<CallResult> call(const Address& from, const std::optional<Address>& to, ByteView data,
                            const u256& value = {}, std::uint64_t gas_limit = kDefaultGasLimit) const;
    // eth_estimateGas: the lowest gas limit up to `gas_cap` with which the call succeeds (binary search, as
    // geth does), in gas_used. When it fails even with the cap, the failing CallResult at the cap (status
    // false, revert data in output).
    Result<CallResult> estimate_gas(const Address& from, const std::optional<Address>& to, ByteView data,
                                    const u256& value, std::uint64_t gas_cap) const;
    // evm_mine: a block of what the mempool holds (empty in automine).
    void mine();

    // ---- time ----
    const Block& latest_block() const noexcept { return blocks_.back(); }
    const std::vector<Block>& blocks() const noexcept { return blocks_; }
    const Block* block(std::int64_t number) const noexcept;
    const Block* block_by_hash(const Hash& hash) const noexcept;

    // ---- mined transactions and logs ----
    std::span<const TransactionRecord> transactions() const noexcept { return transactions_; }
    std::span<const TransactionRecord> transactions_of(const Block& block) const noexcept;
    const TransactionRecord* transaction(const Hash& hash) const noexcept;
    // The logs of the filter's blocks (clamped to the chain) that match it, in chain order;
    // rpc_too_many_results when there are more than `max_results`.
    Result<std::vector<LogRecord>> logs(const LogFilter& filter, std::size_t max_results) const;
    // The timestamp the next block will carry.
    std::int64_t next_timestamp() const noexcept;
    // evm_increaseTime: the next block comes `seconds` later than it otherwise would (devchain_bad_time if <
    // 0).
    Status increase_time(std::int64_t seconds);
    // evm_setNextBlockTimestamp: must be later than the latest block and not past kMaxTimestamp
    // (devchain_bad_time).
    Status set_next_block_timestamp(std::int64_t timestamp);

    // ---- snapshots (evm_snapshot / evm_revert) ----
    SnapshotId snapshot();
    // Restores the chain as it was when `id` was taken and drops that snapshot and every later one
    // (devchain_unknown_snapshot for an id that does not exist (any more)).
    Status revert(SnapshotId id);

    // ---- state ----
    u256 balance(const Address& account) const;
    std::uint64_t nonce(const Address& account) const;
    Bytes code(const Address& account) const;
    u256 storage(const Address& account, const Bytes32& slot) const;
    // hardhat_setBalance / hardhat_setCode: test-only state surgery between blocks.
    void set_balance(const Address& account, const u256& wei);
    void set_code(const Address& account, ByteView code);
    const evm::MemoryState& state() const noexcept { return state_; }
    // eth_getProof at the latest block: the account and the slots `keys` with their proofs against the
    // latest block's state root (state_proof.hpp verifies them).
    AccountProof proof(const Address& account, std::span<const Bytes32> keys) const;

  private:
    // Blocks and transactions are append-only, so a snapshot only needs their counts.
    struct Snapshot {
        SnapshotId id;
        evm::MemoryState state;
        std::size_t block_count;
        std::size_t transaction_count;
        std::int64_t time_offset;
        std::optional<std::int64_t> next_timestamp;
        Mempool mempool;
    };

    // The next block's environment; its ancestor_hashes point into `ancestors`, which the caller keeps.
    evm::BlockInfo next_block_info(std::vector<Hash>& ancestors) const;
    // Decodes and runs the state-independent checks of a raw transaction.
    Result<SignedTransaction> admit_raw(ByteView raw) const;
    Status check_against_state(const SignedTransaction& signed_tx) const;
    // Runs `candidates` as one batch in the next block, appends the valid ones as its transactions and
    // seals it (unless none is valid and `seal_if_empty` is false). The outcome per candidate: ok if
    // included, else why not.
    std::vector<Status> build_block(std::vector<PendingTransaction> candidates, bool seal_if_empty);
    // Mines `signed_tx` now: in automine alone, in interval mining with the mempool's transactions.
    Result<TxReceipt> mine_now(SignedTransaction signed_tx, Bytes raw);
    // Seals the next block over the transactions appended since the latest block.
    void seal_block(const evm::BlockInfo& info);
    // Writes to the store (no-ops without one); a failure halts the chain (store_status).
    void persist_block(std::size_t first_record, const evm::StateDiff& diff);
    void persist_account(const Address& account);
    void persist_time();
    void persist_all();

    DevchainConfig config_;
    evm::MemoryState state_;
    std::vector<Block> blocks_;
    std::vector<TransactionRecord> transactions_;
    std::unordered_map<Hash, std::int64_t> block_numbers_;
    std::unordered_map<Hash, std::size_t> transaction_positions_;
    std::int64_t time_offset_ = 0;                // from increase_time, consumed by the next block
    std::optional<std::int64_t> next_timestamp_;  // from set_next_block_timestamp
    std::vector<Snapshot> snapshots_;
    SnapshotId next_snapshot_id_ = 1;
    Mempool mempool_;
    std::unique_ptr<parallel::EvmExecutor> executor_;
    std::unique_ptr<ChainStore> store_;
    Status store_status_;
};

}  // namespace sluice::l1
