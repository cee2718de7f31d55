// AsyncMutex taken by coroutines on a strand over a 2-thread io_context, across a timer wait while held
// (label concurrent: TSan; under ASan this was a heap-use-after-free of the strand before the initiation in
// lock() became a named local: g++ 12 destroyed the co_await expression's temporary lambda, and the strand
// executor it held, twice). Also on the plain executor, and mutual exclusion checked throughout.
#include "sluice/l1/async_mutex.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <thread>

namespace sluice::l1 {
namespace {

namespace asio = boost::asio;

template <class Executor>
void take_turns(asio::io_context& io, const Executor& executor, int& counter, std::atomic<int>& overlaps) {
    AsyncMutex mutex;
    std::atomic<bool> inside{false};
    for (int c = 0; c < 4; ++c) {
        asio::co_spawn(
            executor,
            [&]() -> asio::awaitable<void> {
                for (int i = 0; i < 300; ++i) {
                    co_await mutex.lock();
                    if (inside.exchange(true)) ++overlaps;
                    asio::steady_timer timer(co_await asio::this_coro::executor);
                    timer.expires_after(std::chrono::microseconds(1));
                    co_await timer.async_wait(asio::use_awaitable);
                    ++counter;
                    inside.store(false);
                    mutex.unlock();
                }
            },
            asio::detached);
    }
    std::thread second([&] { io.run(); });
    io.run();
    second.join();
}

TEST(AsyncMutexStrand, CoroutinesOnAStrandTakeTurns) {
    asio::io_context io(2);
    int counter = 0;
    std::atomic<int> overlaps{0};
    take_turns(io, asio::make_strand(io.get_executor()), counter, overlaps);
    EXPECT_EQ(counter, 1200);
    EXPECT_EQ(overlaps.load(), 0);
}

TEST(AsyncMutexStrand, CoroutinesOnThePlainExecutorTakeTurns) {
    asio::io_context io(2);
    std::atomic<int> overlaps{0};
    int counter = 0;  // guarded by the mutex itself
    take_turns(io, io.get_executor(), counter, overlaps);
    EXPECT_EQ(counter, 1200);
    EXPECT_EQ(overlaps.load(), 0);
}

}  // namespace
}  // namespace sluice::l1
