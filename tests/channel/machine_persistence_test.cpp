// Persist before sign (invariant 2): when the store fails nothing is signed and the machine stays as it
// was; a machine restored from its store keeps invariant 1.
#include "machine_test_support.hpp"

namespace sluice::channel::test {
namespace {

bool any_signature(const Net& net) {
    for (const auto& q : net.queue) {
        if (std::holds_alternative<Countersignature>(q.message) ||
            std::holds_alternative<Completion>(q.message)) {
            return true;
        }
    }
    return false;
}

TEST(MachinePersistence, CountersignerSignsNothingWhenTheStoreFails) {
    Net net(2);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 5}}));
    net.parties[1]->store.fail_next(1);
    net.deliver(0, 1);
    EXPECT_FALSE(any_signature(net));
    ASSERT_EQ(net.queue.size(), 1u);
    EXPECT_EQ(std::get<Rejection>(net.queue.front().message).code, Errc::channel_persist_failed);
    EXPECT_EQ(net.m(1).highest_signed_version(), 0u);
    EXPECT_FALSE(net.m(1).round_pending());
    net.deliver_all();
    ASSERT_EQ(net.failures(0).size(), 1u);
    EXPECT_EQ(net.failures(0)[0].error.code, Errc::channel_persist_failed);
    // With the store back, the next round goes through.
    net.post(0, net.m(0).propose({Pay{eth(), 1, 5}}));
    net.deliver_all();
    EXPECT_EQ(net.completed(1), 1u);
}

TEST(MachinePersistence, ProposerReleasesNothingWhenEitherSaveFails) {
    for (std::size_t failing_save = 0; failing_save < 2; ++failing_save) {
        Net net(3);
        net.post(2, net.m(2).propose({Pay{eth(), 0, 5}}));
        net.deliver(2, 0);
        net.deliver(2, 1);
        net.deliver(0, 2);
        // The last countersignature triggers save_signing, then save_fully_signed: fail one of them.
        net.parties[2]->store.fail_after(failing_save);
        net.deliver(1, 2);
        SCOPED_TRACE(failing_save);
        for (const auto& q : net.queue)
            EXPECT_FALSE(std::holds_alternative<Completion>(q.message));
        ASSERT_EQ(net.failures(2).size(), 1u);
        EXPECT_EQ(net.failures(2)[0].error.code, Errc::channel_persist_failed);
        EXPECT_EQ(net.m(2).latest().state.version, 0u);
        EXPECT_FALSE(net.m(2).round_pending());
        net.deliver_all();
        for (std::size_t i = 0; i < 3; ++i) {
            EXPECT_EQ(net.completed(i), 0u);
            EXPECT_FALSE(net.m(i).round_pending()) << i;  // the withdrawal released the countersigners
        }
    }
}

TEST(MachinePersistence, OpeningFailsWhenTheInitialStateCannotBeStored) {
    const Params params = make_params(2);
    const SignedState init = sign_by_all(params, initial_state(params, 10));
    MemoryPersistence store;
    store.fail_next(1);
    FakeClock clock;
    const auto m =
        Machine::open(MachineSetup{params, 0, deposits_for(init.state), clock.clock(), nullptr, {}},
                      key_of(0), init, store);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, Errc::channel_persist_failed);
}

TEST(MachinePersistence, CompletionIsNotTakenUntilStored) {
    Net net(2);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 5}}));
    net.deliver(0, 1);
    net.deliver(1, 0);
    ASSERT_TRUE(std::holds_alternative<Completion>(net.queue.front().message));
    const Message completion = net.queue.front().message;
    net.parties[1]->store.fail_next(1);
    const auto first = net.m(1).receive(completion);
    ASSERT_FALSE(first.ok());
    EXPECT_EQ(first.error().code, Errc::channel_persist_failed);
    EXPECT_EQ(net.m(1).latest().state.version, 0u);
    EXPECT_TRUE(net.m(1).round_pending());
    // Delivered again, it is taken.
    net.deliver_all();
    EXPECT_EQ(net.m(1).latest().state.version, 2u);
}

TEST(MachinePersistence, RestartKeepsInvariantOne) {
    Net net(2);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 5}}));
    const Proposal p = std::get<Proposal>(net.queue.front().message);
    net.deliver(0, 1);  // 1 signed version 2, then crashes before the completion arrives
    const Countersignature given = std::get<Countersignature>(net.queue.front().message);
    net.queue.clear();
    net.restart(1);
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(net.m(1).highest_signed_version(), 2u);
    EXPECT_FALSE(net.m(1).round_pending());

    // A different state at the same version is refused after the restart ...
    State other = p.state;
    other.outcome[0].balances[0] -= 1;
    other.outcome[0].balances[1] += 1;
    const Proposal forged{p.channel_id, 0,  0,
                          other,        {}, sign(key_of(0), proposal_digest(net.params, other, 0, {}))};
    const auto refused = net.m(1).receive(forged);
    ASSERT_TRUE(refused.ok());
    ASSERT_EQ(refused->messages.size(), 1u);
    EXPECT_EQ(std::get<Rejection>(refused->messages[0].message).code, Errc::channel_bad_version);
    // ... the same one is answered with the same signature ...
    const auto again = net.m(1).receive(p);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(std::get<Countersignature>(again->messages[0].message), given);
    net.post(1, *again);
    // ... and the round completes across the restart.
    net.deliver_all();
    EXPECT_EQ(net.m(1).latest().state.version, 2u);
    EXPECT_EQ(net.m(0).latest(), net.m(1).latest());
    // The restored store keeps the fully signed state.
    net.restart(1);
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(net.m(1).latest(), net.m(0).latest());
}

TEST(MachinePersistence, RestoreRefusesAForeignOrUnsignedRecord) {
    Net net(2);
    auto persisted = *net.parties[0]->store.load(net.m(0).channel_id());
    MachineSetup setup{net.params, 0, deposits_for(persisted.latest.state), net.clock.clock(), nullptr, {}};
    PersistedChannel unsigned_record = persisted;
    unsigned_record.latest.sigs[1].reset();
    EXPECT_FALSE(Machine::restore(setup, key_of(0), unsigned_record, net.parties[0]->store).ok());
    PersistedChannel foreign = persisted;
    foreign.last_signed = persisted.latest.state;
    foreign.last_signed->version = 5;
    foreign.last_signed->channel_id[0] ^= 1;
    EXPECT_EQ(Machine::restore(setup, key_of(0), foreign, net.parties[0]->store).error().code,
              Errc::channel_wrong_channel_id);
    EXPECT_EQ(Machine::restore(setup, key_of(1), persisted, net.parties[0]->store).error().code,
              Errc::channel_not_participant);
}

}  // namespace
}  // namespace sluice::channel::test
