// NodeStore: the node's SQLite file (<data dir>/node.sqlite; WAL, synchronous=FULL, migrations by
// user_version). It is the channel machines' Persistence (persist before sign: a save returns completed only
// once its group has committed, group_commit.hpp), and keeps what a restart restores: each channel's record
// (params, our index, status, deposits), its latest fully signed state, the states we signed above it
// (outstanding), the lock knowledge, and the event queue with acknowledgements (ldk-node's EventQueue).
//
// All writes and reads run on the GroupCommit thread; NodeStore is safe from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sluice/channel/persistence.hpp"
#include "sluice/channel/types.hpp"
#include "sluice/channel/update_rules.hpp"
#include "sluice/core/result.hpp"
#include "sluice/sdk/events.hpp"
#include "sluice/sdk/group_commit.hpp"

namespace sluice::sdk {

// Stored as these numbers: never renumber.
enum class ChannelStatus : std::uint8_t {
    opening = 0,  // signed the initial state, deposits not all confirmed
    open = 1,
    closing = 2,  // a final state or a registration on L1
    closed = 3,
};

struct ChannelRecord {
    Hash id;
    channel::Params params;
    std::size_t my_index = 0;
    ChannelStatus status = ChannelStatus::opening;
    channel::Deposits deposits;
};

struct StoredEvent {
    std::int64_t seq = 0;
    std::string kind;
    std::string body;  // JSON text
};

class NodeStore final : public channel::Persistence {
  public:
    // Errors: store_* (sluice_sqlite).
    static Result<std::unique_ptr<NodeStore>> open(const std::filesystem::path& file);

    // ---- channel::Persistence ----
    channel::PersistResult save_signing(const Hash& channel_id, const channel::State& state) override;
    channel::PersistResult save_fully_signed(const Hash& channel_id,
                                             const channel::SignedState& state) override;
    channel::PersistResult save_preimage(const Hash& channel_id, const Bytes32& preimage) override;
    channel::PersistResult save_reveal(const Hash& channel_id, const Hash& hashlock,
                                       std::uint64_t revealed_at) override;

    // ---- channels ----
    Status save_channel(const ChannelRecord& record);
    Status set_status(const Hash& channel_id, ChannelStatus status);
    Result<std::vector<ChannelRecord>> channels();
    // What Machine::restore needs; nullopt when no fully signed state was ever saved. Errors: store_*,
    // store_corrupt for a row that does not decode.
    Result<std::optional<channel::PersistedChannel>> load(const Hash& channel_id);

    // ---- events ----
    Result<std::int64_t> append_event(const std::string& kind, const std::string& body);
    Result<std::vector<StoredEvent>> unacknowledged_events();
    Status acknowledge_event(std::int64_t seq);
    // Called with every event appended through write_with_events or the round hook, once committed (on
    // the thread that waited for the commit). Set before the store is used.
    using EventListener = std::function<void(const std::vector<QueuedEvent>&)>;
    void set_event_listener(EventListener listener) { listener_ = std::move(listener); }

    // ---- for the node's other books (payment_book.hpp) ----
    // Runs `write` in the next group; the events it adds are appended in the same transaction.
    using EventfulWrite = std::function<Status(sqlite::Database&, std::vector<NodeEvent>&)>;
    Status write_with_events(const EventfulWrite& write);
    Status write(StoreWrite write) { return committer_->write(std::move(write)); }
    void post(StoreWrite write) { committer_->post(std::move(write)); }
    Status read(StoreWrite read) { return committer_->read(std::move(read)); }
    // Runs inside the transaction that stores a channel's new latest fully signed state, before it is
    // stored (the previous one can still be read): the bookkeeping of what that state settles, atomically
    // with it. Set before any channel is restored.
    using RoundHook = std::function<Status(sqlite::Database&, const Hash& channel_id,
                                           const channel::SignedState& next, std::vector<NodeEvent>& events)>;
    void set_round_hook(RoundHook hook) { round_hook_ = std::move(hook); }

    GroupCommitStats commit_stats() const { return committer_->stats(); }
    void set_commit_observer(GroupCommit::CommitObserver observer) { committer_->set_observer(std::move(observer)); }

  private:
    explicit NodeStore(std::unique_ptr<GroupCommit> committer) : committer_(std::move(committer)) {}
    channel::PersistResult persist(StoreWrite write);
    std::unique_ptr<GroupCommit> committer_;
    EventListener listener_;
    RoundHook round_hook_;
};

}  // namespace sluice::sdk
