// Bounds on what one channel state may hold, so that every state we sign can still be disputed on L1: the
// adjudicator's register + withdraw of a state at these limits must fit in a third of a 30 M gas block (issue
// #18 §4; Lightning caps a commitment at 483 HTLCs for the same reason).
// tests/channel/adjudicator_limits_test.cpp measures it with 16 participants, every value at its most
// expensive: register 1.20 M + withdraw 5.25 M = 6.44 M gas (21 % of 30 M; the second payout stage,
// withdrawLocks, 1.75 M), so these values stand. withdraw dominates: 16 x 8 token transfers to fresh holders
// at ~41 k each, so kMaxAssets is the costly one. The machine refuses proposals above them with
// channel_limit_exceeded; the adjudicator's checkParams refuses params above kMaxChallengeDuration and states
// with more than 256 locks (its pending-lock mask is one word).
#pragma once

#include <cstddef>
#include <cstdint>

namespace sluice::channel {

inline constexpr std::size_t kMaxLocks = 256;          // locks over all assets of one state
inline constexpr std::size_t kMaxAssets = 8;           // allocations (assets) per state
inline constexpr std::size_t kMaxAppDataBytes = 4096;  // State.appData
// A challenge longer than a year protects nobody and, near 2^48, makes uint48(now) + duration overflow.
inline constexpr std::uint64_t kMaxChallengeDuration = 365ull * 24 * 3600;

static_assert(kMaxLocks <= 256, "Adjudicator.MAX_LOCKS: withdraw keeps unresolved locks in a 256-bit mask");

}  // namespace sluice::channel
