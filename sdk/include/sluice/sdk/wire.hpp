// The node-to-node wire protocol (docs/wire.md): one JSON object per transport frame, each with a "type"
// and the protocol "version". The channel round messages (proposal, countersignature, completion,
// rejection) travel inside "channel" in the channel library's own JSON form (channel/message_json.hpp);
// the rest is what nodes need around them: opening a channel, re-syncing after a reconnect, forwarding a
// hashlocked payment, and typed error replies.
//
// Decoding is strict: unknown types (wire_unknown_type), other versions (wire_unsupported_version), and any
// missing, extra or ill-typed field (wire_malformed, naming the field) are errors, never a guess; what
// decodes encodes back to an equal message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sluice/channel/messages.hpp"
#include "sluice/channel/types.hpp"
#include "sluice/channel/update_rules.hpp"
#include "sluice/core/result.hpp"

namespace sluice::sdk::wire {

inline constexpr std::uint32_t kVersion = 1;

// The opener proposes a channel: its params, the initial state (version 0) and the deposits it expects,
// signed by the opener. Each other participant answers with AcceptChannel (its signature on the same state)
// or an ErrorReply.
struct OpenChannel {
    channel::Params params;
    channel::State initial;
    Signature opener_signature;
    friend bool operator==(const OpenChannel&, const OpenChannel&) = default;
};

struct AcceptChannel {
    Hash channel_id;
    std::uint16_t signer = 0;
    Signature signature;
    friend bool operator==(const AcceptChannel&, const AcceptChannel&) = default;
};

// A round message of the update machine.
struct ChannelMessage {
    channel::Message message;
    friend bool operator==(const ChannelMessage&, const ChannelMessage&) = default;
};

// After a (re)connect, for each shared channel: the latest fully signed version and the highest version
// this side signed. The side behind is sent the fully signed state (SyncState).
struct Sync {
    Hash channel_id;
    std::uint64_t latest_version = 0;
    std::uint64_t highest_signed = 0;
    friend bool operator==(const Sync&, const Sync&) = default;
};

struct SyncState {
    Hash channel_id;
    channel::SignedState latest;
    friend bool operator==(const SyncState&, const SyncState&) = default;
};

// Sent with the AddLock proposal to an intermediary: where to forward the payment of `hashlock`.
struct Forward {
    Hash channel_id;  // the channel the lock arrives on
    Hash hashlock;
    Address payee;             // the final recipient's identity address
    u256 amount;               // what the payee must receive
    std::uint64_t expiry = 0;  // the lock's expiry toward the payee (unix seconds), below the incoming one
    friend bool operator==(const Forward&, const Forward&) = default;
};

// From an intermediary to the payer: the payment of `hashlock` arriving on `channel_id` cannot be forwarded;
// the intermediary cancels the incoming lock next. `code` is an errc_name().
struct ForwardFailed {
    Hash channel_id;
    Hash hashlock;
    std::string code;
    std::string message;
    friend bool operator==(const ForwardFailed&, const ForwardFailed&) = default;
};

// The answer to a message that was refused; `code` is an errc_name(), `about` the refused message's type.
struct ErrorReply {
    std::string code;
    std::string message;
    std::string about;
    friend bool operator==(const ErrorReply&, const ErrorReply&) = default;
};

// To a relay (a hub that serves relaying): deliver `message`, an encoded wire message, to `to`, a peer the
// relay is connected to. The relay does not read it: every message a channel needs is signed by its author
// (or changes nothing), so a relay can delay or drop but never forge (docs/wire.md, "Relaying").
struct Relay {
    Address to;
    std::string message;
    friend bool operator==(const Relay&, const Relay&) = default;
};

// From the relay to `to`: `message` came from `from` over the relay's authenticated connection with it.
struct Relayed {
    Address from;
    std::string message;
    friend bool operator==(const Relayed&, const Relayed&) = default;
};

using Message = std::variant<OpenChannel, AcceptChannel, ChannelMessage, Sync, SyncState, Forward,
                             ForwardFailed, ErrorReply, Relay, Relayed>;

std::string_view type_name(const Message& message) noexcept;
std::string encode(const Message& message);
// Errors: wire_malformed (not JSON, a field missing, extra, of the wrong type or out of range; the
// message names it), wire_unknown_type, wire_unsupported_version.
Result<Message> decode(std::string_view text);

}  // namespace sluice::sdk::wire
