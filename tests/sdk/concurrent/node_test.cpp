// Two Nodes in one process on a 2-thread executor, over real encrypted connections on 127.0.0.1, each with
// its own data dir (label concurrent: TSan): connect, open a channel whose initial state both sign over the
// network, 1,000 payments in batched rounds, a hostile connection and a wrong identity refused while the
// channel keeps working, a second process on a data dir refused, and a restart of both nodes from their
// stores that continues the channel.
#include "sluice/sdk/node.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "sdk/support/node_shutdown.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "support/await_on.hpp"
#include "support/temp_dir.hpp"

namespace sluice::sdk {
namespace {

namespace asio = boost::asio;

using testing::await_on;
using testing::wait_for;

struct NodePair : testing::TempDirTest {
    std::unique_ptr<asio::io_context> io;
    std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::vector<std::thread> threads;
    std::array<std::shared_ptr<Node>, 2> nodes;

    NodeConfig config(std::size_t i) const {
        NodeConfig c(l1::dev_account_key(i + 1), dir / ("node" + std::to_string(i)));
        c.clock = [] { return std::uint64_t{1'700'000'000}; };
        c.connection.handshake_timeout = std::chrono::milliseconds(2'000);
        return c;
    }
    void SetUp() override {
        TempDirTest::SetUp();
        start();
    }
    void TearDown() override {
        stop();
        TempDirTest::TearDown();
    }
    void start() {
        io = std::make_unique<asio::io_context>(2);
        work =
            std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(io->get_executor());
        for (std::size_t i = 0; i < 2; ++i) {
            auto node = Node::start(io->get_executor(), config(i));
            ASSERT_TRUE(node.ok()) << node.error().describe();
            nodes[i] = std::move(node).value();
        }
        for (int t = 0; t < 2; ++t)
            threads.emplace_back([this] { io->run(); });
    }
    void stop() {
        if (!io) return;
        testing::stop_nodes_and_io(nodes, work, *io, threads);
        io.reset();
    }
    // Stops node i and starts it again on the same port from its data dir (after `between` ran).
    void restart_node(std::size_t i, const std::function<void()>& between = {}) {
        const auto endpoint = nodes[i]->endpoint();
        testing::stop_and_release(nodes[i]);
        ASSERT_FALSE(nodes[i]);
        if (between) between();
        auto c = config(i);
        c.listen = endpoint;
        auto node = Node::start(io->get_executor(), std::move(c));
        ASSERT_TRUE(node.ok()) << node.error().describe();
        nodes[i] = std::move(node).value();
    }
    Status connect() { return await_on(*io, nodes[0]->connect(nodes[1]->identity(), nodes[1]->endpoint())); }
    Result<Hash> open() {
        channel::Params p;
        p.chain_id = 31337;
        p.adjudicator = Address::from_hex("0x5fbdb2315678afecb367f032d93f642f64180aa3").value();
        p.participants = {nodes[0]->identity(), nodes[1]->identity()};
        p.nonce = 1;
        p.challenge_duration = 3600;
        channel::State s;
        s.channel_id = channel::channel_id(p);
        s.outcome.push_back({Address{}, {u256{10'000}, u256{10'000}}, {}});
        return await_on(*io, nodes[0]->open_channel(p, s, {{Address{}, u256{20'000}}}));
    }
    u256 balance(std::size_t node, const Hash& id, std::size_t who) const {
        const auto latest = nodes[node]->latest(id);
        return latest ? latest->state.outcome[0].balances[who] : u256{};
    }
};

TEST_F(NodePair, OpenPayRestartAndGoOn) {
    ASSERT_TRUE(connect().ok());
    ASSERT_TRUE(wait_for([&] { return nodes[1]->connected(nodes[0]->identity()); }));
    const auto id = open();
    ASSERT_TRUE(id.ok()) << id.error().describe();
    ASSERT_TRUE(wait_for([&] { return nodes[1]->latest(*id).has_value(); }));
    for (int i = 0; i < 1000; ++i)
        ASSERT_TRUE(nodes[0]->pay(*id, 1, Address{}, u256{1}).ok());
    ASSERT_TRUE(
        wait_for([&] { return balance(0, *id, 1) == u256{11'000} && balance(1, *id, 1) == u256{11'000}; }));
    EXPECT_EQ(*nodes[0]->latest(*id), *nodes[1]->latest(*id));
    EXPECT_LT(nodes[0]->channel_stats().rounds_proposed, 500u);
    const channel::SignedState before = *nodes[0]->latest(*id);

    stop();
    start();
    EXPECT_EQ(*nodes[0]->latest(*id), before);
    EXPECT_EQ(*nodes[1]->latest(*id), before);
    // Unacknowledged events came back with the restart: every payment, sent and received, once.
    const auto received = nodes[1]->events();
    ASSERT_TRUE(received.ok()) << received.error().describe();
    bool opened = false;
    u256 total_received;
    for (const auto& e : *received) {
        opened |= std::holds_alternative<ChannelOpened>(e.event);
        if (const auto* r = std::get_if<PaymentReceived>(&e.event)) total_received += r->amount;
    }
    EXPECT_TRUE(opened);
    EXPECT_EQ(total_received, u256{1000});
    const auto sent = nodes[0]->events();
    ASSERT_TRUE(sent.ok());
    std::size_t payments_sent = 0;
    for (const auto& e : *sent)
        payments_sent += std::holds_alternative<PaymentSent>(e.event);
    EXPECT_EQ(payments_sent, 1000u);
    const auto book = nodes[0]->payments();
    ASSERT_TRUE(book.ok());
    ASSERT_EQ(book->size(), 1000u);
    for (const auto& p : *book)
        EXPECT_EQ(p.status, PaymentStatus::succeeded);
    for (const auto& e : *received)
        ASSERT_TRUE(nodes[1]->acknowledge(e.seq).ok());
    const auto after_ack = nodes[1]->events();
    ASSERT_TRUE(after_ack.ok());
    EXPECT_TRUE(after_ack->empty());
    ASSERT_TRUE(connect().ok());
    ASSERT_TRUE(wait_for([&] { return nodes[1]->connected(nodes[0]->identity()); }));
    ASSERT_TRUE(nodes[1]->pay(*id, 0, Address{}, u256{500}).ok());
    ASSERT_TRUE(
        wait_for([&] { return balance(0, *id, 0) == u256{9'500} && balance(1, *id, 0) == u256{9'500}; }));
    EXPECT_GT(nodes[0]->latest(*id)->state.version, before.state.version);
}

// Payments queued while the peer is down go out once the dialler's backoff has reached it again; the round
// that was in flight when it went down is withdrawn on reconnect and its payments retried.
TEST_F(NodePair, APeerThatRestartsIsRedialledAndPaymentsGoOn) {
    ASSERT_TRUE(connect().ok());
    const auto id = open();
    ASSERT_TRUE(id.ok()) << id.error().describe();
    for (int i = 0; i < 100; ++i)
        ASSERT_TRUE(nodes[0]->pay(*id, 1, Address{}, u256{1}).ok());
    restart_node(1);
    for (int i = 0; i < 100; ++i)
        ASSERT_TRUE(nodes[0]->pay(*id, 1, Address{}, u256{1}).ok());
    ASSERT_TRUE(
        wait_for([&] { return balance(0, *id, 1) == u256{10'200} && balance(1, *id, 1) == u256{10'200}; }));
    EXPECT_TRUE(nodes[0]->connected(nodes[1]->identity()));
    EXPECT_EQ(*nodes[0]->latest(*id), *nodes[1]->latest(*id));
}

// A node brought back from an older copy of its data dir is behind: the re-sync hands it the latest fully
// signed state (which carries its own signature), and it pays on from there.
TEST_F(NodePair, APeerBehindIsBroughtForwardByTheResync) {
    ASSERT_TRUE(connect().ok());
    const auto id = open();
    ASSERT_TRUE(id.ok()) << id.error().describe();
    ASSERT_TRUE(nodes[0]->pay(*id, 1, Address{}, u256{10}).ok());
    ASSERT_TRUE(wait_for([&] { return balance(1, *id, 1) == u256{10'010}; }));
    const auto copied_version = nodes[1]->latest(*id)->state.version;
    const auto backup = dir / "backup";
    restart_node(
        1, [&] { std::filesystem::copy(dir / "node1", backup, std::filesystem::copy_options::recursive); });
    ASSERT_TRUE(wait_for([&] { return nodes[0]->connected(nodes[1]->identity()); }));
    ASSERT_TRUE(nodes[0]->pay(*id, 1, Address{}, u256{20}).ok());
    ASSERT_TRUE(wait_for([&] { return balance(1, *id, 1) == u256{10'030}; }));
    const auto ahead = *nodes[0]->latest(*id);
    restart_node(1, [&] {
        std::filesystem::remove_all(dir / "node1");
        std::filesystem::rename(backup, dir / "node1");
    });
    // Nobody proposes anything now: the only way to `ahead` is the re-sync.
    ASSERT_GT(ahead.state.version, copied_version);
    ASSERT_TRUE(wait_for([&] { return nodes[1]->latest(*id) == ahead; }));
    ASSERT_TRUE(nodes[1]->pay(*id, 0, Address{}, u256{5}).ok());
    ASSERT_TRUE(
        wait_for([&] { return balance(0, *id, 1) == u256{10'025} && balance(1, *id, 1) == u256{10'025}; }));
}

TEST_F(NodePair, BadPeersAreRefusedAndTheChannelKeepsWorking) {
    ASSERT_TRUE(connect().ok());
    const auto id = open();
    ASSERT_TRUE(id.ok()) << id.error().describe();
    // A connection that sends garbage instead of a handshake.
    {
        asio::ip::tcp::socket raw(*io);
        raw.connect(nodes[1]->endpoint());
        const std::string junk(4096, '\x7f');
        asio::write(raw, asio::buffer(junk));
    }
    // Dialling B while expecting another identity.
    const auto wrong =
        await_on(*io, nodes[0]->connect(l1::dev_account_key(9).address(), nodes[1]->endpoint()));
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().code, Errc::net_wrong_identity);
    // A second node on A's data dir while A runs.
    const auto twin = Node::start(io->get_executor(), config(0));
    ASSERT_FALSE(twin.ok());
    EXPECT_EQ(twin.error().code, Errc::node_data_dir_locked);
    // The channel still works.
    ASSERT_TRUE(nodes[0]->pay(*id, 1, Address{}, u256{7}).ok());
    ASSERT_TRUE(wait_for([&] { return balance(1, *id, 1) == u256{10'007}; }));
}

TEST_F(NodePair, OpeningNeedsAConnectedPeer) {
    const auto id = open();
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().code, Errc::node_unknown_peer);
}

}  // namespace
}  // namespace sluice::sdk
