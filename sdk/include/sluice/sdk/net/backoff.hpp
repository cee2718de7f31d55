// Reconnecting: an exponential backoff with jitter and a cap, reset on success, and dial_with_backoff() that
// retries connect() with it.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

#include "sluice/sdk/net/connection.hpp"

namespace sluice::sdk::net {

struct BackoffOptions {
    std::chrono::milliseconds initial{100};
    std::chrono::milliseconds max{30'000};
    double multiplier = 2.0;
    // Each delay is drawn uniformly from [base * (1 - jitter), base]: peers that lost a hub at the same
    // moment do not all come back at the same moment.
    double jitter = 0.5;
};

class Backoff {
  public:
    explicit Backoff(BackoffOptions options = {}, std::uint64_t seed = std::random_device{}());

    // The delay before the next attempt; grows by `multiplier` per call up to `max`.
    std::chrono::milliseconds next();
    // After a success: the next delay is `initial` again.
    void reset() noexcept { failures_ = 0; }
    std::uint32_t failures() const noexcept { return failures_; }

  private:
    BackoffOptions options_;
    std::mt19937_64 rng_;
    std::uint32_t failures_ = 0;
};

// connect() until it succeeds or `max_attempts` have failed, waiting backoff.next() between attempts, and
// backoff.reset() on success. A net_wrong_identity is returned at once: another identity answers at that
// address, and asking again will not change it. The last error otherwise.
Async<Connection> dial_with_backoff(const boost::asio::any_io_executor& executor,
                                    const boost::asio::ip::tcp::endpoint& endpoint,
                                    const PrivateKey& identity, const Address& expected_peer,
                                    Backoff& backoff, std::uint32_t max_attempts,
                                    const ConnectionOptions& options = {});

}  // namespace sluice::sdk::net
