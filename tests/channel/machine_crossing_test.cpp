// Crossing proposals: the lower participant index wins in every delivery order, the loser is told
// channel_conflict, nobody signs two states at one version, and the loser can retry afterwards.
#include "machine_test_support.hpp"

namespace sluice::channel::test {
namespace {

// Every participant ends on the same fully signed state, made by `winner`'s payment of 7 to `payee`.
void expect_winner(Net& net, std::size_t winner, std::size_t payee) {
    for (std::size_t i = 0; i < net.parties.size(); ++i) {
        EXPECT_EQ(net.completed(i), 1u) << "party " << i;
        EXPECT_EQ(net.m(i).latest(), net.m(0).latest()) << "party " << i;
        EXPECT_FALSE(net.m(i).round_pending()) << "party " << i;
    }
    EXPECT_EQ(balance(net.m(0), 0, winner), u256{1'000'000 - 7});
    EXPECT_EQ(balance(net.m(0), 0, payee), u256{1'000'000 + 7});
}

void expect_lost(const Net& net, std::size_t loser) {
    const auto failed = net.failures(loser);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].error.code, Errc::channel_conflict);
}

TEST(MachineCrossing, TwoPartiesEitherOrder) {
    for (const bool low_first : {true, false}) {
        Net net(2);
        net.post(0, net.m(0).propose({Pay{eth(), 1, 7}}));
        net.post(1, net.m(1).propose({Pay{eth(), 0, 9}}));
        if (low_first) {
            net.deliver(0, 1);  // 1 sees 0's proposal first: gives up its own, countersigns
        } else {
            net.deliver(1, 0);  // 0 sees 1's proposal first: refuses it
        }
        net.deliver_all();
        expect_winner(net, 0, 1);
        expect_lost(net, 1);
        EXPECT_TRUE(net.failures(0).empty());
        // The loser retries and succeeds.
        net.post(1, net.m(1).propose({Pay{eth(), 0, 9}}));
        net.deliver_all();
        EXPECT_EQ(net.completed(0), 2u);
        EXPECT_EQ(balance(net.m(0), 0, 1), u256{1'000'000 + 7 - 9});
    }
}

// Three parties, 1 and 2 propose at once; party 0 sees them in either order, and 1 and 2 see each other's
// proposal before or after their own answers arrive. When 1's proposal X pays 0 at least what 2's Y does,
// the lower index wins in every order. When X pays 0 less (#18 §1) and 0 countersigned Y first, 0 refuses
// to switch: Y stays outstanding (2 could still complete it for all 0 knows), so nothing completes; 0's
// own next proposal (exempt) gets the channel past Y.
TEST(MachineCrossing, ThreePartiesEveryDeliveryOrder) {
    for (const bool x_pays_more : {true, false}) {
        for (int order = 0; order < 4; ++order) {
            const std::uint64_t x_amount = x_pays_more ? 9 : 7;
            const std::uint64_t y_amount = x_pays_more ? 7 : 9;
            Net net(3);
            net.post(1, net.m(1).propose({Pay{eth(), 0, x_amount}}));
            net.post(2, net.m(2).propose({Pay{eth(), 0, y_amount}}));
            const bool third_sees_low_first = (order & 1) != 0;
            if (third_sees_low_first) {
                net.deliver(1, 0);
                net.deliver(2, 0);  // refused: 0 already countersigned the lower index's proposal
            } else {
                net.deliver(2, 0);  // 0 countersigns 2's proposal ...
                net.deliver(1, 0);  // ... and switches to 1's (a higher version) if it pays 0 as much
            }
            if ((order & 2) != 0) {
                net.deliver(2, 1);
                net.deliver(1, 2);
            } else {
                net.deliver(1, 2);
                net.deliver(2, 1);
            }
            net.deliver_all();
            SCOPED_TRACE(order);
            SCOPED_TRACE(x_pays_more);
            if (!x_pays_more && !third_sees_low_first) {
                for (std::size_t i = 0; i < 3; ++i) {
                    EXPECT_EQ(net.completed(i), 0u) << "party " << i;
                    EXPECT_FALSE(net.m(i).round_pending()) << "party " << i;
                }
                ASSERT_EQ(net.failures(1).size(), 1u);
                EXPECT_EQ(net.failures(1)[0].error.code, Errc::channel_below_outstanding);
                ASSERT_EQ(net.m(0).outstanding().size(), 1u);
                EXPECT_EQ(net.m(0).outstanding()[0].outcome[0].balances[0], u256{1'000'000 + 9});
                net.post(0, net.m(0).propose({Pay{eth(), 1, 1}}));
                net.deliver_all();
                EXPECT_EQ(net.completed(2), 1u);
                EXPECT_TRUE(net.m(0).outstanding().empty());
                continue;
            }
            for (std::size_t i = 0; i < 3; ++i) {
                EXPECT_EQ(net.completed(i), 1u) << "party " << i;
                EXPECT_EQ(net.m(i).latest(), net.m(0).latest());
            }
            EXPECT_EQ(balance(net.m(0), 0, 1), u256{1'000'000 - x_amount});
            EXPECT_EQ(balance(net.m(0), 0, 0), u256{1'000'000 + x_amount});
            expect_lost(net, 2);
            EXPECT_TRUE(net.failures(1).empty());
        }
    }
}

TEST(MachineCrossing, LowerIndexProposesTheHigherVersion) {
    Net net(3);
    const auto p1 = net.m(1).propose({Pay{eth(), 0, 1}});
    const auto p2 = net.m(2).propose({Pay{eth(), 0, 1}});
    const auto& v1 = std::get<Proposal>(p1->messages[0].message).state.version;
    const auto& v2 = std::get<Proposal>(p2->messages[0].message).state.version;
    EXPECT_EQ(v1, 2u);
    EXPECT_EQ(v2, 1u);
}

// Party 0 signed the losing state at version 1 before switching: the versions it signed only grow, and
// the next round (proposed by the loser) must go above everything anyone signed.
TEST(MachineCrossing, RetryAfterALostRoundUsesAHigherVersion) {
    Net net(3);
    net.post(1, net.m(1).propose({Pay{eth(), 0, 9}}));  // pays 0 at least Y, so 0 may switch to it
    net.post(2, net.m(2).propose({Pay{eth(), 0, 7}}));
    net.deliver(2, 0);
    net.deliver(1, 0);
    EXPECT_EQ(net.m(0).highest_signed_version(), 2u);
    net.deliver_all();
    ASSERT_EQ(net.m(0).latest().state.version, 2u);
    net.post(2, net.m(2).propose({Pay{eth(), 0, 7}}));
    net.deliver_all();
    EXPECT_EQ(net.completed(0), 2u);
    EXPECT_EQ(net.m(0).latest().state.version, 3u);
    EXPECT_EQ(balance(net.m(0), 0, 0), u256{1'000'000 + 16});
}

// After a round that failed once participant 0 had signed version 1, a third party's next proposal
// (floor + its offset = version 2) is above what 0 signed, so 0 takes it: it pays 0 as much as the lost
// round would have, which stays outstanding (#18 §1). (The refusal of a second state at a signed version,
// with its hint, is StaleVersionIsRefusedWithAHint.)
TEST(MachineCrossing, NextProposalAfterALostRoundLandsAboveTheSignedVersion) {
    Net net(3);
    net.post(2, net.m(2).propose({Pay{eth(), 0, 9}}));
    net.deliver(2, 0);  // 0 signs version 1
    net.queue.clear();  // the rest is lost
    net.clock.advance(1000);
    net.post(0, net.m(0).tick());
    net.post(2, net.m(2).tick());  // 2 gives up and withdraws
    EXPECT_EQ(net.failures(2).size(), 1u);
    EXPECT_EQ(net.failures(2)[0].error.code, Errc::channel_timeout);
    net.deliver_all();
    net.post(1, net.m(1).propose({Pay{eth(), 0, 9}}));  // version 2: fine for 0, which signed 1
    net.deliver_all();
    EXPECT_EQ(net.m(0).latest().state.version, 2u);
    EXPECT_TRUE(net.m(0).outstanding().empty());
}

TEST(MachineCrossing, StaleVersionIsRefusedWithAHint) {
    Net net(2);
    // Participant 0 signs 1's proposal at version 1; the round is lost; 1 restarts without memory of it
    // and proposes version 1 again with another content.
    net.post(1, net.m(1).propose({Pay{eth(), 0, 9}}));
    net.deliver(1, 0);
    net.queue.clear();
    net.clock.advance(1000);
    net.post(1, net.m(1).tick());
    net.post(0, net.m(0).tick());
    net.queue.clear();
    net.restart(1);
    ASSERT_FALSE(HasFatalFailure());
    net.post(1, net.m(1).propose({Pay{eth(), 0, 3}}));
    net.deliver_all();
    const auto failed = net.failures(1);
    ASSERT_EQ(failed.size(), 2u);
    EXPECT_EQ(failed[1].error.code, Errc::channel_bad_version);
    // Above the hint, but it pays 0 less than the lost version 1, which 0 countersigned and 1's restart
    // does not make impossible to complete (#18 §1): refused ...
    net.post(1, net.m(1).propose({Pay{eth(), 0, 3}}));
    net.deliver_all();
    ASSERT_EQ(net.failures(1).size(), 3u);
    EXPECT_EQ(net.failures(1)[2].error.code, Errc::channel_below_outstanding);
    EXPECT_EQ(net.completed(0), 0u);
    // ... and one paying as much is taken.
    net.post(1, net.m(1).propose({Pay{eth(), 0, 9}}));
    net.deliver_all();
    EXPECT_EQ(net.completed(0), 1u);
    EXPECT_GT(net.m(0).latest().state.version, 1u);
    EXPECT_EQ(balance(net.m(0), 0, 0), u256{1'000'009});
}

}  // namespace
}  // namespace sluice::channel::test
