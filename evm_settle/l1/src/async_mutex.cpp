// AsyncMutex (async_mutex.hpp).
#include "sluice/l1/async_mutex.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::l1 {

namespace asio = boost::asio;

namespace {

void resume_on(const asio::any_io_executor& executor, asio::any_completion_handler<void()> resume) {
    asio::post(executor, [resume = std::move(resume)]() mutable { std::move(resume)(); });
}

}  // namespace

asio::awaitable<void> AsyncMutex::lock() {
    const asio::any_io_executor executor = co_await asio::this_coro::executor;
    // A named initiation, not a temporary inside the co_await expression: g++ 12 destroys such temporaries
    // twice, which here released the executor's strand one time too many (a use-after-free on strands).
    auto initiation = [this, executor](asio::any_completion_handler<void()> resume) {
            std::unique_lock guard(mutex_);
            if (locked_) {
                waiters_.push_back(Waiter{executor, std::move(resume)});
                return;
            }
            locked_ = true;
            guard.unlock();
            // Resumed through its executor, never inline from inside the initiation.
            resume_on(executor, std::move(resume));
        };
    co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(initiation, asio::use_awaitable);
}

void AsyncMutex::unlock() {
    std::unique_lock guard(mutex_);
    if (waiters_.empty()) {
        locked_ = false;
        return;
    }
    // The lock passes straight to the next waiter: it stays taken.
    Waiter next = std::move(waiters_.front());
    waiters_.pop_front();
    guard.unlock();
    resume_on(next.executor, std::move(next.resume));
}

}  // namespace sluice::l1
