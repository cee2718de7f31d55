// The update machine's answers to received messages (machine.hpp explains the round, the version rule and
// the crossing rule this file implements).
#include <limits>
#include <string>

#include "sluice/channel/deposit_credit.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/channel/machine.hpp"
#include "sluice/channel/signing.hpp"

namespace sluice::channel {

namespace {

// Cut to what a rejection may carry, on a UTF-8 boundary (a reason may quote a peer's).
std::string fit_reason(std::string reason) {
    if (reason.size() <= kMaxReasonBytes) return reason;
    std::size_t end = kMaxReasonBytes;
    while (end > 0 && (static_cast<unsigned char>(reason[end]) & 0xC0) == 0x80)
        --end;
    reason.resize(end);
    return reason;
}

}  // namespace

Rejection Machine::signed_rejection(const State& refused, Errc code, std::string reason,
                                    std::uint64_t min_version) const {
    Rejection rejection{channel_id_,
                        refused.version,
                        static_cast<std::uint16_t>(setup_.index),
                        code,
                        fit_reason(std::move(reason)),
                        min_version,
                        {}};
    rejection.signature = sign(key_, rejection_digest(setup_.params, refused, rejection));
    return rejection;
}

Outgoing Machine::rejection_to(std::size_t to, const State& refused, const Error& error) const {
    const std::uint64_t floor = highest_signed_version();
    const std::uint64_t hint = floor == std::numeric_limits<std::uint64_t>::max() ? 0 : floor + 1;
    // Only channel codes travel (message_json.hpp); anything else from a lower layer is reported by name.
    const bool channel_code = is_channel_errc(error.code);
    return Outgoing{{to},
                    signed_rejection(refused, channel_code ? error.code : Errc::channel_bad_message,
                                     channel_code ? error.message : error.describe(), hint)};
}

Result<Output> Machine::receive(const Message& message) {
    if (message_channel_id(message) != channel_id_) {
        return make_error(Errc::channel_wrong_channel_id, "the message is for another channel");
    }
    return std::visit(
        [this](const auto& m) -> Result<Output> {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, Proposal>) return on_proposal(m);
            if constexpr (std::is_same_v<T, Countersignature>) return on_countersignature(m);
            if constexpr (std::is_same_v<T, Completion>) return on_completion(m);
            if constexpr (std::is_same_v<T, Rejection>) return on_rejection(m);
        },
        message);
}

Result<Output> Machine::on_proposal(const Proposal& msg) {
    const std::size_t n = setup_.params.participants.size();
    const std::size_t proposer = msg.proposer;
    if (proposer >= n || proposer == setup_.index) {
        return make_error(Errc::channel_not_participant, "proposer index " + std::to_string(proposer));
    }
    // End-to-end authentication: a relay cannot make us sign on someone else's behalf.
    const Hash digest = proposal_digest(setup_.params, msg.state, msg.base_version, msg.preimages);
    if (auto ok = check_signature(setup_.params.participants[proposer], digest, msg.signature); !ok.ok()) {
        return make_error(Errc::channel_bad_signature, "proposal signature: " + ok.error().message);
    }

    Output out;
    const std::uint64_t version = msg.state.version;
    auto refuse = [&](Errc code, std::string reason) -> Result<Output> {
        out.messages.push_back(rejection_to(proposer, msg.state, make_error(code, std::move(reason))));
        return std::move(out);
    };

    // The same state asked again (a lost answer, a restart): the same deterministic signature, as long as
    // the deposits still cover it (a reorg may have taken one back since).
    if (last_signed_ && *last_signed_ == msg.state) {
        if (auto ok = check_within_deposits(setup_.deposits, msg.state); !ok.ok())
            return refuse(ok.error().code, ok.error().message);
        if (!own_ && !peer_) peer_ = PeerRound{proposer, msg.state, now()};
        out.messages.push_back(
            Outgoing{{proposer},
                     Countersignature{channel_id_, version, static_cast<std::uint16_t>(setup_.index),
                                      sign_state(key_, setup_.params, msg.state)}});
        return out;
    }
    if (is_final()) return refuse(Errc::channel_final, "the channel is final");
    if (msg.base_version < latest_.state.version) {
        return refuse(Errc::channel_bad_version, "builds on version " + std::to_string(msg.base_version) +
                                                     ", the latest fully signed is " +
                                                     std::to_string(latest_.state.version));
    }
    if (msg.base_version > latest_.state.version) {
        return refuse(Errc::channel_behind, "builds on version " + std::to_string(msg.base_version) +
                                                " which has not reached us fully signed yet");
    }
    note_version_seen(version);

    // Crossing proposals: the lower participant index wins.
    if (own_) {
        if (proposer > setup_.index)
            return refuse(Errc::channel_conflict, "crossed with a lower index's proposal");
        withdraw_own(out, Errc::channel_conflict,
                     "crossed with participant " + std::to_string(proposer) + "'s proposal");
    } else if (peer_ && proposer > peer_->proposer) {
        return refuse(Errc::channel_conflict,
                      "already countersigned participant " + std::to_string(peer_->proposer) + "'s proposal");
    }

    const std::uint64_t floor = highest_signed_version();
    if (version <= floor) {
        return refuse(Errc::channel_bad_version, "version " + std::to_string(version) + " is not above " +
                                                     std::to_string(floor) + ", which we already signed");
    }
    if (version - latest_.state.version > setup_.options.max_version_step) {
        return refuse(Errc::channel_bad_version, "version " + std::to_string(version) + " jumps too far");
    }
    if (auto ok = check_proposed_state(msg.state, proposer, msg.preimages); !ok.ok()) {
        return refuse(ok.error().code, ok.error().message);
    }
    if (auto ok = check_lock_lifetimes(msg.state); !ok.ok())
        return refuse(ok.error().code, ok.error().message);
    // Every state we countersigned that may still complete is a base too (issue #18 §1, machine.hpp).
    if (auto ok = check_against_outstanding(msg.state); !ok.ok()) {
        return refuse(ok.error().code, ok.error().message);
    }
    // Invariant 2: durable before the signature exists outside this function.
    if (store_->save_signing(channel_id_, msg.state) != PersistResult::completed) {
        return refuse(Errc::channel_persist_failed, "could not persist the state; nothing was signed");
    }
    last_signed_ = msg.state;
    outstanding_.push_back(msg.state);
    peer_ = PeerRound{proposer, msg.state, now()};
    out.messages.push_back(
        Outgoing{{proposer},
                 Countersignature{channel_id_, version, static_cast<std::uint16_t>(setup_.index),
                                  sign_state(key_, setup_.params, msg.state)}});
    return out;
}

Result<Output> Machine::on_countersignature(const Countersignature& msg) {
    if (!own_ || own_->state.version != msg.version) {
        return make_error(Errc::channel_bad_message,
                          "no proposal of ours at version " + std::to_string(msg.version));
    }
    if (msg.signer == setup_.index)
        return make_error(Errc::channel_bad_message, "a countersignature from ourselves");
    SLUICE_CHECK_OK(check_state_signature(setup_.params, own_->state, msg.signer, msg.signature));
    own_->sigs[msg.signer] = msg.signature;
    Output out;
    for (std::size_t i = 0; i < own_->sigs.size(); ++i) {
        if (i != setup_.index && !own_->sigs[i]) return out;
    }
    finish_own_round(out);
    return out;
}

void Machine::finish_own_round(Output& out) {
    // Our signature is the one that makes the state fully signed: the deposits must still cover it.
    if (auto ok = check_within_deposits(setup_.deposits, own_->state); !ok.ok()) {
        withdraw_own(out, ok.error().code, ok.error().message);
        return;
    }
    if (store_->save_signing(channel_id_, own_->state) != PersistResult::completed) {
        withdraw_own(out, Errc::channel_persist_failed,
                     "could not persist our signature; nothing was signed");
        return;
    }
    last_signed_ = own_->state;
    SignedState full{own_->state, own_->sigs};
    full.sigs[setup_.index] = sign_state(key_, setup_.params, full.state);
    // If this fails the signature we just made never leaves: the round is withdrawn like any failed one.
    if (auto ok = accept_fully_signed(full, setup_.index, out); !ok.ok()) {
        withdraw_own(out, Errc::channel_persist_failed, ok.error().message);
        return;
    }
    std::vector<Signature> sigs;
    for (const auto& sig : full.sigs)
        sigs.push_back(*sig);
    out.messages.insert(out.messages.begin(),
                        Outgoing{others(), Completion{channel_id_, full.state, std::move(sigs)}});
}

Status Machine::accept_fully_signed(const SignedState& full, std::optional<std::size_t> proposer,
                                    Output& out) {
    if (store_->save_fully_signed(channel_id_, full) != PersistResult::completed) {
        return make_error(Errc::channel_persist_failed, "could not persist the fully signed state");
    }
    // Our own credit is in the state now: what we reserved for it is no longer ours to keep back.
    if (proposer == setup_.index) {
        if (const auto credit = find_deposit_credit(latest_.state, full.state); credit.ok() && *credit) {
            const Address& asset = full.state.outcome[(*credit)->asset].asset;
            release_deposit(asset, (*credit)->amount);
        }
    }
    latest_ = full;
    if (last_signed_ && last_signed_->version <= latest_.state.version) last_signed_.reset();
    // Superseded: a higher fully signed version wins on-chain, and completions at or below it are refused.
    std::erase_if(outstanding_, [&](const State& s) { return s.version <= latest_.state.version; });
    seen_floor_ = 0;
    peer_.reset();
    if (own_ && own_->state == full.state) {
        own_.reset();
    } else if (own_) {
        withdraw_own(out, Errc::channel_conflict, "another update completed first");
    }
    out.events.push_back(UpdateCompleted{full, proposer});
    return {};
}

Result<Output> Machine::on_completion(const Completion& msg) {
    Output out;
    if (msg.state.version <= latest_.state.version) {
        if (msg.state == latest_.state) return out;  // a duplicate
        return make_error(Errc::channel_bad_version,
                          "completion of version " + std::to_string(msg.state.version) +
                              " is not above the latest " + std::to_string(latest_.state.version));
    }
    if (msg.signatures.size() != setup_.params.participants.size()) {
        return make_error(Errc::channel_bad_message, "a completion needs one signature per participant");
    }
    SignedState full{msg.state, {}};
    for (const auto& sig : msg.signatures)
        full.sigs.emplace_back(sig);
    SLUICE_CHECK_OK(validate_shape(setup_.params, full.state));
    // Our own signature is among them, so this is a state we validated and signed ourselves.
    SLUICE_CHECK_OK(check_fully_signed(setup_.params, full));
    std::optional<std::size_t> proposer;
    if (peer_ && peer_->state == msg.state) proposer = peer_->proposer;
    SLUICE_CHECK_OK(accept_fully_signed(full, proposer, out));
    return out;
}

Status Machine::check_rejection(const Rejection& msg, const State& refused) const {
    const Hash digest = rejection_digest(setup_.params, refused, msg);
    if (auto ok = check_signature(setup_.params.participants[msg.sender], digest, msg.signature); !ok.ok())
        return make_error(Errc::channel_bad_signature, "rejection signature: " + ok.error().message);
    return {};
}

Result<Output> Machine::on_rejection(const Rejection& msg) {
    if (msg.sender >= setup_.params.participants.size() || msg.sender == setup_.index) {
        return make_error(Errc::channel_not_participant, "rejection sender " + std::to_string(msg.sender));
    }
    // Each candidate round is taken only if the rejection is signed over its state: a forged or replayed
    // one changes nothing (issue #18 §7).
    Status verified = make_error(Errc::channel_bad_message,
                                 "no round at version " + std::to_string(msg.version) + " that participant " +
                                     std::to_string(msg.sender) + " takes part in");
    Output out;
    if (own_ && own_->state.version == msg.version) {
        verified = check_rejection(msg, own_->state);
        if (verified.ok()) {
            if (msg.min_version > 0) note_version_seen(msg.min_version - 1);
            withdraw_own(out, msg.code,
                         "participant " + std::to_string(msg.sender) + " refused: " + msg.reason);
            return out;
        }
    }
    if (peer_ && peer_->proposer == msg.sender && peer_->state.version == msg.version) {
        verified = check_rejection(msg, peer_->state);
        if (verified.ok()) {
            note_version_seen(msg.version);
            peer_.reset();  // the proposer withdrew; it will never sign that state
            return out;
        }
    }
    return verified.error();
}

}  // namespace sluice::channel
