// Issue #18 §6: removing an unrevealed lock after its expiry refunds the payer, but the adjudicator pays the
// receiver when the preimage was revealed on L1 by the expiry. A hub that paid downstream and revealed on
// L1 in time (its upstream was offline) used to countersign the upstream's later CancelLock and give up
// money L1 would have paid it. Now the machine refuses such a refund (channel_lock_revealed) when it knows
// the preimage or an L1 reveal in time, and that knowledge survives a restart.
#include "machine_test_support.hpp"

namespace sluice::channel::test {
namespace {

constexpr std::uint64_t kAmount = 500;
constexpr std::uint64_t kUpstreamExpiry = kStartTime + 7200;
constexpr std::uint64_t kDownstreamExpiry = kStartTime + 3600;  // shorter: the hub must learn first

const Bytes32& route_preimage() {
    static const Bytes32 p = preimage_of(77);
    return p;
}
Hash route_hash() {
    return hashlock_of(route_preimage());
}

// Upstream: 0 is the payer U, 1 the hub. Downstream: 0 is the hub, 1 the payee D.
struct Route {
    Net upstream{2};
    Net downstream{2};

    void advance(std::uint64_t seconds) const {
        upstream.clock.advance(seconds);
        downstream.clock.advance(seconds);
    }
    Machine& hub_up() { return upstream.m(1); }
    const Lock* upstream_lock(std::size_t who) {
        const auto& locks = upstream.m(who).latest().state.outcome[0].locks;
        return locks.empty() ? nullptr : &locks[0];
    }
};

// The payment up to the hub's reveal on L1 while U is offline: U locks to the hub, the hub locks to D, D
// settles with the preimage, the hub's node (which relays D's proposal to its downstream machine) passes the
// preimage to its upstream machine and reveals on L1 before the upstream lock expires.
void route_until_the_hub_reveals(Route& r) {
    ASSERT_EQ(run_update(r.upstream, 0, {AddLock{eth(), Lock{route_hash(), kAmount, 0, 1, kUpstreamExpiry}}}),
              std::nullopt);
    ASSERT_EQ(
        run_update(r.downstream, 0, {AddLock{eth(), Lock{route_hash(), kAmount, 0, 1, kDownstreamExpiry}}}),
        std::nullopt);
    r.advance(1000);
    ASSERT_EQ(run_update(r.downstream, 1, {SettleLock{eth(), route_hash(), secret_of(route_preimage())}}),
              std::nullopt);
    const Proposal* settle = nullptr;
    for (const auto& q : r.downstream.sent) {
        if (const auto* p = std::get_if<Proposal>(&q.message); p != nullptr && q.from == 1) settle = p;
    }
    ASSERT_NE(settle, nullptr);
    ASSERT_EQ(settle->preimages.size(), 1u);
    ASSERT_TRUE(r.hub_up().learn_preimage(settle->preimages[0]).ok());
    r.advance(3000);
    ASSERT_TRUE(r.hub_up().record_reveal(route_hash(), *r.upstream.clock.now).ok());
}

TEST(MachineLockKnowledge, HubRefusesTheUpstreamRefundOfALockItRevealedOnL1) {
    for (const bool restart : {false, true}) {
        SCOPED_TRACE(restart);
        Route r;
        route_until_the_hub_reveals(r);
        ASSERT_FALSE(::testing::Test::HasFatalFailure());
        r.advance(kUpstreamExpiry + 1 - *r.upstream.clock.now);  // U comes back after the expiry
        if (restart) {
            r.upstream.restart(1);
            ASSERT_FALSE(::testing::Test::HasFatalFailure());
            EXPECT_EQ(r.hub_up().known().revealed_at.at(route_hash()), kStartTime + 4000);
        }
        const u256 hub_before = balance(r.hub_up(), 0, 1);
        EXPECT_EQ(run_update(r.upstream, 0, {CancelLock{eth(), route_hash()}}), Errc::channel_lock_revealed);
        EXPECT_EQ(balance(r.hub_up(), 0, 1), hub_before);
        ASSERT_NE(r.upstream_lock(1), nullptr);
        EXPECT_EQ(r.upstream_lock(0)->hashlock, route_hash());

        // The hub settles instead. U's machine takes a settle after the expiry once it sees the reveal L1
        // recorded in time (before, it refuses: for all it knows the adjudicator refunds it).
        EXPECT_EQ(run_update(r.upstream, 1, {SettleLock{eth(), route_hash(), secret_of(route_preimage())}}),
                  Errc::channel_bad_lock);
        ASSERT_TRUE(r.upstream.m(0).record_reveal(route_hash(), kStartTime + 4000).ok());
        EXPECT_EQ(run_update(r.upstream, 1, {SettleLock{eth(), route_hash(), secret_of(route_preimage())}}),
                  std::nullopt);
        EXPECT_EQ(balance(r.hub_up(), 0, 1), hub_before + kAmount);
        EXPECT_EQ(r.upstream_lock(0), nullptr);
    }
}

// Without a reveal recorded, knowing the preimage is enough to refuse (L1 may lag, or a reveal may still be
// made); a reveal L1 recorded after the expiry is final and lets the refund through. A third participant
// refuses such a refund too: it protects the receiver as invariant 4 protects everyone. Both across a
// restart.
TEST(MachineLockKnowledge, AKnownPreimageRefusesARefundUntilL1ShowsALateReveal) {
    for (const std::size_t knower : {1u, 2u}) {
        for (const bool restart : {false, true}) {
            SCOPED_TRACE(std::to_string(knower) + (restart ? ", restart" : ""));
            Net net(3);
            const Bytes32 p = preimage_of(5);
            ASSERT_EQ(
                run_update(net, 0, {AddLock{eth(), Lock{hashlock_of(p), kAmount, 0, 1, kStartTime + 3600}}}),
                std::nullopt);
            ASSERT_TRUE(net.m(knower).learn_preimage(p).ok());
            if (restart) {
                net.restart(knower);  // the preimage is persisted, not only held in memory
                ASSERT_FALSE(::testing::Test::HasFatalFailure());
            }
            net.clock.advance(3601);
            EXPECT_EQ(run_update(net, 0, {CancelLock{eth(), hashlock_of(p)}}), Errc::channel_lock_revealed);
            ASSERT_TRUE(net.m(knower).record_reveal(hashlock_of(p), kStartTime + 3601).ok());
            EXPECT_EQ(run_update(net, 0, {CancelLock{eth(), hashlock_of(p)}}), std::nullopt);
            EXPECT_EQ(balance(net.m(knower), 0, 0), u256{1'000'000});
        }
    }
}

// The first reveal counts: a later record of an earlier time moves it back, never forward.
TEST(MachineLockKnowledge, TheEarliestRevealWins) {
    Net net(2);
    const Hash h = hashlock_of(preimage_of(5));
    ASSERT_EQ(run_update(net, 0, {AddLock{eth(), Lock{h, kAmount, 0, 1, kStartTime + 3600}}}), std::nullopt);
    ASSERT_TRUE(net.m(1).record_reveal(h, kStartTime + 3600).ok());
    ASSERT_TRUE(net.m(1).record_reveal(h, kStartTime + 9000).ok());
    net.clock.advance(3601);
    EXPECT_EQ(run_update(net, 0, {CancelLock{eth(), h}}), Errc::channel_lock_revealed);
    EXPECT_EQ(net.parties[1]->store.load(net.m(1).channel_id())->known.revealed_at.at(h), kStartTime + 3600);
}

// The receiver itself may still give a lock up, whatever it knows (it is the one who loses).
TEST(MachineLockKnowledge, TheReceiverMayStillGiveTheLockUp) {
    Net net(2);
    const Bytes32 p = preimage_of(5);
    ASSERT_EQ(run_update(net, 0, {AddLock{eth(), Lock{hashlock_of(p), kAmount, 0, 1, kStartTime + 3600}}}),
              std::nullopt);
    ASSERT_TRUE(net.m(1).learn_preimage(p).ok());
    ASSERT_TRUE(net.m(1).record_reveal(hashlock_of(p), kStartTime + 10).ok());
    EXPECT_EQ(run_update(net, 1, {CancelLock{eth(), hashlock_of(p)}}), std::nullopt);
    EXPECT_EQ(balance(net.m(0), 0, 0), u256{1'000'000});
}

// A store failure is reported, and the knowledge is used at once anyway (it only makes us refuse more);
// asked again, the store keeps it.
TEST(MachineLockKnowledge, AStoreFailureIsReportedAndTheKnowledgeStillCounts) {
    Net net(2);
    const Bytes32 p = preimage_of(5);
    ASSERT_EQ(run_update(net, 0, {AddLock{eth(), Lock{hashlock_of(p), kAmount, 0, 1, kStartTime + 3600}}}),
              std::nullopt);
    net.parties[1]->store.fail_next(2);
    EXPECT_EQ(net.m(1).learn_preimage(p).error().code, Errc::channel_persist_failed);
    EXPECT_EQ(net.m(1).record_reveal(hashlock_of(p), kStartTime).error().code, Errc::channel_persist_failed);
    const auto stored = net.parties[1]->store.load(net.m(1).channel_id());
    EXPECT_TRUE(stored->known.preimages.empty());
    EXPECT_TRUE(stored->known.revealed_at.empty());
    net.clock.advance(3601);
    EXPECT_EQ(run_update(net, 0, {CancelLock{eth(), hashlock_of(p)}}), Errc::channel_lock_revealed);
    ASSERT_TRUE(net.m(1).learn_preimage(p).ok());
    EXPECT_EQ(net.parties[1]->store.load(net.m(1).channel_id())->known.preimages.at(hashlock_of(p)), p);
}

}  // namespace
}  // namespace sluice::channel::test
