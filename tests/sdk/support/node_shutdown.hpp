// Ending a test's Nodes and the io threads they run on, in the order the node needs: a Node's coroutines end
// once its connections are closed, and only then is it ours alone to destroy (its connections must go
// before their execution context).
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "sluice/sdk/node.hpp"

namespace sluice::testing {

inline void stop_and_release(std::shared_ptr<sdk::Node>& node) {
    if (!node) return;
    node->stop();
    for (int i = 0; i < 500 && node.use_count() > 1; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(node.use_count(), 1);
    node.reset();
}

using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

template <class Nodes>
void stop_nodes_and_io(Nodes& nodes, std::unique_ptr<WorkGuard>& work, boost::asio::io_context& io,
                       std::vector<std::thread>& threads) {
    for (auto& n : nodes)
        stop_and_release(n);
    work.reset();
    io.stop();
    for (auto& t : threads)
        t.join();
    threads.clear();
}

}  // namespace sluice::testing
