// Runs one coroutine to completion: how the tests call the async L1 APIs.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>

namespace sluice::l1::testing {

template <class T>
boost::asio::awaitable<void> store_result(boost::asio::awaitable<T> task, std::optional<T>& out) {
    out.emplace(co_await std::move(task));
}

// On `io`, which the caller owns (a client bound to it keeps its connections between calls). Result<T> has no
// default constructor, so use_future cannot hold it: the value lands in an optional.
template <class T>
T run_on(boost::asio::io_context& io, boost::asio::awaitable<T> task) {
    std::optional<T> out;
    std::exception_ptr failure;
    boost::asio::co_spawn(io, store_result(std::move(task), out), [&](std::exception_ptr e) { failure = e; });
    io.restart();
    io.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*out);
}

// On a fresh io_context.
template <class T>
T run_async(boost::asio::awaitable<T> task) {
    boost::asio::io_context io;
    return run_on(io, std::move(task));
}

}  // namespace sluice::l1::testing
