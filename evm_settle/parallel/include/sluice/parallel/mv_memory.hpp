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
// Contention hint: a location whose read failed validation is marked contended. When a contended
// location is also written densely (at least every other transaction between its first and last
// writer, e.g. a counter every transaction increments), read() sets `wait_hint`, telling the reader
// that the transactions between the write it got and itself probably write it too; the TxView then
// waits for those still executing instead of reading a value that is about to be replaced (which
// would cost an abort, a re-execution and ESTIMATE cascades). A hint only delays a read, it never
// changes what is read, so it cannot affect results.
//
// Concurrency: locations are spread over cache-line-aligned shards, each a spin-locked hash map
// from Key to a small vector of entries sorted by transaction index (usually one or two, so the
// walk is a short backward scan). Locks are held only for the map and vector operations, never
// while calling the base state or a VM. The memory lives for one batch, so each shard allocates
// its map nodes and vectors from its own ChunkArena (bump allocation under the shard lock the
// writer already holds; everything is dropped at once by reset(), which keeps the chunks).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sluice/parallel/chunk_arena.hpp"
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
    const void* location = nullptr;  // MVMemory's node for `key`, so validation need not hash again
};

inline constexpr TxIndex kNoTx = ~TxIndex{0};

template <class Traits>
struct ReadResult {
    bool blocked = false;
    TxIndex blocking_tx = 0;  // when blocked: the transaction whose ESTIMATE was met
    bool wait_hint = false;   // contended, densely written location (see above)
    TxIndex lower_writer = kNoTx;  // highest transaction below the reader with an entry here
    ReadOrigin origin = ReadOrigin::kBase;
    TxVersion version{};
    typename Traits::Value value{};
    const void* location = nullptr;  // pass back as read()'s location_hint for the same key
};

template <class Traits>
class MVMemory {
public:
    using Key = typename Traits::Key;
    using Value = typename Traits::Value;
    using Delta = typename Traits::Delta;
    using KeyHash = typename Traits::KeyHash;
    using State = std::unordered_map<Key, Value, KeyHash>;

    explicit MVMemory(std::size_t num_txs) : shards_(std::make_unique<Shard[]>(kShards)) { reset(num_txs); }

    // Empties the memory for a new batch of `num_txs`, keeping the arenas' chunks and the per-
    // transaction buffers of earlier batches (a persistent executor reuses one MVMemory).
    void reset(std::size_t num_txs) {
        num_txs_ = num_txs;
        for (std::size_t i = 0; i < kShards; ++i) {
            Shard& shard = shards_[i];
            shard.map.reset();
            shard.arena.reset();
            shard.map.emplace(&shard.arena);
            shard.map->reserve(8 * num_txs / kShards + 4);  // a transaction touches several locations
        }
        if (num_txs > txs_capacity_) {
            txs_ = std::make_unique<TxSlot[]>(num_txs);
            txs_capacity_ = num_txs;
        }
        for (std::size_t i = 0; i < num_txs; ++i) {
            txs_[i].reads.clear();
            txs_[i].written.clear();
        }
    }

    // Value of `key` as seen by transaction `reader` (the writes of transactions below it).
    // `location_hint`: ReadResult::location of an earlier read of `key` in this batch. A read
    // creates the (empty) node of a location nobody wrote yet, so that the hint also works there:
    // validation then re-reads without hashing, and nodes never move or disappear within a batch.
    template <class Base>
    ReadResult<Traits> read(const Key& key, TxIndex reader, const Base& base,
                            const void* location_hint = nullptr) const {
        ReadResult<Traits> out;
        std::optional<Delta> pending;  // deltas passed so far, merged oldest first
        bool found_value = false;
        {
            const Shard& shard = shard_of(key);
            std::lock_guard guard(shard.lock);
            const auto* location = static_cast<const Location*>(location_hint);
            if (location == nullptr) location = &shard.map->try_emplace(key).first->second;
            out.location = location;
            {
                const auto& entries = location->entries;
                if (location->contended && entries.size() >= 2) {
                    const std::size_t span = entries.back().tx - entries.front().tx + 1;
                    out.wait_hint = 2 * entries.size() >= span;
                }
                auto pos = std::lower_bound(entries.begin(), entries.end(), reader,
                                            [](const Entry& e, TxIndex r) { return e.tx < r; });
                if (pos != entries.begin()) out.lower_writer = std::prev(pos)->tx;
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
    // The location of a failed read is marked contended.
    template <class Base>
    bool validate_read_set(TxIndex tx, const Base& base) {
        const TxSlot& slot = txs_[tx];
        std::lock_guard guard(slot.reads_lock);
        for (const auto& r : slot.reads) {
            const ReadResult<Traits> now = read(r.key, tx, base, r.location);
            const bool same = !now.blocked && (r.origin == ReadOrigin::kResolved
                                                   ? now.value == r.value
                                                   : now.origin == r.origin && now.version == r.version);
            if (!same) {
                mark_contended(r.key);
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
        out.reserve(num_txs_);
        for_each_final(base, [&out](const Key& key, Value value) { out.emplace(key, std::move(value)); });
        return out;
    }

    // Calls visit(key, value) for every location some transaction wrote, with its value after the
    // batch, without building a map (callers that convert the state anyway skip one hash map).
    // Call only after all workers have finished.
    template <class Base, class Visit>
    void for_each_final(const Base& base, Visit&& visit) const {
        for (std::size_t i = 0; i < kShards; ++i) {
            for (const auto& [key, location] : *shards_[i].map) {
                if (!location.entries.empty()) visit(key, final_value(key, location.entries, base));
            }
        }
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
    // Allocator-aware so the map hands its arena down to the entry vector.
    struct Location {
        using allocator_type = std::pmr::polymorphic_allocator<Entry>;
        explicit Location(const allocator_type& alloc) : entries(alloc) {}
        Location(const Location& other, const allocator_type& alloc)
            : contended(other.contended), entries(other.entries, alloc) {}
        Location(Location&& other, const allocator_type& alloc)
            : contended(other.contended), entries(std::move(other.entries), alloc) {}

        bool contended = false;
        std::pmr::vector<Entry> entries;  // sorted by transaction index
    };
    struct alignas(kCacheLine) Shard {
        mutable SpinLock lock;
        // Mutable: read() creates empty nodes (no change to any value; see read()).
        mutable ChunkArena arena;
        mutable std::optional<std::pmr::unordered_map<Key, Location, KeyHash>> map;  // re-created per batch
    };
    struct alignas(kCacheLine) TxSlot {
        mutable SpinLock reads_lock;
        std::vector<ReadEntry<Traits>> reads;
        std::vector<Key> written;  // touched only by the worker owning the transaction's status
    };
    static constexpr std::size_t kShards = 64;

    // The value above the last entry: no ESTIMATE is left once every transaction has executed.
    template <class Base>
    static Value final_value(const Key& key, const std::pmr::vector<Entry>& entries, const Base& base) {
        std::optional<Delta> pending;
        for (auto pos = entries.rbegin(); pos != entries.rend(); ++pos) {
            if (pos->kind == EntryKind::kValue) {
                return pending ? Traits::apply_delta(pos->value, *pending) : pos->value;
            }
            pending = pending ? Traits::merge_deltas(pos->delta, *pending) : pos->delta;
        }
        const Value below = base(key);
        return pending ? Traits::apply_delta(below, *pending) : below;
    }

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
        auto it = shard.map->find(key);
        if (it == shard.map->end()) return nullptr;
        auto& entries = it->second.entries;
        auto pos = std::lower_bound(entries.begin(), entries.end(), tx,
                                    [](const Entry& e, TxIndex t) { return e.tx < t; });
        return (pos != entries.end() && pos->tx == tx) ? &*pos : nullptr;
    }

    void apply_write(TxVersion version, const WriteEntry<Traits>& w) {
        Shard& shard = shard_of(w.key);
        std::lock_guard guard(shard.lock);
        auto& entries = (*shard.map)[w.key].entries;
        auto pos = std::lower_bound(entries.begin(), entries.end(), version.tx,
                                    [](const Entry& e, TxIndex t) { return e.tx < t; });
        if (pos == entries.end() || pos->tx != version.tx) pos = entries.insert(pos, Entry{});
        pos->tx = version.tx;
        pos->incarnation = version.incarnation;
        pos->kind = w.kind == WriteKind::kValue ? EntryKind::kValue : EntryKind::kDelta;
        pos->value = w.value;
        pos->delta = w.delta;
    }

    void mark_contended(const Key& key) {
        Shard& shard = shard_of(key);
        std::lock_guard guard(shard.lock);
        auto it = shard.map->find(key);
        if (it != shard.map->end()) it->second.contended = true;
    }

    void remove_entry(const Key& key, TxIndex tx) {
        Shard& shard = shard_of(key);
        std::lock_guard guard(shard.lock);
        auto it = shard.map->find(key);
        if (it == shard.map->end()) return;
        auto& entries = it->second.entries;
        auto pos = std::lower_bound(entries.begin(), entries.end(), tx,
                                    [](const Entry& e, TxIndex t) { return e.tx < t; });
        if (pos != entries.end() && pos->tx == tx) entries.erase(pos);
    }

    std::size_t num_txs_ = 0;
    std::unique_ptr<Shard[]> shards_;
    std::unique_ptr<TxSlot[]> txs_;
    std::size_t txs_capacity_ = 0;
};

}  // namespace sluice::parallel
