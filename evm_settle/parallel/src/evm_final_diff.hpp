// The StateDiff of a parallel batch, assembled by all workers at once from the final values of the
// written locations.
//
// Assembling it on one thread cost as much as a tenth of a transfer batch's CPU time, all of it
// serial. Now: (1) every worker visits its own shards of the multi-version memory and drops each
// final value into one of its kBuckets buckets, chosen by the address's first byte, so that bucket
// order is address order; (2) every worker takes whole buckets, gathers that bucket from every
// worker, sorts it by (address, field, slot) and turns each address's values into one
// AccountChange; (3) the buckets are concatenated, which leaves the diff sorted by address as the
// sequential path's is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "evm_mv_view.hpp"
#include "sluice/evm/state_diff.hpp"
#include "sluice/evm/state_view.hpp"

namespace sluice::parallel {

// Kept by the executor across batches: its buffers are reused, since fresh ones cost page faults
// on every batch (a fifth of a transfer batch's parallel CPU time when they were new each time).
class EvmFinalDiff {
  public:
    // Starts a batch over `base` with `workers` workers.
    void reset(unsigned workers, const evm::StateView& base);

    // Phase 1, from MVMemory::for_each_final_in_shard on worker `worker`. `loc` and `base_value`
    // must stay valid until take() (they point into the multi-version memory's nodes).
    void add(unsigned worker, const EvmLocation& loc, const EvmValue& value, const EvmValue* base_value);
    // Phase 2: worker `worker` of `workers` builds its share of the account changes.
    void build(unsigned worker, unsigned workers);
    // Phase 3, on one thread: the diff, sorted by address.
    evm::StateDiff take();

  private:
    static constexpr std::size_t kBuckets = 256;
    // Sorted by integer keys taken from the location (address, field, slot's first 8 bytes, all
    // big-endian so integer order is byte order): a token contract's thousands of slots share one
    // address, and comparing 20 + 32 bytes with memcmp made sorting them the slowest, serial step.
    struct Item {
        std::uint64_t address_hi;
        std::uint64_t address_mid;
        std::uint32_t address_lo;
        EvmField field;
        std::uint64_t slot_hi;
        const EvmLocation* loc;
        const EvmValue* base;  // when the batch fetched it
        EvmValue value;
    };
    void build_bucket(std::size_t bucket);
    void build_account(const Item* const* first, const Item* const* last,
                       std::vector<evm::AccountChange>& out) const;

    const evm::StateView* base_ = nullptr;
    std::vector<std::vector<std::vector<Item>>> items_;     // [worker][bucket]
    std::vector<std::vector<evm::AccountChange>> changes_;  // [bucket]
};

}  // namespace sluice::parallel
