// BlockingNode: the Node for plain code without coroutines (like ldk-node's synchronous API): it owns an
// io_context and its threads, starts a Node on them, and each call blocks until the Node's coroutine is
// done. No exception crosses it. Calling it from one of its own threads (an on_event callback) would wait
// for itself: such calls return node_not_running at once instead of blocking.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>
#include <vector>

#include "sluice/sdk/node.hpp"

namespace sluice::sdk {

class BlockingNode {
  public:
    // Errors: those of Node::start.
    static Result<std::unique_ptr<BlockingNode>> start(NodeConfig config, unsigned threads = 2);
    ~BlockingNode();  // stop()
    BlockingNode(const BlockingNode&) = delete;
    BlockingNode& operator=(const BlockingNode&) = delete;

    // Stops the node and joins the threads. Idempotent.
    void stop();

    Status connect(const Address& peer, const boost::asio::ip::tcp::endpoint& endpoint);
    Result<Hash> open_channel(channel::Params params, channel::State initial, channel::Deposits deposits);
    Status close_channel(const Hash& channel_id);

    // The node itself, for what does not block (pay, create_invoice, pay_invoice, latest, events, ...).
    Node& node() noexcept { return *node_; }
    const Node& node() const noexcept { return *node_; }

  private:
    BlockingNode() = default;
    template <class T>
    Result<T> run(boost::asio::awaitable<Result<T>> task);

    boost::asio::io_context io_;
    std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
    std::vector<std::thread> threads_;
    std::shared_ptr<Node> node_;
};

}  // namespace sluice::sdk
