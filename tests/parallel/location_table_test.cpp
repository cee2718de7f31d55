// LocationTable: one node per key, found again by lookups; arrays grow past half full without
// losing or moving nodes; hash collisions are told apart by the key; reset destroys every node;
// and four threads inserting and looking up overlapping keys while the arrays grow agree on one
// node per key (run under the tsan preset too).
#include "sluice/parallel/location_table.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace sluice::parallel {
namespace {

std::atomic<int> live_nodes{0};  // nodes constructed and not yet destroyed

struct Node {
    Node(std::uint64_t h, std::uint64_t k) : hash(h), key(k) { live_nodes.fetch_add(1); }
    ~Node() { live_nodes.fetch_sub(1); }
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;
    const std::uint64_t hash;
    const std::uint64_t key;
    std::atomic<int> visits{0};
};

// Every key hashes to one of four values: long probe runs, and equal hashes with different keys.
struct CollidingHash {
    std::size_t operator()(std::uint64_t key) const noexcept { return key % 4; }
};

using Table = LocationTable<Node, std::uint64_t, std::hash<std::uint64_t>>;
using CollidingTable = LocationTable<Node, std::uint64_t, CollidingHash>;

TEST(LocationTable, OneNodePerKeyAcrossGrowth) {
    Table t;
    t.reset(8);  // tiny: every shard's array grows several times below
    std::vector<Node*> first;
    for (std::uint64_t k = 0; k < 5000; ++k)
        first.push_back(&t.find_or_insert(Table::hash_of(k), k));
    for (std::uint64_t k = 0; k < 5000; ++k) {
        EXPECT_EQ(&t.find_or_insert(Table::hash_of(k), k), first[k]) << k;
        ASSERT_EQ(t.find(Table::hash_of(k), k), first[k]) << k;
        EXPECT_EQ(first[k]->key, k);
    }
    EXPECT_EQ(t.find(Table::hash_of(9999), 9999), nullptr);
    std::size_t visited = 0;
    for (std::size_t s = 0; s < Table::kShards; ++s)
        t.for_each_in_shard(s, [&](Node&) { ++visited; });
    EXPECT_EQ(visited, 5000U);
}

TEST(LocationTable, EqualHashesAreToldApartByTheKey) {
    CollidingTable t;
    t.reset(16);
    for (std::uint64_t k = 0; k < 300; ++k)
        t.find_or_insert(CollidingTable::hash_of(k), k);
    for (std::uint64_t k = 0; k < 300; ++k) {
        const Node* n = t.find(CollidingTable::hash_of(k), k);
        ASSERT_NE(n, nullptr) << k;
        EXPECT_EQ(n->key, k);
    }
    EXPECT_EQ(t.find(CollidingTable::hash_of(301), 301), nullptr);
}

TEST(LocationTable, ResetDestroysEveryNodeAndEmptiesTheTable) {
    live_nodes.store(0);
    {
        Table t;
        t.reset(64);
        for (std::uint64_t k = 0; k < 1000; ++k)
            t.find_or_insert(Table::hash_of(k), k);
        EXPECT_EQ(live_nodes, 1000);
        t.reset(64);
        EXPECT_EQ(live_nodes, 0);
        EXPECT_EQ(t.find(Table::hash_of(5), 5), nullptr);
        for (std::uint64_t k = 0; k < 10; ++k)
            t.find_or_insert(Table::hash_of(k), k);
        EXPECT_EQ(live_nodes, 10);
    }
    EXPECT_EQ(live_nodes, 0);  // the destructor destroys the rest
}

TEST(LocationTable, ConcurrentInsertsAgreeOnOneNodePerKey) {
    Table t;
    t.reset(16);  // forces growth while the threads run
    constexpr std::uint64_t kKeys = 20'000;
    constexpr unsigned kThreads = 4;
    std::vector<std::vector<Node*>> seen(kThreads, std::vector<Node*>(kKeys));
    std::vector<std::thread> threads;
    for (unsigned w = 0; w < kThreads; ++w) {
        threads.emplace_back([&, w] {
            // Each thread walks every key in its own order (multipliers coprime to kKeys), so
            // inserts and lookups interleave.
            constexpr std::uint64_t kStride[kThreads] = {1, 3, 7, 9};
            for (std::uint64_t i = 0; i < kKeys; ++i) {
                const std::uint64_t k = (i * kStride[w] + std::uint64_t{w} * 7919) % kKeys;
                Node& n = t.find_or_insert(Table::hash_of(k), k);
                n.visits.fetch_add(1, std::memory_order_relaxed);
                seen[w][k] = &n;
            }
        });
    }
    for (auto& th : threads)
        th.join();
    for (std::uint64_t k = 0; k < kKeys; ++k) {
        for (unsigned w = 1; w < kThreads; ++w)
            ASSERT_EQ(seen[w][k], seen[0][k]) << k;
        ASSERT_EQ(seen[0][k]->key, k);
        ASSERT_EQ(seen[0][k]->visits.load(), static_cast<int>(kThreads)) << k;
    }
}

}  // namespace
}  // namespace sluice::parallel
