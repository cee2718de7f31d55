// The operations a payment-channel update is made of, and how a proposer turns a batch of them into the
// next state. Every operation is written from the proposer's point of view: it pays from its own balance,
// funds locks from its own balance, reveals preimages it knows, and cancels locks that expired (or that
// pay itself). Whether the result is acceptable is decided by update_rules.hpp, which every receiver runs.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "sluice/channel/types.hpp"
#include "sluice/core/secret.hpp"

namespace sluice::channel {

// Move `amount` of `asset` from the proposer to participant `to`.
struct Pay {
    Address asset;
    std::uint16_t to = 0;
    u256 amount;
};

// Lock `lock.amount` of `asset` from the proposer's balance; lock.from must be the proposer.
struct AddLock {
    Address asset;
    Lock lock;
};

// Pay a lock to its receiver by revealing keccak256-preimage of its hashlock.
struct SettleLock {
    Address asset;
    Hash hashlock;
    Secret<32> preimage;
};

// Return a lock to its payer: after its expiry, or at any time when the proposer is the lock's receiver.
struct CancelLock {
    Address asset;
    Hash hashlock;
};

// Mark the state final (cooperative close); no lock may remain in it.
struct Finalize {};

// Credit the proposer with `amount` of `asset` it added to the channel's L1 holdings (a top-up). The only
// operation that raises a total, so it goes alone in its update (deposit_credit.hpp has the rule).
struct Deposit {
    Address asset;
    u256 amount;
};

using Operation = std::variant<Pay, AddLock, SettleLock, CancelLock, Finalize, Deposit>;

// The next state a proposer wants, and the preimages it reveals with it (settled locks).
struct NextState {
    State state;
    std::vector<Bytes32> preimages;  // public from the moment they are proposed, so plain bytes
};

// Applies `ops` in order to `base` as participant `proposer` (version and channel id are left as in base;
// the machine sets them). Fails on operations that cannot apply at all: unknown asset or lock
// (channel_bad_shape / channel_bad_lock), a wrong preimage (channel_bad_lock), more than the proposer
// holds (channel_overspend), a lock or payment index out of range or to itself (channel_bad_shape), a
// deposit of zero (channel_bad_shape).
Result<NextState> apply_operations(const Params& params, const State& base, std::size_t proposer,
                                   const std::vector<Operation>& ops);

}  // namespace sluice::channel
