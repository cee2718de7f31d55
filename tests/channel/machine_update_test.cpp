// Update rounds that should succeed: one payment, batches, every channel size from 2 to 16 parties.
#include "machine_test_support.hpp"

namespace sluice::channel::test {
namespace {

TEST(MachineUpdate, TwoPartyPaymentCompletesEverywhere) {
    Net net(2);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 250}}));
    ASSERT_EQ(net.queue.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<Proposal>(net.queue.front().message));
    net.deliver_all();
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(net.completed(i), 1u) << i;
        EXPECT_FALSE(net.m(i).round_pending());
        EXPECT_TRUE(net.m(i).latest().fully_signed());
        EXPECT_TRUE(check_fully_signed(net.params, net.m(i).latest()).ok());
        EXPECT_EQ(balance(net.m(i), 0, 0), u256{1'000'000 - 250});
        EXPECT_EQ(balance(net.m(i), 0, 1), u256{1'000'000 + 250});
    }
    // Proposer index 0 of 2 proposes floor + 2.
    EXPECT_EQ(net.m(1).latest().state.version, 2u);
    EXPECT_EQ(net.m(0).latest(), net.m(1).latest());
    // Both stores hold the fully signed state (invariant 2: persisted before it was reported).
    EXPECT_EQ(net.parties[1]->store.load(net.m(1).channel_id())->latest, net.m(1).latest());
}

TEST(MachineUpdate, FiftyPaymentsInOneUpdate) {
    Net net(4);
    std::vector<Operation> ops;
    u256 to_each[4];
    net.post(2, net.m(2).propose({Pay{eth(), 0, 5}}));  // payer 2 first, to show the versions keep rising
    net.deliver_all();
    for (std::uint16_t k = 0; k < 50; ++k) {
        const std::uint16_t to = static_cast<std::uint16_t>(1 + k % 3);
        ops.push_back(Pay{eth(), to, u256{k + 1u}});
        to_each[to] += u256{k + 1u};
    }
    const std::uint64_t before = net.m(0).latest().state.version;
    net.post(0, net.m(0).propose(ops));
    net.deliver_all();
    u256 paid;
    for (std::size_t i = 1; i < 4; ++i)
        paid += to_each[i];
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(net.completed(i), 2u);
        EXPECT_EQ(net.m(i).latest().state.version, before + 4);
        EXPECT_EQ(balance(net.m(i), 0, 0), u256{1'000'000 + 5} - paid);
        for (std::size_t j = 1; j < 4; ++j) {
            const u256 start = j == 2 ? u256{1'000'000 - 5} : u256{1'000'000};
            EXPECT_EQ(balance(net.m(i), 0, j), start + to_each[j]);
        }
        EXPECT_EQ(balance(net.m(i), 1, 0), u256{1'000'000});  // the token is untouched
    }
}

TEST(MachineUpdate, EveryChannelSizeFromTwoToSixteen) {
    for (std::size_t n = 2; n <= 16; ++n) {
        Net net(n);
        const std::size_t payer = n - 1;
        net.post(payer, net.m(payer).propose({Pay{token(), 0, 10}, Pay{eth(), 0, 3}}));
        net.deliver_all();
        for (std::size_t i = 0; i < n; ++i) {
            ASSERT_EQ(net.completed(i), 1u) << "n=" << n << " party " << i;
            EXPECT_EQ(net.m(i).latest(), net.m(0).latest());
            EXPECT_EQ(balance(net.m(i), 1, 0), u256{1'000'010});
            EXPECT_EQ(balance(net.m(i), 0, payer), u256{1'000'000 - 3});
            EXPECT_EQ(balance(net.m(i), 0, 0), u256{1'000'003});
        }
        EXPECT_EQ(net.m(0).latest().state.version, 1u) << "the highest index proposes floor + 1";
    }
}

TEST(MachineUpdate, OnePendingUpdatePerChannel) {
    Net net(3);
    net.post(1, net.m(1).propose({Pay{eth(), 0, 1}}));
    const auto again = net.m(1).propose({Pay{eth(), 0, 1}});
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, Errc::channel_update_pending);
    net.deliver(1, 2);  // participant 2 countersigned and now waits for the completion
    const auto waiting = net.m(2).propose({Pay{eth(), 0, 1}});
    ASSERT_FALSE(waiting.ok());
    EXPECT_EQ(waiting.error().code, Errc::channel_update_pending);
    net.deliver_all();
    EXPECT_TRUE(net.m(2).propose({Pay{eth(), 0, 1}}).ok());
}

TEST(MachineUpdate, ProposerCannotPayMoreThanItHolds) {
    Net net(2, 100);
    const auto r = net.m(0).propose({Pay{eth(), 1, 60}, Pay{eth(), 1, 41}});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::channel_overspend);
    EXPECT_NE(r.error().message.find("operation 1"), std::string::npos) << r.error().message;
    const auto unknown = net.m(0).propose(
        {Pay{Address::from_hex("0x00000000000000000000000000000000000000ff").value(), 1, 1}});
    EXPECT_EQ(unknown.error().code, Errc::channel_bad_shape);
    EXPECT_EQ(net.m(0).propose({Pay{eth(), 0, 1}}).error().code, Errc::channel_bad_shape);  // to itself
    EXPECT_FALSE(net.m(0).round_pending());
}

// A countersigner may stop waiting at any time (machine.hpp); the round can still complete later, and its
// completion is then taken.
TEST(MachineUpdate, LateCompletionIsTakenAfterTheWaitTimedOut) {
    Net net(2);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 4}}));
    net.deliver(0, 1);
    net.clock.advance(MachineOptions{}.round_timeout);
    net.post(1, net.m(1).tick());
    EXPECT_FALSE(net.m(1).round_pending());
    EXPECT_TRUE(net.queue.front().to == 0);
    net.deliver_all();  // the proposer has not timed out yet (it ticks later): it completes
    EXPECT_EQ(net.m(1).latest().state.version, 2u);
    EXPECT_EQ(net.completed(1), 1u);
    EXPECT_EQ(balance(net.m(1), 0, 1), u256{1'000'004});
}

TEST(MachineUpdate, ProposerTimesOutAndReleasesTheOthers) {
    Net net(3);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 4}}));
    net.deliver(0, 1);  // 1 countersigns; 2 never answers
    while (!net.queue.empty()) {
        if (net.queue.front().to == 2) {
            net.queue.pop_front();
        } else {
            net.deliver_at(0);
        }
    }
    EXPECT_TRUE(net.m(0).round_pending());
    EXPECT_TRUE(net.m(0).tick().messages.empty());  // not yet
    net.clock.advance(MachineOptions{}.round_timeout);
    net.post(0, net.m(0).tick());
    ASSERT_EQ(net.failures(0).size(), 1u);
    EXPECT_EQ(net.failures(0)[0].error.code, Errc::channel_timeout);
    net.deliver_all();
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_FALSE(net.m(i).round_pending()) << i;
    EXPECT_EQ(net.m(1).highest_signed_version(), 3u);  // what 1 signed still binds it
}

}  // namespace
}  // namespace sluice::channel::test
