// The update machine (machine.hpp): opening, restoring, local proposals and timeouts. Received messages
// are handled in machine_receive.cpp.
#include "sluice/channel/machine.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "sluice/channel/deposit_credit.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"

namespace sluice::channel {
namespace {

Status check_setup(const MachineSetup& setup, const PrivateKey& key) {
    SLUICE_CHECK_OK(validate(setup.params));
    if (setup.index >= setup.params.participants.size() ||
        setup.params.participants[setup.index] != key.address()) {
        return make_error(Errc::channel_not_participant,
                          "the key is not participant " + std::to_string(setup.index));
    }
    if (!setup.clock) return make_error(Errc::invalid_argument, "a machine needs a clock");
    if (setup.params.is_app_channel() && setup.app == nullptr) {
        return make_error(Errc::channel_bad_params, "an app channel needs its app rules");
    }
    return {};
}

Status check_latest(const Params& params, const SignedState& latest) {
    SLUICE_CHECK_OK(validate_shape(params, latest.state));
    return check_fully_signed(params, latest);
}

}  // namespace

Machine::Machine(MachineSetup setup, PrivateKey key, Persistence& store, SignedState latest)
    : setup_(std::move(setup)),
      key_(std::move(key)),
      store_(&store),
      channel_id_(sluice::channel::channel_id(setup_.params)),
      latest_(std::move(latest)) {}

Result<Machine> Machine::open(MachineSetup setup, PrivateKey key, SignedState initial, Persistence& store) {
    SLUICE_CHECK_OK(check_setup(setup, key));
    SLUICE_CHECK_OK(check_latest(setup.params, initial));
    // A channel whose very first state could not be registered and withdrawn on L1 is not worth funding.
    // (restore() does not ask: a stored channel stays usable, whatever limits a later build has.)
    SLUICE_CHECK_OK(check_limits(initial.state));
    if (store.save_fully_signed(sluice::channel::channel_id(setup.params), initial) !=
        PersistResult::completed) {
        return make_error(Errc::channel_persist_failed, "could not persist the initial state");
    }
    return Machine(std::move(setup), std::move(key), store, std::move(initial));
}

Result<Machine> Machine::restore(MachineSetup setup, PrivateKey key, PersistedChannel persisted,
                                 Persistence& store) {
    SLUICE_CHECK_OK(check_setup(setup, key));
    SLUICE_CHECK_OK(check_latest(setup.params, persisted.latest));
    Machine machine(std::move(setup), std::move(key), store, std::move(persisted.latest));
    // The last signed state is what keeps invariant 1 across the restart: nothing at or below its version
    // may be signed again unless it is that very state.
    if (persisted.last_signed) {
        if (persisted.last_signed->channel_id != machine.channel_id_) {
            return make_error(Errc::channel_wrong_channel_id,
                              "the persisted signed state is of another channel");
        }
        if (persisted.last_signed->version > machine.latest_.state.version) {
            machine.last_signed_ = std::move(persisted.last_signed);
        }
    }
    // The outstanding set (machine.hpp): states we countersigned that may still complete.
    for (auto& state : persisted.outstanding) {
        if (state.channel_id != machine.channel_id_) {
            return make_error(Errc::channel_wrong_channel_id,
                              "a persisted outstanding state is of another channel");
        }
        if (state.version > machine.latest_.state.version) machine.outstanding_.push_back(std::move(state));
    }
    // What we knew about hashlocks (issue #18 §6); re-keyed from the preimages, so a damaged key cannot
    // make us credit a preimage to the wrong lock.
    for (const auto& [hashlock, preimage] : persisted.known.preimages)
        machine.known_.add_preimage(preimage);
    for (const auto& [hashlock, at] : persisted.known.revealed_at)
        machine.known_.add_reveal(hashlock, at);
    return machine;
}

std::uint64_t Machine::highest_signed_version() const noexcept {
    const std::uint64_t latest = latest_.state.version;
    return last_signed_ ? std::max(latest, last_signed_->version) : latest;
}

std::uint64_t Machine::version_floor() const noexcept {
    return std::max(highest_signed_version(), seen_floor_);
}

void Machine::note_version_seen(std::uint64_t version) noexcept {
    // Only plausible versions: an unauthenticated message must not push our next proposal out of range.
    const std::uint64_t latest = latest_.state.version;
    if (version > latest && version - latest <= setup_.options.max_version_step) {
        seen_floor_ = std::max(seen_floor_, version);
    }
}

std::vector<std::size_t> Machine::others() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < setup_.params.participants.size(); ++i) {
        if (i != setup_.index) out.push_back(i);
    }
    return out;
}

Status Machine::check_proposed_state(const State& next, std::size_t proposer,
                                     std::span<const Bytes32> preimages) const {
    const UpdateContext ctx{setup_.params, setup_.deposits, now(), setup_.options.lock_margin, &known_};
    // A raised total is a deposit credit or nothing (deposit_credit.hpp); our own reservations bind peers.
    SLUICE_TRY(const std::optional<DepositCredit> credit, find_deposit_credit(latest_.state, next));
    if (credit) {
        return check_deposit_credit(ctx, latest_.state, next, proposer,
                                    proposer == setup_.index ? Deposits{} : reserved_);
    }
    SLUICE_CHECK_OK(check_value_rules(ctx, latest_.state, next));
    // A final state closes the channel by conclude, which never asks the app (machine.hpp).
    if (setup_.params.is_app_channel() && !next.is_final)
        return setup_.app->check_transition(setup_.params, latest_.state, next, proposer, known_);
    if (setup_.params.is_app_channel() && next.app_data != latest_.state.app_data)
        return make_error(Errc::channel_bad_shape,
                          "a closing state keeps the app data of the state it closes");
    return check_payment_rules(ctx, latest_.state, next, proposer, preimages);
}

namespace {

// What an allocation gives participant `who`: its balance plus the locks paying it, each lock counted when
// `counts(lock)` says so.
template <typename Counts>
Result<u256> value_for(const Alloc& alloc, std::size_t who, Counts counts) {
    u256 total = alloc.balances[who];
    for (const Lock& lock : alloc.locks) {
        if (lock.to != who || !counts(lock)) continue;
        const u256 sum = total + lock.amount;
        if (sum < total) return make_error(Errc::channel_bad_shape, "lock amounts overflow");
        total = sum;
    }
    return total;
}

const Alloc* find_asset(const State& state, const Address& asset) {
    for (const Alloc& alloc : state.outcome) {
        if (alloc.asset == asset) return &alloc;
    }
    return nullptr;
}

}  // namespace

// A lock of `next` that the outstanding state lacks is worth something to us only if we can still claim it
// on-chain: a lock near or past its expiry is the payer's to refund. Without this, a proposer could settle a
// lock to us in a round it then stalls, let the lock expire, and get a state that still carries it (worth
// nothing now) past the comparison; completing both, it takes the lock back (found by channel_machine_fuzz).
Status Machine::check_against_outstanding(const State& next) const {
    const std::size_t me = setup_.index;
    const std::uint64_t claimable_after = now() + setup_.options.lock_margin;
    for (const State& signed_state : outstanding_) {
        for (const Alloc& old_alloc : signed_state.outcome) {
            SLUICE_TRY(u256 before, value_for(old_alloc, me, [](const Lock&) { return true; }));
            u256 after{};
            if (const Alloc* alloc = find_asset(next, old_alloc.asset)) {
                const auto claimable = [&](const Lock& lock) {
                    return lock.expiry > claimable_after ||
                           std::find(old_alloc.locks.begin(), old_alloc.locks.end(), lock) !=
                               old_alloc.locks.end();
                };
                SLUICE_TRY(u256 v, value_for(*alloc, me, claimable));
                after = v;
            }
            if (after < before) {
                return make_error(Errc::channel_below_outstanding,
                                  "gives us less of asset " + old_alloc.asset.to_hex() + " than version " +
                                      std::to_string(signed_state.version) +
                                      ", which we countersigned and which may still complete");
            }
        }
    }
    return {};
}

Status Machine::check_lock_lifetimes(const State& next) const {
    return sluice::channel::check_lock_lifetimes(latest_.state, next, now(),
                                                 setup_.options.max_lock_lifetime);
}

Result<Output> Machine::propose(const std::vector<Operation>& ops) {
    if (setup_.params.is_app_channel()) {
        return make_error(Errc::channel_bad_params, "app channels are updated with propose_state");
    }
    if (is_final()) return make_error(Errc::channel_final, "the channel is final");
    SLUICE_TRY(NextState next, apply_operations(setup_.params, latest_.state, setup_.index, ops));
    return propose_state(std::move(next.state), std::move(next.preimages));
}

Result<Output> Machine::propose_state(State next, std::vector<Bytes32> preimages) {
    if (is_final()) return make_error(Errc::channel_final, "the channel is final");
    if (round_pending()) return make_error(Errc::channel_update_pending, "an update round is in flight");
    const std::uint64_t step = setup_.params.participants.size() - setup_.index;
    const std::uint64_t floor = version_floor();
    if (floor > std::numeric_limits<std::uint64_t>::max() - step ||
        floor + step - latest_.state.version > setup_.options.max_version_step) {
        return make_error(Errc::channel_bad_version, "no version left above " + std::to_string(floor));
    }
    next.channel_id = channel_id_;
    next.version = floor + step;
    SLUICE_CHECK_OK(check_proposed_state(next, setup_.index, preimages));
    SLUICE_CHECK_OK(check_lock_lifetimes(next));
    seen_floor_ = std::max(seen_floor_, next.version);

    Proposal proposal{channel_id_,
                      static_cast<std::uint16_t>(setup_.index),
                      latest_.state.version,
                      next,
                      preimages,
                      sign(key_, proposal_digest(setup_.params, next, latest_.state.version, preimages))};
    own_ = OwnRound{std::move(next), std::move(preimages),
                    std::vector<std::optional<Signature>>(setup_.params.participants.size()), now()};
    Output out;
    out.messages.push_back(Outgoing{others(), std::move(proposal)});
    return out;
}

void Machine::withdraw_own(Output& out, Errc code, const std::string& reason) {
    const std::uint64_t version = own_->state.version;
    out.messages.push_back(Outgoing{others(), signed_rejection(own_->state, code, reason, 0)});
    own_.reset();
    out.events.push_back(UpdateFailed{version, make_error(code, reason)});
}

Output Machine::tick() {
    Output out;
    const std::uint64_t t = now();
    const std::uint64_t timeout = setup_.options.round_timeout;
    if (own_ && t - std::min(t, own_->started) >= timeout) {
        withdraw_own(out, Errc::channel_timeout,
                     "no complete answer within " + std::to_string(timeout) + " s");
    }
    // Our signature is out and the round may still complete: its state stays outstanding (machine.hpp),
    // so giving up the round frees us for new proposals but only for ones that give us at least as much.
    if (peer_ && t - std::min(t, peer_->started) >= timeout) peer_.reset();
    return out;
}

Output Machine::peer_reconnected(std::size_t participant) {
    Output out;
    if (participant >= setup_.params.participants.size() || participant == setup_.index) return out;
    if (own_ && !own_->sigs[participant]) {
        withdraw_own(out, Errc::channel_timeout,
                     "participant " + std::to_string(participant) + " reconnected before countersigning");
    }
    if (peer_ && peer_->proposer == participant) peer_.reset();
    return out;
}

void Machine::record_deposit(const Address& asset, const u256& total) {
    setup_.deposits[asset] = total;
}

void Machine::reserve_deposit(const Address& asset, const u256& amount) {
    u256& held = reserved_[asset];
    held = held + amount < held ? u256::max() : held + amount;
}

void Machine::release_deposit(const Address& asset, const u256& amount) {
    const auto it = reserved_.find(asset);
    if (it == reserved_.end()) return;
    if (it->second <= amount) {
        reserved_.erase(it);
    } else {
        it->second -= amount;
    }
}

Status Machine::learn_preimage(const Bytes32& preimage) {
    known_.add_preimage(preimage);
    if (store_->save_preimage(channel_id_, preimage) != PersistResult::completed)
        return make_error(Errc::channel_persist_failed, "could not persist the preimage");
    return {};
}

Status Machine::record_reveal(const Hash& hashlock, std::uint64_t revealed_at) {
    known_.add_reveal(hashlock, revealed_at);
    if (store_->save_reveal(channel_id_, hashlock, revealed_at) != PersistResult::completed)
        return make_error(Errc::channel_persist_failed, "could not persist the reveal");
    return {};
}

}  // namespace sluice::channel
