// LocationTable: the batch's map from a key to its node in multi-version memory, looked up without
// taking a lock.
//
// Every read of a transaction starts with this lookup, and a plain transfer reads only a couple
// of locations, so its cost is a visible share of a parallel run: profiles of the earlier
// spin-locked std::unordered_map shards spent a quarter of the parallel CPU time on the lock
// words, the bucket chains and key comparisons, the lock lines bouncing between cores.
//
// The table is split into shards by the top bits of the key's hash; each shard is an open-
// addressing array of atomic node pointers (linear probing, at most half full). A lookup loads the
// shard's current array and probes it with acquire loads, comparing the stored 64-bit hash before
// the key. Only inserting a node takes the shard's lock: it probes again under the lock, grows the
// array (a new one, twice the size) when it would pass half full, allocates the node from the
// shard's arena and publishes it with a release store. A lookup that raced with a growth may probe
// the old array and miss a newer node; a miss therefore always ends in the locked path, which
// probes the current array. Arrays replaced by a growth stay allocated until reset(), and nodes
// never move, so pointers to nodes stay valid for the whole batch.
//
// Node: constructible as Node(std::uint64_t hash, const Key& key), with public `hash` and `key`.
// Nodes are placed on their own cache lines (they are written by whichever worker executes or
// validates a transaction touching them; neighbours written by another core would share lines).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

#include "sluice/parallel/chunk_arena.hpp"
#include "sluice/parallel/spin_wait.hpp"

namespace sluice::parallel {

template <class Node, class Key, class KeyHash>
class LocationTable {
  public:
    static constexpr std::size_t kShards = 64;

    LocationTable() : shards_(std::make_unique<Shard[]>(kShards)) {}
    ~LocationTable() { destroy_nodes(); }
    LocationTable(const LocationTable&) = delete;
    LocationTable& operator=(const LocationTable&) = delete;

    // KeyHash may be the identity (integers) or weak in some bits: mix once, use every bit.
    static std::uint64_t hash_of(const Key& key) noexcept {
        std::uint64_t h = static_cast<std::uint64_t>(KeyHash{}(key));
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
        return h ^ (h >> 31);
    }

    // Destroys every node and empties the table for a batch expected to create about
    // `expected_nodes` nodes, keeping the arrays and arena chunks of earlier batches.
    void reset(std::size_t expected_nodes) {
        destroy_nodes();
        std::size_t per_shard = 16;
        while (per_shard < 2 * expected_nodes / kShards + 2)
            per_shard *= 2;
        for (std::size_t i = 0; i < kShards; ++i) {
            Shard& shard = shards_[i];
            shard.arena.reset();
            shard.count = 0;
            // Keep the largest array (the last one grown) if it is big enough, else start afresh.
            if (shard.arrays.empty() || shard.arrays.back()->mask + 1 < per_shard) {
                shard.arrays.clear();
                shard.arrays.push_back(std::make_unique<SlotArray>(per_shard));
            } else {
                auto keep = std::move(shard.arrays.back());
                shard.arrays.clear();
                keep->clear();
                shard.arrays.push_back(std::move(keep));
            }
            shard.current.store(shard.arrays.back().get(), std::memory_order_release);
        }
    }

    Node* find(std::uint64_t h, const Key& key) const noexcept {
        return probe(*shard_of(h).current.load(std::memory_order_acquire), h, key);
    }

    Node& find_or_insert(std::uint64_t h, const Key& key) {
        if (Node* n = find(h, key)) return *n;
        Shard& shard = shard_of(h);
        std::lock_guard guard(shard.lock);
        SlotArray* array = shard.current.load(std::memory_order_relaxed);
        if (Node* n = probe(*array, h, key)) return *n;
        if (2 * (shard.count + 1) > array->mask + 1) array = grow(shard, *array);
        std::size_t space = sizeof(Node) + kCacheLine;
        void* raw = shard.arena.allocate(space, alignof(std::max_align_t));
        Node* node = new (std::align(kCacheLine, sizeof(Node), raw, space)) Node(h, key);
        place(*array, node, std::memory_order_release);
        ++shard.count;
        return *node;
    }

    // Calls f(node) for every node of shard `shard` (< kShards). No insert may run concurrently.
    template <class F>
    void for_each_in_shard(std::size_t shard, F&& f) const {
        const SlotArray& array = *shards_[shard].current.load(std::memory_order_acquire);
        for (std::size_t i = 0; i <= array.mask; ++i) {
            if (Node* n = array.slots[i].load(std::memory_order_relaxed)) f(*n);
        }
    }

  private:
    struct SlotArray {
        explicit SlotArray(std::size_t size)
            : mask(size - 1), slots(std::make_unique<std::atomic<Node*>[]>(size)) {}
        void clear() noexcept {
            for (std::size_t i = 0; i <= mask; ++i)
                slots[i].store(nullptr, std::memory_order_relaxed);
        }
        std::size_t mask;
        std::unique_ptr<std::atomic<Node*>[]> slots;
    };
    struct alignas(kCacheLine) Shard {
        std::atomic<SlotArray*> current{nullptr};
        SpinLock lock;                                   // inserts only
        std::size_t count = 0;                           // under lock
        ChunkArena arena;                                // nodes, under lock
        std::vector<std::unique_ptr<SlotArray>> arrays;  // the current one last
    };

    Shard& shard_of(std::uint64_t h) const noexcept { return shards_[h >> 58 & (kShards - 1)]; }

    static Node* probe(const SlotArray& array, std::uint64_t h, const Key& key) noexcept {
        for (std::size_t i = h & array.mask;; i = (i + 1) & array.mask) {
            Node* n = array.slots[i].load(std::memory_order_acquire);
            if (n == nullptr) return nullptr;
            if (n->hash == h && n->key == key) return n;
        }
    }

    static void place(SlotArray& array, Node* node, std::memory_order order) noexcept {
        std::size_t i = node->hash & array.mask;
        while (array.slots[i].load(std::memory_order_relaxed) != nullptr)
            i = (i + 1) & array.mask;
        array.slots[i].store(node, order);
    }

    static SlotArray* grow(Shard& shard, const SlotArray& old) {
        auto bigger = std::make_unique<SlotArray>(2 * (old.mask + 1));
        for (std::size_t i = 0; i <= old.mask; ++i) {
            if (Node* n = old.slots[i].load(std::memory_order_relaxed))
                place(*bigger, n, std::memory_order_relaxed);
        }
        shard.arrays.push_back(std::move(bigger));
        SlotArray* array = shard.arrays.back().get();
        shard.current.store(array, std::memory_order_release);  // publishes the re-placed nodes too
        return array;
    }

    void destroy_nodes() noexcept {
        for (std::size_t s = 0; s < kShards; ++s) {
            SlotArray* array = shards_[s].current.load(std::memory_order_relaxed);
            if (array == nullptr) continue;
            for (std::size_t i = 0; i <= array->mask; ++i) {
                if (Node* n = array->slots[i].load(std::memory_order_relaxed)) n->~Node();
            }
            array->clear();
        }
    }

    std::unique_ptr<Shard[]> shards_;
};

}  // namespace sluice::parallel
