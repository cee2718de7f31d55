// Channels relayed by a hub in a star (label concurrent): four clients, each connected only to the hub H
// (NodeConfig::relays = {H}; H has serve_relay). A 4-party channel the hub is not part of is opened and
// updated by every client in turn, all through H; a 3-party channel with H as a participant too. A relay
// cannot forge: a "relay" that passes on a proposal it signed itself in another client's name is refused by
// the receiver (channel_bad_signature), which still keeps its connection and its state. A node that does
// not serve relaying refuses relay requests, and a relay to a peer the hub is not connected to is answered.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <mutex>
#include <thread>

#include "sdk/support/node_shutdown.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/channel/messages.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/core/secp256k1.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/sdk/net/connection.hpp"
#include "sluice/sdk/node.hpp"
#include "sluice/sdk/wire.hpp"
#include "support/await_on.hpp"
#include "support/temp_dir.hpp"

namespace sluice::sdk {
namespace {

namespace asio = boost::asio;

using testing::await_on;
using testing::wait_for;

constexpr std::size_t kClients = 4;
constexpr std::size_t H = kClients;  // the hub is the last node

struct Star : testing::TempDirTest {
    asio::io_context io{2};
    std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::vector<std::thread> threads;
    std::array<std::shared_ptr<Node>, kClients + 1> nodes;
    std::mutex errors_mutex;
    std::array<std::vector<wire::ErrorReply>, kClients + 1> errors;  // the error replies each node received

    void SetUp() override {
        TempDirTest::SetUp();
        work =
            std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(io.get_executor());
        for (int t = 0; t < 2; ++t)
            threads.emplace_back([this] { io.run(); });
        nodes[H] = start(H, {}, true);
        for (std::size_t i = 0; i < kClients; ++i)
            nodes[i] = start(i, {nodes[H]->identity()}, false);
        for (std::size_t i = 0; i < kClients; ++i)
            ASSERT_TRUE(await_on(io, nodes[i]->connect(nodes[H]->identity(), nodes[H]->endpoint())).ok());
        ASSERT_TRUE(wait_for([&] { return nodes[H]->peers().size() == kClients; }));
    }
    void TearDown() override {
        testing::stop_nodes_and_io(nodes, work, io, threads);
        TempDirTest::TearDown();
    }
    std::shared_ptr<Node> start(std::size_t i, std::vector<Address> relays, bool serve) {
        NodeConfig c(l1::dev_account_key(i + 1), dir / ("node" + std::to_string(i)));
        c.clock = [] { return std::uint64_t{1'700'000'000}; };
        c.relays = std::move(relays);
        c.serve_relay = serve;
        c.on_message = [this, i](const Address&, const wire::Message& m) {
            if (const auto* e = std::get_if<wire::ErrorReply>(&m)) {
                std::lock_guard lock(errors_mutex);
                errors[i].push_back(*e);
            }
        };
        auto node = Node::start(io.get_executor(), std::move(c));
        EXPECT_TRUE(node.ok()) << node.error().describe();
        return node.ok() ? std::move(node).value() : nullptr;
    }
    channel::Params params(const std::vector<std::size_t>& who, std::uint64_t nonce) const {
        channel::Params p;
        p.chain_id = 31337;
        p.adjudicator = Address::from_hex("0x5fbdb2315678afecb367f032d93f642f64180aa3").value();
        for (const std::size_t i : who)
            p.participants.push_back(nodes[i]->identity());
        p.nonce = nonce;
        p.challenge_duration = 3600;
        return p;
    }
    // Opened by the first of `who`, each participant with 1,000.
    Result<Hash> open(const std::vector<std::size_t>& who, std::uint64_t nonce) {
        const auto p = params(who, nonce);
        channel::State s;
        s.channel_id = channel::channel_id(p);
        s.outcome.push_back({Address{}, std::vector<u256>(who.size(), u256{1'000}), {}});
        auto id =
            await_on(io, nodes[who.front()]->open_channel(p, s, {{Address{}, u256{1'000} * who.size()}}));
        if (id.ok()) {
            for (const std::size_t i : who)
                EXPECT_TRUE(wait_for([&] { return nodes[i]->latest(*id).has_value(); }));
        }
        return id;
    }
    u256 balance(std::size_t node, const Hash& id, std::size_t who) const {
        const auto latest = nodes[node]->latest(id);
        return latest ? latest->state.outcome[0].balances[who] : u256{};
    }
    std::uint64_t version(std::size_t node, const Hash& id) const {
        const auto latest = nodes[node]->latest(id);
        return latest ? latest->state.version : 0;
    }
};

TEST_F(Star, AFourPartyChannelOpensAndUpdatesThroughTheHubAlone) {
    for (std::size_t i = 0; i < kClients; ++i) {
        for (std::size_t j = 0; j < kClients; ++j)
            EXPECT_FALSE(nodes[i]->connected(nodes[j]->identity()));
    }
    const auto id = open({0, 1, 2, 3}, 1);
    ASSERT_TRUE(id.ok()) << id.error().describe();
    EXPECT_FALSE(nodes[H]->latest(*id).has_value());  // the hub carries the channel, it is not in it
    // Five updates, proposed by every client in turn: i pays (i+1) mod 4 an amount of 10·(k+1).
    for (std::size_t k = 0; k < 5; ++k) {
        const std::size_t payer = k % kClients;
        const auto to = static_cast<std::uint16_t>((payer + 1) % kClients);
        std::array<std::uint64_t, kClients> before{};
        for (std::size_t i = 0; i < kClients; ++i)
            before[i] = version(i, *id);
        ASSERT_TRUE(nodes[payer]->pay(*id, to, Address{}, u256{10 * (k + 1)}).ok());
        for (std::size_t i = 0; i < kClients; ++i)
            ASSERT_TRUE(wait_for([&] { return version(i, *id) > before[i]; }))
                << "update " << k << " at " << i;
    }
    // 0: −10 +40 −50; 1: +10 −20 +50; 2: +20 −30; 3: +30 −40.
    const std::array<u256, kClients> expected{u256{980}, u256{1'040}, u256{990}, u256{990}};
    for (std::size_t i = 0; i < kClients; ++i) {
        for (std::size_t who = 0; who < kClients; ++who)
            EXPECT_EQ(balance(i, *id, who), expected[who]) << "at " << i << " for " << who;
    }
    EXPECT_GT(nodes[H]->stats().relayed, 0u);
    EXPECT_EQ(nodes[H]->stats().bad_messages, 0u);
}

TEST_F(Star, TheHubCanBeOneOfTheParticipants) {
    const auto id = open({0, H, 1}, 2);
    ASSERT_TRUE(id.ok()) << id.error().describe();
    ASSERT_TRUE(nodes[1]->pay(*id, 0, Address{}, u256{25}).ok());
    ASSERT_TRUE(
        wait_for([&] { return balance(0, *id, 0) == u256{1'025} && balance(H, *id, 0) == u256{1'025}; }));
    ASSERT_TRUE(nodes[H]->pay(*id, 2, Address{}, u256{5}).ok());
    ASSERT_TRUE(wait_for([&] { return balance(1, *id, 2) == u256{980}; }));
    for (const std::size_t i : {std::size_t{0}, H, std::size_t{1}}) {
        EXPECT_EQ(balance(i, *id, 0), u256{1'025});
        EXPECT_EQ(balance(i, *id, 1), u256{995});
        EXPECT_EQ(balance(i, *id, 2), u256{980});
    }
}

TEST_F(Star, OpeningNeedsEveryParticipantWithinReach) {
    nodes[H]->stop();
    ASSERT_TRUE(wait_for([&] { return !nodes[0]->connected(nodes[H]->identity()); }));
    const auto id = open({0, 1}, 3);
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().code, Errc::node_unknown_peer);
}

// A relay in the middle speaks for the real hub: it forwards client 0's messages but also invents one.
TEST_F(Star, ARelayCannotForgeAnotherClientsUpdate) {
    const auto id = open({0, 1}, 4);
    ASSERT_TRUE(id.ok()) << id.error().describe();
    const auto latest = nodes[1]->latest(*id);
    ASSERT_TRUE(latest);
    // "Client 0 pays client 1 nothing and takes 500": signed by the relay's key, not by client 0's.
    const PrivateKey mallory = l1::dev_account_key(9);
    auto conn = await_on(
        io, net::connect(io.get_executor(), nodes[1]->endpoint(), mallory, nodes[1]->identity(), {}));
    ASSERT_TRUE(conn.ok()) << conn.error().describe();
    const auto p = params({0, 1}, 4);
    channel::State next = latest->state;
    next.version += 1;
    next.outcome[0].balances = {u256{1'500}, u256{500}};
    const Hash digest = channel::proposal_digest(p, next, latest->state.version, {});
    const channel::Proposal forged{*id, 0, latest->state.version, next, {}, sign(mallory, digest)};
    const std::string frame =
        wire::encode(wire::Relayed{nodes[0]->identity(), wire::encode(wire::ChannelMessage{forged})});
    const auto bytes = ByteView(reinterpret_cast<const std::uint8_t*>(frame.data()), frame.size());
    ASSERT_TRUE(await_on(io, conn->send(bytes)).ok());
    // Client 1's machine refuses it, and tells the claimed author, client 0 (through the real hub).
    ASSERT_TRUE(wait_for([&] {
        std::lock_guard lock(errors_mutex);
        return std::any_of(errors[0].begin(), errors[0].end(),
                           [](const wire::ErrorReply& e) { return e.about == "channel"; });
    }));
    {
        std::lock_guard lock(errors_mutex);
        const auto it = std::find_if(errors[0].begin(), errors[0].end(),
                                     [](const wire::ErrorReply& e) { return e.about == "channel"; });
        EXPECT_EQ(it->code, "channel_bad_signature") << it->message;
    }
    EXPECT_EQ(version(1, *id), latest->state.version);
    EXPECT_EQ(balance(1, *id, 0), u256{1'000});
    // The same relay also refuses to carry what is not relayable: a forward request in client 0's name.
    const std::string forward = wire::encode(wire::Relayed{
        nodes[0]->identity(), wire::encode(wire::Forward{*id, Hash{}, nodes[2]->identity(), u256{1}, 1})});
    const auto before2 = nodes[1]->stats().bad_messages;
    ASSERT_TRUE(await_on(io, conn->send(ByteView(reinterpret_cast<const std::uint8_t*>(forward.data()),
                                                 forward.size())))
                    .ok());
    ASSERT_TRUE(wait_for([&] { return nodes[1]->stats().bad_messages > before2; }));
    // The real path still works.
    ASSERT_TRUE(nodes[0]->pay(*id, 1, Address{}, u256{7}).ok());
    ASSERT_TRUE(wait_for([&] { return balance(1, *id, 1) == u256{1'007}; }));
    (void)await_on(io, conn->close());
}

TEST_F(Star, RelayRequestsAreRefusedOrAnsweredNotCarriedBlindly) {
    const PrivateKey mallory = l1::dev_account_key(9);
    // Client 0 does not serve relaying.
    auto to_client = await_on(
        io, net::connect(io.get_executor(), nodes[0]->endpoint(), mallory, nodes[0]->identity(), {}));
    ASSERT_TRUE(to_client.ok());
    const std::string relay = wire::encode(wire::Relay{nodes[1]->identity(), "{}"});
    const auto send = [&](net::Connection& c, const std::string& text) {
        return await_on(io,
                        c.send(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())));
    };
    ASSERT_TRUE(send(*to_client, relay).ok());
    ASSERT_TRUE(wait_for([&] { return nodes[0]->stats().bad_messages == 1; }));
    // The hub answers a relay to someone it has no connection with, and counts it.
    auto to_hub = await_on(
        io, net::connect(io.get_executor(), nodes[H]->endpoint(), mallory, nodes[H]->identity(), {}));
    ASSERT_TRUE(to_hub.ok());
    ASSERT_TRUE(send(*to_hub, wire::encode(wire::Relay{l1::dev_account_key(12).address(), "{}"})).ok());
    ASSERT_TRUE(wait_for([&] { return nodes[H]->stats().relay_refused == 1; }));
    const auto reply = await_on(io, to_hub->receive());
    ASSERT_TRUE(reply.ok());
    const auto decoded =
        wire::decode(std::string_view(reinterpret_cast<const char*>(reply->data()), reply->size()));
    ASSERT_TRUE(decoded.ok());
    const auto* error = std::get_if<wire::ErrorReply>(&*decoded);
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(error->code, "node_unknown_peer");
    EXPECT_EQ(error->about, "relay");
    // A garbage message relayed to client 1 reaches it and is refused there, not by the hub.
    const auto before = nodes[1]->stats().bad_messages;
    ASSERT_TRUE(send(*to_hub, wire::encode(wire::Relay{nodes[1]->identity(), "not a message"})).ok());
    ASSERT_TRUE(wait_for([&] { return nodes[1]->stats().bad_messages > before; }));
    EXPECT_EQ(nodes[H]->stats().bad_messages, 0u);
    (void)await_on(io, to_client->close());
    (void)await_on(io, to_hub->close());
}

}  // namespace
}  // namespace sluice::sdk
