// Machine::peer_reconnected: a reconnect ends what was in flight with that participant without waiting for
// the round timeout, and keeps the rules that make waiting unnecessary (our signature comes last; what we
// countersigned stays outstanding).
#include "machine_test_support.hpp"

namespace sluice::channel::test {
namespace {

TEST(MachineReconnect, OwnRoundWithoutTheirSignatureIsWithdrawnAndNeverCompletes) {
    Net net(2);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 7}}));
    ASSERT_TRUE(net.m(0).round_pending());
    net.queue.clear();  // the proposal was lost with the connection
    net.post(0, net.m(0).peer_reconnected(1));
    EXPECT_FALSE(net.m(0).round_pending());
    const auto failed = net.failures(0);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].error.code, Errc::channel_timeout);
    net.deliver_all();  // the signed withdrawal reaches party 1, which never saw the proposal
    EXPECT_EQ(net.completed(0), 0u);
    // The channel is usable at once.
    EXPECT_FALSE(run_update(net, 0, {Pay{eth(), 1, 5}}).has_value());
    EXPECT_EQ(balance(net.m(1), 0, 1), u256{1'000'000 + 5});
}

TEST(MachineReconnect, OwnRoundTheyCountersignedIsKept) {
    Net net(3);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 7}}));
    ASSERT_TRUE(net.deliver(0, 1));
    ASSERT_TRUE(net.deliver(1, 0));  // 1's countersignature is in; 2's is not yet
    net.post(0, net.m(0).peer_reconnected(1));
    EXPECT_TRUE(net.m(0).round_pending());
    EXPECT_TRUE(net.failures(0).empty());
    net.deliver_all();
    EXPECT_EQ(net.completed(0), 1u);
    EXPECT_EQ(net.m(2).latest(), net.m(0).latest());
}

TEST(MachineReconnect, PeerRoundIsNoLongerAwaitedButStaysOutstanding) {
    Net net(2);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 7}}));
    ASSERT_TRUE(net.deliver(0, 1));  // 1 countersigned; its answer is lost with the connection
    net.queue.clear();
    ASSERT_TRUE(net.m(1).round_pending());
    net.post(1, net.m(1).peer_reconnected(0));
    EXPECT_FALSE(net.m(1).round_pending());
    ASSERT_EQ(net.m(1).outstanding().size(), 1u);
    // A proposal of 1 now is its own (exempt from the outstanding check) and goes through.
    const auto version_before = net.m(1).latest().state.version;
    net.post(0, net.m(0).peer_reconnected(1));  // 0 gives up its round the same way
    EXPECT_FALSE(run_update(net, 1, {Pay{eth(), 0, 3}}).has_value());
    EXPECT_GT(net.m(1).latest().state.version, version_before);
    EXPECT_TRUE(net.m(1).outstanding().empty());
    EXPECT_EQ(balance(net.m(0), 0, 0), u256{1'000'000 + 3});
}

TEST(MachineReconnect, ForeignOrOwnIndexChangesNothing) {
    Net net(2);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 7}}));
    net.post(0, net.m(0).peer_reconnected(0));
    net.post(0, net.m(0).peer_reconnected(5));
    EXPECT_TRUE(net.m(0).round_pending());
    EXPECT_TRUE(net.failures(0).empty());
}

}  // namespace
}  // namespace sluice::channel::test
