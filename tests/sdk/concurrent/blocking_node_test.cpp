// BlockingNode: two nodes driven from plain code (no coroutines): connect, open, pay, close, events; a
// blocking call from the node's own thread (an event callback) refused instead of waiting for itself.
#include "sluice/sdk/blocking_node.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "sluice/channel/encoding.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "support/await_on.hpp"
#include "support/temp_dir.hpp"

namespace sluice::sdk {
namespace {

struct BlockingPair : testing::TempDirTest {};

using testing::wait_for;

TEST_F(BlockingPair, ConnectOpenPayCloseFromPlainCode) {
    std::atomic<int> refused_inside{0};
    std::array<std::unique_ptr<BlockingNode>, 2> nodes;
    for (std::size_t i = 0; i < 2; ++i) {
        NodeConfig c(l1::dev_account_key(i + 1), dir / ("node" + std::to_string(i)));
        c.clock = [] { return std::uint64_t{1'700'000'000}; };
        if (i == 1) {
            c.on_event = [&](const QueuedEvent& e) {
                if (!std::holds_alternative<ChannelOpened>(e.event)) return;
                const auto inside = nodes[1]->close_channel(std::get<ChannelOpened>(e.event).channel_id);
                if (!inside.ok() && inside.error().code == Errc::node_not_running) ++refused_inside;
            };
        }
        auto node = BlockingNode::start(std::move(c));
        ASSERT_TRUE(node.ok()) << node.error().describe();
        nodes[i] = std::move(node).value();
    }
    ASSERT_TRUE(nodes[0]->connect(nodes[1]->node().identity(), nodes[1]->node().endpoint()).ok());
    channel::Params p;
    p.chain_id = 31337;
    p.adjudicator = Address::from_hex("0x5fbdb2315678afecb367f032d93f642f64180aa3").value();
    p.participants = {nodes[0]->node().identity(), nodes[1]->node().identity()};
    p.nonce = 1;
    p.challenge_duration = 3600;
    channel::State s;
    s.channel_id = channel::channel_id(p);
    s.outcome.push_back({Address{}, {u256{100}, u256{0}}, {}});
    const auto id = nodes[0]->open_channel(p, s, {{Address{}, u256{100}}});
    ASSERT_TRUE(id.ok()) << id.error().describe();
    ASSERT_TRUE(wait_for([&] { return refused_inside.load() == 1; }));
    for (int i = 0; i < 10; ++i)
        ASSERT_TRUE(nodes[0]->node().pay(*id, 1, Address{}, u256{3}).ok());
    ASSERT_TRUE(wait_for([&] {
        const auto l = nodes[1]->node().latest(*id);
        return l && l->state.outcome[0].balances[1] == u256{30};
    }));
    ASSERT_TRUE(nodes[0]->close_channel(*id).ok());
    ASSERT_TRUE(nodes[0]->node().latest(*id)->state.is_final);
    EXPECT_TRUE(wait_for([&] {
        const auto again = nodes[1]->node().events();
        if (!again.ok()) return false;
        for (const auto& e : *again) {
            if (std::holds_alternative<ChannelClosed>(e.event)) return true;
        }
        return false;
    }));
    nodes[0]->stop();
    const auto after = nodes[0]->connect(nodes[1]->node().identity(), nodes[1]->node().endpoint());
    ASSERT_FALSE(after.ok());
    EXPECT_EQ(after.error().code, Errc::node_not_running);
}

}  // namespace
}  // namespace sluice::sdk
