// PeerGuard: what one peer may cost us. A token bucket on messages (rate and burst), a bound on the work of
// that peer still pending (rounds it started that we have not answered), and a count of refused messages:
// past `max_bad_messages` the node disconnects it. Nothing here changes channel state; it only decides
// whether a message is looked at. Not thread-safe: each peer's guard lives on that peer's strand.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "sluice/core/result.hpp"

namespace sluice::sdk {

struct PeerLimits {
    double messages_per_second = 500;
    double burst = 1000;
    std::size_t max_pending = 256;
    std::uint32_t max_bad_messages = 16;
};

class PeerGuard {
  public:
    using Clock = std::chrono::steady_clock;
    explicit PeerGuard(PeerLimits limits = {}, Clock::time_point now = Clock::now());

    // One message arrived: wire_rate_limited when the bucket is empty (the message is dropped and counted
    // as bad).
    Status admit(Clock::time_point now);
    // A message that did not decode or was refused; true once the peer must be disconnected.
    bool record_bad() noexcept;
    // Work this peer asked for that is still pending: wire_too_much_pending past the bound.
    Status begin_work();
    void end_work() noexcept;

    std::uint32_t bad_messages() const noexcept { return bad_; }
    std::size_t pending() const noexcept { return pending_; }

  private:
    PeerLimits limits_;
    double tokens_;
    Clock::time_point last_;
    std::size_t pending_ = 0;
    std::uint32_t bad_ = 0;
};

}  // namespace sluice::sdk
