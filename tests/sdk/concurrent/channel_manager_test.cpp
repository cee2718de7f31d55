// ChannelManager with two nodes' managers in one process on a 2-thread executor, each with its own SQLite
// store, their round messages routed between them through the wire codec's text (label concurrent: TSan):
// 1,000 payments arrive faster than rounds complete and go out in batches; payments in both directions at
// once; a payment the balance cannot carry fails alone; both sides agree, funds are conserved, and a
// restart from the stores restores the same latest state.
#include "sluice/sdk/channel_manager.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "support/temp_dir.hpp"

namespace sluice::sdk {
namespace {

struct Pair : testing::TempDirTest {
    channel::Params params;
    channel::SignedState initial;
    std::array<std::unique_ptr<NodeStore>, 2> stores;
    std::array<std::unique_ptr<ChannelManager>, 2> managers;
    std::atomic<int> failed_events{0};
    std::atomic<int> error_replies{0};
    std::unique_ptr<boost::asio::io_context> io;
    std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
    std::vector<std::thread> threads;

    void SetUp() override {
        TempDirTest::SetUp();
        params.chain_id = 31337;
        params.adjudicator = Address::from_hex("0x5fbdb2315678afecb367f032d93f642f64180aa3").value();
        params.participants = {l1::dev_account_key(1).address(), l1::dev_account_key(2).address()};
        params.nonce = 1;
        params.challenge_duration = 3600;
        initial.state.channel_id = channel::channel_id(params);
        initial.state.outcome.push_back({Address{}, {u256{10'000}, u256{10'000}}, {}});
        initial.sigs = {channel::sign_state(l1::dev_account_key(1), params, initial.state),
                        channel::sign_state(l1::dev_account_key(2), params, initial.state)};
        start(false);
    }
    void TearDown() override {
        stop();
        TempDirTest::TearDown();
    }

    void start(bool restore) {
        io = std::make_unique<boost::asio::io_context>(2);
        work = std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
            io->get_executor());
        for (std::size_t i = 0; i < 2; ++i) {
            stores[i] = NodeStore::open(dir / ("node" + std::to_string(i) + ".sqlite")).value();
            auto send = [this, i](const Hash&, std::size_t to, const wire::Message& message) {
                // Through the wire's text, as the transport would carry it.
                auto decoded = wire::decode(wire::encode(message));
                ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
                if (const auto* m = std::get_if<wire::ChannelMessage>(&*decoded)) {
                    ASSERT_TRUE(managers[to]->deliver(i, m->message).ok());
                } else {
                    ++error_replies;
                }
            };
            auto on_event = [this](const ChannelEvent& e) {
                if (std::holds_alternative<channel::UpdateFailed>(e.event)) ++failed_events;
            };
            managers[i] = std::make_unique<ChannelManager>(
                io->get_executor(), l1::dev_account_key(i + 1), *stores[i],
                [] { return std::uint64_t{1'700'000'000}; }, send, on_event);
            if (restore) {
                ASSERT_TRUE(managers[i]->restore().ok());
            } else {
                ChannelRecord record{
                    initial.state.channel_id, params, i, ChannelStatus::opening, {{Address{}, u256{20'000}}}};
                ASSERT_TRUE(managers[i]->add(record, initial).ok());
            }
        }
        for (int t = 0; t < 2; ++t)
            threads.emplace_back([this] { io->run(); });
    }
    void stop() {
        if (!io) return;
        work.reset();
        io->stop();
        for (auto& t : threads)
            t.join();
        threads.clear();
        managers = {};
        stores = {};
        io.reset();
    }

    const Hash& id() const { return initial.state.channel_id; }
    u256 balance(std::size_t node, std::size_t who) const {
        return managers[node]->latest(id())->state.outcome[0].balances[who];
    }
    // Waits (not a timing assertion: a bound on a hang) until both sides agree on `version_at_least`.
    bool settle_at(std::uint64_t min_version) {
        for (int i = 0; i < 3000; ++i) {
            const auto a = managers[0]->latest(id());
            const auto b = managers[1]->latest(id());
            if (a && b && a->state.version >= min_version && a->state == b->state &&
                managers[0]->queued(id()) == 0 && managers[1]->queued(id()) == 0)
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
};

TEST_F(Pair, ThousandPaymentsGoOutInBatches) {
    for (int i = 0; i < 1000; ++i)
        ASSERT_TRUE(managers[0]->submit(id(), channel::Pay{Address{}, 1, u256{1}}).ok());
    // Wait until every payment is in a fully signed state.
    for (int i = 0; i < 3000 && balance(0, 1) != u256{11'000}; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(settle_at(1));
    EXPECT_EQ(balance(0, 0), u256{9'000});
    EXPECT_EQ(balance(1, 1), u256{11'000});
    const ChannelStats stats = managers[0]->stats();
    EXPECT_EQ(stats.operations_sent, 1000u);
    EXPECT_LT(stats.rounds_proposed, 500u)
        << "rounds " << stats.rounds_proposed;  // far below one per payment
    std::printf("1000 payments in %llu rounds\n", static_cast<unsigned long long>(stats.rounds_proposed));
    EXPECT_EQ(failed_events.load(), 0);
    EXPECT_EQ(error_replies.load(), 0);
}

TEST_F(Pair, BothDirectionsAtOnce) {
    for (int i = 0; i < 300; ++i) {
        ASSERT_TRUE(managers[0]->submit(id(), channel::Pay{Address{}, 1, u256{2}}).ok());
        ASSERT_TRUE(managers[1]->submit(id(), channel::Pay{Address{}, 0, u256{1}}).ok());
    }
    for (int i = 0; i < 3000 && !(balance(0, 1) == u256{10'300} && balance(1, 1) == u256{10'300}); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(settle_at(1));
    EXPECT_EQ(balance(0, 0), u256{9'700});
    EXPECT_EQ(balance(0, 1), u256{10'300});
    EXPECT_EQ(balance(0, 0) + balance(0, 1), u256{20'000});
}

TEST_F(Pair, APaymentTooLargeFailsAloneAndTheRestGoThrough) {
    ASSERT_TRUE(managers[0]->submit(id(), channel::Pay{Address{}, 1, u256{5}}).ok());
    ASSERT_TRUE(managers[0]->submit(id(), channel::Pay{Address{}, 1, u256{1'000'000}}).ok());
    ASSERT_TRUE(managers[0]->submit(id(), channel::Pay{Address{}, 1, u256{7}}).ok());
    for (int i = 0; i < 3000 && (balance(0, 1) != u256{10'012} || failed_events.load() == 0); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(settle_at(1));
    EXPECT_EQ(balance(1, 1), u256{10'012});
    EXPECT_EQ(failed_events.load(), 1);
}

TEST_F(Pair, ARestartRestoresTheLatestState) {
    for (int i = 0; i < 50; ++i)
        ASSERT_TRUE(managers[0]->submit(id(), channel::Pay{Address{}, 1, u256{3}}).ok());
    for (int i = 0; i < 3000 && balance(0, 1) != u256{10'150}; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(settle_at(1));
    const channel::SignedState before = *managers[0]->latest(id());
    stop();
    start(true);
    EXPECT_EQ(*managers[0]->latest(id()), before);
    EXPECT_EQ(*managers[1]->latest(id()), before);
    // And the channel goes on from there.
    ASSERT_TRUE(managers[1]->submit(id(), channel::Pay{Address{}, 0, u256{50}}).ok());
    for (int i = 0; i < 3000 && balance(0, 0) != u256{9'900}; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(settle_at(before.state.version + 1));
    EXPECT_EQ(balance(1, 0), u256{9'900});
}

}  // namespace
}  // namespace sluice::sdk
