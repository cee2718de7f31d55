// Each invariant of DESIGN.md §3 attacked by a crafted message: the machine must refuse, and must not
// release a state signature while refusing.
#include "machine_test_support.hpp"

namespace sluice::channel::test {
namespace {

Proposal forge(const Params& params, std::size_t proposer, std::uint64_t base, const State& s,
               std::vector<Bytes32> preimages = {}, std::optional<std::size_t> signer = std::nullopt) {
    const PrivateKey key = key_of(signer.value_or(proposer));
    return Proposal{channel_id(params),
                    static_cast<std::uint16_t>(proposer),
                    base,
                    s,
                    preimages,
                    sign(key, proposal_digest(params, s, base, preimages))};
}

// The next state of `m` with one balance moved, at `version`.
State moved(const Machine& m, std::uint64_t version, std::size_t from, std::size_t to, const u256& amount) {
    State s = m.latest().state;
    s.version = version;
    s.outcome[0].balances[from] -= amount;
    s.outcome[0].balances[to] += amount;
    return s;
}

// The one rejection in `out`, which must not carry a signature alongside.
Rejection refusal(const Result<Output>& out) {
    EXPECT_TRUE(out.ok()) << out.error().describe();
    EXPECT_FALSE(has_countersignature(*out));
    for (const auto& o : out->messages) {
        if (const auto* r = std::get_if<Rejection>(&o.message)) return *r;
    }
    ADD_FAILURE() << "no rejection";
    return {};
}

Signature high_s(const Signature& sig) {
    Signature out = sig;
    const u256 s = u256::from_be(sig.s.view());
    (u256::from_be(kSecp256k1Order.view()) - s).store_be(out.s.data());
    out.v = static_cast<std::uint8_t>(sig.v ^ 1);
    return out;
}

TEST(MachineInvariants, NeverSignsTwoStatesAtOneVersion) {
    Net net(2);
    Machine& bob = net.m(1);
    const auto first = bob.receive(forge(net.params, 0, 0, moved(bob, 2, 0, 1, 10)));
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(has_countersignature(*first));
    // The proposer equivocates: another state at the same version.
    const Rejection r = refusal(bob.receive(forge(net.params, 0, 0, moved(bob, 2, 0, 1, 11))));
    EXPECT_EQ(r.code, Errc::channel_bad_version);
    EXPECT_EQ(r.min_version, 3u);
    // ... and at a lower one.
    EXPECT_EQ(refusal(bob.receive(forge(net.params, 0, 0, moved(bob, 1, 0, 1, 12)))).code,
              Errc::channel_bad_version);
    // The identical state asked again gets the identical signature (idempotent, no second state).
    const auto again = bob.receive(forge(net.params, 0, 0, moved(bob, 2, 0, 1, 10)));
    ASSERT_TRUE(again.ok());
    ASSERT_TRUE(has_countersignature(*again));
    EXPECT_EQ(std::get<Countersignature>(again->messages[0].message),
              std::get<Countersignature>(first->messages[0].message));
    EXPECT_EQ(bob.highest_signed_version(), 2u);
}

TEST(MachineInvariants, RefusesValueCreation) {
    Net net(2);
    State s = moved(net.m(1), 2, 0, 1, 0);
    s.outcome[0].balances[1] += 1;  // one wei from nowhere
    EXPECT_EQ(refusal(net.m(1).receive(forge(net.params, 0, 0, s))).code, Errc::channel_value_not_conserved);
    EXPECT_EQ(net.m(0).propose_state(s).error().code, Errc::channel_value_not_conserved);
    EXPECT_EQ(net.m(1).highest_signed_version(), 0u);
}

TEST(MachineInvariants, RefusesMoreThanTheDeposits) {
    Net net(2);
    net.m(1).record_deposit(eth(), 1'999'999);  // the chain holds less than the state shares out
    EXPECT_EQ(refusal(net.m(1).receive(forge(net.params, 0, 0, moved(net.m(1), 2, 0, 1, 1)))).code,
              Errc::channel_exceeds_deposits);
    net.m(1).record_deposit(eth(), 2'000'000);
    EXPECT_TRUE(
        has_countersignature(*net.m(1).receive(forge(net.params, 0, 0, moved(net.m(1), 2, 0, 1, 1)))));
}

TEST(MachineInvariants, RefusesOverspendingSomeoneElsesBalance) {
    Net net(3);
    // Participant 0 proposes to move 2's money to itself.
    EXPECT_EQ(refusal(net.m(1).receive(forge(net.params, 0, 0, moved(net.m(1), 3, 2, 0, 5)))).code,
              Errc::channel_overspend);
    // ... or a lock funded by participant 2.
    State s = net.m(1).latest().state;
    s.version = 3;
    s.outcome[0].balances[2] -= 5;
    s.outcome[0].locks.push_back(Lock{hashlock_of(preimage_of(1)), 5, 2, 0, kStartTime + 7200});
    EXPECT_EQ(refusal(net.m(1).receive(forge(net.params, 0, 0, s))).code, Errc::channel_overspend);
    EXPECT_EQ(net.m(1).highest_signed_version(), 0u);
}

TEST(MachineInvariants, RefusesReplayedAndLowerVersions) {
    Net net(2);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 10}}));
    net.deliver_all();
    ASSERT_EQ(net.m(1).latest().state.version, 2u);
    // A proposal built on the old base is refused.
    EXPECT_EQ(refusal(net.m(1).receive(forge(net.params, 0, 0, moved(net.m(1), 4, 0, 1, 3)))).code,
              Errc::channel_bad_version);
    // On the right base but not above the latest version.
    EXPECT_EQ(refusal(net.m(1).receive(forge(net.params, 0, 2, moved(net.m(1), 2, 0, 1, 3)))).code,
              Errc::channel_bad_version);
    EXPECT_EQ(refusal(net.m(1).receive(forge(net.params, 0, 2, moved(net.m(1), 1, 0, 1, 3)))).code,
              Errc::channel_bad_version);
    // A version far beyond reach would burn the version space.
    EXPECT_EQ(
        refusal(net.m(1).receive(forge(net.params, 0, 2, moved(net.m(1), 2 + (1u << 21), 0, 1, 3)))).code,
        Errc::channel_bad_version);
    // An old completion is not taken either.
    const SignedState stale = sign_by_all(net.params, moved(net.m(1), 1, 1, 0, 1));
    const Completion c{net.m(1).channel_id(), stale.state, {*stale.sigs[0], *stale.sigs[1]}};
    EXPECT_EQ(net.m(1).receive(c).error().code, Errc::channel_bad_version);
}

TEST(MachineInvariants, RefusesSignaturesOfNonParticipants) {
    Net net(2);
    Machine& bob = net.m(1);
    // A proposal "from 0" signed by someone else (key 5) is dropped, never answered with a signature.
    const auto forged = bob.receive(forge(net.params, 0, 0, moved(bob, 2, 0, 1, 1), {}, 5));
    ASSERT_FALSE(forged.ok());
    EXPECT_EQ(forged.error().code, Errc::channel_bad_signature);
    EXPECT_EQ(bob.highest_signed_version(), 0u);

    // A countersignature made by an outsider's key for participant 1's slot.
    auto proposed = net.m(0).propose({Pay{eth(), 1, 1}});
    ASSERT_TRUE(proposed.ok());
    const State& s = std::get<Proposal>(proposed->messages[0].message).state;
    const Countersignature outsider{net.m(0).channel_id(), s.version, 1,
                                    sign_state(key_of(9), net.params, s)};
    EXPECT_EQ(net.m(0).receive(outsider).error().code, Errc::channel_bad_signature);
    EXPECT_TRUE(net.m(0).round_pending());

    // A completion with an outsider's signature in one slot.
    const SignedState full = sign_by_all(net.params, moved(bob, 2, 0, 1, 1));
    Completion c{
        bob.channel_id(), full.state, {*full.sigs[0], sign_state(key_of(9), net.params, full.state)}};
    EXPECT_EQ(bob.receive(c).error().code, Errc::channel_bad_signature);
    EXPECT_EQ(bob.latest().state.version, 0u);
    // A proposer index outside the channel.
    Proposal p = forge(net.params, 0, 0, moved(bob, 2, 0, 1, 1));
    p.proposer = 2;
    EXPECT_EQ(bob.receive(p).error().code, Errc::channel_not_participant);
}

TEST(MachineInvariants, RefusesTheWrongChannelId) {
    Net net(2);
    Proposal p = forge(net.params, 0, 0, moved(net.m(1), 2, 0, 1, 1));
    Proposal other = p;
    other.channel_id[0] ^= 1;
    EXPECT_EQ(net.m(1).receive(other).error().code, Errc::channel_wrong_channel_id);
    // The message names our channel but the state inside names another.
    State s = moved(net.m(1), 2, 0, 1, 1);
    s.channel_id[5] ^= 1;
    EXPECT_EQ(refusal(net.m(1).receive(forge(net.params, 0, 0, s))).code, Errc::channel_wrong_channel_id);
    EXPECT_EQ(net.m(1).highest_signed_version(), 0u);
}

TEST(MachineInvariants, RefusesHighSSignatures) {
    Net net(2);
    auto proposed = net.m(0).propose({Pay{eth(), 1, 1}});
    ASSERT_TRUE(proposed.ok());
    const State s = std::get<Proposal>(proposed->messages[0].message).state;
    const Signature good = sign_state(key_of(1), net.params, s);
    const Countersignature malleated{net.m(0).channel_id(), s.version, 1, high_s(good)};
    EXPECT_FALSE(net.m(0).receive(malleated).ok());
    EXPECT_TRUE(net.m(0).round_pending());
    // A high-s proposal signature is dropped as well.
    Proposal p = forge(net.params, 0, 0, moved(net.m(1), 2, 0, 1, 1));
    p.signature = high_s(p.signature);
    EXPECT_FALSE(net.m(1).receive(p).ok());
    // A high-s slot in a completion.
    const SignedState full = sign_by_all(net.params, s);
    const Completion c{net.m(1).channel_id(), s, {*full.sigs[0], high_s(*full.sigs[1])}};
    EXPECT_FALSE(net.m(1).receive(c).ok());
    EXPECT_EQ(net.m(1).latest().state.version, 0u);
    // The good one completes the round.
    net.post(0, net.m(0).receive(Countersignature{net.m(0).channel_id(), s.version, 1, good}));
    EXPECT_EQ(net.m(0).latest().state.version, s.version);
}

TEST(MachineInvariants, RefusesLocksWithPastOrNearExpiry) {
    MachineOptions options;
    options.lock_margin = 600;
    Net net(2, 1'000'000, options);
    const auto add = [&](std::uint64_t expiry) {
        State s = net.m(1).latest().state;
        s.version = 2;
        s.outcome[0].balances[0] -= 7;
        s.outcome[0].locks.push_back(Lock{hashlock_of(preimage_of(expiry)), 7, 0, 1, expiry});
        return net.m(1).receive(forge(net.params, 0, 0, s));
    };
    EXPECT_EQ(refusal(add(kStartTime - 1)).code, Errc::channel_bad_lock);
    EXPECT_EQ(refusal(add(kStartTime)).code, Errc::channel_bad_lock);
    EXPECT_EQ(refusal(add(kStartTime + 600)).code, Errc::channel_bad_lock);  // inside the margin
    EXPECT_EQ(net.m(0)
                  .propose({AddLock{eth(), Lock{hashlock_of(preimage_of(1)), 7, 0, 1, kStartTime + 10}}})
                  .error()
                  .code,
              Errc::channel_bad_lock);
    EXPECT_TRUE(has_countersignature(*add(kStartTime + 601)));
}

}  // namespace
}  // namespace sluice::channel::test
