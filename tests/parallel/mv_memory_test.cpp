// MVMemory: reads resolve to the highest lower write or the base, ESTIMATE markers block readers,
// deltas fold into values without conflicting, read sets validate by version (or resolved value),
// re-executions that stop writing a location remove their old entry, and the final snapshot.
#include "sluice/parallel/mv_memory.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "sluice/parallel/toy_vm.hpp"

namespace sluice::parallel {
namespace {

using Mem = MVMemory<ToyTraits>;
using W = WriteEntry<ToyTraits>;
using R = ReadEntry<ToyTraits>;

struct Base {
    std::uint64_t operator()(std::uint64_t key) const { return 1000 + key; }
};

W value(std::uint64_t k, std::uint64_t v) {
    return {k, WriteKind::kValue, v, 0};
}
W delta(std::uint64_t k, std::uint64_t d) {
    return {k, WriteKind::kDelta, 0, d};
}

bool record(Mem& m, TxVersion v, const std::vector<W>& writes, std::vector<R> reads = {}) {
    return m.record(v, reads, writes);
}

TEST(MVMemory, ReadsBaseWhenNothingWritten) {
    Mem m(4);
    const auto r = m.read(7, 3, Base{});
    EXPECT_FALSE(r.blocked);
    EXPECT_EQ(r.origin, ReadOrigin::kBase);
    EXPECT_EQ(r.value, 1007U);
}

TEST(MVMemory, ReadsHighestLowerWriteOnly) {
    Mem m(6);
    record(m, {1, 0}, {value(7, 11)});
    record(m, {3, 2}, {value(7, 33)});
    record(m, {5, 0}, {value(7, 55)});

    EXPECT_EQ(m.read(7, 0, Base{}).origin, ReadOrigin::kBase);
    EXPECT_EQ(m.read(7, 1, Base{}).origin, ReadOrigin::kBase);  // a transaction never sees its own entry
    auto r2 = m.read(7, 2, Base{});
    EXPECT_EQ(r2.value, 11U);
    EXPECT_EQ(r2.origin, ReadOrigin::kVersion);
    EXPECT_EQ(r2.version, (TxVersion{1, 0}));
    auto r4 = m.read(7, 4, Base{});
    EXPECT_EQ(r4.value, 33U);
    EXPECT_EQ(r4.version, (TxVersion{3, 2}));
    EXPECT_EQ(m.read(7, 6, Base{}).value, 55U);
}

TEST(MVMemory, EstimateBlocksReadersAboveOnly) {
    Mem m(5);
    record(m, {1, 0}, {value(7, 11)});
    record(m, {2, 0}, {value(7, 22), value(8, 1)});
    m.convert_writes_to_estimates(2);

    auto r = m.read(7, 4, Base{});
    EXPECT_TRUE(r.blocked);
    EXPECT_EQ(r.blocking_tx, 2U);
    EXPECT_TRUE(m.read(8, 3, Base{}).blocked);
    EXPECT_EQ(m.read(7, 2, Base{}).value, 11U);

    // The next incarnation overwrites the marker.
    record(m, {2, 1}, {value(7, 23), value(8, 2)});
    EXPECT_EQ(m.read(7, 4, Base{}).value, 23U);
    EXPECT_EQ(m.read(7, 4, Base{}).version, (TxVersion{2, 1}));
}

TEST(MVMemory, DeltasFoldOntoValueOrBase) {
    Mem m(6);
    record(m, {0, 0}, {delta(9, 5)});
    record(m, {1, 0}, {delta(9, 7)});
    auto r = m.read(9, 3, Base{});
    EXPECT_EQ(r.value, 1009U + 12U);
    EXPECT_EQ(r.origin, ReadOrigin::kResolved);

    record(m, {2, 0}, {value(9, 100)});
    record(m, {4, 0}, {delta(9, 1)});
    EXPECT_EQ(m.read(9, 3, Base{}).value, 100U);
    EXPECT_EQ(m.read(9, 3, Base{}).origin, ReadOrigin::kVersion);
    EXPECT_EQ(m.read(9, 5, Base{}).value, 101U);
    EXPECT_EQ(m.read(9, 5, Base{}).origin, ReadOrigin::kResolved);
}

TEST(MVMemory, EstimateOnADeltaBlocksResolution) {
    Mem m(4);
    record(m, {0, 0}, {delta(9, 5)});
    record(m, {1, 0}, {delta(9, 7)});
    m.convert_writes_to_estimates(0);
    auto r = m.read(9, 3, Base{});
    EXPECT_TRUE(r.blocked);
    EXPECT_EQ(r.blocking_tx, 0U);
}

TEST(MVMemory, DeltaWritersDoNotInvalidateEachOther) {
    Mem m(3);
    // Transactions 0..2 only credit location 9 and read their own keys.
    for (TxIndex i = 0; i < 3; ++i) {
        std::vector<R> reads{{100 + i, ReadOrigin::kBase, {}, 1100 + i}};
        m.record({i, 0}, reads, {delta(9, i + 1)});
    }
    for (TxIndex i = 0; i < 3; ++i)
        EXPECT_TRUE(m.validate_read_set(i, Base{})) << i;
}

TEST(MVMemory, ValidationDetectsNewLowerWrite) {
    Mem m(3);
    record(m, {2, 0}, {}, {{7, ReadOrigin::kBase, {}, 1007}});
    EXPECT_TRUE(m.validate_read_set(2, Base{}));
    record(m, {0, 0}, {value(7, 1)});
    EXPECT_FALSE(m.validate_read_set(2, Base{}));
}

TEST(MVMemory, ValidationDetectsNewIncarnationEvenWithSameValue) {
    Mem m(3);
    record(m, {0, 0}, {value(7, 1)});
    record(m, {2, 0}, {}, {{7, ReadOrigin::kVersion, {0, 0}, 1}});
    EXPECT_TRUE(m.validate_read_set(2, Base{}));
    record(m, {0, 1}, {value(7, 1)});
    EXPECT_FALSE(m.validate_read_set(2, Base{}));
}

TEST(MVMemory, ValidationFailsOnEstimate) {
    Mem m(3);
    record(m, {0, 0}, {value(7, 1)});
    record(m, {2, 0}, {}, {{7, ReadOrigin::kVersion, {0, 0}, 1}});
    m.convert_writes_to_estimates(0);
    EXPECT_FALSE(m.validate_read_set(2, Base{}));
}

TEST(MVMemory, ResolvedReadValidatesByValue) {
    Mem m(4);
    record(m, {0, 0}, {delta(9, 5)});
    record(m, {3, 0}, {}, {{9, ReadOrigin::kResolved, {}, 1014}});
    EXPECT_TRUE(m.validate_read_set(3, Base{}));
    // A re-execution crediting the same amount leaves the observed value unchanged.
    record(m, {0, 1}, {delta(9, 5)});
    EXPECT_TRUE(m.validate_read_set(3, Base{}));
    // A new credit below the reader changes it.
    record(m, {1, 0}, {delta(9, 1)});
    EXPECT_FALSE(m.validate_read_set(3, Base{}));
}

TEST(MVMemory, RecordReportsNewLocationsAndRemovesStaleWrites) {
    Mem m(3);
    EXPECT_TRUE(record(m, {1, 0}, {value(7, 1), value(8, 2)}));
    EXPECT_FALSE(record(m, {1, 1}, {value(8, 3)}));  // subset of the previous write set
    EXPECT_EQ(m.read(7, 2, Base{}).origin, ReadOrigin::kBase);
    EXPECT_EQ(m.read(8, 2, Base{}).value, 3U);
    EXPECT_TRUE(record(m, {1, 2}, {value(8, 4), value(9, 5)}));
    EXPECT_FALSE(record(m, {1, 3}, {}));
    EXPECT_EQ(m.read(8, 2, Base{}).origin, ReadOrigin::kBase);
}

TEST(MVMemory, FailedValidationMarksDenselyWrittenLocationWithWaitHint) {
    Mem m(8);
    for (TxIndex i = 0; i < 4; ++i)
        record(m, {i, 0}, {value(7, i)});
    EXPECT_FALSE(m.read(7, 6, Base{}).wait_hint);  // not contended yet
    EXPECT_EQ(m.read(7, 6, Base{}).lower_writer, 3U);

    record(m, {6, 0}, {}, {{7, ReadOrigin::kBase, {}, 1007}});
    EXPECT_FALSE(m.validate_read_set(6, Base{}));
    EXPECT_TRUE(m.read(7, 6, Base{}).wait_hint);
    EXPECT_EQ(m.read(7, 0, Base{}).lower_writer, kNoTx);
}

TEST(MVMemory, SparselyWrittenContendedLocationGetsNoWaitHint) {
    Mem m(40);
    record(m, {0, 0}, {value(7, 1)});
    record(m, {30, 0}, {value(7, 2)});
    record(m, {35, 0}, {}, {{7, ReadOrigin::kBase, {}, 1007}});
    EXPECT_FALSE(m.validate_read_set(35, Base{}));
    EXPECT_FALSE(m.read(7, 35, Base{}).wait_hint);  // 2 writers over 31 transactions
}

TEST(MVMemory, SnapshotResolvesEveryWrittenLocation) {
    Mem m(3);
    record(m, {0, 0}, {value(7, 70), delta(9, 1)});
    record(m, {1, 0}, {delta(9, 2), value(8, 80)});
    record(m, {2, 0}, {value(7, 71), delta(9, 3)});
    record(m, {2, 1}, {value(7, 72), delta(9, 3)});
    const auto s = m.snapshot(Base{});
    ASSERT_EQ(s.size(), 3U);
    EXPECT_EQ(s.at(7), 72U);
    EXPECT_EQ(s.at(8), 80U);
    EXPECT_EQ(s.at(9), 1009U + 6U);
}

// Deltas recorded by different workers land in different lanes; readers and the snapshot sum them
// all, an ESTIMATE in any lane blocks, and a re-execution by another worker (another lane), or as
// a value write, leaves exactly one entry for the transaction.
TEST(MVMemory, DeltasFromSeveralWorkersResolveAcrossLanes) {
    Mem m(6);
    std::vector<R> no_reads;
    for (TxIndex i = 0; i < 4; ++i)
        m.record({i, 0}, no_reads, {delta(9, i + 1)}, /*worker=*/i);
    EXPECT_EQ(m.read(9, 4, Base{}).value, 1009U + 1 + 2 + 3 + 4);
    EXPECT_EQ(m.read(9, 2, Base{}).value, 1009U + 1 + 2);
    EXPECT_EQ(m.read(9, 2, Base{}).origin, ReadOrigin::kResolved);

    m.convert_writes_to_estimates(1);
    const auto blocked = m.read(9, 4, Base{});
    EXPECT_TRUE(blocked.blocked);
    EXPECT_EQ(blocked.blocking_tx, 1U);
    EXPECT_FALSE(m.read(9, 1, Base{}).blocked);  // below the estimate

    // Tx 1 re-executes on worker 3 with another credit: its old entry (worker 1's lane) goes.
    EXPECT_FALSE(m.record({1, 1}, no_reads, {delta(9, 10)}, /*worker=*/3));
    EXPECT_EQ(m.read(9, 4, Base{}).value, 1009U + 1 + 10 + 3 + 4);
    // Tx 2 re-executes as a value write: earlier deltas no longer count above it.
    m.convert_writes_to_estimates(2);
    EXPECT_FALSE(m.record({2, 1}, no_reads, {value(9, 500)}, /*worker=*/0));
    const auto r = m.read(9, 5, Base{});
    EXPECT_EQ(r.value, 500U + 4);
    EXPECT_EQ(r.origin, ReadOrigin::kResolved);
    EXPECT_EQ(m.read(9, 3, Base{}).value, 500U);
    EXPECT_EQ(m.read(9, 3, Base{}).origin, ReadOrigin::kVersion);

    // Tx 3 re-executes without crediting: its delta goes, and its read of tx 2's value validates.
    std::vector<R> reads{{9, ReadOrigin::kVersion, {2, 1}, 500}};
    EXPECT_FALSE(m.record({3, 1}, reads, {}, /*worker=*/1));
    EXPECT_TRUE(m.validate_read_set(3, Base{}));
    // Tx 2 turns back into a credit (on worker 2): that read no longer holds.
    m.convert_writes_to_estimates(2);
    EXPECT_FALSE(m.validate_read_set(3, Base{}));  // an ESTIMATE
    EXPECT_FALSE(m.record({2, 2}, no_reads, {delta(9, 7)}, /*worker=*/2));
    EXPECT_FALSE(m.validate_read_set(3, Base{}));  // resolved from credits now, not tx 2's value
    const auto s = m.snapshot(Base{});
    EXPECT_EQ(s.at(9), 1009U + 1 + 10 + 7);
}

TEST(MVMemory, SnapshotOmitsLocationsNoLongerWritten) {
    Mem m(2);
    record(m, {0, 0}, {value(7, 70)});
    record(m, {0, 1}, {value(8, 80)});
    const auto s = m.snapshot(Base{});
    ASSERT_EQ(s.size(), 1U);
    EXPECT_EQ(s.at(8), 80U);
}

}  // namespace
}  // namespace sluice::parallel
