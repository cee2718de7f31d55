// PaymentWatch: which payments have resolved (PaymentSent or PaymentFailed was stored), so the `pay` RPC
// can wait for its payment without reading the store in a loop. Fed by the node's on_event.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "sluice/core/bytes.hpp"

namespace sluice::hub {

class PaymentWatch {
  public:
    // Wakes every wait() for `payment` (any thread).
    void resolved(const Hash& payment);
    // Waits until `payment` resolved or `timeout` passed; true if it resolved. Sleeps on a timer that
    // resolved() cancels: a poll every millisecond cost each of hundreds of waiting `pay` calls a thousand
    // wake-ups a second on the RPC strand (the load benchmark, bench/hub_load). The caller's executor must
    // be a strand or run on one thread (the RPC server's handlers run on its strand): the cancel is posted to
    // it, so it never runs while the wait is being set up.
    boost::asio::awaitable<bool> wait(Hash payment, std::chrono::milliseconds timeout);

  private:
    struct Waiter {
        explicit Waiter(const boost::asio::any_io_executor& ex) : timer(ex) {}
        boost::asio::steady_timer timer;
    };
    static constexpr std::size_t kKept = 100'000;  // resolved ids nobody waited for are forgotten after
    std::mutex mutex_;
    std::set<Hash> resolved_;
    std::deque<Hash> order_;
    std::multimap<Hash, std::shared_ptr<Waiter>> waiters_;
};

}  // namespace sluice::hub
