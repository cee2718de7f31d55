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

bool read_changed(const SegmentHistory& history, std::size_t i, const KeySet& changed) {
    const std::uint32_t begin = i == 0 ? 0 : history.read_ends[i - 1];
    for (std::uint32_t k = begin; k < history.read_ends[i]; ++k) {
        if (changed.count(history.read_keys[k]) != 0) return true;
    }
    return false;
}

}  // namespace

void SegmentHistory::clear() {
    read_keys.clear();
    read_ends.clear();
    diffs.clear();
    fees.clear();
}

bool repair_segment(OverlayState& out, const EvmBlockEnv& env, std::span<const evm::Transaction> txs,
                    const SegmentHistory& history, std::vector<Result<evm::Receipt>>& receipts,
                    std::span<const std::uint64_t> changed_below, RepairOutcome& outcome) {
    KeySet changed(changed_below.begin(), changed_below.end());
    std::vector<std::uint64_t> scratch;  // the reads of a run again: not needed, TxReadLog wants a home
    std::int64_t gas = 0;
    u256 fees;
    for (std::size_t i = 0; i < txs.size(); ++i) {
        if (!read_changed(history, i, changed)) {
            out.apply(history.diffs[i]);
            if (receipts[i].ok()) {
                gas += receipts[i]->gas_used;
                receipts[i]->cumulative_gas_used = gas;
            }
            fees = fees + history.fees[i];
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
        if (wipes(again) || wipes(history.diffs[i])) return false;
        add_differences(history.diffs[i], again, out, changed);
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
