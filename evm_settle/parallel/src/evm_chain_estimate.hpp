// ChainEstimate: the dependency estimate a persistent executor carries from one batch to the next,
// deciding whether the next batch runs on one thread as the plain sequential loop.
//
// Why: a batch where nearly every transaction outside segment 0 had to run again (or that Block-STM
// gave up as a dependency chain, e.g. every transaction incrementing one counter) is a chain: on two
// workers it costs segment 0's run plus the repair's run of everything else, i.e. one sequential run
// plus the segments' bookkeeping, a few percent slower than the plain loop. With a share f of the
// transactions outside segment 0 run again, two workers take about (1 + f) / 2 of a sequential run
// plus that bookkeeping, so they pay only while f stays below about 0.9. Consecutive batches (blocks
// of one application, the benchmark's repeated batch) tend to look alike, so such a batch predicts
// the next one; every kProbeEvery-th predicted batch runs in parallel again to measure afresh.
// Batches below kMinBatch are never predicted (their cost is in the noise, and the property test's
// small random batches must keep exercising the parallel paths).
#pragma once

#include <cstddef>

namespace sluice::parallel {

class ChainEstimate {
  public:
    static constexpr std::size_t kMinBatch = 256;
    static constexpr unsigned kProbeEvery = 16;

    // Whether a batch of `txs` transactions should run sequentially; counts the batch.
    bool predicts_chain(std::size_t txs) noexcept {
        if (txs < kMinBatch || !chain_) return false;
        if (++since_probe_ < kProbeEvery) return true;
        since_probe_ = 0;
        return false;  // the probe: measure again
    }

    // After a parallel run of a batch of `txs`: of the `outside` transactions outside segment 0,
    // `reruns` ran again in a repair; `gave_up` if Block-STM gave the batch up as a chain.
    void observe(std::size_t txs, std::size_t outside, std::size_t reruns, bool gave_up) noexcept {
        if (txs < kMinBatch) return;
        chain_ = gave_up || (outside > 0 && 10 * reruns >= 9 * outside);
        since_probe_ = 0;
    }

  private:
    bool chain_ = false;
    unsigned since_probe_ = 0;
};

}  // namespace sluice::parallel
