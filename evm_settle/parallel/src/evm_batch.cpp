// execute_batch over the EVM: the plain sequential loop, the Block-STM run with the VM callback
// around apply_transaction, and the assembly of receipts and the batch's StateDiff.
#include "sluice/parallel/evm_batch.hpp"

#include <algorithm>
#include <memory_resource>
#include <optional>
#include <vector>

#include "evm_chain_estimate.hpp"
#include "evm_final_diff.hpp"
#include "evm_mv_view.hpp"
#include "evm_overlay_state.hpp"
#include "evm_segments.hpp"
#include "evm_tx_writes.hpp"
#include "sluice/evm/transaction_processor.hpp"

namespace sluice::parallel {
namespace {

EvmBatchResult execute_sequential(const evm::StateView& base, const EvmBlockEnv& env,
                                  std::span<const evm::Transaction> txs, std::pmr::memory_resource* memory) {
    EvmBatchResult out;
    out.receipts.reserve(txs.size());
    OverlayState state(base, memory);
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
    Impl(unsigned n, const EvmExecutorOptions& o)
        : executor(n, o.block_stm), segments(n), use_segments(o.segments), repair(o.repair) {}

    EvmBatchResult block_stm(const evm::StateView& base, const EvmBlockEnv& env,
                             std::span<const evm::Transaction> txs);
    EvmBatchResult segmented(const evm::StateView& base, const EvmBlockEnv& env,
                             std::span<const evm::Transaction> txs);

    EvmBatchResult sequential(const evm::StateView& base, const EvmBlockEnv& env,
                              std::span<const evm::Transaction> txs) {
        return execute_sequential(base, env, txs, &sequential_memory);
    }

    PersistentExecutor<EvmTraits> executor;
    EvmFinalDiff final_diff;
    EvmSegments segments;
    bool use_segments;
    bool repair;
    ChainEstimate chain;
    // The sequential path's overlay nodes (threads = 1, and every sequential re-run on the calling
    // thread): kept across batches as the workers' are, so the baseline pays no more for memory.
    std::pmr::unsynchronized_pool_resource sequential_memory;
};

EvmExecutor::EvmExecutor(unsigned threads, const EvmExecutorOptions& options)
    : impl_(std::make_unique<Impl>(threads, options)) {}
EvmExecutor::~EvmExecutor() = default;

EvmBatchResult EvmExecutor::execute(const evm::StateView& base, const EvmBlockEnv& env,
                                    std::span<const evm::Transaction> txs) {
    const unsigned workers = impl_->executor.threads();
    if (workers <= 1 || txs.size() <= 1) return impl_->sequential(base, env, txs);
    if (impl_->use_segments && txs.size() >= 2 * std::size_t{workers}) {
        if (impl_->chain.predicts_chain(txs)) {
            EvmBatchResult out = impl_->sequential(base, env, txs);
            out.ran_as_predicted_chain = true;
            return out;
        }
        EvmBatchResult out = impl_->segmented(base, env, txs);
        EvmSegments& run = impl_->segments;
        impl_->chain.observe(txs.size(), txs.size() - run.segment_begin(1), run.reruns(), run.rerun_target(),
                             out.abandoned_as_chain);
        return out;
    }
    return impl_->block_stm(base, env, txs);
}

EvmBatchResult EvmExecutor::Impl::segmented(const evm::StateView& base, const EvmBlockEnv& env,
                                            std::span<const evm::Transaction> txs) {
    EvmSegments& run = segments;
    run.start(base, env, txs);
    executor.for_each_worker([&run](unsigned w) { run.execute(w); });
    executor.for_each_worker([&run](unsigned w) { run.check(w); });
    const unsigned suspect = repair ? run.settle() : run.first_suspect();
    if (suspect == executor.threads()) {
        EvmBatchResult out = run.merge(suspect, nullptr);
        out.segments_repaired = run.repaired();
        return out;
    }
    if (suspect == 0) {  // segment 0 read the coinbase: nothing to keep
        EvmBatchResult out = block_stm(base, env, txs);
        out.stats.executions += txs.size();
        out.segments_fell_back = true;
        return out;
    }
    // Keep the segments below the first suspect one; Block-STM runs the rest on top of them.
    const OverlayState& state = run.prefix_state(suspect);
    EvmBatchResult rest = block_stm(state, env, txs.subspan(run.segment_begin(suspect)));
    EvmBatchResult out = run.merge(suspect, &rest);
    out.stats.executions += txs.size() - run.segment_begin(suspect);  // the suspect segments' first runs
    out.segments_fell_back = true;
    out.segments_repaired = run.repaired();
    out.ran_sequential_fallback = rest.ran_sequential_fallback;
    out.abandoned_as_chain = rest.abandoned_as_chain;
    return out;
}

EvmBatchResult EvmExecutor::Impl::block_stm(const evm::StateView& base, const EvmBlockEnv& env,
                                            std::span<const evm::Transaction> txs) {
    if (executor.threads() <= 1 || txs.size() <= 1) return sequential(base, env, txs);

    EvmCodeKeeper codes;  // owns the code the batch reads or deploys until the diff is built
    const EvmBase mv_base{&base, &codes};
    const unsigned workers = executor.threads();
    final_diff.reset(workers, base);
    auto run =
        executor.run_visit(mv_base, txs.size(), EvmVm{&env, txs, &codes},
                           [this](unsigned w, const EvmLocation& loc, const EvmValue& value,
                                  const EvmValue* base_value) { final_diff.add(w, loc, value, base_value); });
    if (run.abandoned) {
        EvmBatchResult out = sequential(base, env, txs);
        out.stats += run.stats;
        out.abandoned_as_chain = true;
        return out;
    }
    const bool inexpressible = std::any_of(run.outputs.begin(), run.outputs.end(),
                                           [](const EvmTxOutput& o) { return o.inexpressible; });
    if (inexpressible) {
        EvmBatchResult out = sequential(base, env, txs);
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
    executor.for_each_worker([&](unsigned w) { final_diff.build(w, workers); });
    out.diff = final_diff.take();
    out.stats = run.stats;
    return out;
}

EvmBatchResult execute_batch(const evm::StateView& base, const EvmBlockEnv& env,
                             std::span<const evm::Transaction> txs, unsigned threads) {
    return EvmExecutor(threads).execute(base, env, txs);
}

}  // namespace sluice::parallel
