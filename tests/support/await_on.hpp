// For tests that drive coroutines on an io_context run by other threads: await_on blocks the test thread
// until the task is done; wait_for polls a condition with a bound on a hang (not a timing assertion).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <thread>

#include "sluice/core/result.hpp"

namespace sluice::testing {

template <class T>
Result<T> await_on(boost::asio::io_context& io, boost::asio::awaitable<Result<T>> task) {
    std::promise<Result<T>> done;
    auto future = done.get_future();
    boost::asio::co_spawn(
        io,
        [&done, task = std::move(task)]() mutable -> boost::asio::awaitable<void> {
            done.set_value(co_await std::move(task));
        },
        boost::asio::detached);
    return future.get();
}

inline bool wait_for(const std::function<bool()>& done,
                     std::chrono::milliseconds bound = std::chrono::seconds(30)) {
    const auto until = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

}  // namespace sluice::testing
