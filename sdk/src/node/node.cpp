// Node: connections, the wire dispatch and channel opening; the channels themselves are ChannelManager's.
#include "sluice/sdk/node.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <deque>
#include <string>

#include "node/node_peer.hpp"
#include "sluice/channel/clock.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/sdk/keystore.hpp"

namespace sluice::sdk {

namespace asio = boost::asio;

namespace {

Result<channel::Deposits> deposits_of(const channel::State& state) {
    channel::Deposits d;
    for (const auto& alloc : state.outcome) {
        SLUICE_TRY(const u256 total, channel::total_of(alloc));
        d[alloc.asset] = total;
    }
    return d;
}

}  // namespace

Result<NodeConfig> NodeConfig::with_keystore(const std::filesystem::path& keystore, std::string_view password,
                                             std::filesystem::path dir) {
    SLUICE_TRY(auto key, keystore::load(keystore, password));
    return NodeConfig(std::move(key), std::move(dir));
}

Node::Node(asio::any_io_executor executor, NodeConfig config, DataDirLock lock,
           std::unique_ptr<NodeStore> store)
    : executor_(executor),
      config_(std::move(config)),
      identity_(config_.identity.address()),
      lock_(std::move(lock)),
      store_(std::move(store)),
      book_(*store_, config_.clock),
      channels_(
          executor, config_.identity, *store_, config_.clock,
          [this](const Hash& id, std::size_t to, const wire::Message& message) {
              const auto params = channels_.params(id);
              if (params && to < params->participants.size()) send_to(params->participants[to], message);
          },
          [this](const ChannelEvent& event) { on_channel_event(event); }, config_.machine),
      acceptor_strand_(asio::make_strand(executor)),
      acceptor_(acceptor_strand_) {}

Node::~Node() {
    // Nothing runs on the acceptor any more: its accept loop held a reference to the node.
    close_connections();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
}

Result<std::shared_ptr<Node>> Node::start(asio::any_io_executor executor, NodeConfig config) {
    SLUICE_TRY(auto lock, DataDirLock::acquire(config.data_dir));
    SLUICE_TRY(auto store, NodeStore::open(config.data_dir / "node.sqlite"));
    if (!config.clock) config.clock = channel::system_clock();
    const auto listen = config.listen;
    std::shared_ptr<Node> node(new Node(executor, std::move(config), std::move(lock), std::move(store)));
    Node* raw = node.get();
    node->store_->set_round_hook(node->book_.round_hook());
    if (node->config_.on_commit) node->store_->set_commit_observer(node->config_.on_commit);
    node->store_->set_event_listener([raw](const std::vector<QueuedEvent>& events) {
        if (!raw->config_.on_event) return;
        for (const auto& e : events)
            raw->config_.on_event(e);
    });
    node->channels_.set_hooks(ChannelHooks{
        [raw](const Hash&, std::uint64_t version, const std::vector<Hash>& tags) {
            if (!tags.empty()) raw->book_.post_proposed(tags, version);
        },
        [raw](const Hash& id, const std::vector<Bytes32>& preimages) { raw->on_revealed(id, preimages); },
        raw->config_.on_round, [raw](const Hash& id) { raw->on_deposits_refused(id); }});
    SLUICE_CHECK_OK(node->channels_.restore());
    boost::system::error_code ec;
    node->acceptor_.open(listen.protocol(), ec);
    if (!ec) node->acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) node->acceptor_.bind(listen, ec);
    if (!ec) node->acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) node->endpoint_ = node->acceptor_.local_endpoint(ec);
    if (ec)
        return make_error(Errc::net_connect_failed,
                          "listen on " + listen.address().to_string() + ": " + ec.message());
    asio::co_spawn(node->acceptor_strand_, node->accept_loop(), asio::detached);
    asio::co_spawn(node->executor_, tick_loop(node), asio::detached);
    node->resume_payments();
    if (node->config_.l1.client) {
        SLUICE_TRY(const auto records, node->store_->channels());
        for (const auto& r : records) {
            if (r.status == ChannelStatus::opening) node->start_funding(r.id);
        }
    }
    return node;
}

void Node::stop() {
    if (!close_connections()) return;
    asio::post(acceptor_strand_, [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
    });
}

bool Node::close_connections() {
    std::map<Address, std::shared_ptr<Peer>> peers;
    {
        std::lock_guard lock(mutex_);
        if (stopped_) return false;
        stopped_ = true;
        peers.swap(peers_);
    }
    for (auto& entry : peers) {
        // clang 14 cannot capture a structured binding: name the pointer first.
        std::shared_ptr<Peer> peer = entry.second;
        asio::co_spawn(
            executor_, [peer]() -> asio::awaitable<void> { (void)co_await peer->connection.close(); },
            asio::detached);
    }
    return true;
}

NodeStats Node::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

std::vector<PeerInfo> Node::peers() const {
    std::lock_guard lock(mutex_);
    std::map<Address, PeerInfo> all;
    for (const auto& [address, peer] : peers_)
        all[address] = PeerInfo{address, true, std::nullopt};
    for (const auto& [address, endpoint] : dial_targets_) {
        auto& info = all[address];
        info.address = address;
        info.dialled = endpoint;
    }
    std::vector<PeerInfo> out;
    for (auto& [address, info] : all)
        out.push_back(std::move(info));
    return out;
}

ForwardingPolicy Node::forwarding() const {
    std::lock_guard lock(mutex_);
    return config_.forwarding;
}

void Node::set_forwarding(ForwardingPolicy policy) {
    std::lock_guard lock(mutex_);
    config_.forwarding = std::move(policy);
}

bool Node::connected(const Address& peer) const {
    std::lock_guard lock(mutex_);
    return peers_.contains(peer);
}

asio::awaitable<void> Node::accept_loop() {
    auto self = shared_from_this();
    for (;;) {
        auto accepted = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
        if (std::get<0>(accepted)) co_return;  // closed by stop()
        asio::ip::tcp::socket socket = std::move(std::get<1>(accepted));
        // Each handshake runs on its own, so a slow or hostile peer holds up nobody else.
        asio::co_spawn(
            executor_,
            [self, socket = std::move(socket)]() mutable -> asio::awaitable<void> {
                auto connection =
                    co_await net::accept(std::move(socket), self->config_.identity, self->config_.connection);
                if (connection) self->attach(std::move(connection).value());
            },
            asio::detached);
    }
}

net::Async<void> Node::connect(Address peer, asio::ip::tcp::endpoint endpoint) {
    auto self = shared_from_this();
    SLUICE_CO_TRY(auto connection,
                  co_await net::connect(executor_, endpoint, config_.identity, peer, config_.connection));
    {
        std::lock_guard lock(mutex_);
        dial_targets_[peer] = endpoint;
    }
    attach(std::move(connection));
    co_return Status{};
}

void Node::attach(net::Connection connection) {
    const Address address = connection.peer();
    auto peer = std::make_shared<Peer>(address, std::move(connection), config_.peer_limits);
    std::shared_ptr<Peer> replaced;
    {
        std::lock_guard lock(mutex_);
        if (stopped_) return;
        auto& slot = peers_[address];
        replaced = std::move(slot);  // a newer connection to the same peer wins
        slot = peer;
    }
    if (replaced) {
        asio::co_spawn(
            executor_, [replaced]() -> asio::awaitable<void> { (void)co_await replaced->connection.close(); },
            asio::detached);
    }
    asio::co_spawn(executor_, read_loop(peer), asio::detached);
    emit_events({PeerConnected{address}});
    on_connected(address);
}

asio::awaitable<void> Node::read_loop(std::shared_ptr<Peer> peer) {
    auto self = shared_from_this();
    for (;;) {
        auto frame = co_await peer->connection.receive();
        if (!frame) break;
        if (auto admitted = peer->guard.admit(PeerGuard::Clock::now()); !admitted) {
            std::lock_guard lock(mutex_);
            ++stats_.bad_messages;
            if (peer->guard.bad_messages() > config_.peer_limits.max_bad_messages) break;
            continue;
        }
        const std::string_view text(reinterpret_cast<const char*>(frame->data()), frame->size());
        auto message = wire::decode(text);
        if (!message) {
            refuse(Sender{peer->address, peer}, message.error(), "unknown");
            if (peer->guard.bad_messages() > config_.peer_limits.max_bad_messages) break;
            continue;
        }
        if (config_.on_message) config_.on_message(peer->address, *message);
        handle(Sender{peer->address, peer}, std::move(message).value());
        if (peer->guard.bad_messages() > config_.peer_limits.max_bad_messages) break;
    }
    bool dropped = false;
    bool redial_it = false;
    bool was_current = false;
    {
        std::lock_guard lock(mutex_);
        const auto it = peers_.find(peer->address);
        const bool current = it != peers_.end() && it->second == peer;
        if (current) peers_.erase(it);
        if (peer->guard.bad_messages() > config_.peer_limits.max_bad_messages) {
            ++stats_.peers_dropped;
            dropped = true;
            dial_targets_.erase(peer->address);
        }
        redial_it = current && !dropped && !stopped_ && dial_targets_.contains(peer->address);
        was_current = current;
    }
    if (was_current) emit_events({PeerDisconnected{peer->address}});
    if (dropped) (void)co_await peer->connection.close();
    if (redial_it) asio::co_spawn(executor_, redial(self, peer->address), asio::detached);
}

void Node::send_to(const Address& address, const wire::Message& message) {
    std::shared_ptr<Peer> peer;
    std::optional<Address> via;
    {
        std::lock_guard lock(mutex_);
        if (const auto it = peers_.find(address); it != peers_.end()) {
            peer = it->second;
        } else {
            for (const Address& relay : config_.relays) {
                if (relay == address) continue;
                if (const auto r = peers_.find(relay); r != peers_.end()) {
                    peer = r->second;
                    via = relay;
                    break;
                }
            }
        }
    }
    // Not connected and no relay up: the machine's timeouts and a later sync take over.
    if (!peer) return;
    enqueue(peer, via ? wire::encode(wire::Relay{address, wire::encode(message)}) : wire::encode(message));
}

void Node::enqueue(const std::shared_ptr<Peer>& peer, std::string encoded) {
    bool start_writer = false;
    {
        std::lock_guard lock(peer->out_mutex);
        peer->out.push_back(std::move(encoded));
        if (!peer->writing) start_writer = peer->writing = true;
    }
    if (!start_writer) return;
    asio::co_spawn(
        executor_,
        [peer]() -> asio::awaitable<void> {
            for (;;) {
                std::string frame;
                {
                    std::lock_guard lock(peer->out_mutex);
                    if (peer->out.empty()) {
                        peer->writing = false;
                        co_return;
                    }
                    frame = std::move(peer->out.front());
                    peer->out.pop_front();
                }
                const ByteView bytes(reinterpret_cast<const std::uint8_t*>(frame.data()), frame.size());
                if (!(co_await peer->connection.send(bytes))) {
                    std::lock_guard lock(peer->out_mutex);
                    peer->out.clear();
                    peer->writing = false;
                    co_return;
                }
            }
        },
        asio::detached);
}

void Node::refuse(const Sender& from, const Error& error, std::string_view about) {
    if (from.direct) from.direct->guard.record_bad();
    {
        std::lock_guard lock(mutex_);
        ++stats_.bad_messages;
    }
    send_to(from.address,
            wire::ErrorReply{std::string(errc_name(error.code)), error.message, std::string(about)});
}

void Node::handle(const Sender& from, wire::Message message) {
    if (auto* m = std::get_if<wire::ChannelMessage>(&message)) {
        const Hash& id = std::visit([](const auto& x) -> const Hash& { return x.channel_id; }, m->message);
        const auto params = channels_.params(id);
        const auto index = params ? channel::participant_index(*params, from.address) : std::nullopt;
        if (!index) {
            refuse(from,
                   make_error(Errc::node_unknown_channel, "no channel " + to_hex(id.view()) + " with you"),
                   "channel");
            return;
        }
        if (auto s = channels_.deliver(*index, m->message); !s.ok()) refuse(from, s.error(), "channel");
    } else if (const auto* open = std::get_if<wire::OpenChannel>(&message)) {
        on_open(from, *open);
    } else if (const auto* accept = std::get_if<wire::AcceptChannel>(&message)) {
        on_accept(from, *accept);
    } else if (const auto* sync = std::get_if<wire::Sync>(&message)) {
        on_sync(from, *sync);
    } else if (const auto* state = std::get_if<wire::SyncState>(&message)) {
        on_sync_state(from, *state);
    } else if (const auto* forward = std::get_if<wire::Forward>(&message)) {
        on_forward(from, *forward);
    } else if (const auto* failed = std::get_if<wire::ForwardFailed>(&message)) {
        on_forward_failed(from, *failed);
    } else if (auto* relay = std::get_if<wire::Relay>(&message)) {
        on_relay(from, std::move(*relay));
    } else if (const auto* relayed = std::get_if<wire::Relayed>(&message)) {
        on_relayed(from, *relayed);
    } else if (std::holds_alternative<wire::ErrorReply>(message)) {
        // The peer refused something of ours: the machine's own timeout withdraws the round.
    } else {
        refuse(from,
               make_error(Errc::not_supported, std::string(wire::type_name(message)) + " is not served yet"),
               wire::type_name(message));
    }
}

void Node::on_open(const Sender& from, const wire::OpenChannel& open) {
    const auto fail = [&](Error e) { refuse(from, e, "open_channel"); };
    const auto me = channel::participant_index(open.params, identity_);
    const auto opener = channel::participant_index(open.params, from.address);
    if (!me || !opener)
        return fail(make_error(Errc::channel_not_participant, "we are not both participants"));
    if (open.initial.channel_id != channel::channel_id(open.params) || open.initial.version != 0)
        return fail(
            make_error(Errc::channel_bad_shape, "the initial state is not version 0 of this channel"));
    if (auto s = channel::check_state_signature(open.params, open.initial, *opener, open.opener_signature);
        !s.ok())
        return fail(s.error());
    auto deposits = deposits_of(open.initial);
    if (!deposits) return fail(deposits.error());
    PendingOpen pending{
        open.params,
        {open.initial, std::vector<std::optional<Signature>>(open.params.participants.size())},
        std::move(deposits).value(),
        false};
    pending.initial.sigs[*opener] = open.opener_signature;
    const Signature mine = channel::sign_state(config_.identity, open.params, open.initial);
    pending.initial.sigs[*me] = mine;
    const Hash id = open.initial.channel_id;
    if (channels_.params(id)) return fail(make_error(Errc::invalid_argument, "the channel exists already"));
    send_to(from.address, wire::AcceptChannel{id, static_cast<std::uint16_t>(*me), mine});
    if (pending.initial.fully_signed()) {
        complete_open(id, pending);
        return;
    }
    std::lock_guard lock(mutex_);
    pending_opens_[id] = std::move(pending);
}

void Node::on_accept(const Sender& from, const wire::AcceptChannel& accept) {
    std::optional<PendingOpen> ready;
    bool accepted = false;
    {
        std::lock_guard lock(mutex_);
        const auto it = pending_opens_.find(accept.channel_id);
        if (it != pending_opens_.end() && it->second.opener) {
            PendingOpen& p = it->second;
            const auto signer = channel::participant_index(p.params, from.address);
            if (signer && *signer == accept.signer &&
                channel::check_state_signature(p.params, p.initial.state, *signer, accept.signature).ok()) {
                accepted = true;
                p.initial.sigs[*signer] = accept.signature;
                if (p.initial.fully_signed()) {
                    ready = std::move(p);
                    pending_opens_.erase(it);
                }
            }
        }
    }
    if (ready) complete_open(accept.channel_id, *ready);
    if (accepted) return;
    refuse(from, make_error(Errc::channel_bad_signature, "no open of ours that this signature completes"),
           "accept_channel");
}

void Node::complete_open(const Hash& id, const PendingOpen& pending) {
    const auto me = channel::participant_index(pending.params, identity_);
    // With an L1, nothing is funded until L1 says so (the machine signs nothing the deposits do not cover).
    const bool on_l1 = config_.l1.client != nullptr;
    ChannelRecord record{id, pending.params, *me, on_l1 ? ChannelStatus::opening : ChannelStatus::open,
                         on_l1 ? channel::Deposits{} : pending.deposits};
    if (!channels_.add(record, pending.initial).ok()) return;
    if (on_l1) {
        emit_events({ChannelOpening{id}});
        start_funding(id);
    } else {
        emit_events({ChannelOpened{id}});
    }
    if (!pending.opener) return;
    for (std::size_t i = 0; i < pending.params.participants.size(); ++i) {
        if (i != *me) send_to(pending.params.participants[i], wire::SyncState{id, pending.initial});
    }
}

net::Async<Hash> Node::open_channel(channel::Params params, channel::State initial,
                                    channel::Deposits deposits) {
    auto self = shared_from_this();
    const auto me = channel::participant_index(params, identity_);
    if (!me) co_return make_error(Errc::channel_not_participant, "we are not a participant");
    const Hash id = channel::channel_id(params);
    if (initial.channel_id != id || initial.version != 0)
        co_return make_error(Errc::channel_bad_shape, "the initial state is not version 0 of this channel");
    for (std::size_t i = 0; i < params.participants.size(); ++i) {
        if (i != *me && !reachable(params.participants[i]))
            co_return make_error(Errc::node_unknown_peer,
                                 "not connected to " + params.participants[i].to_checksum_hex());
    }
    const Signature mine = channel::sign_state(config_.identity, params, initial);
    PendingOpen pending{params,
                        {initial, std::vector<std::optional<Signature>>(params.participants.size())},
                        std::move(deposits),
                        true};
    pending.initial.sigs[*me] = mine;
    {
        std::lock_guard lock(mutex_);
        pending_opens_[id] = pending;
    }
    for (std::size_t i = 0; i < params.participants.size(); ++i) {
        if (i != *me) send_to(params.participants[i], wire::OpenChannel{params, initial, mine});
    }
    asio::steady_timer timer(executor_);
    const auto deadline = std::chrono::steady_clock::now() + config_.open_timeout;
    while (!channels_.params(id)) {
        if (std::chrono::steady_clock::now() > deadline) {
            std::lock_guard lock(mutex_);
            pending_opens_.erase(id);
            co_return make_error(Errc::net_timeout, "not every participant signed the initial state in time");
        }
        timer.expires_after(std::chrono::milliseconds(5));
        co_await timer.async_wait(asio::use_awaitable);
    }
    co_return id;
}

Result<std::vector<QueuedEvent>> Node::events() {
    SLUICE_TRY(const auto stored, store_->unacknowledged_events());
    std::vector<QueuedEvent> out;
    out.reserve(stored.size());
    for (const auto& e : stored) {
        SLUICE_TRY(auto event, decode_event(e.kind, e.body));
        out.push_back(QueuedEvent{e.seq, std::move(event)});
    }
    return out;
}

void Node::emit_events(std::vector<NodeEvent> events) {
    // A failed write loses the notice, not money: what it reports is stored in its own tables.
    (void)store_->write_with_events([&](sqlite::Database&, std::vector<NodeEvent>& out) -> Status {
        out = events;
        return {};
    });
}

}  // namespace sluice::sdk
