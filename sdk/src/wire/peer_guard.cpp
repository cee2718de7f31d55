#include "sluice/sdk/peer_guard.hpp"

#include <algorithm>
#include <string>

namespace sluice::sdk {

PeerGuard::PeerGuard(PeerLimits limits, Clock::time_point now)
    : limits_(limits), tokens_(limits.burst), last_(now) {}

Status PeerGuard::admit(Clock::time_point now) {
    if (now > last_) {
        const double seconds = std::chrono::duration<double>(now - last_).count();
        tokens_ = std::min(limits_.burst, tokens_ + seconds * limits_.messages_per_second);
        last_ = now;
    }
    if (tokens_ < 1.0) {
        record_bad();
        return make_error(Errc::wire_rate_limited,
                          "more than " + std::to_string(static_cast<long long>(limits_.messages_per_second)) +
                              " messages/s");
    }
    tokens_ -= 1.0;
    return {};
}

bool PeerGuard::record_bad() noexcept {
    if (bad_ < UINT32_MAX) ++bad_;
    return bad_ > limits_.max_bad_messages;
}

Status PeerGuard::begin_work() {
    if (pending_ >= limits_.max_pending) {
        return make_error(Errc::wire_too_much_pending,
                          std::to_string(pending_) + " requests of this peer are still pending");
    }
    ++pending_;
    return {};
}

void PeerGuard::end_work() noexcept {
    if (pending_ > 0) --pending_;
}

}  // namespace sluice::sdk
