// Issue #18 §1: a countersigned round that timed out stays outstanding. The attacker proposes X (pays the
// victim 500), collects every countersignature and withholds the completion; after the timeout it
// proposes Z on the same base (pays the victim 1, a higher version) and completes X, then Z. The victim
// must never report X completed while a higher-version state it signed, giving it less, can still be
// completed: it refuses Z. Explored over every delivery order, for 2 and 3 parties, with and without a
// restart between the two rounds.
#include <algorithm>
#include <string>

#include "machine_test_support.hpp"

namespace sluice::channel::test {
namespace {

constexpr std::uint64_t kEach = 1'000'000;

struct Attack {
    std::size_t n = 2;
    std::size_t attacker = 0;
    std::uint16_t victim = 1;
    bool restart = false;
};

std::string describe(const Attack& a) {
    return std::to_string(a.n) + " parties, attacker " + std::to_string(a.attacker) + ", victim " +
           std::to_string(a.victim) + (a.restart ? ", restart" : "");
}

// What `s` gives participant `who` in asset `asset`: its balance plus the locks paying it.
u256 value(const State& s, std::size_t asset, std::size_t who) {
    u256 v = s.outcome[asset].balances[who];
    for (const Lock& lock : s.outcome[asset].locks) {
        if (lock.to == who) v = v + lock.amount;
    }
    return v;
}

// One run of the attack: the setup (X countersigned by everyone, completion withheld, timeout, optional
// restarts, Z proposed), then `schedule`, each entry picking a queued message or an injection of X's
// completion (by hand, from the signatures the attacker holds) to one honest party.
class AttackRun {
  public:
    AttackRun(const Attack& a, const std::vector<std::size_t>& schedule) : a_(a), net_(a.n) {
        setup();
        for (std::size_t choice : schedule)
            step(choice);
    }

    std::size_t options() const { return net_.queue.size() + pending_injections().size(); }

    void step(std::size_t choice) {
        if (choice < net_.queue.size()) {
            net_.deliver_at(choice);
            return;
        }
        const std::size_t to = pending_injections()[choice - net_.queue.size()];
        injected_.push_back(to);
        const auto out = net_.m(to).receive(completion_of_x_);
        if (out.ok()) net_.post(to, *out);
    }

    // The property of machine.hpp, for the victim: for every UpdateCompleted S it reported, no state
    // above S that the attacker can complete (it holds every other party's signature) gives the victim
    // less than S in any asset. And the victim never countersigned Z at all.
    void check() const {
        SCOPED_TRACE(describe(a_));
        for (const auto& q : net_.sent) {
            if (q.from != a_.victim) continue;
            if (const auto* cs = std::get_if<Countersignature>(&q.message)) {
                EXPECT_NE(cs->version, z_.version) << "the victim countersigned Z";
            }
        }
        for (const auto& e : net_.parties[a_.victim]->events) {
            const auto* done = std::get_if<UpdateCompleted>(&e);
            if (done == nullptr) continue;
            const State& s = done->state.state;
            for (const State* t : {&x_, &z_}) {
                if (t->version <= s.version || !completable(*t)) continue;
                for (std::size_t asset = 0; asset < s.outcome.size(); ++asset) {
                    EXPECT_GE(value(*t, asset, a_.victim), value(s, asset, a_.victim))
                        << "completed version " << s.version << ", attacker can complete version "
                        << t->version;
                }
            }
        }
    }

    Net& net() { return net_; }
    const State& x() const { return x_; }
    const State& z() const { return z_; }

  private:
    void setup() {
        net_.post(a_.attacker, net_.m(a_.attacker).propose({Pay{eth(), a_.victim, 500}}));
        x_ = std::get<Proposal>(net_.queue.front().message).state;
        for (std::size_t i = 0; i < a_.n; ++i) {
            if (i != a_.attacker) {
                ASSERT_TRUE(net_.deliver(a_.attacker, i));
            }
        }
        // The attacker keeps the countersignatures instead of letting its machine complete.
        std::vector<Signature> sigs(a_.n);
        for (const auto& q : net_.queue) {
            ASSERT_EQ(q.to, a_.attacker);
            const auto& cs = std::get<Countersignature>(q.message);
            ASSERT_EQ(cs.version, x_.version);
            sigs[cs.signer] = cs.signature;
        }
        sigs[a_.attacker] = sign_state(key_of(a_.attacker), net_.params, x_);
        completion_of_x_ = Completion{x_.channel_id, x_, sigs};
        net_.queue.clear();
        net_.clock.advance(1000);
        for (std::size_t i = 0; i < a_.n; ++i)
            net_.post(i, net_.m(i).tick());
        net_.queue.clear();  // the attacker's withdrawal is withheld too
        for (std::size_t i = 0; i < a_.n; ++i) {
            if (i != a_.attacker) {
                EXPECT_FALSE(net_.m(i).round_pending());
            }
        }
        if (a_.restart) {
            for (std::size_t i = 0; i < a_.n; ++i) {
                if (i == a_.attacker) continue;
                net_.restart(i);
                ASSERT_FALSE(::testing::Test::HasFatalFailure());
                ASSERT_EQ(net_.m(i).outstanding().size(), 1u);
                EXPECT_EQ(net_.m(i).outstanding()[0], x_);
            }
        }
        net_.post(a_.attacker, net_.m(a_.attacker).propose({Pay{eth(), a_.victim, 1}}));
        z_ = std::get<Proposal>(net_.queue.front().message).state;
        ASSERT_GT(z_.version, x_.version);
    }

    std::vector<std::size_t> pending_injections() const {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < a_.n; ++i) {
            if (i != a_.attacker && std::find(injected_.begin(), injected_.end(), i) == injected_.end())
                out.push_back(i);
        }
        return out;
    }

    // Whether every party other than the attacker released a signature over `t`.
    bool completable(const State& t) const {
        if (t == x_) return true;
        for (std::size_t i = 0; i < a_.n; ++i) {
            if (i == a_.attacker) continue;
            bool signed_t = false;
            for (const auto& q : net_.sent) {
                const auto* cs = std::get_if<Countersignature>(&q.message);
                signed_t = signed_t || (q.from == i && cs != nullptr && cs->version == t.version &&
                                        check_state_signature(net_.params, t, i, cs->signature).ok());
            }
            if (!signed_t) return false;
        }
        return true;
    }

    Attack a_;
    Net net_;
    State x_;
    State z_;
    Completion completion_of_x_;
    std::vector<std::size_t> injected_;
};

// Runs every schedule to its end; returns how many there were.
std::size_t explore(const Attack& a, std::vector<std::size_t>& prefix) {
    AttackRun run(a, prefix);
    if (::testing::Test::HasFailure()) return 1;
    const std::size_t options = run.options();
    if (options == 0) {
        run.check();
        return 1;
    }
    std::size_t count = 0;
    for (std::size_t k = 0; k < options && !::testing::Test::HasFailure(); ++k) {
        prefix.push_back(k);
        count += explore(a, prefix);
        prefix.pop_back();
    }
    return count;
}

void explore_all(std::size_t n, bool restart) {
    for (std::size_t attacker = 0; attacker < n; ++attacker) {
        for (std::size_t victim = 0; victim < n; ++victim) {
            if (victim == attacker) continue;
            const Attack a{n, attacker, static_cast<std::uint16_t>(victim), restart};
            std::vector<std::size_t> prefix;
            const std::size_t schedules = explore(a, prefix);
            EXPECT_GT(schedules, 1u) << describe(a);
            if (::testing::Test::HasFailure()) return;
        }
    }
}

TEST(MachineSuperseded, TwoPartiesEveryDeliveryOrder) {
    explore_all(2, false);
}
TEST(MachineSuperseded, TwoPartiesEveryDeliveryOrderWithARestart) {
    explore_all(2, true);
}
TEST(MachineSuperseded, ThreePartiesEveryDeliveryOrder) {
    explore_all(3, false);
}
TEST(MachineSuperseded, ThreePartiesEveryDeliveryOrderWithARestart) {
    explore_all(3, true);
}

// The attack in the order of the issue, spelled out: Z reaches the victim first and is refused with
// channel_below_outstanding; X is then completed (the victim may act on it: nothing it signed undoes it).
TEST(MachineSuperseded, VictimRefusesZAndKeepsX) {
    for (const bool restart : {false, true}) {
        SCOPED_TRACE(restart);
        AttackRun run(Attack{2, 0, 1, restart}, {});
        Net& net = run.net();
        ASSERT_TRUE(net.deliver(0, 1));
        ASSERT_EQ(net.queue.size(), 1u);
        const auto& rejection = std::get<Rejection>(net.queue.front().message);
        EXPECT_EQ(rejection.code, Errc::channel_below_outstanding);
        EXPECT_EQ(rejection.version, run.z().version);
        EXPECT_EQ(net.m(1).highest_signed_version(), run.x().version);
        net.deliver_all();
        ASSERT_EQ(net.failures(0).size(), 2u);  // X timed out, Z was refused
        EXPECT_EQ(net.failures(0)[1].error.code, Errc::channel_below_outstanding);
        run.step(0);  // X's completion, by hand
        EXPECT_EQ(net.m(1).latest().state, run.x());
        EXPECT_EQ(balance(net.m(1), 0, 1), u256{kEach + 500});
        EXPECT_TRUE(net.m(1).outstanding().empty());
        run.check();
    }
}

// After the timeout, a proposal that gives the victim at least what X does is countersigned and
// completes; X's completion afterwards is refused and not reported.
TEST(MachineSuperseded, ANewProposalGivingAtLeastXCompletesAndXIsThenRefused) {
    for (const bool restart : {false, true}) {
        SCOPED_TRACE(restart);
        AttackRun run(Attack{2, 0, 1, restart}, {});
        Net& net = run.net();
        net.queue.clear();  // Z is lost; the attacker's machine times out on it
        net.clock.advance(1000);
        net.post(0, net.m(0).tick());
        net.queue.clear();
        for (const std::uint64_t amount : {600u, 1u}) {
            // 600 > 500 is taken; then, with X superseded, paying 1 is fine again.
            const auto before = net.completed(1);
            net.post(0, net.m(0).propose({Pay{eth(), 1, amount}}));
            net.deliver_all();
            EXPECT_EQ(net.completed(1), before + 1) << amount;
            EXPECT_TRUE(net.m(1).outstanding().empty());
        }
        EXPECT_EQ(balance(net.m(1), 0, 1), u256{kEach + 601});
        const std::size_t completed = net.completed(1);
        const auto latest = net.m(1).latest();
        run.step(0);  // X's completion, by hand, now below the latest
        EXPECT_EQ(net.completed(1), completed);
        EXPECT_EQ(net.m(1).latest(), latest);
        run.check();
    }
}

// A proposal giving exactly what X gives is fine too; one giving one wei less is refused.
TEST(MachineSuperseded, TheBoundIsWhatXGives) {
    AttackRun run(Attack{2, 0, 1, false}, {});
    Net& net = run.net();
    net.queue.clear();
    net.clock.advance(1000);
    net.post(0, net.m(0).tick());
    net.queue.clear();
    net.post(0, net.m(0).propose({Pay{eth(), 1, 499}}));
    net.deliver_all();
    EXPECT_EQ(net.completed(1), 0u);
    ASSERT_FALSE(net.failures(0).empty());
    EXPECT_EQ(net.failures(0).back().error.code, Errc::channel_below_outstanding);
    net.post(0, net.m(0).propose({Pay{eth(), 1, 500}}));
    net.deliver_all();
    EXPECT_EQ(net.completed(1), 1u);
    EXPECT_EQ(balance(net.m(1), 0, 1), u256{kEach + 500});
}

// The victim's own proposal is exempt (it chooses it) and, once fully signed, supersedes X.
TEST(MachineSuperseded, OwnProposalIsExemptAndSupersedesX) {
    AttackRun run(Attack{2, 0, 1, true}, {});
    Net& net = run.net();
    net.queue.clear();
    net.clock.advance(1000);
    net.post(0, net.m(0).tick());
    net.queue.clear();
    net.post(1, net.m(1).propose({Pay{eth(), 0, 10}}));
    net.deliver_all();
    EXPECT_EQ(net.completed(1), 1u);
    EXPECT_GT(net.m(1).latest().state.version, run.x().version);
    EXPECT_TRUE(net.m(1).outstanding().empty());
    EXPECT_TRUE(net.parties[1]->store.load(net.m(1).channel_id())->outstanding.empty());
    EXPECT_EQ(balance(net.m(1), 0, 1), u256{kEach - 10});
    run.step(0);  // X's completion is refused now
    EXPECT_EQ(net.completed(1), 1u);
    EXPECT_EQ(balance(net.m(1), 0, 1), u256{kEach - 10});
}

// The variant channel_machine_fuzz found: the attacker locks 300 to the victim (completed), then settles the
// lock by preimage in X (the victim gets the 300 as balance) and stalls X; once the lock has expired it
// proposes Z on the old base, still carrying the lock, paying the victim 1 more. Counted at face value the
// expired lock made Z look at least as good as X, so the victim countersigned it; completing X and then Z,
// the attacker would get the lock refunded on-chain. Z is refused now; a lock that expires well after now
// still counts, so an honest proposal carrying one goes through.
TEST(MachineSuperseded, AnExpiredLockDoesNotStandInForTheMoneyXGave) {
    Net net(2);
    const Bytes32 secret = preimage_of(18);
    const std::uint64_t expiry = kStartTime + 700;
    net.post(0, net.m(0).propose({AddLock{eth(), Lock{hashlock_of(secret), 300, 0, 1, expiry}}}));
    net.deliver_all();
    ASSERT_EQ(net.completed(1), 1u);
    // X: the attacker settles the lock to the victim; the victim's countersignature is withheld.
    net.post(0, net.m(0).propose({SettleLock{eth(), hashlock_of(secret), secret_of(secret)}}));
    ASSERT_TRUE(net.deliver(0, 1));
    ASSERT_EQ(net.queue.size(), 1u);
    ASSERT_TRUE(std::holds_alternative<Countersignature>(net.queue.front().message));
    net.queue.clear();
    net.clock.advance(1000);  // the round times out and the lock expires
    net.post(0, net.m(0).tick());
    net.post(1, net.m(1).tick());
    net.queue.clear();
    ASSERT_EQ(net.m(1).outstanding().size(), 1u);
    // Z keeps the (now expired) lock and pays 1.
    net.post(0, net.m(0).propose({Pay{eth(), 1, 1}}));
    ASSERT_TRUE(net.deliver(0, 1));
    ASSERT_TRUE(std::holds_alternative<Rejection>(net.queue.front().message)) << "the victim countersigned Z";
    const auto& refused = std::get<Rejection>(net.queue.front().message);
    EXPECT_EQ(refused.code, Errc::channel_below_outstanding);
    EXPECT_EQ(net.m(1).highest_signed_version(), net.m(1).outstanding().front().version);
    net.deliver_all();
    // A fresh lock of 300 to the victim, expiring well after the margin, does count against X.
    net.post(0, net.m(0).propose(
                    {AddLock{eth(), Lock{hashlock_of(preimage_of(19)), 300, 0, 1, *net.clock.now + 3600}}}));
    net.deliver_all();
    EXPECT_EQ(net.completed(1), 2u);
}

}  // namespace
}  // namespace sluice::channel::test
