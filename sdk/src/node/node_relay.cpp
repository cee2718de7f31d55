// Node: relaying (docs/wire.md, "Relaying"). A hub carries messages between participants of a channel who
// have no connection with each other, as a star. It never reads what it carries: every message a channel
// needs is signed by its author (states, countersignatures, rejections) or changes nothing on its own
// (Sync), so a relay can delay or drop, never forge. Forward requests are not relayed: they are unsigned
// and tell an intermediary where to send money.
#include "node/node_peer.hpp"
#include "sluice/sdk/node.hpp"

namespace sluice::sdk {

namespace {

// What may arrive through a relay: the messages of opening, updating and re-syncing a channel.
bool relayable(const wire::Message& message) {
    return std::holds_alternative<wire::OpenChannel>(message) ||
           std::holds_alternative<wire::AcceptChannel>(message) ||
           std::holds_alternative<wire::ChannelMessage>(message) ||
           std::holds_alternative<wire::Sync>(message) || std::holds_alternative<wire::SyncState>(message) ||
           std::holds_alternative<wire::ErrorReply>(message);
}

}  // namespace

bool Node::reachable(const Address& peer) const {
    std::lock_guard lock(mutex_);
    if (peers_.contains(peer)) return true;
    for (const Address& relay : config_.relays) {
        if (relay != peer && peers_.contains(relay)) return true;
    }
    return false;
}

void Node::on_relay(const Sender& from, wire::Relay relay) {
    if (!from.direct)
        return refuse(from, make_error(Errc::invalid_argument, "a relay request inside a relayed message"),
                      "relay");
    if (!config_.serve_relay)
        return refuse(from, make_error(Errc::not_supported, "this node does not relay"), "relay");
    if (relay.to == from.address || relay.to == identity_)
        return refuse(from,
                      make_error(Errc::invalid_argument, "a relay to the sender or to the relay itself"),
                      "relay");
    std::shared_ptr<Peer> to;
    {
        std::lock_guard lock(mutex_);
        if (const auto it = peers_.find(relay.to); it != peers_.end()) {
            to = it->second;
            ++stats_.relayed;
        } else {
            ++stats_.relay_refused;
        }
    }
    if (!to) {
        // Not a fault of the sender's (the destination may be offline): answered, not counted as bad.
        send_to(from.address, wire::ErrorReply{std::string(errc_name(Errc::node_unknown_peer)),
                                               "not connected to " + relay.to.to_checksum_hex(), "relay"});
        return;
    }
    enqueue(to, wire::encode(wire::Relayed{from.address, std::move(relay.message)}));
}

void Node::on_relayed(const Sender& from, const wire::Relayed& relayed) {
    if (!from.direct || relayed.from == identity_ || relayed.from == from.address)
        return refuse(from, make_error(Errc::invalid_argument, "a relayed message that cannot be"),
                      "relayed");
    const Sender origin{relayed.from, nullptr};
    auto inner = wire::decode(relayed.message);
    if (!inner) return refuse(origin, inner.error(), "relayed");
    if (!relayable(*inner))
        return refuse(origin,
                      make_error(Errc::not_supported,
                                 std::string(wire::type_name(*inner)) + " is not accepted through a relay"),
                      wire::type_name(*inner));
    if (config_.on_message) config_.on_message(relayed.from, *inner);
    handle(origin, std::move(inner).value());
}

}  // namespace sluice::sdk
