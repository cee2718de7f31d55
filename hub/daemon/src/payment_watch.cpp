#include "sluice/hub/payment_watch.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::hub {

void PaymentWatch::resolved(const Hash& payment) {
    std::lock_guard lock(mutex_);
    if (!resolved_.insert(payment).second) return;
    order_.push_back(payment);
    while (order_.size() > kKept) {
        resolved_.erase(order_.front());
        order_.pop_front();
    }
}

boost::asio::awaitable<bool> PaymentWatch::wait(Hash payment, std::chrono::milliseconds timeout) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (resolved_.contains(payment)) co_return true;
        }
        if (std::chrono::steady_clock::now() >= deadline) co_return false;
        timer.expires_after(std::chrono::milliseconds(1));
        co_await timer.async_wait(boost::asio::use_awaitable);
    }
}

}  // namespace sluice::hub
