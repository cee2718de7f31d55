// Issue #18 §7: when a channel is underfunded the adjudicator pays in participant order, so a lower index
// could register a state signed before funding and take a higher index's deposit. The machine signs no
// state whose per-asset totals exceed the deposits recorded as confirmed (record_deposit), on every path:
// our proposals, peers' proposals, crossing proposals, a state re-requested after a restart, the outstanding
// path, and our last signature of our own round; a deposit total that drops (a reorg) stops what is in
// flight.
#include "machine_test_support.hpp"

namespace sluice::channel::test {
namespace {

constexpr std::uint64_t kEach = 1'000'000;

bool signed_anything(const Net& net, std::size_t who) {
    for (const auto& q : net.sent) {
        if (q.from != who) continue;
        if (std::holds_alternative<Countersignature>(q.message) ||
            std::holds_alternative<Completion>(q.message))
            return true;
    }
    return false;
}

// What machine `who` has seen confirmed: `eth_total` of ETH and `token_total` of the token.
void confirmed(Net& net, std::size_t who, std::uint64_t eth_total, std::uint64_t token_total) {
    net.m(who).record_deposit(eth(), eth_total);
    net.m(who).record_deposit(token(), token_total);
}

State paying(const Machine& m, std::uint64_t version, std::size_t from, std::size_t to) {
    State s = m.latest().state;
    s.version = version;
    s.outcome[1].balances[from] -= 10;
    s.outcome[1].balances[to] += 10;
    return s;
}

// The machines were opened on the initial state (signed before funding, as it must be) before every deposit
// was confirmed: nothing is signed on it until all are, one asset short is not enough.
TEST(MachineFunding, NothingIsSignedBeforeEveryDepositIsConfirmed) {
    Net net(2, kEach);
    for (std::size_t i = 0; i < 2; ++i)
        confirmed(net, i, 0, 0);
    using Totals = std::pair<std::uint64_t, std::uint64_t>;
    for (const auto& [eth_total, token_total] : {Totals{0, 0}, Totals{2 * kEach, kEach}}) {
        SCOPED_TRACE(token_total);
        for (std::size_t i = 0; i < 2; ++i)
            confirmed(net, i, eth_total, token_total);
        EXPECT_EQ(net.m(0).propose({Pay{token(), 1, 10}}).error().code, Errc::channel_exceeds_deposits);
        EXPECT_EQ(net.m(0).propose({Pay{eth(), 1, 10}}).error().code, Errc::channel_exceeds_deposits);
        EXPECT_EQ(
            refusal_code(net.m(1).receive(signed_proposal(net.params, 0, 0, paying(net.m(1), 2, 0, 1)))),
            Errc::channel_exceeds_deposits);
        EXPECT_FALSE(signed_anything(net, 1));
        EXPECT_EQ(net.m(1).highest_signed_version(), 0u);
    }
    for (std::size_t i = 0; i < 2; ++i)
        confirmed(net, i, 2 * kEach, 2 * kEach);
    EXPECT_EQ(run_update(net, 0, {Pay{token(), 1, 10}}), std::nullopt);
    EXPECT_EQ(balance(net.m(1), 1, 1), u256{kEach + 10});
}

// Crossing proposals on a base a third participant does not see funded: it countersigns neither, and
// neither completes.
TEST(MachineFunding, CrossingProposalsAreNotSignedOnAnUnderfundedView) {
    Net net(3, kEach);
    confirmed(net, 2, 3 * kEach, 2 * kEach);
    net.post(0, net.m(0).propose({Pay{eth(), 2, 5}}));
    net.post(1, net.m(1).propose({Pay{eth(), 2, 7}}));
    net.deliver_all();
    EXPECT_FALSE(signed_anything(net, 2));
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(net.completed(i), 0u) << i;
    ASSERT_FALSE(net.failures(0).empty());
    EXPECT_EQ(net.failures(0).back().error.code, Errc::channel_exceeds_deposits);
}

// A deposit that was confirmed and then taken back by a reorg: the countersigner neither signs the state it
// signed before again (a re-request after its answer was lost) nor anything new, even a proposal that
// passes the outstanding check.
TEST(MachineFunding, AReorgStopsTheCountersigner) {
    Net net(2, kEach);
    net.post(0, net.m(0).propose({Pay{token(), 1, 10}}));
    const Proposal x = std::get<Proposal>(net.queue.front().message);
    ASSERT_TRUE(net.deliver(0, 1));
    net.queue.clear();  // the countersignature is lost
    confirmed(net, 1, 2 * kEach, kEach);
    EXPECT_EQ(refusal_code(net.m(1).receive(x)), Errc::channel_exceeds_deposits);
    State more = paying(net.m(1), x.state.version + 2, 0, 1);
    more.outcome[1].balances[0] -= 10;
    more.outcome[1].balances[1] += 10;  // 20 to 1: at least what the outstanding x gives it
    EXPECT_EQ(refusal_code(net.m(1).receive(signed_proposal(net.params, 0, 0, more))),
              Errc::channel_exceeds_deposits);
    // Back to the full total, the re-request gets the signature it got before.
    confirmed(net, 1, 2 * kEach, 2 * kEach);
    const auto again = net.m(1).receive(x);
    ASSERT_TRUE(again.ok());
    ASSERT_EQ(again->messages.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<Countersignature>(again->messages[0].message));
}

// The proposer's own signature is the one that makes a state fully signed: with the deposits gone between
// its proposal and the last countersignature, it withdraws instead of completing.
TEST(MachineFunding, AReorgStopsTheProposerBeforeItSignsLast) {
    Net net(2, kEach);
    net.post(0, net.m(0).propose({Pay{token(), 1, 10}}));
    ASSERT_TRUE(net.deliver(0, 1));
    confirmed(net, 0, 2 * kEach, kEach);
    ASSERT_TRUE(net.deliver(1, 0));
    EXPECT_FALSE(signed_anything(net, 0));
    ASSERT_EQ(net.failures(0).size(), 1u);
    EXPECT_EQ(net.failures(0)[0].error.code, Errc::channel_exceeds_deposits);
    EXPECT_EQ(net.m(0).latest().state.version, 0u);
    net.deliver_all();  // the withdrawal frees the countersigner
    EXPECT_FALSE(net.m(1).round_pending());
    EXPECT_EQ(net.completed(1), 0u);
}

}  // namespace
}  // namespace sluice::channel::test
