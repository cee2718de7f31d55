// Shared fixtures of the update-machine tests: deterministic keys, a hand-driven clock, channels of N
// parties with an in-memory store each, and an in-memory router that delivers the machines' messages.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "sluice/channel/encoding.hpp"
#include "sluice/channel/machine.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/evm/create_address.hpp"

namespace sluice {
// Failure messages show error names instead of raw bytes.
inline void PrintTo(Errc code, std::ostream* os) {
    *os << errc_name(code);
}
}  // namespace sluice

namespace sluice::channel::test {

inline constexpr std::uint64_t kStartTime = 1'700'000'000;

struct FakeClock {
    std::shared_ptr<std::uint64_t> now = std::make_shared<std::uint64_t>(kStartTime);
    Clock clock() const {
        return [t = now] { return *t; };
    }
    void advance(std::uint64_t seconds) const { *now += seconds; }
};

inline PrivateKey key_of(std::size_t i) {
    Bytes32 raw;
    raw[31] = static_cast<std::uint8_t>(i + 1);
    raw[0] = 0x42;
    return PrivateKey::from_bytes(raw.view()).value();
}

inline Address eth() {
    return Address{};
}
// The addresses contracts/gas_report's AdjudicatorHarness deploys to (hardhat's first account, nonces 0 and
// 1), so that a channel of these tests can be closed on the devchain (machine_scenario_test does).
inline Address harness_contract(std::uint64_t deployer_nonce) {
    return evm::create_address(Address::from_hex("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266").value(),
                               deployer_nonce);
}
inline Address token() {
    return harness_contract(1);
}

inline Params make_params(std::size_t n, Address app = {}) {
    Params p;
    p.chain_id = 31337;
    p.adjudicator = harness_contract(0);
    for (std::size_t i = 0; i < n; ++i)
        p.participants.push_back(key_of(i).address());
    p.nonce = 7;
    p.challenge_duration = 3600;
    p.app = app;
    return p;
}

inline SignedState sign_by_all(const Params& params, const State& state) {
    SignedState s{state, {}};
    for (std::size_t i = 0; i < params.participants.size(); ++i)
        s.sigs.emplace_back(sign_state(key_of(i), params, state));
    return s;
}

// Version 0: every participant holds `each` of ETH and of the token.
inline State initial_state(const Params& params, const u256& each) {
    State s;
    s.channel_id = channel_id(params);
    for (const Address& asset : {eth(), token()}) {
        s.outcome.push_back(Alloc{asset, std::vector<u256>(params.participants.size(), each), {}});
    }
    return s;
}

inline Deposits deposits_for(const State& s) {
    Deposits d;
    for (const auto& alloc : s.outcome)
        d[alloc.asset] = total_of(alloc).value();
    return d;
}

inline Bytes32 preimage_of(std::uint64_t seed) {
    Bytes32 p;
    for (int i = 0; i < 8; ++i)
        p[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(seed >> (8 * i));
    p[31] = 0x5a;
    return p;
}
inline Secret<32> secret_of(const Bytes32& p) {
    return Secret<32>::from_view(p.view()).value();
}
inline Hash hashlock_of(const Bytes32& p) {
    return keccak256(p.view());
}

// A proposal by `proposer` of `s` on `base`, authenticated as its machine would (a crafted message).
inline Proposal signed_proposal(const Params& params, std::size_t proposer, std::uint64_t base,
                                const State& s, std::vector<Bytes32> preimages = {}) {
    const Hash digest = proposal_digest(params, s, base, preimages);
    return Proposal{channel_id(params),   static_cast<std::uint16_t>(proposer), base, s,
                    std::move(preimages), sign(key_of(proposer), digest)};
}

// App rules that allow every move, for the machine's own rules on app channels.
class AnyMoveApp final : public AppRules {
  public:
    Status check_transition(const Params&, const State&, const State&, std::size_t,
                            const LockKnowledge&) const override {
        return {};
    }
};
inline Address any_move_app_address() {
    return Address::from_hex("0x00000000000000000000000000000000000a0001").value();
}

struct Party {
    MemoryPersistence store;
    std::optional<Machine> machine;
    std::vector<Event> events;
};

// N machines over one channel and a router between them.
class Net {
  public:
    explicit Net(std::size_t n, const u256& each = 1'000'000, MachineOptions machine_options = {},
                 const AppRules* app_rules = nullptr, Address app_address = {})
        : params(make_params(n, app_address)), options(machine_options), app(app_rules) {
        const State init = initial_state(params, each);
        const SignedState signed_init = sign_by_all(params, init);
        for (std::size_t i = 0; i < n; ++i) {
            parties.push_back(std::make_unique<Party>());
            MachineSetup setup{params, i, deposits_for(init), clock.clock(), app_rules, machine_options};
            parties[i]->machine.emplace(
                Machine::open(std::move(setup), key_of(i), signed_init, parties[i]->store).value());
        }
    }

    Machine& m(std::size_t i) { return *parties[i]->machine; }

    // Queues the messages of `out` (sent by `from`) and records its events.
    void post(std::size_t from, Output out) {
        for (auto& e : out.events)
            parties[from]->events.push_back(std::move(e));
        for (auto& o : out.messages) {
            for (std::size_t to : o.to) {
                queue.push_back({from, to, o.message});
                sent.push_back({from, to, o.message});
            }
        }
    }
    void post(std::size_t from, Result<Output> out) {
        ASSERT_TRUE(out.ok()) << out.error().describe();
        post(from, std::move(out).value());
    }

    // Replaces party i's machine by one restored from its store: a restart that lost everything
    // not persisted.
    void restart(std::size_t i) {
        MachineSetup setup{params, i, deposits_for(m(i).latest().state), clock.clock(), app, options};
        const auto persisted = parties[i]->store.load(m(i).channel_id());
        ASSERT_TRUE(persisted.has_value());
        auto restored = Machine::restore(std::move(setup), key_of(i), *persisted, parties[i]->store);
        ASSERT_TRUE(restored.ok());
        parties[i]->machine.emplace(std::move(restored).value());
    }

    // Delivers queued message `k`; returns whether receive() accepted it.
    bool deliver_at(std::size_t k) {
        auto item = queue[k];
        queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(k));
        auto out = m(item.to).receive(item.message);
        if (!out.ok()) return false;
        post(item.to, std::move(out).value());
        return true;
    }
    void deliver_all() {
        while (!queue.empty())
            deliver_at(0);
    }
    void deliver_random(std::mt19937_64& rng) {
        while (!queue.empty())
            deliver_at(std::uniform_int_distribution<std::size_t>(0, queue.size() - 1)(rng));
    }
    // Delivers the first queued message from `from` to `to`.
    bool deliver(std::size_t from, std::size_t to) {
        for (std::size_t k = 0; k < queue.size(); ++k) {
            if (queue[k].from == from && queue[k].to == to) return deliver_at(k);
        }
        ADD_FAILURE() << "no message from " << from << " to " << to;
        return false;
    }

    std::size_t completed(std::size_t i) const {
        std::size_t c = 0;
        for (const auto& e : parties[i]->events)
            c += std::holds_alternative<UpdateCompleted>(e);
        return c;
    }
    std::vector<UpdateFailed> failures(std::size_t i) const {
        std::vector<UpdateFailed> out;
        for (const auto& e : parties[i]->events) {
            if (const auto* f = std::get_if<UpdateFailed>(&e)) out.push_back(*f);
        }
        return out;
    }

    struct Queued {
        std::size_t from;
        std::size_t to;
        Message message;
    };

    FakeClock clock;
    Params params;
    MachineOptions options;  // every machine's, restarts included
    const AppRules* app = nullptr;
    std::vector<std::unique_ptr<Party>> parties;
    std::deque<Queued> queue;
    std::vector<Queued> sent;  // every message ever posted, delivered or not
};

inline bool has_countersignature(const Output& out) {
    for (const auto& o : out.messages) {
        if (std::holds_alternative<Countersignature>(o.message)) return true;
    }
    return false;
}

// The code of the rejection a receive() answered with, if it answered with one and no signature.
inline std::optional<Errc> refusal_code(const Result<Output>& out) {
    EXPECT_TRUE(out.ok()) << out.error().describe();
    if (!out.ok() || has_countersignature(*out)) return std::nullopt;
    for (const auto& o : out->messages) {
        if (const auto* r = std::get_if<Rejection>(&o.message)) return r->code;
    }
    return std::nullopt;
}

// Runs one update proposed by `who` to its end; returns the failure code of the proposer's round, if any.
inline std::optional<Errc> run_update(Net& net, std::size_t who, std::vector<Operation> ops) {
    auto out = net.m(who).propose(ops);
    if (!out.ok()) return out.error().code;
    const std::size_t failed_before = net.failures(who).size();
    net.post(who, std::move(out));
    net.deliver_all();
    const auto failed = net.failures(who);
    if (failed.size() > failed_before) return failed.back().error.code;
    return std::nullopt;
}

inline const u256& balance(const Machine& m, std::size_t asset, std::size_t who) {
    return m.latest().state.outcome[asset].balances[who];
}

}  // namespace sluice::channel::test
