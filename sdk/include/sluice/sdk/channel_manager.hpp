// ChannelManager: the node's channels, each channel's update machine on its own Asio strand, so work on
// different channels runs in parallel on every thread of the executor while one channel's work is never
// concurrent with itself. Operations submitted while a round of that channel is in flight queue up, and
// the next round carries all of them in one update (the machine takes a batch): under load a payment costs
// far less than one round. Saves go through NodeStore (persist before sign; concurrent channels share
// commits, group_commit.hpp).
//
// I/O stays outside: outgoing round messages go to `send` (the node hands them to the transport) and
// events to `on_event`, both called on the channel's strand. Messages from peers come in via deliver().
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <deque>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "sluice/channel/machine.hpp"
#include "sluice/sdk/node_store.hpp"
#include "sluice/sdk/wire.hpp"

namespace sluice::sdk {

struct ChannelEvent {
    Hash channel_id;
    channel::Event event;
    // With an UpdateFailed: the tags (submit) of the operations that failed for good, not retried.
    std::vector<Hash> failed_tags;
};

// What the node learns on a channel's strand besides its events.
struct ChannelHooks {
    // We proposed version `version` carrying the operations tagged `tags`.
    std::function<void(const Hash& channel_id, std::uint64_t version, const std::vector<Hash>& tags)>
        proposed;
    // Preimages revealed by a proposal, ours or a peer's (before the machine has judged a peer's).
    std::function<void(const Hash& channel_id, const std::vector<Bytes32>& preimages)> revealed;
    // One of our rounds is fully signed: from its proposal to the last signature, and how many
    // operations it carried (the hub's round latency metric).
    std::function<void(std::chrono::microseconds latency, std::size_t operations)> round_completed;
    // We refused a peer's proposal with channel_exceeds_deposits: its view of the holdings is ahead of
    // ours (a top-up, issue #14), so the node reads them from L1 again.
    std::function<void(const Hash& channel_id)> deposits_refused;
};

// Where a channel stands, as its re-sync message says it (wire::Sync).
struct SyncPoint {
    std::uint64_t latest_version = 0;  // of the latest fully signed state
    std::uint64_t highest_signed = 0;  // of the highest state we signed
};

struct ChannelStats {
    std::uint64_t rounds_proposed = 0;   // rounds this node started
    std::uint64_t operations_sent = 0;   // operations those rounds carried
    std::uint64_t rounds_completed = 0;  // fully signed states reached, ours or others'
};

class ChannelManager {
  public:
    // participant index → the message for that participant
    using Send = std::function<void(const Hash& channel_id, std::size_t to, const wire::Message& message)>;
    using OnEvent = std::function<void(const ChannelEvent& event)>;

    ChannelManager(boost::asio::any_io_executor executor, PrivateKey key, NodeStore& store,
                   channel::Clock clock, Send send, OnEvent on_event, channel::MachineOptions options = {});

    // A new channel from its fully signed initial state: the record (as given: opening or open) and the
    // state are persisted first.
    Status add(ChannelRecord record, const channel::SignedState& initial);
    // Every channel the store holds, back on its strand (Machine::restore).
    Status restore();

    // Set before any channel is added or restored.
    void set_hooks(ChannelHooks hooks) { hooks_ = std::move(hooks); }

    // Queues `op` on the channel; it goes out with the next round. node_unknown_channel for an unknown id.
    // `tag` names it in ChannelHooks::proposed and ChannelEvent::failed_tags. A tagged operation of the same
    // kind and tag as one already queued, deferred or in flight on the channel is dropped: the node submits a
    // lock's settle or cancel again after every fully signed state while the lock is still in it, and a
    // second copy in one batch would make the batch fail, which sends the queue out one operation a round.
    Status submit(const Hash& channel_id, channel::Operation op, std::optional<Hash> tag = std::nullopt);
    // Machine::learn_preimage on the channel's strand (a later round's refusals rely on it).
    Status learn_preimage(const Hash& channel_id, const Bytes32& preimage);
    // Machine::record_deposit on the channel's strand.
    Status record_deposit(const Hash& channel_id, const Address& asset, const u256& total);
    // Machine::reserve_deposit / release_deposit on the channel's strand, in call order with everything
    // posted after it (a top-up reserves before its L1 transaction goes out).
    Status reserve_deposit(const Hash& channel_id, const Address& asset, const u256& amount);
    Status release_deposit(const Hash& channel_id, const Address& asset, const u256& amount);
    // A round message from participant `from` of the channel it names.
    Status deliver(std::size_t from, const channel::Message& message);
    // A fully signed state a participant sent in a re-sync: taken as that state's Completion (a state
    // at or below ours is a duplicate or refused, channel_bad_version).
    Status deliver_state(std::size_t from, const channel::SignedState& state);
    // Participant `from` of every channel in `ids` is connected again (Machine::peer_reconnected).
    void reconnected(const Address& peer, const std::vector<Hash>& ids);
    // Machine::tick on every channel (round timeouts), then the operations a participant refused because
    // it has not confirmed every deposit yet go out again; the node calls it about once a second.
    void tick_all();

    // Snapshots, read on the caller's thread (each under the channel's lock).
    std::optional<channel::SignedState> latest(const Hash& channel_id) const;
    std::optional<channel::Params> params(const Hash& channel_id) const;
    std::size_t queued(const Hash& channel_id) const;
    std::optional<SyncPoint> sync_point(const Hash& channel_id) const;
    // The channels `peer` takes part in.
    std::vector<Hash> channels_with(const Address& peer) const;
    ChannelStats stats() const;
    std::vector<Hash> channel_ids() const;

  private:
    struct Queued {
        channel::Operation op;
        std::optional<Hash> tag;
        // Set when a participant first refused it for want of confirmed deposits (emit): until when it is
        // proposed again (clock seconds).
        std::optional<std::uint64_t> deferred_until{};
    };
    struct Slot {
        explicit Slot(boost::asio::any_io_executor ex) : strand(boost::asio::make_strand(ex)) {}
        boost::asio::strand<boost::asio::any_io_executor> strand;
        mutable std::mutex
            mutex;  // guards machine and queue for the snapshot readers; the strand orders work
        std::optional<channel::Machine> machine;
        std::vector<Queued> queue;
        // The operations of our round in flight: queued again when the round is withdrawn for a reason
        // that is not about them (a crossing proposal that won, a timeout, a store failure, being behind).
        std::vector<Queued> in_flight;
        // Refused by a participant whose deposits lag ours: queued again at the next tick_all.
        std::vector<Queued> deferred;
        std::chrono::steady_clock::time_point proposed_at;  // of the round in flight
    };
    std::shared_ptr<Slot> slot(const Hash& channel_id) const;
    // Under the slot's lock: an operation of this kind (variant index) and tag is queued, deferred or in
    // flight.
    static bool pending_already(const Slot& s, const Hash& tag, std::size_t kind);
    // On the slot's strand: proposes the queued operations if no round is in flight.
    void pump(const std::shared_ptr<Slot>& s);
    void emit(const std::shared_ptr<Slot>& s, const channel::Output& out);
    // Proposes `batch` (under the slot's lock); the output, or the machine's refusal.
    Result<channel::Output> propose_batch(Slot& s, const std::vector<Queued>& batch);
    // Tells the hooks what our new proposal in `out` carries.
    void announce(const std::shared_ptr<Slot>& s, const channel::Output& out, const std::vector<Hash>& tags);
    channel::MachineSetup setup_for(const ChannelRecord& record) const;

    boost::asio::any_io_executor executor_;
    PrivateKey key_;
    NodeStore& store_;
    channel::Clock clock_;
    channel::MachineOptions options_;
    Send send_;
    OnEvent on_event_;
    ChannelHooks hooks_;
    mutable std::mutex slots_mutex_;
    std::map<Hash, std::shared_ptr<Slot>> slots_;
    mutable std::mutex stats_mutex_;
    ChannelStats stats_;
};

}  // namespace sluice::sdk
