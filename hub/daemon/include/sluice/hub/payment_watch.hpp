// PaymentWatch: which payments have resolved (PaymentSent or PaymentFailed was stored), so the `pay` RPC
// can wait for its payment without reading the store in a loop. Fed by the node's on_event.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <set>

#include <boost/asio/awaitable.hpp>

#include "sluice/core/bytes.hpp"

namespace sluice::hub {

class PaymentWatch {
  public:
    void resolved(const Hash& payment);
    // Waits until `payment` resolved or `timeout` passed; true if it resolved. Polls memory every
    // millisecond on the caller's executor.
    boost::asio::awaitable<bool> wait(Hash payment, std::chrono::milliseconds timeout);

  private:
    static constexpr std::size_t kKept = 100'000;  // resolved ids nobody waited for are forgotten after
    std::mutex mutex_;
    std::set<Hash> resolved_;
    std::deque<Hash> order_;
};

}  // namespace sluice::hub
