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
    channel::PersistResult save_fully_signed(const Hash& channel_id, const channel::SignedState& state) override;
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

    GroupCommitStats commit_stats() const { return committer_->stats(); }

  private:
    explicit NodeStore(std::unique_ptr<GroupCommit> committer) : committer_(std::move(committer)) {}
    channel::PersistResult persist(StoreWrite write);
    std::unique_ptr<GroupCommit> committer_;
};

}  // namespace sluice::sdk
