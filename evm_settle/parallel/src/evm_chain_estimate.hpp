// ChainEstimate: the dependency estimate a persistent executor carries from one batch to the next,
// deciding whether the next batch runs on one thread as the plain sequential loop.
//
// Why: a batch where nearly every transaction outside segment 0 had to run again (e.g. every
// transaction increments one counter) is a chain: on two workers it costs segment 0's run plus the
// repair's run of everything else, i.e. one sequential run plus the segments' bookkeeping, a few
// percent slower than the plain loop. With a share f of the transactions outside segment 0 run
// again, two workers take about (1 + f) / 2 of a sequential run plus that bookkeeping, so they pay
// only while f stays below about 0.9.
//
// Such a batch predicts the next one only if the next one looks alike, by a cheap pre-pass: when all
// the transactions run again called one contract (the hot one), at least 90% of the next batch must
// call it too; otherwise (a batch Block-STM gave up as a chain, or reruns spread over contracts) only
// the repetition of batches vouches for it. Either way every kProbeEvery-th predicted batch runs in
// parallel again to measure afresh. Batches below kMinBatch are never predicted (their cost is in the
// noise, and the property test's small random batches must keep exercising the parallel paths).
#pragma once

#include <cstddef>
#include <optional>
#include <span>

#include "sluice/core/bytes.hpp"
#include "sluice/evm/transaction.hpp"

namespace sluice::parallel {

class ChainEstimate {
  public:
    static constexpr std::size_t kMinBatch = 256;
    static constexpr unsigned kProbeEvery = 16;

    // Whether `txs` should run sequentially; counts the batch.
    bool predicts_chain(std::span<const evm::Transaction> txs) noexcept {
        if (txs.size() < kMinBatch || !chain_) return false;
        if (hot_target_) {
            std::size_t hot = 0;
            for (const evm::Transaction& tx : txs)
                hot += tx.to == hot_target_ ? 1 : 0;
            if (10 * hot < 9 * txs.size()) return false;  // not the batch that was measured
        }
        if (++since_probe_ < kProbeEvery) return true;
        since_probe_ = 0;
        return false;  // the probe: measure again
    }

    // After a parallel run of a batch of `txs`: of the `outside` transactions outside segment 0,
    // `reruns` ran again in a repair, all calling `rerun_target` if it is set; `gave_up` if Block-STM
    // gave the batch up as a chain.
    void observe(std::size_t txs, std::size_t outside, std::size_t reruns,
                 const std::optional<Address>& rerun_target, bool gave_up) noexcept {
        if (txs < kMinBatch) return;
        const bool repaired_chain = outside > 0 && 10 * reruns >= 9 * outside;
        chain_ = gave_up || repaired_chain;
        hot_target_ = repaired_chain && !gave_up ? rerun_target : std::nullopt;
        since_probe_ = 0;
    }

  private:
    bool chain_ = false;
    std::optional<Address> hot_target_;
    unsigned since_probe_ = 0;
};

}  // namespace sluice::parallel
