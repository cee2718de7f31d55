// EvmSegments: the optimistic first try of a parallel EVM batch, cut into one contiguous segment
// per worker.
//
// Worker w runs segment w exactly as the sequential path runs a batch (apply_transaction over an
// OverlayState, nothing shared), except that every read reaching the base state is recorded
// (SegmentReads) and coinbase fees are summed instead of credited. Then every worker checks its
// own segment: a read of a location that a lower segment changed to another value makes that
// transaction, and everything after it in the segment, suspect. Segment 0 is always right (it ran
// first, on the base, in order), and a segment with no suspect read is right too, by induction:
// its transactions saw exactly the state the transactions below them left. A suspect segment is
// then repaired (settle, evm_segment_repair.hpp): one thread replays it in order over the segments
// below it, running again only the transactions that read a changed location. When every segment
// is right or repaired, the batch's result is the segments' results put together (merge);
// otherwise (a segment that read the coinbase, or a repair that gave up) the caller keeps the
// segments below that one (prefix) and runs the rest with Block-STM.
//
// Why: this is what two plain loops over two independent halves do, which is the machine's bound
// for such batches (bench parallel_bound); a transaction of a plain transfer costs ~3 µs, and
// Block-STM's per-transaction bookkeeping fetches several cache lines the other core wrote, at
// ~300 ns each on a two-vCPU VM. Here the cores share only what the checks read afterwards: a
// small filter of each segment's written locations, and the exact diff where the filter says
// "maybe". A batch that is one long dependency chain (every transaction increments one counter)
// still costs about one sequential run: segment 1's work is wasted, but on the other core, while
// segment 0 runs, and Block-STM then gives the rest up as a chain.
//
// Reads are checked by value: a lower segment that wrote a location back to its base value
// changed nothing the segment could see. A read of the coinbase is suspect in every segment (it
// missed the deferred fees).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <optional>
#include <span>
#include <vector>

#include "evm_overlay_state.hpp"
#include "evm_segment_reads.hpp"
#include "evm_segment_repair.hpp"
#include "sluice/parallel/evm_batch.hpp"

namespace sluice::parallel {

class EvmSegments {
  public:
    // Kept by the executor across batches, so each segment's memory pool and buffers are reused.
    explicit EvmSegments(unsigned segments);

    // Starts a batch; the arguments must outlive it. No worker may be running.
    void start(const evm::StateView& base, const EvmBlockEnv& env, std::span<const evm::Transaction> txs);

    // On worker w (< segments), all at once: run segment w, then (after every worker ran) check it.
    void execute(unsigned w);
    void check(unsigned w);

    // After check: the first segment with a suspect read, or the number of segments if none.
    unsigned first_suspect() const;
    // After check, on one thread: repairs the suspect segments from the lowest on, each over the
    // ones below it (checked again when one of those was repaired). Returns the first segment it
    // could not settle, or the number of segments if it settled all.
    unsigned settle();
    // Whether settle repaired a segment, and how many transactions it ran again.
    bool repaired() const noexcept { return repaired_any_; }
    std::size_t reruns() const noexcept { return reruns_; }
    // The contract every transaction settle ran again called, if they all called one.
    const std::optional<Address>& rerun_target() const noexcept { return rerun_target_; }
    std::size_t segment_begin(unsigned w) const noexcept { return txs_.size() * w / segments_.size(); }

    // The batch's result from segments [0, end) and, when end is below the number of segments,
    // `rest`: what Block-STM made of the transactions from segment_begin(end) on, over
    // prefix_state(end). Moves the receipts and diffs out of the segments and of `rest`. Counts
    // settle's runs again in the stats.
    EvmBatchResult merge(unsigned end, EvmBatchResult* rest);
    // The state after segments [0, end), 1 <= end, fees included, for Block-STM to run the rest on:
    // segment 0's overlay, now read through without recording, with the others added to it. Safe
    // to read from every worker at once: OverlayState's reads only look up (no cache fills), and
    // SegmentReads passes them straight to the base.
    OverlayState& prefix_state(unsigned end);

  private:
    struct Segment {
        std::pmr::unsynchronized_pool_resource memory;  // the overlay's nodes, used by worker w only
        SegmentReads reads;
        std::optional<OverlayState> overlay;  // over `reads`; the last batch's until the next one starts
        std::vector<Result<evm::Receipt>> receipts;  // cumulative gas within the segment
        std::int64_t gas_used = 0;
        u256 fees;                             // deferred coinbase fees
        evm::StateDiff diff;                   // sorted by address, slots sorted by key
        std::vector<std::uint64_t> filter;     // bits: locations the segment changed (maybe)
        std::optional<std::size_t> suspect;    // the first transaction whose read may be stale
        SegmentHistory history;                // each transaction's reads, diff and fee, for a repair
        std::vector<std::uint64_t> stale;      // keys of base reads a lower segment changed
        std::optional<OverlayState> repaired;  // over the segments below, when settle repaired it
    };

    bool suspect_read(unsigned w, const SegmentReads::Read& read) const;
    static bool maybe_changed(const Segment& s, const EvmLocation& loc);
    void build_filter(Segment& s) const;
    u256 fees_below(unsigned end) const;
    // Segment 0's overlay with segments [1, end) added (their repaired overlays where repaired).
    OverlayState& absorb_below(unsigned end);
    bool repair(unsigned w);
    static evm::StateDiff merge_diffs(const std::vector<evm::StateDiff*>& diffs);

    const evm::StateView* base_ = nullptr;
    const EvmBlockEnv* env_ = nullptr;
    std::span<const evm::Transaction> txs_;
    std::vector<std::unique_ptr<Segment>> segments_;  // the overlay refers to its neighbour: never moved
    unsigned absorbed_ = 1;                           // segments [1, absorbed_) are in segment 0's overlay
    bool repaired_any_ = false;
    std::size_t reruns_ = 0;
    std::optional<Address> rerun_target_;
};

}  // namespace sluice::parallel
