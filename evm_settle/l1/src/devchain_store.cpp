// Devchain's data dir: open() continues a stored chain or starts one; persist_* write each change as it
// happens (chain_store.hpp).
#include <system_error>

#include "sluice/core/hex.hpp"
#include "sluice/l1/chain_store.hpp"
#include "sluice/l1/devchain.hpp"

namespace sluice::l1 {

Result<Devchain> Devchain::open(DevchainConfig config, const std::filesystem::path& data_dir) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec) return make_error(Errc::store_open_failed, "data dir " + data_dir.string() + ": " + ec.message());
    SLUICE_TRY(auto store, ChainStore::open(data_dir / "chain.sqlite"));
    Devchain chain(std::move(config));
    SLUICE_TRY(auto stored, store->load(chain.config_.chain_id, chain.config_.revision));
    if (!stored) {
        SLUICE_CHECK_OK(store->write_all(chain.config_.chain_id, chain.blocks_, chain.transactions_, chain.state_,
                                         StoredTime{chain.time_offset_, chain.next_timestamp_}));
        chain.store_ = std::move(store);
        return chain;
    }
    if (stored->blocks.front().hash != chain.blocks_.front().hash) {
        return make_error(Errc::devchain_store_mismatch,
                          "the data dir's chain has genesis " + to_hex(stored->blocks.front().hash.view()) +
                              ", this configuration's is " + to_hex(chain.blocks_.front().hash.view()) +
                              " (other accounts, fork or genesis time)");
    }
    chain.blocks_ = std::move(stored->blocks);
    chain.transactions_ = std::move(stored->transactions);
    chain.state_ = std::move(stored->state);
    chain.time_offset_ = stored->time.offset;
    chain.next_timestamp_ = stored->time.next_timestamp;
    chain.block_numbers_.clear();
    chain.transaction_positions_.clear();
    for (const Block& block : chain.blocks_)
        chain.block_numbers_.emplace(block.hash, block.number);
    for (std::size_t i = 0; i < chain.transactions_.size(); ++i)
        chain.transaction_positions_.emplace(chain.transactions_[i].signed_tx.hash, i);
    chain.store_ = std::move(store);
    return chain;
}

void Devchain::persist_block(std::size_t first_record, const evm::StateDiff& diff) {
    if (!store_ || !store_status_.ok()) return;
    const std::span<const TransactionRecord> added(transactions_.data() + first_record,
                                                   transactions_.size() - first_record);
    store_status_ = store_->append_block(latest_block(), added, first_record, state_, diff,
                                         StoredTime{time_offset_, next_timestamp_});
}

void Devchain::persist_account(const Address& account) {
    if (!store_ || !store_status_.ok()) return;
    store_status_ = store_->write_accounts(state_, std::span<const Address>(&account, 1));
}

void Devchain::persist_time() {
    if (!store_ || !store_status_.ok()) return;
    store_status_ = store_->write_time(StoredTime{time_offset_, next_timestamp_});
}

void Devchain::persist_all() {
    if (!store_ || !store_status_.ok()) return;
    store_status_ = store_->write_all(config_.chain_id, blocks_, transactions_, state_,
                                      StoredTime{time_offset_, next_timestamp_});
}

}  // namespace sluice::l1
