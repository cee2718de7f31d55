// The injectable clock of the channel layer: unix time in seconds, the unit of lock expiries on-chain.
// Tests drive it by hand, so nothing here ever sleeps or reads the system clock by itself.
#pragma once

#include <cstdint>
#include <functional>

namespace sluice::channel {

using Clock = std::function<std::uint64_t()>;

// The system clock, for production callers.
Clock system_clock();

}  // namespace sluice::channel
