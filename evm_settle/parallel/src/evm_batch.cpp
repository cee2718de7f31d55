// execute_batch over the EVM: the plain sequential loop, the Block-STM run with the VM callback
// around apply_transaction, and the assembly of receipts and the batch's StateDiff.
#include "sluice/parallel/evm_batch.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "evm_final_diff.hpp"
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
    EvmCodeKeeper* codes;

    EvmTxOutput operator()(TxIndex i, EvmTxView& view) const {
        EvmTxOutput out;
        thread_local std::vector<EvmAccountSeen> seen;  // the worker's scratch, reused
        MvStateView state(view, seen);
        auto r = evm::apply_transaction(state, env->block, txs[i], env->rev, 0, {.defer_coinbase_fee = true});
        if (view.blocked()) return out;  // read an ESTIMATE: the executor discards this run
        if (!r) {
            out.error = std::move(r).error();
            return out;
        }
        for (const evm::AccountChange& change : r->diff.accounts) {
            if (!write_account_change(change, state, *codes, view)) out.inexpressible = true;
        }
        if (!r->deferred_coinbase_fee.is_zero()) {
            view.add_delta(EvmLocation{env->block.coinbase, EvmField::kAccount, {}},
                           r->deferred_coinbase_fee);
        }
        out.receipt = std::move(r->receipt);
        return out;
    }
};

}  // namespace

struct EvmExecutor::Impl {
    explicit Impl(unsigned n) : executor(n, ExecutorOptions{.abandon_after = kAbandonAfter}) {}
    // Large enough that small batches never give up (the property test's are all parallel), small
    // enough that a hotspot batch of thousands wastes only a few percent before going sequential.
    static constexpr std::uint64_t kAbandonAfter = 64;
    PersistentExecutor<EvmTraits> executor;
    EvmFinalDiff final_diff;
};

EvmExecutor::EvmExecutor(unsigned threads) : impl_(std::make_unique<Impl>(threads)) {}
EvmExecutor::~EvmExecutor() = default;

EvmBatchResult EvmExecutor::execute(const evm::StateView& base, const EvmBlockEnv& env,
                                    std::span<const evm::Transaction> txs) {
    if (impl_->executor.threads() <= 1 || txs.size() <= 1) return execute_sequential(base, env, txs);

    EvmCodeKeeper codes;  // owns the code the batch reads or deploys until the diff is built
    const EvmBase mv_base{&base, &codes};
    const unsigned workers = impl_->executor.threads();
    EvmFinalDiff& final_diff = impl_->final_diff;
    final_diff.reset(workers, base);
    auto run = impl_->executor.run_visit(
        mv_base, txs.size(), EvmVm{&env, txs, &codes},
        [&final_diff](unsigned w, const EvmLocation& loc, const EvmValue& value, const EvmValue* base_value) {
            final_diff.add(w, loc, value, base_value);
        });
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
    impl_->executor.for_each_worker([&](unsigned w) { final_diff.build(w, workers); });
    out.diff = final_diff.take();
    out.stats = run.stats;
    return out;
}

EvmBatchResult execute_batch(const evm::StateView& base, const EvmBlockEnv& env,
                             std::span<const evm::Transaction> txs, unsigned threads) {
    return EvmExecutor(threads).execute(base, env, txs);
}

}  // namespace sluice::parallel
