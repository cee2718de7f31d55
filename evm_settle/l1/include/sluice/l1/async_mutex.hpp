// AsyncMutex: a lock a coroutine can hold across co_await without blocking its thread, taken by coroutines
// on one executor or on several threads alike. Waiters are resumed in arrival order, each on its own
// executor. The signer holds it from picking a nonce until the node has answered the send, so that nonces
// are consumed only by transactions the node took.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <deque>
#include <mutex>

namespace sluice::l1 {

class AsyncMutex {
  public:
    boost::asio::awaitable<void> lock();
    void unlock();

  private:
    std::mutex mutex_;
    bool locked_ = false;
    struct Waiter {
        boost::asio::any_io_executor executor;
        boost::asio::any_completion_handler<void()> resume;
    };
    std::deque<Waiter> waiters_;
};

// Unlocks when the scope ends, including an early co_return.
class AsyncLockGuard {
  public:
    explicit AsyncLockGuard(AsyncMutex& mutex) noexcept : mutex_(mutex) {}
    ~AsyncLockGuard() { mutex_.unlock(); }
    AsyncLockGuard(const AsyncLockGuard&) = delete;
    AsyncLockGuard& operator=(const AsyncLockGuard&) = delete;

  private:
    AsyncMutex& mutex_;
};

}  // namespace sluice::l1
