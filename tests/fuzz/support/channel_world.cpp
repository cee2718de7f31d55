// The fuzzer's channel world (channel_world.hpp).
#include "channel_world.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <variant>

#include "adjudicator_harness.hpp"
#include "sluice/channel/adjudicator_abi.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/channel/update.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/evm/create_address.hpp"

namespace sluice::channel::fuzz {
namespace {

constexpr std::uint64_t kStartTime = 1'700'000'000;
constexpr std::uint64_t kEach = 1000;  // of each asset, per participant, at version 0
constexpr std::uint64_t kChallenge = 3600;
// register + withdraw of any state we sign must fit here: a third of a 30 M gas block (issue #18 §4).
constexpr std::int64_t kDisputeGasBudget = 10'000'000;

PrivateKey key_of(std::size_t i) {
    Bytes32 raw;
    raw[0] = 0x42;
    raw[31] = static_cast<std::uint8_t>(i + 1);
    return PrivateKey::from_bytes(raw.view()).value();
}

// Where contracts/gas_report's harness deploys the adjudicator (nonce 0) and the token (nonce 1).
Address deployed(std::uint64_t nonce) {
    return evm::create_address(contracts::hardhat_deployer(), nonce);
}

Params params_for(std::size_t n) {
    Params p;
    p.chain_id = 31337;
    p.adjudicator = deployed(0);
    for (std::size_t i = 0; i < n; ++i)
        p.participants.push_back(key_of(i).address());
    p.nonce = 7;
    p.challenge_duration = kChallenge;
    return p;
}

Bytes32 preimage_of(std::uint64_t seed) {
    Bytes32 p;
    for (std::size_t i = 0; i < 8; ++i)
        p[i] = static_cast<std::uint8_t>(seed >> (8 * i));
    p[31] = 0xf5;
    return p;
}

// What `state` gives `who` in asset `a` at time `t`: its balance plus the locks paying it that cannot be
// refunded yet (the machine refunds a lock once now > expiry).
u256 value_at(const State& state, std::size_t a, std::size_t who, std::uint64_t t) {
    const Alloc& alloc = state.outcome[a];
    u256 v = alloc.balances[who];
    for (const Lock& lock : alloc.locks) {
        if (lock.to == who && lock.expiry >= t) v += lock.amount;
    }
    return v;
}

std::string describe(const State& s) {
    std::string out = "v" + std::to_string(s.version) + (s.is_final ? " final" : "") + " [";
    for (const Alloc& alloc : s.outcome) {
        out += " {";
        for (const u256& b : alloc.balances)
            out += " " + b.to_dec();
        out += " | " + std::to_string(alloc.locks.size()) + " locks}";
    }
    return out + " ]";
}

}  // namespace

ChannelWorld::ChannelWorld(std::size_t parties, std::size_t adversary)
    : params_(params_for(parties)),
      adversary_(adversary),
      now_(std::make_shared<std::uint64_t>(kStartTime)),
      signed_(parties),
      by_version_(parties),
      own_versions_(parties),
      completed_(parties) {
    State init;
    init.channel_id = channel_id(params_);
    for (const Address& asset : {Address{}, deployed(1)}) {
        init.outcome.push_back(Alloc{asset, std::vector<u256>(parties, u256{kEach}), {}});
        totals_.push_back(u256{kEach * parties});
    }
    SignedState signed_init{init, {}};
    Deposits deposits;
    for (std::size_t i = 0; i < parties; ++i)
        signed_init.sigs.emplace_back(sign_state(key_of(i), params_, init));
    for (std::size_t a = 0; a < init.outcome.size(); ++a)
        deposits[init.outcome[a].asset] = totals_[a];
    for (std::size_t i = 0; i < parties; ++i) {
        parties_.push_back(std::make_unique<Party>());
        MachineSetup setup{params_, i, deposits, [t = now_] { return *t; }, nullptr, {}};
        parties_[i]->machine.emplace(
            Machine::open(std::move(setup), key_of(i), signed_init, parties_[i]->store).value());
    }
}

void ChannelWorld::violation(const std::string& what) const {
    std::fprintf(stderr, "channel world: %zu parties, adversary %zu\n", parties_.size(), adversary_);
    for (const std::string& step : log_)
        std::fprintf(stderr, "  %s\n", step.c_str());
    std::fprintf(stderr, "VIOLATION: %s\n", what.c_str());
    std::abort();
}

void ChannelWorld::check_pair(std::size_t who, const State& completed, const Signed& later) const {
    if (later.state.version <= completed.version || later.own) return;
    // A state of our own between the two is our choice to pay: what follows builds on it.
    const auto& own = own_versions_[who];
    const auto first_above = own.upper_bound(completed.version);
    if (first_above != own.end() && *first_above <= later.state.version) return;
    for (std::size_t a = 0; a < completed.outcome.size(); ++a) {
        const u256 before = value_at(completed, a, who, later.at);
        const u256 after = value_at(later.state, a, who, later.at);
        if (after < before) {
            violation("party " + std::to_string(who) + " reported " + describe(completed) +
                      " completed and signed " + describe(later.state) + ", which gives it " +
                      after.to_dec() + " instead of " + before.to_dec() + " of asset " + std::to_string(a));
        }
    }
}

void ChannelWorld::record_signed(std::size_t who, const State& state, bool own) {
    if (!honest(who)) return;
    const auto [at, fresh] = by_version_[who].emplace(state.version, signed_[who].size());
    if (!fresh) {
        const State& before = signed_[who][at->second].state;
        if (!(before == state)) {
            violation("party " + std::to_string(who) + " signed two states at version " +
                      std::to_string(state.version) + ": " + describe(before) + " and " + describe(state));
        }
        return;  // the same signature again: nothing new to check
    }
    for (std::size_t a = 0; a < state.outcome.size(); ++a) {
        const auto total = total_of(state.outcome[a]);
        if (!total.ok() || *total != totals_[a])
            violation("party " + std::to_string(who) + " signed " + describe(state) +
                      ", which changes a total");
    }
    const auto stored = parties_[who]->store.load(channel_id(params_));
    const bool persisted = stored && (stored->latest.state == state ||
                                      std::find(stored->outstanding.begin(), stored->outstanding.end(),
                                                state) != stored->outstanding.end());
    if (!persisted)
        violation("party " + std::to_string(who) + " released a signature of " + describe(state) +
                  " that its store does not hold");
    signed_[who].push_back(Signed{state, *now_, own});
    if (own) own_versions_[who].insert(state.version);
    for (const State& c : completed_[who])
        check_pair(who, c, signed_[who].back());
}

void ChannelWorld::record_completed(std::size_t who, const State& state) {
    if (!honest(who)) return;
    completed_[who].push_back(state);
    for (const Signed& s : signed_[who])
        check_pair(who, state, s);
}

void ChannelWorld::post(std::size_t from, const Output& out, const std::optional<State>& countersigned) {
    for (const Event& e : out.events) {
        const auto* done = std::get_if<UpdateCompleted>(&e);
        if (!done) continue;
        if (done->proposer == from) record_signed(from, done->state.state, true);
        record_completed(from, done->state.state);
    }
    for (const Outgoing& o : out.messages) {
        if (const auto* cs = std::get_if<Countersignature>(&o.message)) {
            if (!countersigned || countersigned->version != cs->version)
                violation("party " + std::to_string(from) + " countersigned a version it was not asked to");
            record_signed(from, *countersigned, false);
        }
        if (const auto* p = std::get_if<Proposal>(&o.message); p && from == adversary_)
            hand_[p->state.version].state = p->state;
        for (std::size_t to : o.to) {
            queue_.push_back({from, to, o.message});
            history_.push_back(queue_.back());
        }
    }
}

void ChannelWorld::propose(std::size_t p, std::uint8_t kind, std::uint8_t a, std::uint8_t b) {
    const std::size_t n = parties_.size();
    Machine& m = *parties_[p]->machine;
    const State& base = m.latest().state;
    const std::size_t asset = a & 1;
    const auto other = static_cast<std::uint16_t>((p + 1 + b % (n - 1)) % n);
    std::vector<const Lock*> locks;
    for (const Alloc& alloc : base.outcome)
        for (const Lock& lock : alloc.locks)
            locks.push_back(&lock);
    std::vector<Operation> ops;
    switch (kind % 5) {
        case 0:
            ops.push_back(Pay{base.outcome[asset].asset, other, u256{1u + (a >> 1) % 64u}});
            break;
        case 1: {
            const Bytes32 secret = preimage_of(next_secret_++);
            const Hash hashlock = keccak256(secret.view());
            secrets_[hashlock] = secret;
            ops.push_back(AddLock{base.outcome[asset].asset,
                                  Lock{hashlock, u256{1u + b % 32u}, static_cast<std::uint16_t>(p), other,
                                       *now_ + 601 + std::uint64_t{a} * 30}});
            break;
        }
        case 2:
        case 3: {
            if (locks.empty()) return;
            const Lock& lock = *locks[a % locks.size()];
            const Address& asset_of =
                std::find_if(base.outcome.begin(), base.outcome.end(), [&](const Alloc& al) {
                    return std::find(al.locks.begin(), al.locks.end(), lock) != al.locks.end();
                })->asset;
            if (kind % 5 == 2) {
                ops.push_back(SettleLock{asset_of, lock.hashlock,
                                         Secret<32>::from_view(secrets_.at(lock.hashlock).view()).value()});
            } else {
                ops.push_back(CancelLock{asset_of, lock.hashlock});
            }
            break;
        }
        default:
            if (b % 8 != 0) return;  // closing ends the game: rarely
            ops.push_back(Finalize{});
            break;
    }
    log_.push_back("party " + std::to_string(p) + " proposes op " + std::to_string(kind % 5) + " on v" +
                   std::to_string(base.version));
    auto out = m.propose(ops);
    if (out.ok()) post(p, *out, std::nullopt);
}

void ChannelWorld::deliver(std::size_t k, bool capture) {
    if (queue_.empty()) return;
    Queued item = queue_[k % queue_.size()];
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(k % queue_.size()));
    log_.push_back("deliver " + std::to_string(item.message.index()) + " " + std::to_string(item.from) +
                   "->" + std::to_string(item.to) + (capture ? " (capture)" : ""));
    if (item.to == adversary_) {
        if (const auto* cs = std::get_if<Countersignature>(&item.message)) {
            hand_[cs->version].countersigs[cs->signer] = cs->signature;
            if (capture) return;
        }
    }
    std::optional<State> asked;
    if (const auto* p = std::get_if<Proposal>(&item.message)) asked = p->state;
    auto out = parties_[item.to]->machine->receive(item.message);
    if (out.ok()) post(item.to, *out, asked);
}

void ChannelWorld::drop(std::size_t k) {
    if (queue_.empty()) return;
    log_.push_back("drop");
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(k % queue_.size()));
}

void ChannelWorld::duplicate(std::size_t k) {
    if (queue_.empty()) return;
    log_.push_back("duplicate");
    queue_.push_back(queue_[k % queue_.size()]);
}

void ChannelWorld::replay(std::size_t k) {
    if (history_.empty()) return;
    log_.push_back("replay");
    queue_.push_back(history_[k % history_.size()]);
}

void ChannelWorld::advance(std::uint64_t seconds) {
    *now_ += seconds;
    log_.push_back("advance " + std::to_string(seconds) + " s");
    for (std::size_t i = 0; i < parties_.size(); ++i)
        post(i, parties_[i]->machine->tick(), std::nullopt);
}

void ChannelWorld::restart(std::size_t p) {
    log_.push_back("restart " + std::to_string(p));
    Party& party = *parties_[p];
    const auto persisted = party.store.load(channel_id(params_));
    if (!persisted) violation("party " + std::to_string(p) + " has nothing stored");
    Deposits deposits;
    for (std::size_t a = 0; a < totals_.size(); ++a)
        deposits[persisted->latest.state.outcome[a].asset] = totals_[a];
    MachineSetup setup{params_, p, deposits, [t = now_] { return *t; }, nullptr, {}};
    auto restored = Machine::restore(std::move(setup), key_of(p), *persisted, party.store);
    if (!restored.ok())
        violation("party " + std::to_string(p) + " cannot restart: " + restored.error().describe());
    party.machine.emplace(std::move(restored).value());
}

void ChannelWorld::complete_by_hand(std::size_t pick, std::uint8_t mask) {
    if (adversary_ >= parties_.size()) return;
    std::vector<const Hand*> ready;
    for (const auto& [version, hand] : hand_) {
        if (hand.state.version == version && hand.countersigs.size() == parties_.size() - 1)
            ready.push_back(&hand);
    }
    if (ready.empty()) return;
    const Hand& hand = *ready[pick % ready.size()];
    Completion completion{channel_id(params_), hand.state, {}};
    for (std::size_t i = 0; i < parties_.size(); ++i) {
        completion.signatures.push_back(i == adversary_ ? sign_state(key_of(i), params_, hand.state)
                                                        : hand.countersigs.at(i));
    }
    log_.push_back("adversary completes " + describe(hand.state) + " by hand, mask " + std::to_string(mask));
    for (std::size_t i = 0; i < parties_.size(); ++i) {
        if (i != adversary_ && (mask >> i & 1)) queue_.push_back({adversary_, i, completion});
    }
}

void ChannelWorld::deliver_all() {
    while (!queue_.empty())
        deliver(0, false);
}

namespace {

// One deployment for the whole fuzzing run: the channels of 2, 3 and 4 parties funded as at version 0,
// then a snapshot every check starts from.
struct OnChain {
    contracts::AdjudicatorHarness harness;
    l1::SnapshotId funded = 0;
};

OnChain& on_chain() {
    static OnChain* chain = [] {
        contracts::HarnessOptions options;
        for (std::size_t i = 0; i < ChannelWorld::kMaxParties; ++i)
            options.funded.push_back(key_of(i).address());
        auto harness = contracts::AdjudicatorHarness::create(options);
        if (!harness.ok()) {
            std::fprintf(stderr, "harness: %s\n", harness.error().describe().c_str());
            std::abort();
        }
        auto* c = new OnChain{std::move(harness).value()};
        for (std::size_t n = 2; n <= ChannelWorld::kMaxParties; ++n) {
            const Params params = params_for(n);
            for (std::size_t i = 0; i < n; ++i) {
                const Address who = key_of(i).address();
                const u256 before{kEach * i};  // deposits go in participant order (expectedHeld)
                const bool eth_ok =
                    c->harness
                        .send(who, adjudicator::deposit_call(params, Address{}, before, u256{kEach}).value(),
                              u256{kEach})
                        .value()
                        .status;
                const bool token_ok =
                    c->harness.mint_and_approve(who, u256{kEach}).ok() &&
                    c->harness
                        .send(who,
                              adjudicator::deposit_call(params, deployed(1), before, u256{kEach}).value())
                        .value()
                        .status;
                if (!eth_ok || !token_ok) std::abort();
            }
        }
        c->funded = c->harness.chain().snapshot();
        return c;
    }();
    return *chain;
}

}  // namespace

void ChannelWorld::check_on_chain() const {
    OnChain& chain = on_chain();
    auto& h = chain.harness;
    const Hash id = channel_id(params_);
    for (std::size_t i = 0; i < parties_.size(); ++i) {
        if (!honest(i)) continue;
        const SignedState& latest = parties_[i]->machine->latest();
        if (!h.chain().revert(chain.funded).ok()) std::abort();
        chain.funded = h.chain().snapshot();
        const Bytes sigs = pack_signatures(latest).value();
        const Address caller = params_.participants[i];
        const auto registered =
            h.send(caller, adjudicator::register_call(params_, latest.state, sigs, {}).value());
        if (!registered.ok() || !registered->status)
            violation("party " + std::to_string(i) + " cannot register its latest " + describe(latest.state) +
                      ": " +
                      (registered.ok() ? adjudicator::decode_revert(registered->output).name
                                       : registered.error().describe()));
        const auto events = contracts::adjudicator_events(*registered, h.adjudicator()).value();
        const auto* registration = std::get_if<adjudicator::Registered>(&events.at(0));
        if (registration == nullptr) std::abort();
        if (!h.chain().increase_time(static_cast<std::int64_t>(kChallenge) + 1).ok()) std::abort();
        const auto paid = h.send(
            caller, adjudicator::withdraw_call(params_, latest.state, registration->registration).value());
        if (!paid.ok() || !paid->status)
            violation("party " + std::to_string(i) + " cannot withdraw its latest " + describe(latest.state) +
                      ": " +
                      (paid.ok() ? adjudicator::decode_revert(paid->output).name : paid.error().describe()));
        if (registered->gas_used + paid->gas_used > kDisputeGasBudget)
            violation("register + withdraw of " + describe(latest.state) + " took " +
                      std::to_string(registered->gas_used + paid->gas_used) + " gas");
        for (const Alloc& alloc : latest.state.outcome) {
            if (!h.holdings(id, alloc.asset).value().is_zero())
                violation("the channel still holds some of an asset after withdrawing " +
                          describe(latest.state));
        }
    }
}

}  // namespace sluice::channel::fuzz
