// Issue #18 §7: rejections were unsigned, so a relay could forge one with min_version = latest + 2^20 + 1
// and leave the proposer no version to propose ("no version left"), or forge the proposer's withdrawal and
// free a countersigner without a timeout (§1's opening). Rejections are now signed over rejection_digest(),
// which binds the refused state, and a forged or replayed one is dropped with channel_bad_signature while
// the round goes on. Each forgery is shown to be dropped where the genuine message does take effect.
#include "machine_test_support.hpp"

namespace sluice::channel::test {
namespace {

constexpr std::uint64_t kStep = MachineOptions{}.max_version_step;

Rejection rejection_of(const Params& params, const State& refused, std::size_t sender, std::size_t signer,
                       Errc code, std::uint64_t min_version) {
    Rejection r{
        channel_id(params), refused.version, static_cast<std::uint16_t>(sender), code, "no", min_version, {}};
    r.signature = sign(key_of(signer), rejection_digest(params, refused, r));
    return r;
}

const Proposal& queued_proposal(const Net& net) {
    return std::get<Proposal>(net.queue.front().message);
}

TEST(MachineRejectionAuth, AForgedHintCannotLeaveTheProposerWithoutVersions) {
    Net net(2);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 5}}));
    const State x = queued_proposal(net).state;
    const std::uint64_t blocking = net.m(0).latest().state.version + kStep + 1;
    // Signed by a relay's key (here participant 0's own, which is not the sender's), or not at all.
    for (const Rejection& forged :
         {rejection_of(net.params, x, 1, 0, Errc::channel_bad_version, blocking),
          Rejection{channel_id(net.params), x.version, 1, Errc::channel_bad_version, "", blocking, {}}}) {
        const auto out = net.m(0).receive(forged);
        ASSERT_FALSE(out.ok());
        EXPECT_EQ(out.error().code, Errc::channel_bad_signature);
        EXPECT_TRUE(net.m(0).round_pending());
    }
    net.deliver_all();
    EXPECT_EQ(net.completed(0), 1u);
    // And the next proposal still finds a version.
    net.post(0, net.m(0).propose({Pay{eth(), 1, 5}}));
    net.deliver_all();
    EXPECT_EQ(net.completed(1), 2u);
    EXPECT_TRUE(net.failures(0).empty());
}

// The same hint from the participant itself does take effect (so the check above is what stopped it): a
// participant can refuse to sign anyway, a relay no longer can speak for it.
TEST(MachineRejectionAuth, TheGenuineHintIsTaken) {
    Net net(2);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 5}}));
    const State x = queued_proposal(net).state;
    const std::uint64_t blocking = net.m(0).latest().state.version + kStep + 1;
    net.post(0, net.m(0).receive(rejection_of(net.params, x, 1, 1, Errc::channel_bad_version, blocking)));
    ASSERT_EQ(net.failures(0).size(), 1u);
    EXPECT_EQ(net.failures(0)[0].error.code, Errc::channel_bad_version);
    EXPECT_EQ(net.m(0).propose({Pay{eth(), 1, 5}}).error().code, Errc::channel_bad_version);
}

TEST(MachineRejectionAuth, AForgedWithdrawalDoesNotFreeTheCountersigner) {
    Net net(2);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 5}}));
    const State x = queued_proposal(net).state;
    ASSERT_TRUE(net.deliver(0, 1));
    net.queue.clear();  // the countersignature is held back
    const auto forged = net.m(1).receive(rejection_of(net.params, x, 0, 1, Errc::channel_timeout, 0));
    ASSERT_FALSE(forged.ok());
    EXPECT_EQ(forged.error().code, Errc::channel_bad_signature);
    EXPECT_TRUE(net.m(1).round_pending());
    EXPECT_EQ(net.m(1).propose({Pay{eth(), 0, 1}}).error().code, Errc::channel_update_pending);
    // The proposer's own withdrawal (its round timed out) does free it.
    net.clock.advance(MachineOptions{}.round_timeout);
    net.post(0, net.m(0).tick());
    ASSERT_EQ(net.queue.size(), 1u);
    ASSERT_TRUE(std::holds_alternative<Rejection>(net.queue.front().message));
    ASSERT_TRUE(net.deliver(0, 1));
    EXPECT_FALSE(net.m(1).round_pending());
}

// A genuine rejection of one state is no rejection of another at the same version. After a restart the
// proposer (which keeps no record of its own unsigned proposals) proposes a different state at the version
// its lost proposal had; a relay replays the rejection of the old one.
TEST(MachineRejectionAuth, AReplayedRejectionOfAnotherStateIsDropped) {
    Net net(2);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 5}}));
    net.parties[1]->store.fail_next(1);
    ASSERT_TRUE(net.deliver(0, 1));
    ASSERT_EQ(net.queue.size(), 1u);
    const Rejection old = std::get<Rejection>(net.queue.front().message);
    EXPECT_EQ(old.code, Errc::channel_persist_failed);
    net.queue.clear();
    net.restart(0);
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    net.post(0, net.m(0).propose({Pay{eth(), 1, 6}}));
    ASSERT_EQ(queued_proposal(net).state.version, old.version);
    const auto replayed = net.m(0).receive(old);
    ASSERT_FALSE(replayed.ok());
    EXPECT_EQ(replayed.error().code, Errc::channel_bad_signature);
    EXPECT_TRUE(net.m(0).round_pending());
    net.deliver_all();
    EXPECT_EQ(net.completed(1), 1u);
    EXPECT_EQ(balance(net.m(1), 0, 1), u256{1'000'006});
}

// In a three-party channel a rejection must be signed by the participant it names as sender.
TEST(MachineRejectionAuth, TheSenderMustHaveSignedIt) {
    Net net(3);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 5}}));
    const State x = queued_proposal(net).state;
    const auto out = net.m(0).receive(rejection_of(net.params, x, 1, 2, Errc::channel_conflict, 0));
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, Errc::channel_bad_signature);
    EXPECT_TRUE(net.m(0).round_pending());
}

// Every refusal and withdrawal the machine sends verifies against the state it refuses, and every field is
// covered: a relay can change none of them.
TEST(MachineRejectionAuth, MachineRejectionsAreSignedOverEveryField) {
    Net net(3);
    net.post(1, net.m(1).propose({Pay{eth(), 0, 5}}));
    net.post(2, net.m(2).propose({Pay{eth(), 0, 9}}));
    net.deliver_all();
    std::size_t checked = 0;
    for (const auto& q : net.sent) {
        const auto* r = std::get_if<Rejection>(&q.message);
        if (r == nullptr) continue;
        State refused;
        for (const auto& p : net.sent) {
            const auto* proposal = std::get_if<Proposal>(&p.message);
            if (proposal != nullptr && proposal->state.version == r->version) refused = proposal->state;
        }
        const Address& signer = net.params.participants[r->sender];
        EXPECT_TRUE(check_signature(signer, rejection_digest(net.params, refused, *r), r->signature).ok());
        Rejection changed = *r;
        changed.code = Errc::channel_timeout;
        EXPECT_NE(rejection_digest(net.params, refused, changed), rejection_digest(net.params, refused, *r));
        changed = *r;
        changed.reason += ".";
        EXPECT_NE(rejection_digest(net.params, refused, changed), rejection_digest(net.params, refused, *r));
        changed = *r;
        changed.min_version += 1;
        EXPECT_NE(rejection_digest(net.params, refused, changed), rejection_digest(net.params, refused, *r));
        changed = *r;
        changed.sender = static_cast<std::uint16_t>((r->sender + 1) % 3);
        EXPECT_NE(rejection_digest(net.params, refused, changed), rejection_digest(net.params, refused, *r));
        State other = refused;
        other.outcome[0].balances[0] += 1;
        EXPECT_NE(rejection_digest(net.params, other, *r), rejection_digest(net.params, refused, *r));
        ++checked;
    }
    EXPECT_GE(checked, 3u);  // 2 withdrew its proposal (to 0 and 1), 0 and 1 refused it
    // No rejection digest is a proposal digest or a state digest of the same state.
    const State& s = net.m(0).latest().state;
    const Rejection r{channel_id(net.params), s.version, 0, Errc::channel_conflict, "", 0, {}};
    EXPECT_NE(rejection_digest(net.params, s, r), proposal_digest(net.params, s, 0, {}));
    EXPECT_NE(rejection_digest(net.params, s, r), state_digest(net.params, s));
}

}  // namespace
}  // namespace sluice::channel::test
