// TxView: the state one transaction execution sees, handed to the VM callback.
//
// Reads go through the transaction's own write buffer first, then to the backing store: the
// multi-version memory (parallel path: reads of lower transactions' writes, recorded in the read
// set) or the sequential overlay (threads = 1: the state after the previous transactions). Writes
// and deltas are buffered and published only when the execution ends (see mv_memory.hpp for the
// delta model).
//
// Suspension: in the parallel path a read can meet an ESTIMATE of a lower transaction. read() then
// returns nullopt and the view turns `blocked`: the VM must stop soon and return any output (it is
// discarded), every further read returns nullopt and writes are ignored. The executor suspends the
// transaction until the blocking one has re-executed.
//
// Contended locations (see mv_memory.hpp): when a read comes back with `wait_hint` and a lower
// transaction between the returned write and this one has not finished executing, the view
// suspends on it exactly as on an ESTIMATE, instead of reading a value that is about to be
// replaced. Only the nearest few transactions are considered; the scheduler then hands the
// suspended transaction straight to the worker that finishes the blocking one, so a chain of
// increments of one counter runs back to back on one worker instead of aborting over and over.
//
// Lookups in the buffers are linear scans: transactions touch few distinct locations, and the EVM
// state above this view caches what it has read, so each location reaches the view about once.
#pragma once

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <vector>

#include "sluice/parallel/mv_memory.hpp"
#include "sluice/parallel/scheduler.hpp"
#include "sluice/parallel/tx_version.hpp"

namespace sluice::parallel {

template <class Traits, class Base>
class TxView {
  public:
    using Key = typename Traits::Key;
    using Value = typename Traits::Value;
    using Delta = typename Traits::Delta;
    using Overlay = std::unordered_map<Key, Value, typename Traits::KeyHash>;

    // Parallel view over the multi-version memory.
    TxView(const MVMemory<Traits>& memory, const Base& base, const Scheduler* scheduler = nullptr)
        : memory_(&memory), scheduler_(scheduler), base_(&base) {}
    // Sequential view over the state left by the previous transactions.
    TxView(const Overlay& overlay, const Base& base) : overlay_(&overlay), base_(&base) {}

    TxIndex tx() const noexcept { return tx_; }
    bool blocked() const noexcept { return blocked_; }
    TxIndex blocking_tx() const noexcept { return blocking_tx_; }

    std::optional<Value> read(const Key& key) {
        if (blocked_) return std::nullopt;
        if (auto* w = find_write(key); w != nullptr && w->kind == WriteKind::kValue) return w->value;
        std::optional<Value> v = read_through(key);
        if (!v) return std::nullopt;
        if (auto* w = find_write(key); w != nullptr) return Traits::apply_delta(*v, w->delta);
        return v;
    }

    void write(const Key& key, const Value& value) {
        if (blocked_) return;
        WriteEntry<Traits>& w = write_slot(key);
        w.kind = WriteKind::kValue;
        w.value = value;
    }

    void add_delta(const Key& key, const Delta& delta) {
        if (blocked_) return;
        if (auto* w = find_write(key); w != nullptr) {
            if (w->kind == WriteKind::kValue) {
                w->value = Traits::apply_delta(w->value, delta);
            } else {
                w->delta = Traits::merge_deltas(w->delta, delta);
            }
            return;
        }
        writes_.push_back({key, WriteKind::kDelta, Value{}, delta, read_location(key)});
    }

    // --- used by the executor ---
    void reset(TxIndex tx) {
        tx_ = tx;
        blocked_ = false;
        blocking_tx_ = 0;
        first_writer_read_ = kNoTx;
        reads_.clear();
        writes_.clear();
    }
    std::vector<ReadEntry<Traits>>& reads() noexcept { return reads_; }
    // The lowest transaction that wrote a value to any location this execution read (kNoTx: none).
    TxIndex first_writer_read() const noexcept { return first_writer_read_; }
    const std::vector<WriteEntry<Traits>>& writes() const noexcept { return writes_; }

  private:
    WriteEntry<Traits>* find_write(const Key& key) {
        auto it = std::find_if(writes_.begin(), writes_.end(), [&](const auto& w) { return w.key == key; });
        return it == writes_.end() ? nullptr : &*it;
    }

    WriteEntry<Traits>& write_slot(const Key& key) {
        if (auto* w = find_write(key); w != nullptr) return *w;
        writes_.push_back({key, WriteKind::kValue, Value{}, Delta{}, read_location(key)});
        return writes_.back();
    }

    // The multi-version node of `key` if this execution read it (publishing then skips a lookup).
    const void* read_location(const Key& key) const {
        auto it = std::find_if(reads_.begin(), reads_.end(), [&](const auto& r) { return r.key == key; });
        return it == reads_.end() ? nullptr : it->location;
    }

    // The value below this transaction's own writes; each location is fetched once per execution.
    std::optional<Value> read_through(const Key& key) {
        auto cached = std::find_if(reads_.begin(), reads_.end(), [&](const auto& r) { return r.key == key; });
        if (cached != reads_.end()) return cached->value;
        if (memory_ == nullptr) {
            auto it = overlay_->find(key);
            const Value v = it != overlay_->end() ? it->second : (*base_)(key);
            reads_.push_back({key, ReadOrigin::kBase, TxVersion{}, v, nullptr});
            return v;
        }
        ReadResult<Traits> r = memory_->read(key, tx_, *base_);
        if (r.wait_hint && !r.blocked) {
            const TxIndex pending = pending_lower_writer(r.lower_writer);
            if (pending != kNoTx) {
                r.blocked = true;
                r.blocking_tx = pending;
            }
        }
        if (r.blocked) {
            blocked_ = true;
            blocking_tx_ = r.blocking_tx;
            return std::nullopt;
        }
        first_writer_read_ = std::min(first_writer_read_, r.first_writer);
        reads_.push_back({key, r.origin, r.version, r.value, r.location});
        return r.value;
    }

    // The nearest transaction in (lower_writer, tx_), within a small window, that has not finished
    // executing; kNoTx if there is none.
    TxIndex pending_lower_writer(TxIndex lower_writer) const {
        if (scheduler_ == nullptr) return kNoTx;
        const TxIndex floor = lower_writer == kNoTx ? 0 : lower_writer + 1;
        const TxIndex stop = tx_ - std::min<TxIndex>(tx_ - floor, kWaitWindow);
        for (TxIndex j = tx_; j-- > stop;) {
            if (scheduler_->status(j) != TxStatus::kExecuted) return j;
        }
        return kNoTx;
    }

    static constexpr TxIndex kWaitWindow = 8;

    const MVMemory<Traits>* memory_ = nullptr;
    const Scheduler* scheduler_ = nullptr;
    const Overlay* overlay_ = nullptr;
    const Base* base_;
    TxIndex tx_ = 0;
    bool blocked_ = false;
    TxIndex blocking_tx_ = 0;
    TxIndex first_writer_read_ = kNoTx;
    std::vector<ReadEntry<Traits>> reads_;
    std::vector<WriteEntry<Traits>> writes_;
};

}  // namespace sluice::parallel
