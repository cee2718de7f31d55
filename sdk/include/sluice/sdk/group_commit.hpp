// GroupCommit: one writer thread for a SQLite file that folds the writes of many callers into one
// transaction. A caller's write() blocks until the transaction holding its write has committed, so
// "persist before sign" holds per caller while N channels that persist at once pay for one fsync, not N
// (the store's synchronous=FULL makes each commit an fsync). Each write runs inside its own SAVEPOINT:
// a write that fails is rolled back alone and reported to its caller; the others still commit. A failed
// COMMIT fails every write of that group.
//
// Thread-safe; write() may be called from any thread except the committer's own (from inside a write it
// would wait for itself).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "sluice/core/result.hpp"
#include "sluice/sqlite/database.hpp"

namespace sluice::sdk {

using StoreWrite = std::function<Status(sqlite::Database&)>;

struct GroupCommitStats {
    std::uint64_t commits = 0;
    std::uint64_t writes = 0;
    std::uint64_t failed_writes = 0;
    std::uint64_t largest_group = 0;
};

class GroupCommit {
  public:
    explicit GroupCommit(sqlite::Database db);
    ~GroupCommit();  // finishes what is queued, then stops
    GroupCommit(const GroupCommit&) = delete;
    GroupCommit& operator=(const GroupCommit&) = delete;

    // Runs `write` in the next group and returns its outcome once that group committed (or failed).
    Status write(StoreWrite write);
    // Queues `write` for the next group without waiting: for bookkeeping whose loss in a crash is harmless
    // because what depends on it is written later through write() (groups commit in submission order).
    // A failure is only counted (stats().failed_writes).
    void post(StoreWrite write);
    // Runs `read` on the committer's thread between groups (the connection is used by one thread only).
    Status read(StoreWrite read);
    GroupCommitStats stats() const;
    // Called on the committer's thread after each group with writes: from BEGIN to COMMIT, and how many
    // writes it carried (the daemon's commit latency and batch size metrics).
    using CommitObserver = std::function<void(std::chrono::microseconds took, std::size_t writes)>;
    void set_observer(CommitObserver observer);

  private:
    struct Pending {
        StoreWrite write;
        bool is_read = false;
        bool detached = false;  // post(): nobody waits
        Status outcome;
        bool done = false;
    };
    void run();
    void commit_group(std::deque<std::shared_ptr<Pending>>& group);
    Status submit(StoreWrite write, bool is_read);

    sqlite::Database db_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;      // the committer: work or stop
    std::condition_variable finished_;  // callers: their group is done
    std::deque<std::shared_ptr<Pending>> queue_;
    bool stopping_ = false;
    GroupCommitStats stats_;
    CommitObserver observer_;
    std::thread thread_;  // last: started once everything above exists
};

}  // namespace sluice::sdk
