// The checks every participant runs on a proposed state before signing it (DESIGN.md §3, invariants 3 and
// 4), the proposer included. Pure functions of the two states, the recorded deposits and the clock.
//
// How locks count for invariant 4 ("nobody but the proposer loses"), lock by lock, per asset:
//  * a lock present unchanged in both states moves nothing;
//  * an added lock is funded by the proposer: its `from` must be the proposer, and its expiry must lie
//    more than `lock_margin` seconds in the future (a lock that can expire before the receiver can act on
//    it only gives the payer a free option);
//  * a removed lock is paid to its `to` when the proposal reveals a preimage with keccak256(preimage) ==
//    hashlock, and only while it has not expired (the adjudicator pays `to` only for reveals at or before
//    expiry) unless the proposer is the payer itself;
//  * otherwise a removed lock returns to its `from`, which needs the lock to have expired by our clock
//    (the adjudicator refunds when block.timestamp > expiry), unless the proposer is the receiver, who
//    may always give a lock up.
// Then every participant other than the proposer must end with at least its old balance plus the locks
// paid to it; conservation makes the proposer the only one who can pay for the rest.
#pragma once

#include <cstdint>
#include <map>
#include <span>

#include "sluice/channel/types.hpp"

namespace sluice::channel {

// On-chain deposits per asset (the total held by the adjudicator for this channel).
using Deposits = std::map<Address, u256>;

// What this participant knows about hashlocks besides what a proposal reveals: preimages it holds (learned
// on another channel of a route, or told by the node) and the first reveal times recorded on L1 (the
// adjudicator's revealedAt). A lock whose preimage we know, or that was revealed on L1 by its expiry, pays
// its receiver on-chain, so refunding it to the payer off-chain would give money away (issue #18 §6).
struct LockKnowledge {
    std::map<Hash, Bytes32> preimages;          // hashlock -> preimage
    std::map<Hash, std::uint64_t> revealed_at;  // hashlock -> unix seconds of the first on-chain reveal
};

struct UpdateContext {
    const Params& params;
    const Deposits& deposits;
    std::uint64_t now = 0;          // unix seconds, from the injected clock
    std::uint64_t lock_margin = 0;  // minimum lifetime of a new lock, seconds
    const LockKnowledge* known = nullptr;  // null: nothing known beyond the proposal
};

// Invariant 3 and the shape rules shared by payment and app channels: same channel, same assets in the
// same order, per-asset totals unchanged and within the deposits, a final state has no locks.
Status check_value_rules(const UpdateContext& ctx, const State& from, const State& to);

// Invariant 4 for payment channels (the lock rules above); `preimages` are those the proposal reveals.
// Expects states that passed check_value_rules (same assets, shapes valid).
Status check_payment_rules(const UpdateContext& ctx, const State& from, const State& to, std::size_t proposer,
                           std::span<const Bytes32> preimages);

}  // namespace sluice::channel
