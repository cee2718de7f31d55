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
//    expiry) unless the proposer is the payer itself, or we know it was revealed on L1 by its expiry
//    (ctx.known->revealed_at: the adjudicator pays `to` then, whatever our clock says);
//  * otherwise a removed lock returns to its `from`, which needs the lock to have expired by our clock
//    (the adjudicator refunds when block.timestamp > expiry), unless the proposer is the receiver, who
//    may always give a lock up. A refund is refused (channel_lock_revealed) when the lock was revealed on
//    L1 at or before its expiry, or, with no L1 reveal recorded, when this party knows the preimage
//    (issue #18 §6): the adjudicator would pay `to` (or still can), so the refund takes from it. A known
//    preimage refuses the refund even after expiry: our view of L1 may lag a reveal mined in time, and
//    refusing only costs the payer a dispute, which refunds it if nobody revealed in time. A recorded
//    reveal after expiry is final (the adjudicator keeps the first one): the refund is what L1 does.
// Then every participant other than the proposer must end with at least its old balance plus the locks
// paid to it; conservation makes the proposer the only one who can pay for the rest.
//
// Limits (limits.hpp, issue #18 §4): a state we sign holds at most kMaxAssets assets, kMaxLocks locks over
// all assets and kMaxAppDataBytes of app data, so that it can still be registered and withdrawn on L1
// (channel_limit_exceeded). The check is part of check_value_rules, which every proposal runs, ours and
// peers', payment and app channels.
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

    void add_preimage(const Bytes32& preimage);
    // The adjudicator keeps the first reveal only, so an earlier time always wins.
    void add_reveal(const Hash& hashlock, std::uint64_t revealed_at);
    friend bool operator==(const LockKnowledge&, const LockKnowledge&) = default;
};

struct UpdateContext {
    const Params& params;
    const Deposits& deposits;
    std::uint64_t now = 0;                 // unix seconds, from the injected clock
    std::uint64_t lock_margin = 0;         // minimum lifetime of a new lock, seconds
    const LockKnowledge* known = nullptr;  // null: nothing known beyond the proposal
};

// Invariant 3 and the shape rules shared by payment and app channels: same channel, same assets in the
// same order, within the limits, per-asset totals unchanged and within the deposits, a final state has no
// locks.
Status check_value_rules(const UpdateContext& ctx, const State& from, const State& to);

// The dispute limits of limits.hpp alone (channel_limit_exceeded).
Status check_limits(const State& state);

// Every per-asset total of `state` is covered by the recorded deposits (channel_exceeds_deposits): a state
// that is not could pay a lower participant index out of a higher one's deposit on L1 (machine.hpp).
Status check_within_deposits(const Deposits& deposits, const State& state);

// Issue #18 §3: a lock in `to` may not expire more than `max_lifetime` seconds after `now`, unless `from`
// already holds a lock with the same hashlock expiring at least as late (the proposal then extends
// nothing); one far lock would hold the channel on L1 until it expires (channel_lock_too_long). Expects
// states that passed check_value_rules.
Status check_lock_lifetimes(const State& from, const State& to, std::uint64_t now,
                            std::uint64_t max_lifetime);

// Invariant 4 for payment channels (the lock rules above); `preimages` are those the proposal reveals.
// Expects states that passed check_value_rules (same assets, shapes valid).
Status check_payment_rules(const UpdateContext& ctx, const State& from, const State& to, std::size_t proposer,
                           std::span<const Bytes32> preimages);

}  // namespace sluice::channel
