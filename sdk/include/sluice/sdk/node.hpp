// Node: what an app embeds (ldk-node's Node, go-perun's client). It holds one identity key and one data dir
// (locked for the process, data_dir_lock.hpp), listens on a loopback TCP port for the encrypted transport
// (net/connection.hpp), keeps its channels in NodeStore and runs each channel's machine on its own strand
// (ChannelManager). Peers exchange the wire messages of docs/wire.md.
//
// What it does and how: docs/architecture.md §5b.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include "sluice/sdk/channel_manager.hpp"
#include "sluice/sdk/data_dir_lock.hpp"
#include "sluice/sdk/events.hpp"
#include "sluice/sdk/funding.hpp"
#include "sluice/sdk/invoice.hpp"
#include "sluice/sdk/net/backoff.hpp"
#include "sluice/sdk/net/connection.hpp"
#include "sluice/sdk/node_store.hpp"
#include "sluice/sdk/payment_book.hpp"
#include "sluice/sdk/peer_guard.hpp"
#include "sluice/sdk/wire.hpp"

namespace sluice::sdk {

// What an intermediary asks for forwarding a hashlocked payment (DESIGN.md §3): base + amount·ppm/10^6,
// and Δ, how much earlier than the incoming lock the outgoing one must expire. Fees and the liquidity limit
// are per outgoing channel (as lnd's channel policies): `channels` overrides the defaults for one.
struct ChannelPolicy {
    std::optional<u256> base_fee;
    std::optional<std::uint64_t> fee_ppm;
    // The most this node keeps locked toward others on the channel at once (its outgoing locks plus the
    // new one); 0: no limit beyond its balance.
    std::optional<u256> max_locked;
};
struct ForwardingPolicy {
    bool enabled = true;
    u256 base_fee;
    std::uint64_t fee_ppm = 0;
    std::uint64_t delta = 600;  // seconds
    u256 max_locked;            // default liquidity limit per outgoing channel (0: none)
    std::map<Hash, ChannelPolicy> channels;
    u256 fee_for(const u256& amount, const std::optional<Hash>& out_channel = std::nullopt) const {
        const ChannelPolicy* p = nullptr;
        if (out_channel) {
            const auto it = channels.find(*out_channel);
            if (it != channels.end()) p = &it->second;
        }
        const u256 base = p && p->base_fee ? *p->base_fee : base_fee;
        const std::uint64_t ppm = p && p->fee_ppm ? *p->fee_ppm : fee_ppm;
        return base + amount * u256{ppm} / u256{1'000'000};
    }
    u256 limit_for(const Hash& out_channel) const {
        const auto it = channels.find(out_channel);
        return it != channels.end() && it->second.max_locked ? *it->second.max_locked : max_locked;
    }
};

// The node's L1: where channels are funded and closed. Both must outlive the node; the signer sends from
// the node's L1 key (TxSigner: one signer per key).
struct NodeL1 {
    l1::L1Client* client = nullptr;
    l1::TxSigner* signer = nullptr;
    FundingOptions funding;  // confirmations, polling
};

struct NodeConfig {
    NodeConfig(PrivateKey key, std::filesystem::path dir)
        : identity(std::move(key)), data_dir(std::move(dir)) {}
    // The identity from a keystore file (keystore.hpp) instead of a key in memory. Errors: keystore_*.
    static Result<NodeConfig> with_keystore(const std::filesystem::path& keystore, std::string_view password,
                                            std::filesystem::path dir);
    PrivateKey identity;
    std::filesystem::path data_dir;
    boost::asio::ip::tcp::endpoint listen{boost::asio::ip::address_v4::loopback(), 0};
    net::ConnectionOptions connection;
    PeerLimits peer_limits;
    channel::Clock clock;  // unix seconds; the system clock when empty
    std::chrono::milliseconds open_timeout{10'000};
    // Redialling a peer we connected to once its connection drops (not one we dropped for misbehaving).
    net::BackoffOptions reconnect;
    channel::MachineOptions machine;  // round timeout, lock margins (channel/machine.hpp)
    // Without a client, channels are taken as funded with what their initial state says (tests, or an app
    // that funds them itself) and closing ends off-chain at the final state.
    NodeL1 l1;
    std::chrono::milliseconds close_timeout{30'000};  // for every participant to sign the final state
    ForwardingPolicy forwarding;
    std::uint64_t payment_lock_lifetime = 3600;  // seconds the payer's lock lives
    std::optional<HubEndpoint> invoice_hub;      // put in our invoices: where payers reach us
    // Each event once it is stored (on a node thread; keep it short). The queue (events()) has them too.
    std::function<void(const QueuedEvent&)> on_event;
    // Each of our rounds once fully signed: proposal to last signature, operations carried (metrics).
    std::function<void(std::chrono::microseconds latency, std::size_t operations)> on_round;
    // Each SQLite group commit: its duration and how many writes it carried (metrics).
    GroupCommit::CommitObserver on_commit;
    // Test observer (the crash campaign records every signature a peer sent): each decoded wire message
    // from a peer, before the node handles it, on the connection's reader. Empty in production.
    std::function<void(const Address& from, const wire::Message&)> on_message;
    // Peers that relay our messages to channel participants we have no connection with (our hubs), tried in
    // this order; and whether we relay for our own peers (a hub does). docs/wire.md, "Relaying".
    std::vector<Address> relays;
    bool serve_relay = false;
};

// A peer as listpeers shows it.
struct PeerInfo {
    Address address;
    bool connected = false;
    std::optional<boost::asio::ip::tcp::endpoint> dialled;  // where we dial it (peers we connected to)
};

struct NodeStats {
    std::uint64_t bad_messages = 0;   // refused wire messages, all peers
    std::uint64_t peers_dropped = 0;  // disconnected for crossing PeerLimits::max_bad_messages
    std::uint64_t relayed = 0;        // messages we relayed between two of our peers
    std::uint64_t relay_refused = 0;  // relay requests refused (to a peer we have no connection with, ...)
};

class Node : public std::enable_shared_from_this<Node> {
  public:
    // Locks the data dir, opens the store, restores every channel, starts listening. Errors:
    // node_data_dir_locked, store_*, net_connect_failed (the listen address).
    static Result<std::shared_ptr<Node>> start(boost::asio::any_io_executor executor, NodeConfig config);
    ~Node();
    // Stops listening and closes every connection; queued work of the channels is abandoned (the store
    // holds every signed state). Idempotent.
    void stop();

    const Address& identity() const noexcept { return identity_; }
    boost::asio::ip::tcp::endpoint endpoint() const { return endpoint_; }

    // Dials a peer and authenticates it (net_wrong_identity when another identity answers). Once connected,
    // the node redials it with backoff whenever the connection drops, until stop(). On every connection
    // (dialled or accepted) both sides re-sync each channel they share (wire::Sync): the side behind is
    // sent the latest fully signed state, and rounds in flight with that peer end as
    // Machine::peer_reconnected says.
    net::Async<void> connect(Address peer, boost::asio::ip::tcp::endpoint endpoint);
    bool connected(const Address& peer) const;

    // Opens a channel among params.participants (we must be one, and connected to every other): sends the
    // initial state signed by us, returns once every participant's signature is in and the channel is
    // persisted. Errors: node_unknown_peer, net_timeout (not every signature within open_timeout), the
    // channel library's refusals.
    net::Async<Hash> open_channel(channel::Params params, channel::State initial, channel::Deposits deposits);

    // Cooperative close: proposes the final state, and once everyone signed it concludes and withdraws on
    // L1 (CooperativeClose; every participant's node does the same, idempotently). ChannelClosing, then
    // ChannelClosed. Errors: node_unknown_channel, net_timeout (the final state not signed in
    // close_timeout), the L1 close's (close_*).
    net::Async<void> close_channel(const Hash& channel_id);

    // Top-up (issue #14, node_topup.cpp): deposits `amount` of `asset` on L1, waits for the configured
    // confirmations, records the higher holdings and proposes the Deposit crediting us; returns our new
    // balance of the asset once the credit is fully signed. Errors: invalid_argument (zero, no L1),
    // node_unknown_channel, channel_final (closing or closed), funding_bad_request (an asset the channel
    // lacks, or not open yet), funding_* (the deposit), net_timeout (not confirmed or not credited in time;
    // the deposit stays reserved as ours in the machine until a restart).
    net::Async<u256> topup(const Hash& channel_id, const Address& asset, const u256& amount);

    // Queues a direct payment to participant `to`; it goes out in the channel's next round. The payment id;
    // PaymentSent (or PaymentFailed) follows, and a payment interrupted by a restart goes out after it.
    Result<Hash> pay(const Hash& channel_id, std::uint16_t to, const Address& asset, const u256& amount);

    // Invoices: a new preimage, kept in the store, its hash in the `sluice1…` string (invoice.hpp), with
    // NodeConfig::invoice_hub as the way to reach us. PaymentReceived follows when a lock pays it.
    Result<std::string> create_invoice(const u256& amount, const Address& asset, std::string description,
                                       std::uint64_t expires_in_seconds = 3600);
    // Pays an invoice with a hashlock: directly when we share a channel with the payee, else through the
    // invoice's hub (a channel with it; `fee` on top, as the hub's ForwardingPolicy asks). The payment hash;
    // PaymentSent or PaymentFailed{reason} follows. Errors: invoice_*, node_unknown_peer (no channel to
    // the payee or its hub), node_insufficient_balance, node_payment_failed (paid or paying already).
    Result<Hash> pay_invoice(std::string_view invoice, const u256& fee = {});
    Result<std::vector<PaymentRecord>> payments() { return book_.payments(); }
    Result<std::optional<PaymentRecord>> payment(const Hash& id) { return book_.payment(id); }
    Result<std::vector<InvoiceRecord>> invoices() { return book_.invoices(); }
    // Our outgoing payments still pending or locked (in flight).
    Result<std::vector<PaymentRecord>> unresolved_payments() { return book_.unresolved(); }
    std::optional<channel::SignedState> latest(const Hash& channel_id) const {
        return channels_.latest(channel_id);
    }
    std::vector<Hash> channels() const { return channels_.channel_ids(); }
    ChannelStats channel_stats() const { return channels_.stats(); }
    NodeStats stats() const;
    // Every channel the store holds (opening, open, closing, closed). Errors: store_*.
    Result<std::vector<ChannelRecord>> channel_records() { return store_->channels(); }
    std::vector<PeerInfo> peers() const;
    GroupCommitStats commit_stats() const { return store_->commit_stats(); }
    // The forwarding policy, changeable while running (setfees); applies to forwards decided after.
    ForwardingPolicy forwarding() const;
    void set_forwarding(ForwardingPolicy policy);

    // The event queue: redelivered after a restart until acknowledged.
    Result<std::vector<QueuedEvent>> events();
    Status acknowledge(std::int64_t seq) { return store_->acknowledge_event(seq); }

  private:
    struct Peer;
    // Who sent a message: a peer over its own connection (`direct`), or an address behind a relay (`direct`
    // null: a refusal then counts against nobody, since the relay cannot check what it carries).
    struct Sender {
        Address address;
        std::shared_ptr<Peer> direct;
    };
    struct PendingOpen {
        channel::Params params;
        channel::SignedState initial;
        channel::Deposits deposits;
        bool opener = false;
    };

    Node(boost::asio::any_io_executor executor, NodeConfig config, DataDirLock lock,
         std::unique_ptr<NodeStore> store);
    // Marks the node stopped and closes its connections; true the first time.
    bool close_connections();
    boost::asio::awaitable<void> accept_loop();
    void attach(net::Connection connection);
    boost::asio::awaitable<void> read_loop(std::shared_ptr<Peer> peer);
    void send_to(const Address& peer, const wire::Message& message);
    void handle(const Sender& from, wire::Message message);
    void on_open(const Sender& from, const wire::OpenChannel& open);
    void on_accept(const Sender& from, const wire::AcceptChannel& accept);
    void on_sync(const Sender& from, const wire::Sync& sync);
    void on_sync_state(const Sender& from, const wire::SyncState& sync);
    void on_relay(const Sender& from, wire::Relay relay);
    void on_relayed(const Sender& from, const wire::Relayed& relayed);
    bool reachable(const Address& peer) const;
    void enqueue(const std::shared_ptr<Peer>& peer, std::string encoded);
    // A connection is up: re-sync the channels shared with that peer.
    void on_connected(const Address& peer);
    // The connection to `peer` dropped: redial while we have its endpoint and are running.
    static boost::asio::awaitable<void> redial(std::weak_ptr<Node> node, Address peer);
    static boost::asio::awaitable<void> tick_loop(std::weak_ptr<Node> node);
    void refuse(const Sender& from, const Error& error, std::string_view about);
    // Adds the channel once its initial state is fully signed (and tells the others when we opened it).
    void complete_open(const Hash& id, const PendingOpen& pending);
    void on_channel_event(const ChannelEvent& event);
    // Our deposits in participant order, then the confirmed holdings until every deposit is confirmed
    // (DepositConfirmed each, ChannelOpened at the end). Also after a restart, for channels still opening.
    void start_funding(const Hash& channel_id);
    static boost::asio::awaitable<void> fund(std::weak_ptr<Node> node, Hash channel_id);
    // The L1 side of a close (on a final fully signed state); marks the channel closed.
    static boost::asio::awaitable<void> settle_final(std::shared_ptr<Node> node, Hash channel_id);
    // A peer's top-up we refused for want of confirmed deposits: read the holdings again (rate-limited).
    void on_deposits_refused(const Hash& channel_id);
    static boost::asio::awaitable<void> reread_holdings(std::weak_ptr<Node> node, Hash channel_id);
    // Confirmed holdings read from L1: those above the channel's record go into the machine and the record,
    // a DepositConfirmed each (a lower total, a reorg after opening, is not followed: the watchtower's, #15).
    void record_holdings(const Hash& channel_id, const std::vector<HoldingsChange>& changes);
    // A final state of the channel is fully signed (ours or a peer's proposal): settle it.
    void on_final_state(const Hash& channel_id);
    Status set_channel_status(const Hash& channel_id, ChannelStatus status,
                              const channel::Deposits* deposits = nullptr);
    void emit_events(std::vector<NodeEvent> events);
    // Restores the payments a restart interrupted (pay again what never went out).
    void resume_payments();
    // What the locks of `state` ask of us: settle what pays our invoices, forward what we were asked to,
    // settle upstream what we know the preimage of, cancel what we cannot use and what expired.
    void act_on_locks(const Hash& channel_id, const channel::State& state);
    void act_on_all_locks();
    void on_forward(const Sender& from, const wire::Forward& forward);
    void on_forward_failed(const Sender& from, const wire::ForwardFailed& failed);
    // Places the outgoing lock of `forward` (lock is the incoming one), or fails it back.
    void try_forward(const Hash& in_channel, const channel::Lock& lock, const Address& asset,
                     ForwardRecord forward);
    void fail_forward(const Hash& in_channel, const channel::Lock& lock, const Address& asset,
                      ForwardRecord forward, const Error& why);
    void on_revealed(const Hash& channel_id, const std::vector<Bytes32>& preimages);
    // Submits `op` once per (channel, hashlock) until it fails.
    void act_once(const Hash& channel_id, const Hash& hashlock, channel::Operation op);
    std::uint64_t now() const { return config_.clock(); }

    boost::asio::any_io_executor executor_;
    NodeConfig config_;
    Address identity_;
    DataDirLock lock_;
    std::unique_ptr<NodeStore> store_;
    PaymentBook book_;
    ChannelManager channels_;
    // The acceptor lives on its own strand: the accept loop and stop()'s close never touch it at once.
    boost::asio::strand<boost::asio::any_io_executor> acceptor_strand_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::ip::tcp::endpoint endpoint_;  // where it listens, read once at start

    mutable std::mutex mutex_;  // guards what follows
    std::map<Address, std::shared_ptr<Peer>> peers_;
    std::map<Hash, PendingOpen> pending_opens_;
    std::map<Address, boost::asio::ip::tcp::endpoint> dial_targets_;  // peers we connected to
    std::map<Hash, std::shared_ptr<ChannelFunding>> funding_;         // channels being funded
    std::set<Hash> closing_;                                          // channels whose L1 close runs
    std::map<Hash, std::chrono::steady_clock::time_point> holdings_read_;  // last reread_holdings
    std::map<Hash, Status> close_results_;    // the last settle_final's outcome per channel
    std::set<std::pair<Hash, Hash>> acting_;  // (channel, hashlock) with a settle/cancel/forward submitted
    NodeStats stats_;
    bool stopped_ = false;
};

}  // namespace sluice::sdk
