// The off-chain scenario: 3 parties, 1,000 completed updates with payments and locks (random but seeded),
// crossing proposals, messages delivered in random order by the in-memory router, and an independent
// model of the balances checked at the end, which is a fully signed final state; that state then closes the
// channel cooperatively on the devchain (the committed Adjudicator and TestToken bytecode): every party
// deposits, conclude + withdraw pay out, and the on-chain balances must equal the model's.
// SLUICE_SCENARIO_SEED=<n> replays a run; the seed is printed with every failure.
#include <cstdlib>
#include <map>

#include "adjudicator_harness.hpp"
#include "machine_test_support.hpp"
#include "sluice/channel/adjudicator_abi.hpp"

namespace sluice::channel::test {
namespace {

constexpr std::size_t kParties = 3;
constexpr std::size_t kUpdates = 1000;
const Address kAssets[2] = {eth(), token()};

struct ModelLock {
    std::size_t asset;
    std::uint64_t seed;  // the preimage is preimage_of(seed)
    u256 amount;
    std::size_t from;
    std::size_t to;
    std::uint64_t expiry;
};

// The independent model: plain arithmetic on balances, no channel code.
struct Model {
    std::vector<u256> bal[2];
    std::map<std::uint64_t, ModelLock> locks;  // by seed

    u256 total(std::size_t asset) const {
        u256 t;
        for (const auto& b : bal[asset])
            t += b;
        for (const auto& [seed, l] : locks) {
            if (l.asset == asset) t += l.amount;
        }
        return t;
    }
};

class Scenario {
  public:
    explicit Scenario(std::uint64_t seed) : rng_(seed), net_(kParties, 1'000'000'000) {
        for (auto& b : model_.bal)
            b.assign(kParties, 1'000'000'000);
    }

    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

    // A batch for `p` that is valid against `m`, applied to `m` as it is built.
    std::vector<Operation> make_ops(std::size_t p, Model& m) {
        std::vector<Operation> ops = random_ops(p, m);
        // A party that countersigned a round which failed but may still complete refuses anything giving
        // it less than that round's state (#18 §1): the proposer makes up the difference, as a node would.
        for (std::size_t q = 0; q < kParties; ++q) {
            if (q == p) continue;
            for (std::size_t asset = 0; asset < 2; ++asset) {
                u256 have = m.bal[asset][q];
                for (const auto& [seed, l] : m.locks) {
                    if (l.asset == asset && l.to == q) have += l.amount;
                }
                u256 want = have;
                for (const State& o : net_.m(q).outstanding()) {
                    u256 v = o.outcome[asset].balances[q];
                    for (const Lock& l : o.outcome[asset].locks) {
                        if (l.to == q) v += l.amount;
                    }
                    if (v > want) want = v;
                }
                const u256 amount = want - have;
                if (amount == u256{} || m.bal[asset][p] < amount) continue;
                m.bal[asset][p] -= amount;
                m.bal[asset][q] += amount;
                ops.push_back(Pay{kAssets[asset], static_cast<std::uint16_t>(q), amount});
            }
        }
        return ops;
    }

    std::vector<Operation> random_ops(std::size_t p, Model& m) {
        std::vector<Operation> ops;
        const std::uint64_t now = *net_.clock.now;
        const std::size_t count = 1 + pick(5);
        for (std::size_t k = 0; k < count; ++k) {
            const std::size_t kind = pick(10);
            const std::size_t asset = pick(2);
            std::size_t to = pick(kParties - 1);
            if (to >= p) ++to;
            if (kind < 5) {
                const u256 amount = u256{1 + pick(1000)};
                if (m.bal[asset][p] < amount) continue;
                m.bal[asset][p] -= amount;
                m.bal[asset][to] += amount;
                ops.push_back(Pay{kAssets[asset], static_cast<std::uint16_t>(to), amount});
            } else if (kind < 7) {
                const u256 amount = u256{1 + pick(500)};
                if (m.bal[asset][p] < amount) continue;
                const std::uint64_t seed = next_seed_++;
                const std::uint64_t expiry = now + 700 + pick(3000);
                m.bal[asset][p] -= amount;
                m.locks[seed] = ModelLock{asset, seed, amount, p, to, expiry};
                ops.push_back(AddLock{kAssets[asset], Lock{hashlock_of(preimage_of(seed)), amount,
                                                           static_cast<std::uint16_t>(p),
                                                           static_cast<std::uint16_t>(to), expiry}});
            } else if (!m.locks.empty()) {
                auto it = m.locks.begin();
                std::advance(it, static_cast<std::ptrdiff_t>(pick(m.locks.size())));
                const ModelLock l = it->second;
                const Address a = kAssets[l.asset];
                const Hash h = hashlock_of(preimage_of(l.seed));
                if (now <= l.expiry) {
                    if (kind == 9 && p == l.to) {
                        m.bal[l.asset][l.from] += l.amount;  // the receiver gives it up
                        ops.push_back(CancelLock{a, h});
                    } else {
                        m.bal[l.asset][l.to] += l.amount;
                        ops.push_back(SettleLock{a, h, secret_of(preimage_of(l.seed))});
                    }
                } else {
                    m.bal[l.asset][l.from] += l.amount;
                    ops.push_back(CancelLock{a, h});
                }
                m.locks.erase(it);
            }
        }
        return ops;
    }

    // Proposals from one or two parties at once, delivered in random order until the network is quiet.
    void round() {
        std::vector<std::size_t> proposers{pick(kParties)};
        if (pick(4) == 0) {
            const std::size_t second = (proposers[0] + 1 + pick(kParties - 1)) % kParties;
            proposers.push_back(second);
        }
        std::map<std::size_t, Model> intended;
        for (std::size_t p : proposers) {
            Model m = model_;
            auto ops = make_ops(p, m);
            if (ops.empty()) continue;
            auto out = net_.m(p).propose(ops);
            ASSERT_TRUE(out.ok()) << "party " << p << ": " << out.error().describe();
            net_.post(p, std::move(out).value());
            intended.emplace(p, std::move(m));
        }
        net_.deliver_random(rng_);
        std::size_t completions = 0;
        for (auto& [p, m] : intended) {
            const auto& events = net_.parties[p]->events;
            for (std::size_t k = seen_[p]; k < events.size(); ++k) {
                const auto* done = std::get_if<UpdateCompleted>(&events[k]);
                if (done != nullptr && done->proposer == p) {
                    model_ = m;
                    ++completions;
                }
            }
        }
        ASSERT_LE(completions, 1u) << "two proposals on one base completed";
        if (!intended.empty() && completions == 0) {
            // No winner only when a party refused a proposal that gives it less than a state it
            // countersigned in a failed round, which may still complete (#18 §1).
            bool below_outstanding = false;
            for (auto& [p, m] : intended) {
                const auto& events = net_.parties[p]->events;
                for (std::size_t k = seen_[p]; k < events.size(); ++k) {
                    const auto* failed = std::get_if<UpdateFailed>(&events[k]);
                    below_outstanding =
                        below_outstanding ||
                        (failed != nullptr && failed->error.code == Errc::channel_below_outstanding);
                }
            }
            ASSERT_TRUE(below_outstanding) << "crossing proposals must leave one winner";
            // A countersigner may be left waiting for the dead round (its withdrawal overtook the
            // proposal): it gives up on the timeout.
            net_.clock.advance(MachineOptions{}.round_timeout);
            for (std::size_t i = 0; i < kParties; ++i)
                net_.post(i, net_.m(i).tick());
            net_.deliver_random(rng_);
        }
        updates_ += completions;
        for (std::size_t i = 0; i < kParties; ++i) {
            seen_[i] = net_.parties[i]->events.size();
            ASSERT_FALSE(net_.m(i).round_pending()) << "party " << i << " is left waiting";
            ASSERT_EQ(net_.m(i).latest(), net_.m(0).latest());
        }
        net_.clock.advance(pick(240));
    }

    void close() {
        net_.clock.advance(5000);  // every lock has expired
        Model m = model_;
        std::vector<Operation> ops;
        for (const auto& [seed, l] : m.locks) {
            m.bal[l.asset][l.from] += l.amount;
            ops.push_back(CancelLock{kAssets[l.asset], hashlock_of(preimage_of(seed))});
        }
        m.locks.clear();
        ops.push_back(Finalize{});
        net_.post(1, net_.m(1).propose(ops));
        net_.deliver_random(rng_);
        model_ = m;
        ++updates_;
    }

    void check() {
        for (std::size_t i = 0; i < kParties; ++i) {
            const SignedState& s = net_.m(i).latest();
            ASSERT_TRUE(s.state.is_final);
            ASSERT_TRUE(check_fully_signed(net_.params, s).ok());
            ASSERT_EQ(s, net_.m(0).latest());
            for (std::size_t a = 0; a < 2; ++a) {
                EXPECT_TRUE(s.state.outcome[a].locks.empty());
                EXPECT_EQ(s.state.outcome[a].balances, model_.bal[a]) << "asset " << a;
                EXPECT_EQ(model_.total(a), u256{3'000'000'000u});
            }
        }
    }

    Model model_;
    std::size_t updates_ = 0;
    std::mt19937_64 rng_;
    Net net_;
    std::uint64_t next_seed_ = 1;
    std::size_t seen_[kParties] = {};
};

// Deposits what version 0 holds, concludes `final_state` and withdraws; every party must end with exactly the
// model's balances of ETH (gas is free on the devchain by default, so ETH moves only through the adjudicator)
// and of the token.
void close_on_chain(const Params& params, const SignedState& final_state, const Model& model) {
    std::vector<PrivateKey> keys;
    for (std::size_t i = 0; i < kParties; ++i)
        keys.push_back(key_of(i));
    contracts::HarnessOptions options;
    options.funded = params.participants;
    auto harness = contracts::AdjudicatorHarness::create(options);
    ASSERT_TRUE(harness.ok()) << harness.error().describe();
    auto& h = *harness;
    ASSERT_EQ(h.adjudicator(), params.adjudicator);
    ASSERT_EQ(h.token(), token());
    ASSERT_EQ(h.params(keys, params.nonce, params.challenge_duration), params);

    const Hash id = channel_id(params);
    const u256 each{1'000'000'000u};  // the scenario's opening balance of each asset
    for (std::size_t i = 0; i < kParties; ++i) {
        const Address& who = params.participants[i];
        const u256 before = each * u256{i};  // deposits go in participant order (expectedHeld)
        auto eth_in = h.send(who, adjudicator::deposit_call(params, eth(), before, each).value(), each);
        ASSERT_TRUE(eth_in.ok() && eth_in->status) << "ETH deposit of party " << i;
        ASSERT_TRUE(h.mint_and_approve(who, each).ok());
        auto token_in = h.send(who, adjudicator::deposit_call(params, token(), before, each).value());
        ASSERT_TRUE(token_in.ok() && token_in->status) << "token deposit of party " << i;
    }
    EXPECT_EQ(h.holdings(id, eth()).value(), u256{3'000'000'000u});
    EXPECT_EQ(h.holdings(id, token()).value(), u256{3'000'000'000u});

    const Bytes sigs = pack_signatures(final_state).value();
    const Address closer = params.participants[0];
    auto concluded = h.send(closer, adjudicator::conclude_call(params, final_state.state, sigs).value());
    ASSERT_TRUE(concluded.ok() && concluded->status)
        << "conclude: "
        << (concluded.ok() ? adjudicator::decode_revert(concluded->output).name : "invalid tx");
    auto paid = h.send(closer, adjudicator::withdraw_call(params, final_state.state,
                                                          adjudicator::concluded(final_state.state))
                                   .value());
    ASSERT_TRUE(paid.ok() && paid->status)
        << "withdraw: " << (paid.ok() ? adjudicator::decode_revert(paid->output).name : "invalid tx");

    for (std::size_t i = 0; i < kParties; ++i) {
        const Address& who = params.participants[i];
        EXPECT_EQ(h.chain().balance(who), options.funding - each + model.bal[0][i]) << "ETH of party " << i;
        EXPECT_EQ(h.token_balance(who).value(), model.bal[1][i]) << "token of party " << i;
    }
    EXPECT_EQ(h.holdings(id, eth()).value(), u256{});
    EXPECT_EQ(h.holdings(id, token()).value(), u256{});
}

TEST(MachineScenario, ThreePartiesThousandUpdatesWithLocks) {
    std::uint64_t seed = 20261125;
    if (const char* env = std::getenv("SLUICE_SCENARIO_SEED")) seed = std::strtoull(env, nullptr, 10);
    SCOPED_TRACE("seed=" + std::to_string(seed) + " (rerun with SLUICE_SCENARIO_SEED)");
    Scenario s(seed);
    std::size_t rounds = 0;
    while (s.updates_ < kUpdates - 1) {
        s.round();
        ASSERT_FALSE(HasFatalFailure());
        ASSERT_LT(++rounds, 10 * kUpdates) << "no progress";
    }
    s.close();
    s.check();
    // Counted from what every party reported, not from the loop's own counter (which close() bumps).
    for (std::size_t i = 0; i < kParties; ++i)
        EXPECT_EQ(s.net_.completed(i), kUpdates) << "party " << i;
    ASSERT_FALSE(HasFatalFailure());
    close_on_chain(s.net_.params, s.net_.m(2).latest(), s.model_);
}

}  // namespace
}  // namespace sluice::channel::test
