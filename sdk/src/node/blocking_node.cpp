#include "sluice/sdk/blocking_node.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <future>

namespace sluice::sdk {

namespace asio = boost::asio;

Result<std::unique_ptr<BlockingNode>> BlockingNode::start(NodeConfig config, unsigned threads) {
    std::unique_ptr<BlockingNode> self(new BlockingNode());
    SLUICE_TRY(self->node_, Node::start(self->io_.get_executor(), std::move(config)));
    self->work_ = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(
        self->io_.get_executor());
    for (unsigned t = 0; t < std::max(1u, threads); ++t)
        self->threads_.emplace_back([io = &self->io_] { io->run(); });
    return self;
}

BlockingNode::~BlockingNode() {
    stop();
}

void BlockingNode::stop() {
    if (!node_) return;
    node_->stop();
    // The node's coroutines end once its connections are closed; they hold it until then.
    for (int i = 0; i < 1000 && node_.use_count() > 1; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    node_.reset();
    work_.reset();
    io_.stop();
    for (auto& t : threads_) {
        if (t.joinable()) t.join();
    }
    threads_.clear();
}

template <class T>
Result<T> BlockingNode::run(asio::awaitable<Result<T>> task) {
    if (!node_) return make_error(Errc::node_not_running, "the node is stopped");
    if (io_.get_executor().running_in_this_thread())
        return make_error(Errc::node_not_running,
                          "a blocking call from the node's own thread would wait for itself");
    std::promise<Result<T>> done;
    auto future = done.get_future();
    asio::co_spawn(
        io_,
        [&done, task = std::move(task)]() mutable -> asio::awaitable<void> {
            done.set_value(co_await std::move(task));
        },
        asio::detached);
    return future.get();
}

Status BlockingNode::connect(const Address& peer, const asio::ip::tcp::endpoint& endpoint) {
    if (!node_) return make_error(Errc::node_not_running, "the node is stopped");
    return run(node_->connect(peer, endpoint));
}

Result<Hash> BlockingNode::open_channel(channel::Params params, channel::State initial,
                                        channel::Deposits deposits) {
    if (!node_) return make_error(Errc::node_not_running, "the node is stopped");
    return run(node_->open_channel(std::move(params), std::move(initial), std::move(deposits)));
}

Status BlockingNode::close_channel(const Hash& channel_id) {
    if (!node_) return make_error(Errc::node_not_running, "the node is stopped");
    return run(node_->close_channel(channel_id));
}

}  // namespace sluice::sdk
