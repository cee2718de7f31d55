#include "sluice/sdk/group_commit.hpp"

#include <algorithm>
#include <utility>

namespace sluice::sdk {

GroupCommit::GroupCommit(sqlite::Database db) : db_(std::move(db)), thread_([this] { run(); }) {}

GroupCommit::~GroupCommit() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

Status GroupCommit::write(StoreWrite write) {
    return submit(std::move(write), false);
}

void GroupCommit::post(StoreWrite write) {
    auto pending = std::make_shared<Pending>();
    pending->write = std::move(write);
    pending->detached = true;
    std::lock_guard lock(mutex_);
    if (stopping_) {
        ++stats_.failed_writes;
        return;
    }
    queue_.push_back(std::move(pending));
    wake_.notify_one();
}

Status GroupCommit::read(StoreWrite read) {
    return submit(std::move(read), true);
}

Status GroupCommit::submit(StoreWrite work, bool is_read) {
    auto pending = std::make_shared<Pending>();
    pending->write = std::move(work);
    pending->is_read = is_read;
    std::unique_lock lock(mutex_);
    if (stopping_) return make_error(Errc::node_not_running, "the store is closing");
    queue_.push_back(pending);
    wake_.notify_one();
    finished_.wait(lock, [&] { return pending->done; });
    return std::move(pending->outcome);
}

GroupCommitStats GroupCommit::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

void GroupCommit::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left
        std::deque<std::shared_ptr<Pending>> group;
        group.swap(queue_);
        lock.unlock();
        commit_group(group);
        lock.lock();
        for (const auto& p : group)
            p->done = true;
        finished_.notify_all();
    }
}

void GroupCommit::commit_group(std::deque<std::shared_ptr<Pending>>& group) {
    std::uint64_t writes = 0;
    std::uint64_t failed = 0;
    // Reads first, outside any transaction, so they see what earlier groups committed.
    for (auto& p : group) {
        if (p->is_read) p->outcome = p->write(db_);
    }
    const auto started = std::chrono::steady_clock::now();
    auto tx = sqlite::Transaction::begin(db_);
    if (!tx.ok()) {
        for (auto& p : group) {
            if (!p->is_read) p->outcome = tx.error();
        }
        std::lock_guard lock(mutex_);
        stats_.failed_writes += static_cast<std::uint64_t>(
            std::count_if(group.begin(), group.end(), [](const auto& p) { return !p->is_read; }));
        return;
    }
    for (auto& p : group) {
        if (p->is_read) continue;
        ++writes;
        if (auto s = db_.exec("SAVEPOINT write"); !s.ok()) {
            p->outcome = std::move(s);
            ++failed;
            continue;
        }
        p->outcome = p->write(db_);
        if (p->outcome.ok()) {
            p->outcome = db_.exec("RELEASE write");
        } else {
            (void)db_.exec("ROLLBACK TO write");
            (void)db_.exec("RELEASE write");
        }
        if (!p->outcome.ok()) ++failed;
    }
    Status committed = writes > 0 ? tx->commit() : Status{};
    if (!committed.ok()) {
        for (auto& p : group) {
            if (!p->is_read && p->outcome.ok()) {
                p->outcome = committed;
                ++failed;
            }
        }
    }
    const auto took =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    CommitObserver observer;
    {
        std::lock_guard lock(mutex_);
        if (writes > 0) ++stats_.commits;
        stats_.writes += writes;
        stats_.failed_writes += failed;
        stats_.largest_group = std::max(stats_.largest_group, writes);
        observer = observer_;
    }
    if (observer && writes > 0) observer(took, writes);
}

void GroupCommit::set_observer(CommitObserver observer) {
    std::lock_guard lock(mutex_);
    observer_ = std::move(observer);
}

}  // namespace sluice::sdk
