// execute_batch over the EVM: the plain sequential loop, the Block-STM run with the VM callback
// around apply_transaction, and the assembly of receipts and the batch's StateDiff.
#include "sluice/parallel/evm_batch.hpp"

#include <algorithm>
#include <unordered_map>
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

// The final values a batch wrote for one account; unwritten fields keep their base values.
struct WrittenAccount {
    Address address;
    std::optional<EvmAccountMeta> meta;
    std::optional<std::uint64_t> nonce;
    std::optional<u256> balance;
    std::shared_ptr<const Bytes> code;
    std::vector<std::pair<Bytes32, u256>> storage;
};

// Groups the final location values by account, in the order the visitor meets them.
class WrittenAccounts {
public:
    explicit WrittenAccounts(std::size_t expected) {
        index_.reserve(expected);
        accounts_.reserve(expected);
    }

    void operator()(const EvmLocation& loc, const EvmValue& value) {
        auto [it, inserted] = index_.try_emplace(loc.address, accounts_.size());
        if (inserted) {
            accounts_.emplace_back();
            accounts_.back().address = loc.address;
        }
        WrittenAccount& acc = accounts_[it->second];
        switch (loc.field) {
            case EvmField::kMeta: acc.meta = std::get<EvmAccountMeta>(value); break;
            case EvmField::kNonce: acc.nonce = std::get<std::uint64_t>(value); break;
            case EvmField::kBalance: acc.balance = std::get<u256>(value); break;
            case EvmField::kCode: acc.code = std::get<std::shared_ptr<const Bytes>>(value); break;
            case EvmField::kStorage: acc.storage.emplace_back(loc.slot, std::get<u256>(value)); break;
        }
    }

    std::vector<WrittenAccount>& accounts() noexcept { return accounts_; }

private:
    std::unordered_map<Address, std::size_t> index_;
    std::vector<WrittenAccount> accounts_;
};

// One AccountChange per account any transaction wrote, in address order.
evm::StateDiff diff_of(std::vector<WrittenAccount>& written, const evm::StateView& base) {
    std::sort(written.begin(), written.end(), [](const auto& a, const auto& b) { return a.address < b.address; });
    evm::StateDiff diff;
    diff.accounts.reserve(written.size());
    for (WrittenAccount& w : written) {
        const auto info = base.account(w.address);
        const Hash base_code_hash = info ? info->code_hash : evm::kEmptyCodeHash;
        const EvmAccountMeta meta = w.meta.value_or(EvmAccountMeta{info.has_value(), base_code_hash, info && info->has_storage});
        evm::AccountChange change;
        change.address = w.address;
        change.nonce = w.nonce.value_or(info ? info->nonce : 0);
        change.balance = w.balance.value_or(info ? info->balance : u256{});
        if (!account_exists(meta, change.nonce, change.balance)) {
            if (!info) continue;  // absent before and after: nothing to delete
            change = evm::AccountChange{};
            change.address = w.address;
            change.deleted = true;
            diff.accounts.push_back(std::move(change));
            continue;
        }
        change.code_hash = meta.code_hash;
        if (change.code_hash != base_code_hash) {
            change.code = change.code_hash == evm::kEmptyCodeHash || !w.code ? std::make_shared<const Bytes>() : w.code;
        }
        std::sort(w.storage.begin(), w.storage.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        change.storage = std::move(w.storage);
        diff.accounts.push_back(std::move(change));
    }
    return diff;
}

}  // namespace

struct EvmExecutor::Impl {
    explicit Impl(unsigned n) : executor(n, ExecutorOptions{.abandon_after = kAbandonAfter}) {}
    // Large enough that small batches never give up (the property test's are all parallel), small
    // enough that a hotspot batch of thousands wastes only a few percent before going sequential.
    static constexpr std::uint64_t kAbandonAfter = 128;
    PersistentExecutor<EvmTraits> executor;
};

EvmExecutor::EvmExecutor(unsigned threads) : impl_(std::make_unique<Impl>(threads)) {}
EvmExecutor::~EvmExecutor() = default;

EvmBatchResult EvmExecutor::execute(const evm::StateView& base, const EvmBlockEnv& env,
                                    std::span<const evm::Transaction> txs) {
    if (impl_->executor.threads() <= 1 || txs.size() <= 1) return execute_sequential(base, env, txs);

    const EvmBase mv_base{&base};
    WrittenAccounts written(2 * txs.size());
    auto run = impl_->executor.run_visit(mv_base, txs.size(), EvmVm{&env, txs}, written);
    if (run.abandoned) {
        EvmBatchResult out = execute_sequential(base, env, txs);
        out.stats += run.stats;
        out.abandoned_as_chain = true;
        return out;
    }
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
    out.diff = diff_of(written.accounts(), base);
    out.stats = run.stats;
    return out;
}

EvmBatchResult execute_batch(const evm::StateView& base, const EvmBlockEnv& env, std::span<const evm::Transaction> txs,
                             unsigned threads) {
    return EvmExecutor(threads).execute(base, env, txs);
}

}  // namespace sluice::parallel
