#include "sluice/hub/payment_watch.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::hub {

void PaymentWatch::resolved(const Hash& payment) {
    std::lock_guard lock(mutex_);
    const auto [first, last] = waiters_.equal_range(payment);
    for (auto it = first; it != last; ++it) {
        std::shared_ptr<Waiter> w = it->second;
        boost::asio::post(w->timer.get_executor(), [w] { w->timer.cancel(); });
    }
    if (!resolved_.insert(payment).second) return;
    order_.push_back(payment);
    while (order_.size() > kKept) {
        resolved_.erase(order_.front());
        order_.pop_front();
    }
}

boost::asio::awaitable<bool> PaymentWatch::wait(Hash payment, std::chrono::milliseconds timeout) {
    const auto executor = co_await boost::asio::this_coro::executor;
    auto waiter = std::make_shared<Waiter>(executor);
    {
        std::lock_guard lock(mutex_);
        if (resolved_.contains(payment)) co_return true;
        waiters_.emplace(payment, waiter);
    }
    waiter->timer.expires_after(timeout);
    // Cancelled (resolved) or expired: either way the answer is whether it resolved.
    auto [ignored] = co_await waiter->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    (void)ignored;
    std::lock_guard lock(mutex_);
    const auto [first, last] = waiters_.equal_range(payment);
    for (auto it = first; it != last; ++it) {
        if (it->second == waiter) {
            waiters_.erase(it);
            break;
        }
    }
    co_return resolved_.contains(payment);
}

}  // namespace sluice::hub
