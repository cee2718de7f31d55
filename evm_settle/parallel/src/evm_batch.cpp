// execute_batch over the EVM: the plain sequential loop, the Block-STM run with the VM callback
// around apply_transaction, and the assembly of receipts and the batch's StateDiff.
#include "sluice/parallel/evm_batch.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "evm_mv_view.hpp"
#include "evm_overlay_state.hpp"
#include "evm_tx_writes.hpp"
#include "sluice/evm/transaction_processor.hpp"

namespace sluice::parallel {
namespace {

EvmBatchResult execute_sequential(const evm::StateView& base, const EvmBlockEnv& env,
                                  std::span<const evm::Transaction> txs) {
    EvmBatchResult out;
    out.receipts.reserve(txs.size());
    OverlayState state(base);
    std::int64_t cumulative_gas = 0;
    for (const evm::Transaction& tx : txs) {
        auto r = evm::apply_transaction(state, env.block, tx, env.rev, cumulative_gas);
        if (!r) {
            out.receipts.emplace_back(std::move(r).error());
            continue;
        }
        state.apply(r->diff);
        cumulative_gas = r->receipt.cumulative_gas_used;
        out.receipts.emplace_back(std::move(r->receipt));
    }
    out.diff = state.to_diff();
    out.stats.executions = txs.size();
    return out;
}

// What one execution of a transaction produced; only the last validated one is kept.
struct EvmTxOutput {
    evm::Receipt receipt;
    std::optional<Error> error;
    bool inexpressible = false;  // wrote something locations cannot represent: rerun sequentially
};

struct EvmVm {
    const EvmBlockEnv* env;
    std::span<const evm::Transaction> txs;

    EvmTxOutput operator()(TxIndex i, EvmTxView& view) const {
        EvmTxOutput out;
        MvStateView state(view);
        auto r = evm::apply_transaction(state, env->block, txs[i], env->rev, 0, {.defer_coinbase_fee = true});
        if (view.blocked()) return out;  // read an ESTIMATE: the executor discards this run
        if (!r) {
            out.error = std::move(r).error();
            return out;
        }
        for (const evm::AccountChange& change : r->diff.accounts) {
            if (!write_account_change(change, state, view)) out.inexpressible = true;
        }
        if (!r->deferred_coinbase_fee.is_zero()) {
            view.add_delta(EvmLocation{env->block.coinbase, EvmField::kBalance, {}}, r->deferred_coinbase_fee);
        }
        out.receipt = std::move(r->receipt);
        return out;
    }
};

template <class T>
const T* value_at(const auto& state, const Address& addr, EvmField field) {
    const auto it = state.find(EvmLocation{addr, field, {}});
    return it == state.end() ? nullptr : &std::get<T>(it->second);
}

// One AccountChange per account any transaction wrote: the final value of each written field, the
// base value of the others.
evm::StateDiff diff_of(const auto& state, const evm::StateView& base) {
    std::map<Address, std::vector<std::pair<Bytes32, u256>>> accounts;  // ordered: the diff is sorted
    for (const auto& [loc, value] : state) {
        auto& slots = accounts[loc.address];
        if (loc.field == EvmField::kStorage) slots.emplace_back(loc.slot, std::get<u256>(value));
    }
    evm::StateDiff diff;
    diff.accounts.reserve(accounts.size());
    for (auto& [addr, slots] : accounts) {
        const auto info = base.account(addr);
        const auto* meta = value_at<EvmAccountMeta>(state, addr, EvmField::kMeta);
        const auto* nonce = value_at<std::uint64_t>(state, addr, EvmField::kNonce);
        const auto* balance = value_at<u256>(state, addr, EvmField::kBalance);
        const auto* code = value_at<std::shared_ptr<const Bytes>>(state, addr, EvmField::kCode);
        evm::AccountChange change;
        change.address = addr;
        const EvmAccountMeta final_meta =
            meta != nullptr ? *meta : EvmAccountMeta{info.has_value(), info ? info->code_hash : evm::kEmptyCodeHash,
                                                     info && info->has_storage};
        change.nonce = nonce != nullptr ? *nonce : (info ? info->nonce : 0);
        change.balance = balance != nullptr ? *balance : (info ? info->balance : u256{});
        if (!account_exists(final_meta, change.nonce, change.balance)) {
            if (!info) continue;
            change = evm::AccountChange{};
            change.address = addr;
            change.deleted = true;
            diff.accounts.push_back(std::move(change));
            continue;
        }
        change.code_hash = final_meta.code_hash;
        if (change.code_hash != (info ? info->code_hash : evm::kEmptyCodeHash)) {
            change.code = change.code_hash == evm::kEmptyCodeHash || code == nullptr ? std::make_shared<const Bytes>() : *code;
        }
        std::sort(slots.begin(), slots.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        change.storage = std::move(slots);
        diff.accounts.push_back(std::move(change));
    }
    return diff;
}

}  // namespace

EvmBatchResult execute_batch(const evm::StateView& base, const EvmBlockEnv& env, std::span<const evm::Transaction> txs,
                             unsigned threads) {
    if (threads <= 1 || txs.size() <= 1) return execute_sequential(base, env, txs);

    const EvmBase mv_base{&base};
    auto run = parallel::execute_batch<EvmTraits>(mv_base, txs.size(), EvmVm{&env, txs}, threads);
    const bool inexpressible = std::any_of(run.outputs.begin(), run.outputs.end(),
                                           [](const EvmTxOutput& o) { return o.inexpressible; });
    if (inexpressible) {
        EvmBatchResult out = execute_sequential(base, env, txs);
        out.stats += run.stats;
        out.ran_sequential_fallback = true;
        return out;
    }
    EvmBatchResult out;
    out.receipts.reserve(txs.size());
    std::int64_t cumulative_gas = 0;
    for (EvmTxOutput& o : run.outputs) {
        if (o.error) {
            out.receipts.emplace_back(std::move(*o.error));
            continue;
        }
        cumulative_gas += o.receipt.gas_used;
        o.receipt.cumulative_gas_used = cumulative_gas;
        out.receipts.emplace_back(std::move(o.receipt));
    }
    out.diff = diff_of(run.state, base);
    out.stats = run.stats;
    return out;
}

}  // namespace sluice::parallel
