// Devchain's read side: blocks by number or hash, mined transactions by hash, eth_getLogs and eth_getProof.
#include <algorithm>
#include <string>

#include "sluice/evm/trie.hpp"
#include "sluice/l1/devchain.hpp"

namespace sluice::l1 {
namespace {

bool matches(const evm::Log& log, const LogFilter& filter) {
    if (!filter.addresses.empty() &&
        std::find(filter.addresses.begin(), filter.addresses.end(), log.address) == filter.addresses.end()) {
        return false;
    }
    if (filter.topics.size() > log.topics.size()) {
        // A position past the log's topics matches only as a wildcard.
        for (std::size_t i = log.topics.size(); i < filter.topics.size(); ++i) {
            if (!filter.topics[i].empty()) return false;
        }
    }
    const std::size_t n = std::min(filter.topics.size(), log.topics.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto& wanted = filter.topics[i];
        if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), log.topics[i]) == wanted.end())
            return false;
    }
    return true;
}

}  // namespace

const Block* Devchain::block(std::int64_t number) const noexcept {
    if (number < 0 || number >= static_cast<std::int64_t>(blocks_.size())) return nullptr;
    return &blocks_[static_cast<std::size_t>(number)];
}

const Block* Devchain::block_by_hash(const Hash& hash) const noexcept {
    const auto it = block_numbers_.find(hash);
    return it == block_numbers_.end() ? nullptr : block(it->second);
}

std::span<const TransactionRecord> Devchain::transactions_of(const Block& block) const noexcept {
    return std::span<const TransactionRecord>(transactions_)
        .subspan(block.first_transaction, block.transaction_count);
}

const TransactionRecord* Devchain::transaction(const Hash& hash) const noexcept {
    const auto it = transaction_positions_.find(hash);
    return it == transaction_positions_.end() ? nullptr : &transactions_[it->second];
}

Result<std::vector<LogRecord>> Devchain::logs(const LogFilter& filter, std::size_t max_results) const {
    std::vector<LogRecord> out;
    const std::int64_t last = std::min(filter.to_block, latest_block().number);
    for (std::int64_t n = std::max<std::int64_t>(filter.from_block, 0); n <= last; ++n) {
        const Block& b = blocks_[static_cast<std::size_t>(n)];
        for (const TransactionRecord& record : transactions_of(b)) {
            const TxReceipt& receipt = record.receipt;
            for (std::size_t i = 0; i < receipt.logs.size(); ++i) {
                if (!matches(receipt.logs[i], filter)) continue;
                if (out.size() == max_results) {
                    return make_error(Errc::rpc_too_many_results, "more than " + std::to_string(max_results) +
                                                                      " logs match; narrow the range");
                }
                out.push_back(LogRecord{receipt.logs[i], b.number, b.hash, receipt.transaction_hash,
                                        receipt.transaction_index, receipt.first_log_index + i});
            }
        }
    }
    return out;
}

AccountProof Devchain::proof(const Address& account, std::span<const Bytes32> keys) const {
    AccountProof out;
    out.address = account;
    out.code_hash = evm::kEmptyCodeHash;
    out.storage_hash = evm::kEmptyTrieRoot;
    const auto it = state_.accounts().find(account);
    if (it != state_.accounts().end()) {
        out.nonce = it->second.nonce;
        out.balance = it->second.balance;
        out.code_hash = it->second.code_hash;
        out.storage_hash = evm::storage_root(it->second.storage);
    }
    out.account_proof = state_.account_proof(account);
    for (const Bytes32& key : keys)
        out.storage.push_back(
            StorageProof{key, state_.storage(account, key), state_.storage_proof(account, key)});
    return out;
}

}  // namespace sluice::l1
