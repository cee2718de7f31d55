// Backoff and dial_with_backoff (backoff.hpp).
#include "sluice/sdk/net/backoff.hpp"

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>

namespace sluice::sdk::net {

namespace asio = boost::asio;

Backoff::Backoff(BackoffOptions options, std::uint64_t seed) : options_(options), rng_(seed) {
    options_.multiplier = std::max(options_.multiplier, 1.0);
    options_.jitter = std::clamp(options_.jitter, 0.0, 1.0);
    options_.max = std::max(options_.max, options_.initial);
}

std::chrono::milliseconds Backoff::next() {
    const double cap = static_cast<double>(options_.max.count());
    // pow() saturates long before the exponent could overflow anything; the cap bounds the rest.
    const double grown =
        static_cast<double>(options_.initial.count()) *
        std::pow(options_.multiplier, static_cast<double>(std::min<std::uint32_t>(failures_, 64)));
    const double base = std::min(grown, cap);
    if (failures_ < UINT32_MAX) ++failures_;
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const double delay = base * (1.0 - options_.jitter * unit(rng_));
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(delay)));
}

Async<Connection> dial_with_backoff(const asio::any_io_executor& executor,
                                    const asio::ip::tcp::endpoint& endpoint, const PrivateKey& identity,
                                    const Address& expected_peer, Backoff& backoff,
                                    std::uint32_t max_attempts, const ConnectionOptions& options) {
    const std::uint32_t attempts = std::max<std::uint32_t>(max_attempts, 1);
    std::optional<Error> last;
    for (std::uint32_t attempt = 1; attempt <= attempts; ++attempt) {
        auto connection = co_await connect(executor, endpoint, identity, expected_peer, options);
        if (connection.ok()) {
            backoff.reset();
            co_return connection;
        }
        if (connection.error().code == Errc::net_wrong_identity) co_return connection;
        last = std::move(connection).error();
        if (attempt == attempts) break;
        asio::steady_timer timer(executor);
        timer.expires_after(backoff.next());
        boost::system::error_code ignored;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
    last->message = "after " + std::to_string(attempts) + " attempts: " + last->message;
    co_return *last;
}

}  // namespace sluice::sdk::net
