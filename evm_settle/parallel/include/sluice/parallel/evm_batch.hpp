// execute_batch for EVM transactions: runs a batch with Block-STM over the embedded EVM and returns
// exactly what applying the transactions one after another with sluice_evm returns (receipts,
// validation errors, the state after the batch). See evm_location.hpp for how a transaction maps
// onto multi-version locations.
//
// One known limit, shared with the sequential path here and with the EVM's own State: an account
// counts as having storage (EIP-7610 create collision) once any non-zero slot was written, even if
// a later transaction of the batch zeroes them all; MemoryState alone would see it empty again.
// Only a CREATE to such an address (nonce 0, no code) in the same batch can tell the difference.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <variant>
#include <vector>

#include "sluice/core/result.hpp"
#include "sluice/evm/block_info.hpp"
#include "sluice/evm/receipt.hpp"
#include "sluice/evm/revision.hpp"
#include "sluice/evm/state_diff.hpp"
#include "sluice/evm/state_view.hpp"
#include "sluice/evm/transaction.hpp"
#include "sluice/parallel/executor.hpp"

namespace sluice::parallel {

struct EvmBlockEnv {
    evm::BlockInfo block;
    evm::Revision rev = evm::Revision::prague;
};

struct EvmBatchResult {
    // Per transaction: its receipt (cumulative gas counted over the batch), or its validation error.
    std::vector<Result<evm::Receipt>> receipts;
    // Applied to the base state, gives the state after the whole batch (one change per account).
    evm::StateDiff diff;
    ExecutionStats stats;
    // True if the parallel run met a transaction it cannot express in locations (the deletion of an
    // account holding storage: SELFDESTRUCT before Cancun, EIP-161 clearing) and the batch was
    // re-run sequentially.
    bool ran_sequential_fallback = false;
    // True if the segments could not settle the whole batch and Block-STM ran the rest (from the
    // first segment with a read that a lower segment's writes changed).
    bool segments_fell_back = false;
    // True if a segment read what a lower one changed and was repaired: replayed in order over the
    // segments below it, its transactions that read a changed location run again
    // (src/evm_segment_repair.hpp). Without segments_fell_back, the segments settled the whole batch.
    bool segments_repaired = false;
    // True if the parallel run gave up early because the batch behaved like a dependency chain
    // (ExecutorOptions::abandon_after) and the batch was run sequentially instead.
    bool abandoned_as_chain = false;
    // True if the batch ran sequentially without a parallel try: the executor's last parallel run
    // was a dependency chain and predicts this batch is one too (src/evm_chain_estimate.hpp).
    bool ran_as_predicted_chain = false;
};

struct EvmExecutorOptions {
    // Try each batch first as one contiguous segment per worker, each run like the sequential path
    // and checked against the segments below it afterwards (see src/evm_segments.hpp); Block-STM
    // runs only what that cannot settle. Off: Block-STM runs every batch.
    bool segments = true;
    // Repair a segment that read what a lower one changed (run again only its transactions that read
    // a changed location, in order, on one thread) before handing it to Block-STM. Off: Block-STM
    // runs everything from the first such segment on.
    bool repair = true;
    // Block-STM's own options. abandon_after: large enough that small batches never give up (the
    // property test's run in parallel), small enough that a dependency chain of thousands wastes
    // only a few percent before going sequential (after the segments, a chain costs Block-STM's
    // probe on top of one sequential run; 64 made that probe 0.7 ms of a 33 ms hotspot batch).
    ExecutorOptions block_stm{.abandon_after = 32};
};

// Runs EVM batches one after another on persistent worker threads and buffers (see
// PersistentExecutor). threads <= 1: the plain sequential loop of apply_transaction over an overlay
// of the base state, the baseline of every speed-up. `base` must be safe to read from several
// threads at once.
class EvmExecutor {
  public:
    explicit EvmExecutor(unsigned threads, const EvmExecutorOptions& options = {});
    ~EvmExecutor();
    EvmExecutor(const EvmExecutor&) = delete;
    EvmExecutor& operator=(const EvmExecutor&) = delete;

    EvmBatchResult execute(const evm::StateView& base, const EvmBlockEnv& env,
                           std::span<const evm::Transaction> txs);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One batch on a temporary EvmExecutor.
EvmBatchResult execute_batch(const evm::StateView& base, const EvmBlockEnv& env,
                             std::span<const evm::Transaction> txs, unsigned threads);

}  // namespace sluice::parallel
