// The messages of one update round (DESIGN.md §3, as amended in machine.hpp): plain values, no I/O.
// JSON forms are in message_json.hpp.
//
//   proposer -> all others:  Proposal      (the next state, authenticated by a proposal signature)
//   each other -> proposer:  Countersignature (its EIP-712 signature of the state)
//   proposer -> all others:  Completion    (the state with every participant's signature, its own last)
//   anyone -> proposer:      Rejection     (why the proposal is refused, signed by its sender)
//   proposer -> all others:  Rejection     (the proposer withdraws its proposal: crossing lost, refused,
//   timed out; signed too)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sluice/channel/types.hpp"

namespace sluice::channel {

struct Proposal {
    Hash channel_id;
    std::uint16_t proposer = 0;
    std::uint64_t base_version = 0;  // the fully signed state the proposal builds on
    State state;
    std::vector<Bytes32> preimages;  // revealed for the locks this update settles
    Signature signature;             // proposer's signature of proposal_digest(), never of the state itself

    friend bool operator==(const Proposal&, const Proposal&) = default;
};

struct Countersignature {
    Hash channel_id;
    std::uint64_t version = 0;
    std::uint16_t signer = 0;
    Signature signature;  // of state_digest(params, state)

    friend bool operator==(const Countersignature&, const Countersignature&) = default;
};

struct Completion {
    Hash channel_id;
    State state;
    std::vector<Signature> signatures;  // one per participant, in participant order

    friend bool operator==(const Completion&, const Completion&) = default;
};

// The codes a Rejection may carry: the channel layer's own (errc.hpp, 800-849).
inline constexpr bool is_channel_errc(Errc code) noexcept {
    const auto raw = static_cast<std::uint16_t>(code);
    return raw >= 800 && raw <= 849;
}

// Authenticated like a proposal (issue #18 §7): `signature` is the sender's over rejection_digest(), which
// binds the refused state, so a relay can neither forge one (a min_version hint far above the latest would
// leave us no version to propose; a forged withdrawal would free a countersigner from waiting) nor replay a
// genuine one against another state at the same version. The receiver checks it against the state it holds
// for that version (our proposal, or the one we countersigned) and drops a mismatch with
// channel_bad_signature.
struct Rejection {
    Hash channel_id;
    std::uint64_t version = 0;  // of the proposal refused or withdrawn
    std::uint16_t sender = 0;
    Errc code = Errc::channel_bad_message;  // a channel_* code
    std::string reason;                     // at most kMaxReasonBytes
    std::uint64_t min_version = 0;          // the lowest version the sender would sign next (0: no hint)
    Signature signature;                    // sender's signature of rejection_digest(), never of a state

    friend bool operator==(const Rejection&, const Rejection&) = default;
};

// The longest reason a rejection carries (message_json refuses longer ones).
inline constexpr std::size_t kMaxReasonBytes = 1024;

using Message = std::variant<Proposal, Countersignature, Completion, Rejection>;

// keccak256("sluice.proposal.v1" ‖ state_digest ‖ uint64be(base_version) ‖ keccak256(preimages...)).
// The domain prefix makes it a digest no state signature can be confused with: the adjudicator only
// accepts signatures over 0x1901-prefixed EIP-712 digests, so a proposal signature never moves money.
Hash proposal_digest(const Params& params, const State& state, std::uint64_t base_version,
                     const std::vector<Bytes32>& preimages);

// keccak256("sluice.rejection.v1" ‖ state_digest(refused) ‖ uint16be(sender) ‖ uint16be(code) ‖
// uint64be(min_version) ‖ keccak256(reason)), where `refused` is the proposed state the rejection refuses or
// withdraws (its version is rejection.version). Domain-separated like proposal_digest: it never moves money.
Hash rejection_digest(const Params& params, const State& refused, const Rejection& rejection);

// The channel id every message carries, for routing to the right machine.
const Hash& message_channel_id(const Message& message) noexcept;

}  // namespace sluice::channel
