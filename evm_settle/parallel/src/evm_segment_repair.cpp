// repair_segment: the ordered replay of a segment, running again only what read a changed location
// (see evm_segment_repair.hpp).
#include "evm_segment_repair.hpp"

#include <algorithm>
#include <unordered_set>

#include "evm_tx_read_log.hpp"
#include "sluice/evm/transaction_processor.hpp"

namespace sluice::parallel {
namespace {

using KeySet = std::unordered_set<std::uint64_t>;

std::uint32_t end_index(std::size_t size) {
    return static_cast<std::uint32_t>(size);
}

const evm::AccountChange* find_account(const evm::StateDiff& diff, const Address& address) {
    for (const evm::AccountChange& c : diff.accounts) {
        if (c.address == address) return &c;
    }
    return nullptr;
}

const u256* find_slot(const evm::AccountChange* change, const Bytes32& key) {
    if (change == nullptr) return nullptr;
    for (const auto& [slot, value] : change->storage) {
        if (slot == key) return &value;
    }
    return nullptr;
}

bool wipes(const evm::StateDiff& diff) {
    return std::any_of(diff.accounts.begin(), diff.accounts.end(),
                       [](const evm::AccountChange& c) { return c.deleted || c.storage_cleared; });
}

// Adds to `changed` where a transaction's first run (`first`) and its run again (`again`) left
// different values, judged on `before`, the right state before the run again was applied.
void add_differences(const evm::StateDiff& first, const evm::StateDiff& again, const OverlayState& before,
                     KeySet& changed) {
    const auto compare_account = [&](const Address& address) {
        const evm::AccountChange* a = find_account(first, address);
        const evm::AccountChange* b = find_account(again, address);
        const bool header_same = a != nullptr && b != nullptr && a->nonce == b->nonce &&
                                 a->balance == b->balance && a->code_hash == b->code_hash;
        const std::uint64_t account = account_key(address);
        bool slot_differs = false;
        const auto compare_slots = [&](const evm::AccountChange* from, const evm::AccountChange* other) {
            if (from == nullptr) return;
            for (const auto& [slot, value] : from->storage) {
                const u256* theirs = find_slot(other, slot);
                if (theirs != nullptr && *theirs == value) continue;
                changed.insert(location_key(address, EvmField::kStorage, slot));
                slot_differs = true;
            }
        };
        compare_slots(a, b);
        compare_slots(b, a);
        // A slot written differently may leave has_storage different, which account reads see;
        // not when both states already agree the account has storage (it never turns false here).
        bool storage_settled = false;
        if (slot_differs && changed.count(account) == 0) {
            const auto info = before.account(address);
            storage_settled = info && info->has_storage;
        }
        if (!header_same || (slot_differs && !storage_settled)) changed.insert(account);
    };
    for (const evm::AccountChange& c : first.accounts)
        compare_account(c.address);
    for (const evm::AccountChange& c : again.accounts) {
        if (find_account(first, c.address) == nullptr) compare_account(c.address);
    }
}

}  // namespace

void SegmentHistory::add(const evm::StateDiff& diff, const u256& fee) {
    read_ends_.push_back(end_index(read_keys.size()));
    for (const evm::AccountChange& c : diff.accounts) {
        evm::AccountChange& flat = accounts_.emplace_back();
        flat.address = c.address;
        flat.deleted = c.deleted;
        flat.nonce = c.nonce;
        flat.balance = c.balance;
        flat.code_hash = c.code_hash;
        flat.code = c.code;
        flat.storage_cleared = c.storage_cleared;
        slots_.insert(slots_.end(), c.storage.begin(), c.storage.end());
        slot_ends_.push_back(end_index(slots_.size()));
    }
    account_ends_.push_back(end_index(accounts_.size()));
    fees_.push_back(fee);
}

void SegmentHistory::diff_of(std::size_t tx, evm::StateDiff& out) const {
    const std::uint32_t begin = tx == 0 ? 0 : account_ends_[tx - 1];
    out.accounts.resize(account_ends_[tx] - begin);
    for (std::uint32_t k = begin; k < account_ends_[tx]; ++k) {
        const evm::AccountChange& flat = accounts_[k];
        evm::AccountChange& c = out.accounts[k - begin];
        c.address = flat.address;
        c.deleted = flat.deleted;
        c.nonce = flat.nonce;
        c.balance = flat.balance;
        c.code_hash = flat.code_hash;
        c.code = flat.code;
        c.storage_cleared = flat.storage_cleared;
        const std::uint32_t first_slot = k == 0 ? 0 : slot_ends_[k - 1];
        c.storage.assign(slots_.begin() + first_slot, slots_.begin() + slot_ends_[k]);
    }
}

bool SegmentHistory::read_any(std::size_t tx, const std::unordered_set<std::uint64_t>& keys) const {
    const std::uint32_t begin = tx == 0 ? 0 : read_ends_[tx - 1];
    for (std::uint32_t k = begin; k < read_ends_[tx]; ++k) {
        if (keys.count(read_keys[k]) != 0) return true;
    }
    return false;
}

void SegmentHistory::reserve(std::size_t txs) {
    read_ends_.reserve(txs);
    account_ends_.reserve(txs);
    fees_.reserve(txs);
}

void SegmentHistory::clear() {
    read_keys.clear();
    read_ends_.clear();
    accounts_.clear();
    slot_ends_.clear();
    slots_.clear();
    account_ends_.clear();
    fees_.clear();
}

bool repair_segment(OverlayState& out, const EvmBlockEnv& env, std::span<const evm::Transaction> txs,
                    const SegmentHistory& history, std::vector<Result<evm::Receipt>>& receipts,
                    std::span<const std::uint64_t> changed_below, RepairOutcome& outcome) {
    KeySet changed(changed_below.begin(), changed_below.end());
    std::vector<std::uint64_t> scratch;  // the reads of a run again: not needed, TxReadLog wants a home
    std::int64_t gas = 0;
    u256 fees;
    evm::StateDiff first;  // the transaction's diff from the segment's run, rebuilt in one buffer
    for (std::size_t i = 0; i < txs.size(); ++i) {
        history.diff_of(i, first);
        if (!history.read_any(i, changed)) {
            out.apply(first);
            if (receipts[i].ok()) {
                gas += receipts[i]->gas_used;
                receipts[i]->cumulative_gas_used = gas;
            }
            fees = fees + history.fee(i);
            continue;
        }
        scratch.clear();
        const TxReadLog view(out, scratch, env.block.coinbase);
        auto r = evm::apply_transaction(view, env.block, txs[i], env.rev, gas, {.defer_coinbase_fee = true});
        const bool first_rerun = outcome.reruns++ == 0;
        if (first_rerun || outcome.rerun_target != txs[i].to)
            outcome.rerun_target = first_rerun ? txs[i].to : std::nullopt;
        if (view.watched_read()) return false;
        const evm::StateDiff none;
        const evm::StateDiff& again = r ? r->diff : none;
        if (wipes(again) || wipes(first)) return false;
        add_differences(first, again, out, changed);
        if (!r) {
            receipts[i] = std::move(r).error();
            continue;
        }
        out.apply(r->diff);
        gas = r->receipt.cumulative_gas_used;
        fees = fees + r->deferred_coinbase_fee;
        receipts[i] = std::move(r->receipt);
    }
    outcome.gas_used = gas;
    outcome.fees = fees;
    return true;
}

}  // namespace sluice::parallel
