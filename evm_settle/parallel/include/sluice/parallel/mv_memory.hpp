// MVMemory: Block-STM's multi-version memory, and the location/value model with delta writes.
//
// Every location (a Key) holds the writes of the batch's transactions, ordered by transaction
// index, each tagged with the incarnation that wrote it. Transaction i reading a location sees the
// write of the highest transaction below i, or the base state when there is none. When a validation
// aborts a transaction, its writes become ESTIMATE markers: a reader that reaches one stops and
// waits for that transaction instead of reading a value that will very likely change.
//
// Delta writes. Bookkeeping updates such as the fee credit to the block's coinbase are additive and
// commutative: transaction i "adds d to location k" without looking at k. They are stored as delta
// entries, which
//   * are not reads: a transaction that only adds to k has no read of k in its read set, so any
//     number of transactions crediting the coinbase never invalidate each other;
//   * are resolved lazily: a reader of k (or the final snapshot) walks down from its own index,
//     folding the deltas it passes (Traits::merge_deltas) until it reaches a full value write or
//     the base state, and applies them (Traits::apply_delta);
//   * become a real dependency when someone does read k: the read is recorded with its resolved
//     value, and validation re-resolves it and compares values, so a reader of the coinbase balance
//     is re-executed whenever an earlier fee credit changes, exactly as sequential execution needs;
//     an ESTIMATE met during the walk suspends the reader like any other.
// A transaction mixing both on one location is folded in its own write buffer (TxView): a delta
// after a full write updates the full write, a full write replaces an earlier delta.
//
// Validation of other reads is version based: the read set records which (tx, incarnation) or the
// base it read, and validation passes only if the same read would give the same origin now.
//
// Traits supplies the types and delta algebra:
//   using Key; using Value; using Delta; using KeyHash;           // Value: regular, equality comparable
//   static Value apply_delta(const Value& base, const Delta& d);  // base + d
//   static Delta merge_deltas(const Delta& older, const Delta& newer);
// The base state is any thread-safe callable `Value(const Key&)` (default Value for absent keys).
//
// Concurrency: locations are spread over cache-line-aligned shards, each a spin-locked hash map
// from Key to a small vector of entries sorted by transaction index (usually one or two, so the
// walk is a short backward scan). Locks are held only for the map and vector operations, never
// while calling the base state or a VM.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sluice/parallel/spin_wait.hpp"
#include "sluice/parallel/tx_version.hpp"

namespace sluice::parallel {

enum class WriteKind : std::uint8_t { kValue, kDelta };

// One entry of a transaction's write set.
template <class Traits>
struct WriteEntry {
    typename Traits::Key key;
    WriteKind kind = WriteKind::kValue;
    typename Traits::Value value{};
    typename Traits::Delta delta{};
};

// Where a read got its value from.
enum class ReadOrigin : std::uint8_t {
    kBase,      // no write below the reader: the base state
    kVersion,   // a full value written by `version`, with no delta above it
    kResolved,  // deltas were folded in: validated by comparing the resolved value
};

// One entry of a transaction's read set; `value` is what the reader saw.
template <class Traits>
struct ReadEntry {
    typename Traits::Key key;
    ReadOrigin origin = ReadOrigin::kBase;
    TxVersion version{};
    typename Traits::Value value{};
};

template <class Traits>
struct ReadResult {
    bool blocked = false;
    TxIndex blocking_tx = 0;  // when blocked: the transaction whose ESTIMATE was met
    ReadOrigin origin = ReadOrigin::kBase;
    TxVersion version{};
    typename Traits::Value value{};
};

template <class Traits>
class MVMemory {
public:
    using Key = typename Traits::Key;
    using Value = typename Traits::Value;
    using Delta = typename Traits::Delta;
    using KeyHash = typename Traits::KeyHash;
    using State = std::unordered_map<Key, Value, KeyHash>;

    explicit MVMemory(std::size_t num_txs) : num_txs_(num_txs), txs_(std::make_unique<TxSlot[]>(num_txs)) {}

    // Value of `key` as seen by transaction `reader` (the writes of transactions below it).
    template <class Base>
    ReadResult<Traits> read(const Key& key, TxIndex reader, const Base& base) const {
        ReadResult<Traits> out;
        std::optional<Delta> pending;  // deltas passed so far, merged oldest first
        bool found_value = false;
        {
            const Shard& shard = shard_of(key);
            std::lock_guard guard(shard.lock);
            auto it = shard.map.find(key);
            if (it != shard.map.end()) {
                const auto& entries = it->second;
                auto pos = std::lower_bound(entries.begin(), entries.end(), reader,
                                            [](const Entry& e, TxIndex r) { return e.tx < r; });
                while (pos != entries.begin()) {
                    --pos;
                    if (pos->kind == EntryKind::kEstimate) {
                        out.blocked = true;
                        out.blocking_tx = pos->tx;
                        return out;
                    }
                    if (pos->kind == EntryKind::kValue) {
                        out.value = pos->value;
                        out.version = {pos->tx, pos->incarnation};
                        found_value = true;
                        break;
                    }
                    pending = pending ? Traits::merge_deltas(pos->delta, *pending) : pos->delta;
                }
            }
        }
        if (!found_value) out.value = base(key);
        if (pending) {
            out.value = Traits::apply_delta(out.value, *pending);
            out.origin = ReadOrigin::kResolved;
            out.version = {};
        } else {
            out.origin = found_value ? ReadOrigin::kVersion : ReadOrigin::kBase;
        }
        return out;
    }

    // Publishes the read and write sets of `version` (the read set is moved in; the caller gets the
    // previous buffer back to reuse). Returns true if a location was written that the previous
    // incarnation did not write; writes of the previous incarnation not repeated are removed.
    bool record(TxVersion version, std::vector<ReadEntry<Traits>>& reads,
                const std::vector<WriteEntry<Traits>>& writes) {
        TxSlot& slot = txs_[version.tx];
        for (const auto& w : writes) apply_write(version, w);

        bool wrote_new = false;
        for (const auto& w : writes) {
            if (!contains(slot.written, w.key)) {
                wrote_new = true;
                break;
            }
        }
        for (const Key& old : slot.written) {
            if (!std::any_of(writes.begin(), writes.end(), [&](const auto& w) { return w.key == old; })) {
                remove_entry(old, version.tx);
            }
        }
        slot.written.clear();
        for (const auto& w : writes) slot.written.push_back(w.key);

        std::lock_guard guard(slot.reads_lock);
        slot.reads.swap(reads);
        return wrote_new;
    }

    // Turns the writes of aborted transaction `tx` into ESTIMATE markers. Called only by the worker
    // that won try_validation_abort, so nobody else touches `tx`'s write list meanwhile.
    void convert_writes_to_estimates(TxIndex tx) {
        for (const Key& key : txs_[tx].written) {
            Shard& shard = shard_of(key);
            std::lock_guard guard(shard.lock);
            Entry* e = find_entry(shard, key, tx);
            if (e != nullptr) e->kind = EntryKind::kEstimate;
        }
    }

    // True if every read of `tx`'s last recorded execution would still return the same thing.
    template <class Base>
    bool validate_read_set(TxIndex tx, const Base& base) const {
        const TxSlot& slot = txs_[tx];
        std::lock_guard guard(slot.reads_lock);
        for (const auto& r : slot.reads) {
            const ReadResult<Traits> now = read(r.key, tx, base);
            if (now.blocked) return false;
            if (r.origin == ReadOrigin::kResolved) {
                if (!(now.value == r.value)) return false;
            } else if (now.origin != r.origin || now.version != r.version) {
                return false;
            }
        }
        return true;
    }

    // The state after the whole batch: every location some transaction wrote, deltas resolved.
    // Call only after all workers have finished.
    template <class Base>
    State snapshot(const Base& base) const {
        State out;
        const auto end = static_cast<TxIndex>(num_txs_);
        for (const Shard& shard : shards_) {
            for (const auto& [key, entries] : shard.map) {
                if (entries.empty()) continue;
                out.emplace(key, read(key, end, base).value);
            }
        }
        return out;
    }

private:
    enum class EntryKind : std::uint8_t { kValue, kDelta, kEstimate };
    struct Entry {
        TxIndex tx = 0;
        Incarnation incarnation = 0;
        EntryKind kind = EntryKind::kValue;
        Value value{};
        Delta delta{};
    };
    struct alignas(kCacheLine) Shard {
        mutable SpinLock lock;
        std::unordered_map<Key, std::vector<Entry>, KeyHash> map;
    };
    struct alignas(kCacheLine) TxSlot {
        mutable SpinLock reads_lock;
        std::vector<ReadEntry<Traits>> reads;
        std::vector<Key> written;  // touched only by the worker owning the transaction's status
    };
    static constexpr std::size_t kShards = 64;

    static bool contains(const std::vector<Key>& keys, const Key& key) {
        return std::find(keys.begin(), keys.end(), key) != keys.end();
    }

    static std::size_t shard_index(const Key& key) {
        // Fibonacci hashing: KeyHash may be the identity (integers), whose low bits cluster.
        const auto h = static_cast<std::uint64_t>(KeyHash{}(key)) * 0x9E3779B97F4A7C15ULL;
        return static_cast<std::size_t>(h >> 58) % kShards;
    }
    Shard& shard_of(const Key& key) { return shards_[shard_index(key)]; }
    const Shard& shard_of(const Key& key) const { return shards_[shard_index(key)]; }

    static Entry* find_entry(Shard& shard, const Key& key, TxIndex tx) {
        auto it = shard.map.find(key);
        if (it == shard.map.end()) return nullptr;
        auto& entries = it->second;
        auto pos = std::lower_bound(entries.begin(), entries.end(), tx,
                                    [](const Entry& e, TxIndex t) { return e.tx < t; });
        return (pos != entries.end() && pos->tx == tx) ? &*pos : nullptr;
    }

    void apply_write(TxVersion version, const WriteEntry<Traits>& w) {
        Shard& shard = shard_of(w.key);
        std::lock_guard guard(shard.lock);
        auto& entries = shard.map[w.key];
        auto pos = std::lower_bound(entries.begin(), entries.end(), version.tx,
                                    [](const Entry& e, TxIndex t) { return e.tx < t; });
        if (pos == entries.end() || pos->tx != version.tx) pos = entries.insert(pos, Entry{});
        pos->tx = version.tx;
        pos->incarnation = version.incarnation;
        pos->kind = w.kind == WriteKind::kValue ? EntryKind::kValue : EntryKind::kDelta;
        pos->value = w.value;
        pos->delta = w.delta;
    }

    void remove_entry(const Key& key, TxIndex tx) {
        Shard& shard = shard_of(key);
        std::lock_guard guard(shard.lock);
        auto it = shard.map.find(key);
        if (it == shard.map.end()) return;
        auto& entries = it->second;
        auto pos = std::lower_bound(entries.begin(), entries.end(), tx,
                                    [](const Entry& e, TxIndex t) { return e.tx < t; });
        if (pos != entries.end() && pos->tx == tx) entries.erase(pos);
    }

    std::size_t num_txs_;
    std::array<Shard, kShards> shards_;
    std::unique_ptr<TxSlot[]> txs_;
};

}  // namespace sluice::parallel
