// The repair of a segment whose reads a lower segment changed (see evm_segments.hpp): instead of
// handing the segment to Block-STM, one thread replays it in order on the right state (the segments
// below it), keeping the result of every transaction none of whose reads changed and running only the
// others again.
//
// Why it is exact: a transaction's receipt and writes are a function of the values it read (block
// and transaction fixed). `changed` holds (the hashes of) every location where the right state may
// differ from the state the segment's own run saw at the same point: at first the locations a lower
// segment changed that the segment read from the base, then every location where a transaction run
// again wrote something else than its first run (or wrote where it had not, or the other way round).
// A transaction that read nothing in `changed` saw exactly the values of the right state, so its
// first result stands and its writes leave both states equal where they write. The set only grows
// (it is a superset of the true differences; an extra member costs a run, never a wrong result).
//
// Why it is fast: in a batch with one hot slot (every tenth transaction increments a counter), only
// the hot transactions run again, on one thread, with no multi-version memory; the others cost one
// diff applied. Block-STM would fetch shared cache lines for every transaction and abort the hot ones
// repeatedly.
//
// What it does not do: a transaction run again that reads the coinbase (its view lacks the deferred
// fees of the transactions before it in the segment), deletes an account or clears storage gives up,
// and the caller falls back to Block-STM from this segment on.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_set>
#include <vector>

#include "evm_overlay_state.hpp"
#include "sluice/core/result.hpp"
#include "sluice/evm/receipt.hpp"
#include "sluice/evm/state_diff.hpp"
#include "sluice/evm/transaction.hpp"
#include "sluice/parallel/evm_batch.hpp"

namespace sluice::parallel {

// What a segment's first run kept of each of its transactions, for a repair. Flat and kept across
// batches (clear keeps the capacity): keeping every transaction's StateDiff as it came made each
// segment hold thousands of small allocations until the next batch, and cost transfers and erc20
// batches 6-10% of their two-worker speed (the allocator no longer reused the memory just freed).
class SegmentHistory {
  public:
    // Appends the next transaction: what it read (the keys since the last add, already in
    // read_keys), its diff (empty when it was invalid) and its deferred coinbase fee.
    void add(const evm::StateDiff& diff, const u256& fee);
    // Transaction `tx`'s diff into `out` (reusing its buffers).
    void diff_of(std::size_t tx, evm::StateDiff& out) const;
    bool read_any(std::size_t tx, const std::unordered_set<std::uint64_t>& keys) const;
    const u256& fee(std::size_t tx) const noexcept { return fees_[tx]; }
    void reserve(std::size_t txs);
    void clear();

    std::vector<std::uint64_t> read_keys;  // every transaction's reads (location_key), in order

  private:
    std::vector<std::uint32_t> read_ends_;         // per transaction: where its reads end in read_keys
    std::vector<evm::AccountChange> accounts_;     // every transaction's changes, storage left empty
    std::vector<std::uint32_t> slot_ends_;         // per change: where its slots end in slots_
    std::vector<std::pair<Bytes32, u256>> slots_;  // the changes' slots, one after another
    std::vector<std::uint32_t> account_ends_;      // per transaction: where its changes end in accounts_
    std::vector<u256> fees_;                       // per transaction: its deferred coinbase fee
};

struct RepairOutcome {
    std::int64_t gas_used = 0;  // the segment's, after the repair
    u256 fees;                  // the segment's deferred coinbase fees, after the repair
    std::size_t reruns = 0;     // transactions run again
    // The contract every transaction run again called, if they all called one (a hot contract).
    std::optional<Address> rerun_target;
};

// Replays `txs` (the segment) onto `out`, an overlay over the state the segments below left.
// `receipts` holds the first run's receipts (cumulative gas within the segment) and is rewritten in
// place; `changed` is the first set described above. Returns false when it gives up; `out` and
// `receipts` are then to be discarded.
bool repair_segment(OverlayState& out, const EvmBlockEnv& env, std::span<const evm::Transaction> txs,
                    const SegmentHistory& history, std::vector<Result<evm::Receipt>>& receipts,
                    std::span<const std::uint64_t> changed, RepairOutcome& outcome);

}  // namespace sluice::parallel
