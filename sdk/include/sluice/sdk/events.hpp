// The node's typed events (ldk-node's Event): what an app reacts to. Each is stored in the node's event
// queue in the same SQLite transaction as the state change it reports, handed to NodeConfig::on_event once
// committed, and redelivered by Node::events() after a restart until acknowledged.
//
// In the store an event is its kind (the struct's name) and a JSON body (amounts as decimal strings, hashes
// and addresses as 0x-hex): encode_event / decode_event below, strict as the wire codec.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::sdk {

struct PeerConnected {
    Address peer;
    friend bool operator==(const PeerConnected&, const PeerConnected&) = default;
};
struct PeerDisconnected {
    Address peer;
    friend bool operator==(const PeerDisconnected&, const PeerDisconnected&) = default;
};
// The initial state is signed by everyone; deposits are not all confirmed yet.
struct ChannelOpening {
    Hash channel_id;
    friend bool operator==(const ChannelOpening&, const ChannelOpening&) = default;
};
// Every deposit is confirmed: the channel carries payments.
struct ChannelOpened {
    Hash channel_id;
    friend bool operator==(const ChannelOpened&, const ChannelOpened&) = default;
};
struct ChannelUpdated {
    Hash channel_id;
    std::uint64_t version = 0;
    friend bool operator==(const ChannelUpdated&, const ChannelUpdated&) = default;
};
// A final state or an L1 registration: funds move on L1 at `eta` (unix seconds; now for a cooperative close).
struct ChannelClosing {
    Hash channel_id;
    std::uint64_t eta = 0;
    friend bool operator==(const ChannelClosing&, const ChannelClosing&) = default;
};
struct ChannelClosed {
    Hash channel_id;
    friend bool operator==(const ChannelClosed&, const ChannelClosed&) = default;
};
// `payment_hash` is the hashlock for invoice payments and the payment id for direct ones (zero for a direct
// payment received: the payer's id does not travel).
struct PaymentReceived {
    Hash payment_hash;
    Hash channel_id;
    Address asset;
    u256 amount;
    friend bool operator==(const PaymentReceived&, const PaymentReceived&) = default;
};
struct PaymentSent {
    Hash payment_hash;
    Hash channel_id;
    Address asset;
    u256 amount;  // what the payee received
    u256 fee;     // what the intermediary kept
    friend bool operator==(const PaymentSent&, const PaymentSent&) = default;
};
struct PaymentFailed {
    Hash payment_hash;
    std::string code;    // an errc_name()
    std::string reason;  // for people
    friend bool operator==(const PaymentFailed&, const PaymentFailed&) = default;
};
struct DepositConfirmed {
    Hash channel_id;
    Address asset;
    u256 total;  // the channel's confirmed holdings of the asset
    friend bool operator==(const DepositConfirmed&, const DepositConfirmed&) = default;
};
struct DisputeDetected {
    Hash channel_id;
    std::uint64_t version = 0;  // the registered version
    friend bool operator==(const DisputeDetected&, const DisputeDetected&) = default;
};

using NodeEvent = std::variant<PeerConnected, PeerDisconnected, ChannelOpening, ChannelOpened, ChannelUpdated,
                               ChannelClosing, ChannelClosed, PaymentReceived, PaymentSent, PaymentFailed,
                               DepositConfirmed, DisputeDetected>;

// An event and its place in the queue (what Node::acknowledge takes).
struct QueuedEvent {
    std::int64_t seq = 0;
    NodeEvent event;
};

std::string_view event_kind(const NodeEvent& event) noexcept;
std::string encode_event_body(const NodeEvent& event);
// store_corrupt for an unknown kind or a body that does not decode (a store written by a newer build).
Result<NodeEvent> decode_event(std::string_view kind, std::string_view body);

}  // namespace sluice::sdk
