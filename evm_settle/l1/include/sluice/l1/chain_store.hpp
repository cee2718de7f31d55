// ChainStore: the devchain's chain and state in one SQLite file (WAL), so a restarted sluice-devchain
// continues the same chain. Each sealed block is one SQLite transaction: the block's header fields, its
// transactions (raw bytes, sender, receipt) and the accounts and storage slots the block changed, so the
// file always holds a whole block's worth of chain and the state after it. State surgery (set_balance,
// set_code), time moves and snapshot reverts are written as they happen.
//
// What is not kept: the mempool (as hardhat and a restarted geth without its local journal; TxSigner
// re-broadcasts what a node lost, tx_signer.hpp) and evm_snapshot ids (they do not survive a restart).
//
// Synchronous=NORMAL: a process crash loses nothing committed; a power cut may lose the last blocks, which
// a devchain can afford (the SDK's store uses FULL).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "sluice/core/result.hpp"
#include "sluice/evm/memory_state.hpp"
#include "sluice/evm/revision.hpp"
#include "sluice/evm/state_diff.hpp"
#include "sluice/l1/chain_records.hpp"
#include "sluice/sqlite/database.hpp"

namespace sluice::l1 {

struct StoredTime {
    std::int64_t offset = 0;
    std::optional<std::int64_t> next_timestamp;
};

struct StoredChain {
    std::vector<Block> blocks;  // sealed again on load: hashes and roots recomputed and checked
    std::vector<TransactionRecord> transactions;
    evm::MemoryState state;
    StoredTime time;
};

class ChainStore {
  public:
    // Opens (or creates) `path`. Errors: store_open_failed, store_corrupt, store_schema_too_new.
    static Result<std::unique_ptr<ChainStore>> open(const std::filesystem::path& path);

    // nullopt for a new store. Errors: store_corrupt (a row does not decode, a block's recomputed hash
    // differs from the one stored, or the state's root from the root recorded with its last write),
    // devchain_store_mismatch (another chain id).
    Result<std::optional<StoredChain>> load(const u256& chain_id, evm::Revision rev);

    // Everything, replacing what the file holds: the first write of a new chain, and after a revert.
    Status write_all(const u256& chain_id, std::span<const Block> blocks,
                     std::span<const TransactionRecord> transactions, const evm::MemoryState& state,
                     const StoredTime& time);
    // One sealed block, its transactions (from `first_position` on), and what `diff` changed (the accounts
    // and slots it names) as `state` holds them after it.
    Status append_block(const Block& block, std::span<const TransactionRecord> transactions,
                        std::size_t first_position, const evm::MemoryState& state, const evm::StateDiff& diff,
                        const StoredTime& time);
    // The account rows (nonce, balance, code; not storage) of `accounts` as `state` holds them.
    Status write_accounts(const evm::MemoryState& state, std::span<const Address> accounts);
    Status write_time(const StoredTime& time);

  private:
    explicit ChainStore(sqlite::Database db) : db_(std::move(db)) {}
    Status put_account(const evm::MemoryState& state, const Address& address);
    Status put_slot(const evm::MemoryState& state, const Address& address, const Bytes32& slot);
    Status drop_storage(const Address& address);
    Status put_transactions(std::span<const TransactionRecord> transactions, std::size_t first_position);
    Status put_block(const Block& block);
    sqlite::Database db_;
};

}  // namespace sluice::l1
