// Mempool (mempool.hpp): per-sender nonce maps, and a heap of the senders' next transactions by tip.
#include "sluice/l1/mempool.hpp"

#include <queue>
#include <string>
#include <utility>

#include "sluice/core/hex.hpp"

namespace sluice::l1 {
namespace {

// geth's rule: new >= floor(old * (100 + bump) / 100), which for a 10% bump is old + floor(old / 10);
// saturated so no fee can overflow it.
bool bumped_enough(const u256& old_fee, const u256& new_fee) {
    static_assert(Mempool::kPriceBumpPercent == 10, "the threshold below is old + old / 10");
    const u256 increase = old_fee / u256{10};
    const u256 threshold = old_fee > u256::max() - increase ? u256::max() : old_fee + increase;
    return new_fee >= threshold;
}

}  // namespace

std::optional<u256> effective_tip(const evm::Transaction& tx, const u256& base_fee) {
    if (tx.fee_cap() < base_fee) return std::nullopt;
    const u256 room = tx.fee_cap() - base_fee;
    return tx.tip_cap() < room ? tx.tip_cap() : room;
}

Status Mempool::add(SignedTransaction signed_tx, Bytes raw) {
    if (by_hash_.count(signed_tx.hash)) {
        return make_error(Errc::devchain_already_known, "transaction " + to_hex(signed_tx.hash.view()));
    }
    const evm::Transaction& tx = signed_tx.tx;
    auto& mine = by_sender_[tx.sender];
    const auto same = mine.find(tx.nonce);
    if (same != mine.end()) {
        const evm::Transaction& old = same->second.signed_tx.tx;
        if (!bumped_enough(old.fee_cap(), tx.fee_cap()) || !bumped_enough(old.tip_cap(), tx.tip_cap())) {
            return make_error(Errc::devchain_replacement_underpriced,
                              "nonce " + std::to_string(tx.nonce) +
                                  " is pooled; both the fee cap and the tip must rise by " +
                                  std::to_string(kPriceBumpPercent) + "% to replace it");
        }
        by_hash_.erase(same->second.signed_tx.hash);
        mine.erase(same);
    } else if (by_hash_.size() >= capacity_) {
        if (mine.empty()) by_sender_.erase(tx.sender);
        return make_error(Errc::devchain_mempool_full,
                          "the mempool holds " + std::to_string(capacity_) + " transactions");
    }
    by_hash_.emplace(signed_tx.hash, Slot{tx.sender, tx.nonce});
    const std::uint64_t nonce = tx.nonce;
    mine.emplace(nonce, PendingTransaction{std::move(signed_tx), std::move(raw), next_arrival_++});
    return {};
}

const PendingTransaction* Mempool::find(const Hash& hash) const {
    const auto it = by_hash_.find(hash);
    if (it == by_hash_.end()) return nullptr;
    return &by_sender_.at(it->second.sender).at(it->second.nonce);
}

void Mempool::remove(const Hash& hash) {
    const auto it = by_hash_.find(hash);
    if (it == by_hash_.end()) return;
    auto sender = by_sender_.find(it->second.sender);
    sender->second.erase(it->second.nonce);
    if (sender->second.empty()) by_sender_.erase(sender);
    by_hash_.erase(it);
}

void Mempool::drop_stale(const std::function<std::uint64_t(const Address&)>& account_nonce) {
    for (auto sender = by_sender_.begin(); sender != by_sender_.end();) {
        auto& txs = sender->second;
        const auto keep = txs.lower_bound(account_nonce(sender->first));
        for (auto it = txs.begin(); it != keep; ++it)
            by_hash_.erase(it->second.signed_tx.hash);
        txs.erase(txs.begin(), keep);
        sender = txs.empty() ? by_sender_.erase(sender) : std::next(sender);
    }
}

std::vector<PendingTransaction> Mempool::select(
    const std::function<std::uint64_t(const Address&)>& account_nonce, const u256& base_fee,
    std::uint64_t gas_budget) const {
    struct Head {
        u256 tip;
        const PendingTransaction* tx;
        std::map<std::uint64_t, PendingTransaction>::const_iterator next, end;
    };
    // Highest tip on top; among equal tips the earliest arrival.
    const auto lower = [](const Head& a, const Head& b) {
        if (a.tip != b.tip) return a.tip < b.tip;
        return a.tx->arrival > b.tx->arrival;
    };
    std::priority_queue<Head, std::vector<Head>, decltype(lower)> heads(lower);
    const auto push = [&](std::map<std::uint64_t, PendingTransaction>::const_iterator it,
                          std::map<std::uint64_t, PendingTransaction>::const_iterator end) {
        const auto tip = effective_tip(it->second.signed_tx.tx, base_fee);
        if (tip) heads.push(Head{*tip, &it->second, std::next(it), end});
    };
    for (const auto& [sender, txs] : by_sender_) {
        const auto first = txs.find(account_nonce(sender));
        if (first != txs.end()) push(first, txs.end());
    }
    std::vector<PendingTransaction> out;
    while (!heads.empty()) {
        const Head head = heads.top();
        heads.pop();
        const std::uint64_t gas = head.tx->signed_tx.tx.gas_limit;
        if (gas > gas_budget) continue;  // the rest of this sender's run waits for a later block
        gas_budget -= gas;
        out.push_back(*head.tx);
        if (head.next != head.end && head.next->first == head.tx->signed_tx.tx.nonce + 1) {
            push(head.next, head.end);
        }
    }
    return out;
}

std::uint64_t Mempool::next_nonce(const Address& sender, std::uint64_t account_nonce) const {
    const auto it = by_sender_.find(sender);
    if (it == by_sender_.end()) return account_nonce;
    std::uint64_t next = account_nonce;
    for (auto tx = it->second.find(account_nonce); tx != it->second.end() && tx->first == next; ++tx)
        ++next;
    return next;
}

}  // namespace sluice::l1
