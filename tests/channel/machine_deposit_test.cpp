// Issue #14: the Deposit operation (deposit_credit.hpp). A top-up raises one total by crediting its
// proposer, only once the recorded deposits cover it, and never takes a deposit a receiver reserved as its
// own; anything else that raises a total is refused before a signature leaves.
#include "machine_test_support.hpp"

namespace sluice::channel::test {
namespace {

constexpr std::uint64_t kEach = 1'000'000;
constexpr std::uint64_t kTopUp = 500;

void confirmed_eth(Net& net, std::uint64_t total) {
    for (std::size_t i = 0; i < net.parties.size(); ++i)
        net.m(i).record_deposit(eth(), total);
}

// Participant 0's credit of `amount` ETH on m's latest state, at `version`, for crafting variants.
State credited(const Machine& m, std::uint64_t version, std::uint64_t amount) {
    State s = m.latest().state;
    s.version = version;
    s.outcome[0].balances[0] += amount;
    return s;
}

TEST(MachineDeposit, CreditsTheProposerOnceTheDepositsCoverIt) {
    Net net(2, kEach);
    confirmed_eth(net, 2 * kEach + kTopUp);
    EXPECT_EQ(run_update(net, 0, {Deposit{eth(), kTopUp}}), std::nullopt);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(balance(net.m(i), 0, 0), u256{kEach + kTopUp}) << i;
        EXPECT_EQ(balance(net.m(i), 0, 1), u256{kEach}) << i;
        EXPECT_EQ(balance(net.m(i), 1, 0), u256{kEach}) << i;  // the token is untouched
    }
    // The new balance can be spent, all of it, and nothing more.
    EXPECT_EQ(run_update(net, 0, {Pay{eth(), 1, kEach + kTopUp}}), std::nullopt);
    EXPECT_EQ(balance(net.m(1), 0, 1), u256{2 * kEach + kTopUp});
    EXPECT_EQ(net.m(0).propose({Pay{eth(), 1, 1}}).error().code, Errc::channel_overspend);
}

TEST(MachineDeposit, TheSameDepositIsNotCreditedTwice) {
    Net net(2, kEach);
    confirmed_eth(net, 2 * kEach + kTopUp);
    ASSERT_EQ(run_update(net, 0, {Deposit{eth(), kTopUp}}), std::nullopt);
    EXPECT_EQ(net.m(0).propose({Deposit{eth(), kTopUp}}).error().code, Errc::channel_exceeds_deposits);
    EXPECT_EQ(refusal_code(net.m(1).receive(signed_proposal(net.params, 0, net.m(1).latest().state.version,
                                                            credited(net.m(1), 9, kTopUp)))),
              Errc::channel_exceeds_deposits);
}

TEST(MachineDeposit, ACreditTheDepositsDoNotCoverIsRefused) {
    Net net(2, kEach);
    // Our own view: nothing beyond the total is confirmed.
    EXPECT_EQ(net.m(0).propose({Deposit{eth(), kTopUp}}).error().code, Errc::channel_exceeds_deposits);
    // A peer that has not seen the deposit confirmed yet refuses (the node then re-reads L1).
    net.m(0).record_deposit(eth(), 2 * kEach + kTopUp);
    EXPECT_EQ(run_update(net, 0, {Deposit{eth(), kTopUp}}), Errc::channel_exceeds_deposits);
    EXPECT_EQ(net.m(1).highest_signed_version(), 0u);
    // More than what L1 shows beyond the total.
    net.m(1).record_deposit(eth(), 2 * kEach + kTopUp);
    EXPECT_EQ(
        refusal_code(net.m(1).receive(signed_proposal(net.params, 0, 0, credited(net.m(1), 9, kTopUp + 1)))),
        Errc::channel_exceeds_deposits);
    EXPECT_EQ(run_update(net, 0, {Deposit{eth(), kTopUp}}), std::nullopt);
}

TEST(MachineDeposit, ZeroOrAnUnknownAssetIsNoOperation) {
    Net net(2, kEach);
    confirmed_eth(net, 2 * kEach + kTopUp);
    EXPECT_EQ(net.m(0).propose({Deposit{eth(), 0}}).error().code, Errc::channel_bad_shape);
    const Address other = Address::from_hex("0x00000000000000000000000000000000000000aa").value();
    EXPECT_EQ(net.m(0).propose({Deposit{other, kTopUp}}).error().code, Errc::channel_bad_shape);
}

// Every variant that changes something besides the proposer's balance of one asset is refused by the
// receiver (crafted proposals) and by the proposer's own machine, with nothing signed.
TEST(MachineDeposit, ACreditChangesNothingElse) {
    Net net(2, kEach);
    confirmed_eth(net, 2 * kEach + 2 * kTopUp);
    net.m(0).record_deposit(token(), 2 * kEach + kTopUp);
    net.m(1).record_deposit(token(), 2 * kEach + kTopUp);
    const Machine& bob = net.m(1);
    std::vector<std::pair<const char*, State>> bad;
    {
        State s = credited(bob, 2, kTopUp);
        s.outcome[0].balances[1] += 1;  // the receiver credited too: more than the proposer's growth
        bad.emplace_back("another balance grows", s);
    }
    {
        State s = bob.latest().state;
        s.version = 2;
        s.outcome[0].balances[1] += kTopUp;  // the proposer credits someone else
        bad.emplace_back("credits the receiver", s);
    }
    {
        State s = credited(bob, 2, kTopUp + 10);
        s.outcome[0].balances[1] -= 10;  // a payment from the receiver hidden in the credit
        bad.emplace_back("takes from the receiver", s);
    }
    {
        State s = credited(bob, 2, kTopUp);
        s.outcome[1].balances[0] += kTopUp;  // two assets at once
        bad.emplace_back("raises two assets", s);
    }
    {
        State s = credited(bob, 2, kTopUp);
        s.outcome[1].balances[1] -= 1;
        s.outcome[1].balances[0] += 1;  // and moves the token
        bad.emplace_back("moves another asset", s);
    }
    {
        State s = credited(bob, 2, kTopUp);
        s.outcome[0].balances[0] -= 100;  // 100 of the credit goes into a new lock to the receiver
        s.outcome[0].locks.push_back(
            Lock{hashlock_of(preimage_of(1)), u256{100}, 0, 1, net.clock.clock()() + 3600});
        bad.emplace_back("adds a lock", s);
    }
    {
        State s = credited(bob, 2, kTopUp);
        s.is_final = true;
        bad.emplace_back("is final", s);
    }
    for (const auto& [what, s] : bad) {
        SCOPED_TRACE(what);
        const auto code = refusal_code(net.m(1).receive(signed_proposal(net.params, 0, 0, s)));
        ASSERT_TRUE(code.has_value());
        EXPECT_NE(*code, Errc::channel_exceeds_deposits);  // refused for its shape, not for funding
        EXPECT_FALSE(net.m(0).propose_state(s).ok());
    }
    EXPECT_EQ(net.m(1).highest_signed_version(), 0u);
    // A batch mixing a credit with a payment raises the total and moves money: refused by the proposer.
    EXPECT_EQ(net.m(0).propose({Deposit{eth(), kTopUp}, Pay{eth(), 1, 1}}).error().code,
              Errc::channel_value_not_conserved);
    EXPECT_EQ(net.m(0).propose({Deposit{eth(), kTopUp}, Finalize{}}).error().code,
              Errc::channel_value_not_conserved);
}

// A peer watching L1 sees our deposit as soon as we do; while we reserved it, its credit of it is refused
// and ours goes through, consuming the reservation.
TEST(MachineDeposit, AReservedDepositIsOnlyOurs) {
    Net net(2, kEach);
    net.m(1).reserve_deposit(eth(), u256{kTopUp});
    confirmed_eth(net, 2 * kEach + kTopUp);
    EXPECT_EQ(run_update(net, 0, {Deposit{eth(), kTopUp}}), Errc::channel_exceeds_deposits);
    EXPECT_EQ(net.m(1).highest_signed_version(), 0u);
    ASSERT_EQ(run_update(net, 1, {Deposit{eth(), kTopUp}}), std::nullopt);
    EXPECT_EQ(balance(net.m(0), 0, 1), u256{kEach + kTopUp});
    EXPECT_TRUE(net.m(1).reserved_deposits().empty());
    // Two top-ups at once: each party's credit leaves the other's reservation covered.
    net.m(0).reserve_deposit(eth(), u256{100});
    net.m(1).reserve_deposit(eth(), u256{200});
    confirmed_eth(net, 2 * kEach + kTopUp + 300);
    EXPECT_EQ(run_update(net, 1, {Deposit{eth(), 200}}), std::nullopt);
    EXPECT_EQ(run_update(net, 0, {Deposit{eth(), 100}}), std::nullopt);
    EXPECT_EQ(balance(net.m(1), 0, 0), u256{kEach + 100});
    EXPECT_EQ(balance(net.m(0), 0, 1), u256{kEach + kTopUp + 200});
    EXPECT_TRUE(net.m(0).reserved_deposits().empty());
}

TEST(MachineDeposit, AFinalChannelTakesNoCredit) {
    Net net(2, kEach);
    ASSERT_EQ(run_update(net, 0, {Finalize{}}), std::nullopt);
    confirmed_eth(net, 2 * kEach + kTopUp);
    EXPECT_EQ(net.m(0).propose({Deposit{eth(), kTopUp}}).error().code, Errc::channel_final);
    EXPECT_EQ(refusal_code(net.m(1).receive(signed_proposal(net.params, 0, net.m(1).latest().state.version,
                                                            credited(net.m(1), 5, kTopUp)))),
              Errc::channel_final);
}

TEST(MachineDeposit, AppChannelsTakeNoCredit) {
    const AnyMoveApp app;
    Net net(2, kEach, {}, &app, any_move_app_address());
    confirmed_eth(net, 2 * kEach + kTopUp);
    EXPECT_EQ(
        refusal_code(net.m(1).receive(signed_proposal(net.params, 0, 0, credited(net.m(1), 2, kTopUp)))),
        Errc::channel_bad_params);
    EXPECT_EQ(net.m(0).propose_state(credited(net.m(0), 0, kTopUp)).error().code, Errc::channel_bad_params);
}

}  // namespace
}  // namespace sluice::channel::test
