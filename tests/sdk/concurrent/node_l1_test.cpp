// Two Nodes funding, using and closing a channel on a real devchain (in process, over its JSON-RPC
// dispatcher, with the committed Adjudicator): deposits in participant order by each node's own TxSigner,
// the channel open only once every deposit has its confirmations, payments, then the cooperative close
// paying each participant its final balance on L1 (to the wei, fees subtracted); a top-up (issue #14) that
// both nodes see, spent and paid out at the close. Label concurrent (TSan): two io threads.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "sdk/support/node_shutdown.hpp"
#include "sluice/channel/adjudicator_abi.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/contracts/abi_errors.hpp"
#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/devchain.hpp"
#include "sluice/l1/json_rpc_client.hpp"
#include "sluice/l1/rpc_dispatcher.hpp"
#include "sluice/l1/signer_journal.hpp"
#include "sluice/sdk/node.hpp"
#include "support/await_on.hpp"
#include "support/temp_dir.hpp"

namespace sluice::sdk {
namespace {

namespace asio = boost::asio;

const u256 kEther{1'000'000'000'000'000'000ULL};

using testing::await_on;
using testing::wait_for;

l1::JsonRpcClientOptions client_options() {
    l1::JsonRpcClientOptions options;
    for (auto& signature : contracts::error_signatures("Adjudicator"))
        options.custom_errors.push_back(signature);
    return options;
}

struct NodesOnL1 : testing::TempDirTest {
    l1::Devchain chain{l1::dev_accounts_config()};
    l1::RpcDispatcher dispatcher{chain};
    l1::InProcessL1Client client{dispatcher, client_options()};
    Address adjudicator;
    asio::io_context io{2};
    std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::vector<std::thread> threads;
    std::array<l1::MemorySignerJournal, 2> journals;
    std::array<std::unique_ptr<l1::TxSigner>, 2> signers;
    std::array<std::shared_ptr<Node>, 2> nodes;
    std::array<std::vector<NodeEvent>, 2> seen;
    std::mutex seen_mutex;

    void SetUp() override {
        TempDirTest::SetUp();
        const auto artifact = nlohmann::json::parse(contracts::artifact_json("Adjudicator"));
        const auto code = from_hex(artifact.at("bytecode").get<std::string>()).value();
        auto deployed = chain.deploy(l1::dev_account_address(9), code, {}, 15'000'000);
        ASSERT_TRUE(deployed.ok()) << deployed.error().describe();
        adjudicator = deployed->address;
        work =
            std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(io.get_executor());
        for (int t = 0; t < 2; ++t)
            threads.emplace_back([this] { io.run(); });
        l1::SignerOptions options;
        options.poll_interval = std::chrono::milliseconds(10);
        for (std::size_t i = 0; i < 2; ++i) {
            auto signer =
                await_on(io, l1::TxSigner::start(client, l1::dev_account_key(i + 1), journals[i], options));
            ASSERT_TRUE(signer.ok()) << signer.error().describe();
            signers[i] = std::move(signer).value();
        }
    }
    void TearDown() override {
        testing::stop_nodes_and_io(nodes, work, io, threads);
        TempDirTest::TearDown();
    }
    void start(std::uint32_t confirmations) {
        for (std::size_t i = 0; i < 2; ++i) {
            NodeConfig c(l1::dev_account_key(i + 1), dir / ("node" + std::to_string(i)));
            c.l1.client = &client;
            c.l1.signer = signers[i].get();
            c.l1.funding.confirmations = confirmations;
            c.l1.funding.poll_interval = std::chrono::milliseconds(10);
            c.on_event = [this, i](const QueuedEvent& e) {
                std::lock_guard lock(seen_mutex);
                seen[i].push_back(e.event);
            };
            auto node = Node::start(io.get_executor(), std::move(c));
            ASSERT_TRUE(node.ok()) << node.error().describe();
            nodes[i] = std::move(node).value();
        }
    }
    template <class E>
    std::size_t count(std::size_t i) {
        std::lock_guard lock(seen_mutex);
        std::size_t n = 0;
        for (const auto& e : seen[i])
            n += std::holds_alternative<E>(e);
        return n;
    }
    Result<Hash> open(const u256& each) {
        channel::Params p;
        p.chain_id = 31337;
        p.adjudicator = adjudicator;
        p.participants = {nodes[0]->identity(), nodes[1]->identity()};
        p.nonce = 1;
        p.challenge_duration = 3600;
        channel::State s;
        s.channel_id = channel::channel_id(p);
        s.outcome.push_back({Address{}, {each, each}, {}});
        return await_on(io, nodes[0]->open_channel(p, s, {}));
    }
    // Through the client: the nodes use the chain at the same time, and the transport serialises calls.
    u256 balance(const Address& a) {
        auto b = await_on(io, client.balance(a, l1::BlockTag::latest()));
        EXPECT_TRUE(b.ok());
        return b.ok() ? *b : u256{};
    }
};

TEST_F(NodesOnL1, FundPayAndCloseCooperatively) {
    start(2);
    ASSERT_TRUE(await_on(io, nodes[0]->connect(nodes[1]->identity(), nodes[1]->endpoint())).ok());
    const auto id = open(kEther);
    ASSERT_TRUE(id.ok()) << id.error().describe();
    // Opening: both deposits go out in order; the second has one block on top only once one more is mined.
    ASSERT_TRUE(wait_for([&] { return count<ChannelOpening>(0) == 1 && count<ChannelOpening>(1) == 1; }));
    ASSERT_TRUE(wait_for([&] { return count<DepositConfirmed>(0) >= 1; }));
    EXPECT_EQ(count<ChannelOpened>(0), 0u);
    // A payment while opening is refused by the machine (nothing the deposits do not cover is signed).
    ASSERT_TRUE(nodes[0]->pay(*id, 1, Address{}, u256{1}).ok());
    ASSERT_TRUE(wait_for([&] { return count<PaymentFailed>(0) == 1; }));
    ASSERT_TRUE(await_on(io, client.request("evm_mine", nlohmann::json::array())).ok());
    ASSERT_TRUE(wait_for([&] { return count<ChannelOpened>(0) == 1 && count<ChannelOpened>(1) == 1; }));

    const u256 before0 = balance(nodes[0]->identity());
    const u256 before1 = balance(nodes[1]->identity());
    for (int i = 0; i < 50; ++i)
        ASSERT_TRUE(nodes[0]->pay(*id, 1, Address{}, kEther / u256{100}).ok());
    ASSERT_TRUE(wait_for([&] {
        return count<PaymentReceived>(1) >= 1 &&
               nodes[1]->latest(*id)->state.outcome[0].balances[1] == kEther + kEther / u256{2};
    }));

    const auto closed = await_on(io, nodes[0]->close_channel(*id));
    ASSERT_TRUE(closed.ok()) << closed.error().describe();
    ASSERT_TRUE(wait_for([&] { return count<ChannelClosed>(1) == 1; }));
    EXPECT_EQ(count<ChannelClosing>(0), 1u);
    // On L1: node 1 received 1.5 ETH; node 0 0.5 ETH, less what its signer paid for conclude and withdraw
    // (node 1's close found the channel settled or concluded: what it paid, if anything, is its own fee).
    const u256 after0 = balance(nodes[0]->identity());
    const u256 after1 = balance(nodes[1]->identity());
    EXPECT_LE(after0, before0 + kEther / u256{2});
    EXPECT_GT(after0, before0 + kEther / u256{2} - kEther / u256{100});  // fees are far below 0.01 ETH
    EXPECT_LE(after1, before1 + kEther + kEther / u256{2});
    EXPECT_GT(after1, before1 + kEther + kEther / u256{2} - kEther / u256{100});
}

// Issue #14: node 0 adds 0.5 ETH to the open channel. Node 1 refuses the credit until it has read the higher
// holdings from L1 (on that very refusal); node 0 proposes it again at a tick. Node 0 can then pay more than
// it ever held, and the close pays the new balances out.
TEST_F(NodesOnL1, TopUpIsCreditedSpentAndPaidOut) {
    start(1);
    ASSERT_TRUE(await_on(io, nodes[0]->connect(nodes[1]->identity(), nodes[1]->endpoint())).ok());
    const auto id = open(kEther);
    ASSERT_TRUE(id.ok()) << id.error().describe();
    ASSERT_TRUE(wait_for([&] { return count<ChannelOpened>(0) == 1 && count<ChannelOpened>(1) == 1; }));
    const std::size_t confirmed1 = count<DepositConfirmed>(1);

    EXPECT_EQ(await_on(io, nodes[0]->topup(*id, Address{}, u256{})).error().code, Errc::invalid_argument);
    EXPECT_EQ(await_on(io, nodes[0]->topup(Hash{}, Address{}, kEther)).error().code,
              Errc::node_unknown_channel);
    const Address token = Address::from_hex("0x00000000000000000000000000000000000000aa").value();
    EXPECT_EQ(await_on(io, nodes[0]->topup(*id, token, kEther)).error().code, Errc::funding_bad_request);

    const u256 before0 = balance(nodes[0]->identity());
    const u256 before1 = balance(nodes[1]->identity());
    const u256 half = kEther / u256{2};
    const auto topped = await_on(io, nodes[0]->topup(*id, Address{}, half));
    ASSERT_TRUE(topped.ok()) << topped.error().describe();
    EXPECT_EQ(*topped, kEther + half);
    ASSERT_TRUE(wait_for([&] {
        const auto s = nodes[1]->latest(*id);
        return s && s->state.outcome[0].balances[0] == kEther + half;
    }));
    EXPECT_EQ(nodes[1]->latest(*id)->state.outcome[0].balances[1], kEther);
    EXPECT_GT(count<DepositConfirmed>(1), confirmed1);  // node 1 learned of the higher holdings

    // More than node 0 held before the top-up.
    const u256 paid = kEther + kEther / u256{5};
    ASSERT_TRUE(nodes[0]->pay(*id, 1, Address{}, paid).ok());
    ASSERT_TRUE(
        wait_for([&] { return nodes[1]->latest(*id)->state.outcome[0].balances[1] == kEther + paid; }));

    const auto closed = await_on(io, nodes[0]->close_channel(*id));
    ASSERT_TRUE(closed.ok()) << closed.error().describe();
    ASSERT_TRUE(wait_for([&] { return count<ChannelClosed>(1) == 1; }));
    // Node 0 put in 0.5 more and takes out 1.5 - 1.2 = 0.3; node 1 takes out 2.2. Fees are far below 0.01.
    const u256 after0 = balance(nodes[0]->identity());
    const u256 after1 = balance(nodes[1]->identity());
    const u256 out0 = kEther + half - paid;
    EXPECT_LE(after0 + half, before0 + out0);
    EXPECT_GT(after0 + half, before0 + out0 - kEther / u256{100});
    EXPECT_LE(after1, before1 + kEther + paid);
    EXPECT_GT(after1, before1 + kEther + paid - kEther / u256{100});
    // The withdrawal paid the whole holdings out, the top-up included: nothing is left for a sweep.
    l1::CallRequest call;
    call.to = adjudicator;
    call.data = channel::adjudicator::holdings_call(*id, Address{});
    const auto held = await_on(io, client.call(call, l1::BlockTag::latest()));
    ASSERT_TRUE(held.ok()) << held.error().describe();
    EXPECT_EQ(channel::adjudicator::decode_uint256_return(held->data).value(), u256{});
    EXPECT_EQ(await_on(io, nodes[0]->topup(*id, Address{}, half)).error().code, Errc::channel_final);
}

}  // namespace
}  // namespace sluice::sdk
