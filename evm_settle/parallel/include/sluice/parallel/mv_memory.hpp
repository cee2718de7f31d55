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
// entries, kept apart from the value writes in per-worker lanes (see Lane), which
//   * are not reads: a transaction that only adds to k has no read of k in its read set, so any
//     number of transactions crediting the coinbase never invalidate each other;
//   * are resolved lazily: a reader of k (or the final snapshot) takes the highest value write
//     below it (or the base state) and folds the deltas between that write and itself
//     (Traits::merge_deltas, which must therefore be commutative), then applies them
//     (Traits::apply_delta);
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
// Concurrency: the nodes of the locations live in a LocationTable (location_table.hpp), found
// without a lock; each node has its own spin lock over its entries, held only for the vector
// operations, never while calling the base state or a VM. Reads return the node, and the read set
// and write buffers carry it, so validation, publishing a write to a location the transaction read
// and turning writes into ESTIMATEs never look the key up again. The base value of a location is
// fetched once per batch and kept in the node (validation and the final state reuse it).
// The memory lives for one batch: reset() destroys the nodes and keeps the memory.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sluice/parallel/location_table.hpp"
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
    const void* location = nullptr;  // MVMemory's node for `key` when known (the key was read)
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
    TxIndex blocking_tx = 0;       // when blocked: the transaction whose ESTIMATE was met
    bool wait_hint = false;        // contended, densely written location (see above)
    TxIndex lower_writer = kNoTx;  // highest transaction below the reader with an entry here
    TxIndex first_writer = kNoTx;  // lowest transaction with an entry here (value writes)
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

    explicit MVMemory(std::size_t num_txs) { reset(num_txs); }

    // Empties the memory for a new batch of `num_txs`, keeping the table, the arenas' chunks and the
    // per-transaction buffers of earlier batches (a persistent executor reuses one MVMemory).
    // clear_slots = false: the caller clears each transaction's slot with reset_slot before the
    // transaction first runs (see Scheduler::reset).
    void reset(std::size_t num_txs, bool clear_slots = true) {
        num_txs_ = num_txs;
        table_.reset(2 * num_txs);  // a transaction creates a few locations; the arrays grow if needed
        if (num_txs > txs_capacity_) {
            txs_ = std::make_unique<TxSlot[]>(num_txs);
            txs_capacity_ = num_txs;
        } else if (clear_slots) {
            for (std::size_t i = 0; i < num_txs; ++i)
                reset_slot(static_cast<TxIndex>(i));
        }
    }
    void reset_slot(TxIndex tx) {
        txs_[tx].reads.clear();
        txs_[tx].written.clear();
    }

    // Value of `key` as seen by transaction `reader` (the writes of transactions below it).
    // `location_hint`: ReadResult::location of an earlier read of `key` in this batch. A read
    // creates the (empty) node of a location nobody wrote yet, so that the hint also works there:
    // validation then re-reads without a lookup, and nodes never move or disappear within a batch.
    template <class Base>
    ReadResult<Traits> read(const Key& key, TxIndex reader, const Base& base,
                            const void* location_hint = nullptr) const {
        return resolve<true>(node_for(key, location_hint), reader, base);
    }

    // Publishes the read and write sets of `version` (the read set is moved in; the caller gets the
    // previous buffer back to reuse). Returns true if a location was written that the previous
    // incarnation did not write; writes of the previous incarnation not repeated are removed.
    // `worker`: the recording worker's index; its deltas go to its own lane (see Lane).
    bool record(TxVersion version, std::vector<ReadEntry<Traits>>& reads,
                const std::vector<WriteEntry<Traits>>& writes, std::size_t worker = 0) {
        TxSlot& slot = txs_[version.tx];
        std::vector<Location*>& written_now = slot.written_next;
        written_now.clear();
        for (const auto& w : writes) {
            Location& loc = node_for(w.key, w.location);
            const int place = apply_write(loc, version, w, worker % kLanes);
            // The previous incarnation's entry (an ESTIMATE by now) may sit elsewhere (another
            // lane, or the main list when the kind changed): remove it only after the new entry is
            // in, so no reader ever sees neither.
            if (contains(slot.written, &loc)) remove_entry(loc, version.tx, place);
            written_now.push_back(&loc);
        }
        bool wrote_new = false;
        for (Location* loc : written_now) {
            if (!contains(slot.written, loc)) {
                wrote_new = true;
                break;
            }
        }
        for (Location* old : slot.written) {
            if (!contains(written_now, old)) remove_entry(*old, version.tx);
        }
        slot.written.swap(written_now);

        std::lock_guard guard(slot.reads_lock);
        slot.reads.swap(reads);
        return wrote_new;
    }

    // Turns the writes of aborted transaction `tx` into ESTIMATE markers. Called only by the worker
    // that won try_validation_abort, so nobody else touches `tx`'s write list meanwhile.
    void convert_writes_to_estimates(TxIndex tx) {
        for (Location* loc : txs_[tx].written) {
            {
                std::lock_guard guard(loc->lock);
                if (Entry* e = find_entry(loc->entries, tx)) e->kind = EntryKind::kEstimate;
            }
            if (Lanes* lanes = loc->lanes.load(std::memory_order_acquire)) {
                for (Lane& lane : lanes->lane) {
                    std::lock_guard guard(lane.lock);
                    if (Entry* e = find_entry(lane.entries, tx)) e->kind = EntryKind::kEstimate;
                }
            }
        }
    }

    // True if every read of `tx`'s last recorded execution would still return the same thing.
    // The location of a failed read is marked contended.
    template <class Base>
    bool validate_read_set(TxIndex tx, const Base& base) {
        const TxSlot& slot = txs_[tx];
        std::lock_guard guard(slot.reads_lock);
        for (const auto& r : slot.reads) {
            Location& loc = node_for(r.key, r.location);
            bool same = false;
            if (r.origin == ReadOrigin::kResolved) {
                const ReadResult<Traits> now = resolve<true>(loc, tx, base);
                same = !now.blocked && now.value == r.value;  // by value: same value, same execution
            } else {
                const ReadResult<Traits> now = resolve<false>(loc, tx, base);
                same = !now.blocked && now.origin == r.origin && now.version == r.version;
            }
            if (!same) {
                std::lock_guard loc_guard(loc.lock);
                loc.contended = true;
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
    // batch, without building a map. Call only after all workers have finished.
    template <class Base, class Visit>
    void for_each_final(const Base& base, Visit&& visit) const {
        for (std::size_t i = 0; i < shard_count(); ++i) {
            for_each_final_in_shard(
                i, base, [&](const Key& key, Value value, const Value*) { visit(key, std::move(value)); });
        }
    }

    // The same for the locations of one shard (< shard_count()), so that several threads can
    // visit the final state at once, each its own shards. visit(key, value, base) also gets the
    // location's base value when the batch fetched it anyway (else nullptr).
    static constexpr std::size_t shard_count() noexcept { return Table::kShards; }
    template <class Base, class Visit>
    void for_each_final_in_shard(std::size_t shard, const Base& base, Visit&& visit) const {
        table_.for_each_in_shard(shard, [&](const Location& loc) {
            if (loc.entries.size() != 0 || has_deltas(loc))
                visit(loc.key, final_value(loc, base), loc.has_base ? &loc.base : nullptr);
        });
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

    // The entries of one location, sorted by transaction index: usually one, kept in the node;
    // a location written by several transactions (a hot counter, the coinbase) spills to the heap.
    class EntryList {
      public:
        EntryList() = default;
        EntryList(const EntryList&) = delete;
        EntryList& operator=(const EntryList&) = delete;
        ~EntryList() { delete[] heap_; }

        std::size_t size() const noexcept { return size_; }
        Entry* begin() noexcept { return data(); }
        Entry* end() noexcept { return data() + size_; }
        const Entry* begin() const noexcept { return data(); }
        const Entry* end() const noexcept { return data() + size_; }

        Entry* insert(Entry* pos, Entry entry) {
            const std::size_t at = static_cast<std::size_t>(pos - data());
            if (size_ == capacity_) grow();
            Entry* d = data();
            for (std::size_t i = size_; i > at; --i)
                d[i] = std::move(d[i - 1]);
            d[at] = std::move(entry);
            ++size_;
            return d + at;
        }
        void erase(Entry* pos) {
            Entry* d = data();
            for (std::size_t i = static_cast<std::size_t>(pos - d); i + 1 < size_; ++i)
                d[i] = std::move(d[i + 1]);
            --size_;
        }

      private:
        Entry* data() noexcept { return heap_ != nullptr ? heap_ : &inline_; }
        const Entry* data() const noexcept { return heap_ != nullptr ? heap_ : &inline_; }
        void grow() {
            const std::size_t capacity = std::size_t{4} * capacity_;
            auto* bigger = new Entry[capacity];
            for (std::size_t i = 0; i < size_; ++i)
                bigger[i] = std::move(data()[i]);
            delete[] heap_;
            heap_ = bigger;
            capacity_ = static_cast<std::uint32_t>(capacity);
        }

        std::uint32_t size_ = 0;
        std::uint32_t capacity_ = 1;
        Entry* heap_ = nullptr;
        Entry inline_{};
    };

    // Delta entries of one location, one list per lane, each on its own cache lines. A worker
    // writes its deltas into its own lane, so transactions crediting one location (every one of
    // them pays the coinbase) do not pull the same lines back and forth between cores (that cost
    // about a tenth of a transfer batch's time with one list). Workers beyond kLanes share lanes. Readers sum
    // every lane's deltas in their range, which needs merge_deltas to be commutative (it is an addition).
    static constexpr std::size_t kLanes = 4;
    struct alignas(kCacheLine) Lane {
        mutable SpinLock lock;
        EntryList entries;  // deltas and their ESTIMATEs, sorted by transaction index
    };
    struct Lanes {
        Lane lane[kLanes];
    };

    struct Location {
        Location(std::uint64_t h, const Key& k) : hash(h), key(k) {}
        ~Location() { delete lanes.load(std::memory_order_relaxed); }
        Location(const Location&) = delete;
        Location& operator=(const Location&) = delete;
        const std::uint64_t hash;
        const Key key;
        mutable SpinLock lock;
        // Under lock:
        bool contended = false;
        bool has_base = false;
        Value base{};                        // the base state's value, once somebody needed it
        EntryList entries;                   // value writes and their ESTIMATEs
        std::atomic<Lanes*> lanes{nullptr};  // created by the first delta write, under lock
    };
    using Table = LocationTable<Location, Key, KeyHash>;

    struct alignas(kCacheLine) TxSlot {
        mutable SpinLock reads_lock;
        std::vector<ReadEntry<Traits>> reads;
        // Touched only by the worker owning the transaction's status:
        std::vector<Location*> written;
        std::vector<Location*> written_next;  // scratch for record()
    };

    Location& node_for(const Key& key, const void* hint) const {
        if (hint != nullptr) return *static_cast<Location*>(const_cast<void*>(hint));
        return table_.find_or_insert(Table::hash_of(key), key);
    }

    // The base value of `loc`, fetched without holding its lock and kept for the rest of the batch.
    template <class Base>
    static Value base_value(Location& loc, const Base& base) {
        {
            std::lock_guard guard(loc.lock);
            if (loc.has_base) return loc.base;
        }
        Value v = base(loc.key);
        std::lock_guard guard(loc.lock);
        if (!loc.has_base) {
            loc.base = v;
            loc.has_base = true;
        }
        return v;
    }

    // The read of `loc` by `reader`. WithValue = false skips the value of a read that validation
    // checks by origin only (no copy, no base fetch).
    template <bool WithValue, class Base>
    static ReadResult<Traits> resolve(Location& loc, TxIndex reader, const Base& base) {
        ReadResult<Traits> out;
        out.location = &loc;
        bool found_value = false;
        bool got_base = false;
        {
            std::lock_guard guard(loc.lock);
            const EntryList& entries = loc.entries;
            if (loc.contended && entries.size() >= 2) {
                const std::size_t span = (entries.end() - 1)->tx - entries.begin()->tx + 1;
                out.wait_hint = 2 * entries.size() >= span;
            }
            if (entries.size() != 0) out.first_writer = entries.begin()->tx;
            const Entry* pos = std::lower_bound(entries.begin(), entries.end(), reader,
                                                [](const Entry& e, TxIndex r) { return e.tx < r; });
            if (pos != entries.begin()) {  // the main list holds value writes and their ESTIMATEs only
                const Entry& below = *std::prev(pos);
                out.lower_writer = below.tx;
                if (below.kind == EntryKind::kEstimate) {
                    out.blocked = true;
                    out.blocking_tx = below.tx;
                    return out;
                }
                if constexpr (WithValue) out.value = below.value;
                out.version = {below.tx, below.incarnation};
                found_value = true;
            }
            if (WithValue && !found_value && loc.has_base) {
                out.value = loc.base;
                got_base = true;
            }
        }
        std::optional<Delta> pending;
        if (const auto estimate = fold_deltas(loc, found_value ? out.version.tx : kNoTx, reader, pending)) {
            out.blocked = true;
            out.blocking_tx = *estimate;
            return out;
        }
        if (WithValue && !found_value && !got_base) out.value = base_value(loc, base);
        if (pending) {
            if constexpr (WithValue) out.value = Traits::apply_delta(out.value, *pending);
            out.origin = ReadOrigin::kResolved;
            out.version = {};
        } else {
            out.origin = found_value ? ReadOrigin::kVersion : ReadOrigin::kBase;
        }
        return out;
    }

    // The value above the last entry: no ESTIMATE is left once every transaction has executed.
    template <class Base>
    static Value final_value(const Location& loc, const Base& base) {
        const Entry* value = loc.entries.size() != 0 ? loc.entries.end() - 1 : nullptr;
        std::optional<Delta> pending;
        fold_deltas(loc, value != nullptr ? value->tx : kNoTx, kNoTx, pending);
        const Value below = value != nullptr ? value->value : loc.has_base ? loc.base : base(loc.key);
        return pending ? Traits::apply_delta(below, *pending) : below;
    }

    // Folds into `pending` the lane deltas of transactions above `floor` (kNoTx: all) and below
    // `upto` (kNoTx: all); returns the transaction of an ESTIMATE met there instead, if any.
    static std::optional<TxIndex> fold_deltas(const Location& loc, TxIndex floor, TxIndex upto,
                                              std::optional<Delta>& pending) {
        const Lanes* lanes = loc.lanes.load(std::memory_order_acquire);
        if (lanes == nullptr) return std::nullopt;
        for (const Lane& lane : lanes->lane) {
            std::lock_guard guard(lane.lock);
            for (const Entry& e : lane.entries) {
                if (e.tx >= upto) break;
                if (floor != kNoTx && e.tx <= floor) continue;
                if (e.kind == EntryKind::kEstimate) return e.tx;
                pending = pending ? Traits::merge_deltas(*pending, e.delta) : e.delta;
            }
        }
        return std::nullopt;
    }

    static bool has_deltas(const Location& loc) {
        const Lanes* lanes = loc.lanes.load(std::memory_order_acquire);
        if (lanes == nullptr) return false;
        for (const Lane& lane : lanes->lane) {
            if (lane.entries.size() != 0) return true;
        }
        return false;
    }

    static Lanes& lanes_of(Location& loc) {
        if (Lanes* lanes = loc.lanes.load(std::memory_order_acquire)) return *lanes;
        std::lock_guard guard(loc.lock);
        Lanes* lanes = loc.lanes.load(std::memory_order_relaxed);
        if (lanes == nullptr) {
            lanes = new Lanes;
            loc.lanes.store(lanes, std::memory_order_release);
        }
        return *lanes;
    }

    static bool contains(const std::vector<Location*>& locations, const Location* loc) {
        return std::find(locations.begin(), locations.end(), loc) != locations.end();
    }

    static Entry* find_entry(EntryList& entries, TxIndex tx) {
        Entry* pos = std::lower_bound(entries.begin(), entries.end(), tx,
                                      [](const Entry& e, TxIndex t) { return e.tx < t; });
        return (pos != entries.end() && pos->tx == tx) ? pos : nullptr;
    }

    static void put(EntryList& entries, TxVersion version, const WriteEntry<Traits>& w) {
        Entry* pos = std::lower_bound(entries.begin(), entries.end(), version.tx,
                                      [](const Entry& e, TxIndex t) { return e.tx < t; });
        if (pos == entries.end() || pos->tx != version.tx) pos = entries.insert(pos, Entry{});
        pos->tx = version.tx;
        pos->incarnation = version.incarnation;
        pos->kind = w.kind == WriteKind::kValue ? EntryKind::kValue : EntryKind::kDelta;
        pos->value = w.value;
        pos->delta = w.delta;
    }

    static constexpr int kMainList = -1;

    // Writes `w` into the main list (values) or lane `index` (deltas); returns where.
    static int apply_write(Location& loc, TxVersion version, const WriteEntry<Traits>& w, std::size_t index) {
        if (w.kind == WriteKind::kDelta) {
            Lane& lane = lanes_of(loc).lane[index];
            std::lock_guard guard(lane.lock);
            put(lane.entries, version, w);
            return static_cast<int>(index);
        }
        std::lock_guard guard(loc.lock);
        put(loc.entries, version, w);
        return kMainList;
    }

    // Removes `tx`'s entry from every place of `loc` except `keep` (kMainList or a lane index;
    // pass kNone to remove it everywhere).
    static constexpr int kNone = -2;
    static void remove_entry(Location& loc, TxIndex tx, int keep = kNone) {
        if (keep != kMainList) {
            std::lock_guard guard(loc.lock);
            if (Entry* e = find_entry(loc.entries, tx)) loc.entries.erase(e);
        }
        if (Lanes* lanes = loc.lanes.load(std::memory_order_acquire)) {
            for (std::size_t i = 0; i < kLanes; ++i) {
                if (static_cast<int>(i) == keep) continue;
                Lane& lane = lanes->lane[i];
                std::lock_guard guard(lane.lock);
                if (Entry* e = find_entry(lane.entries, tx)) lane.entries.erase(e);
            }
        }
    }

    std::size_t num_txs_ = 0;
    mutable Table table_;
    std::unique_ptr<TxSlot[]> txs_;
    std::size_t txs_capacity_ = 0;
};

}  // namespace sluice::parallel
