// Bounds on what one channel state may hold, so that every state we sign can still be disputed on L1: the
// adjudicator's register + withdraw of a state at these limits must fit in a fraction of a block (issue #18
// §4; Lightning caps a commitment at 483 HTLCs for the same reason). The gas at the limits is measured by
// tests/contracts (see contracts/README.md); the machine refuses proposals above them with
// channel_limit_exceeded, and the adjudicator's checkParams refuses params above kMaxChallengeDuration.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sluice::channel {

inline constexpr std::size_t kMaxLocks = 256;          // locks over all assets of one state
inline constexpr std::size_t kMaxAssets = 8;           // allocations (assets) per state
inline constexpr std::size_t kMaxAppDataBytes = 4096;  // State.appData
// A challenge longer than a year protects nobody and, near 2^48, makes uint48(now) + duration overflow.
inline constexpr std::uint64_t kMaxChallengeDuration = 365ull * 24 * 3600;

}  // namespace sluice::channel
