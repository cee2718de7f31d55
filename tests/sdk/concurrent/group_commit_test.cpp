// GroupCommit under concurrent writers (label concurrent: TSan in CI): every acknowledged write is in the
// file after a reopen, writes that arrive together share commits, and one failing write fails alone.
#include "sluice/sdk/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

namespace sluice::sdk {
namespace {

struct GroupCommitTest : testing::TempDirTest {
    std::filesystem::path file = dir / "g.sqlite";
    void SetUp() override {
        TempDirTest::SetUp();
        auto db = sqlite::Database::open(file).value();
        ASSERT_TRUE(
            db.exec("CREATE TABLE t(writer INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(writer, n))")
                .ok());
    }
};

Status insert(sqlite::Database& db, std::int64_t writer, std::int64_t n) {
    SLUICE_TRY(auto put, db.prepare("INSERT INTO t(writer, n) VALUES(?1, ?2)"));
    return put.bind(1, writer).bind(2, n).run();
}

TEST_F(GroupCommitTest, ConcurrentWritersShareCommitsAndLoseNothing) {
    constexpr int kWriters = 16;
    constexpr int kEach = 40;
    GroupCommitStats stats;
    {
        GroupCommit committer(sqlite::Database::open(file).value());
        std::atomic<int> failures{0};
        std::vector<std::thread> writers;
        for (int w = 0; w < kWriters; ++w) {
            writers.emplace_back([&, w] {
                for (int n = 0; n < kEach; ++n) {
                    if (!committer.write([&](sqlite::Database& db) { return insert(db, w, n); }).ok())
                        ++failures;
                }
            });
        }
        for (auto& t : writers)
            t.join();
        EXPECT_EQ(failures.load(), 0);
        stats = committer.stats();
    }
    EXPECT_EQ(stats.writes, static_cast<std::uint64_t>(kWriters * kEach));
    EXPECT_EQ(stats.failed_writes, 0u);
    // 16 writers each waiting for their commit: groups form, so far fewer commits than writes.
    EXPECT_LT(stats.commits, stats.writes / 2) << "commits " << stats.commits;
    EXPECT_GT(stats.largest_group, 1u);
    auto db = sqlite::Database::open(file).value();
    auto count = db.prepare("SELECT COUNT(*) FROM t").value();
    ASSERT_TRUE(count.step().value());
    EXPECT_EQ(count.int64(0), kWriters * kEach);
}

TEST_F(GroupCommitTest, AFailingWriteFailsAloneInItsGroup) {
    GroupCommit committer(sqlite::Database::open(file).value());
    ASSERT_TRUE(committer.write([](sqlite::Database& db) { return insert(db, 0, 0); }).ok());
    std::vector<Status> outcomes(8);
    std::vector<std::thread> writers;
    for (int w = 0; w < 8; ++w) {
        writers.emplace_back([&, w] {
            // Writer 3 repeats (0, 0): a primary key violation, rolled back to its savepoint only.
            const std::int64_t writer = w == 3 ? 0 : w + 1;
            outcomes[static_cast<std::size_t>(w)] =
                committer.write([&](sqlite::Database& db) { return insert(db, writer, 0); });
        });
    }
    for (auto& t : writers)
        t.join();
    for (int w = 0; w < 8; ++w) {
        if (w == 3) {
            ASSERT_FALSE(outcomes[3].ok());
            EXPECT_EQ(outcomes[3].error().code, Errc::store_constraint);
        } else {
            EXPECT_TRUE(outcomes[static_cast<std::size_t>(w)].ok()) << w;
        }
    }
    std::int64_t rows = 0;
    ASSERT_TRUE(committer
                    .read([&](sqlite::Database& db) -> Status {
                        SLUICE_TRY(auto count, db.prepare("SELECT COUNT(*) FROM t"));
                        SLUICE_TRY(const bool row, count.step());
                        rows = row ? count.int64(0) : -1;
                        return {};
                    })
                    .ok());
    EXPECT_EQ(rows, 8);  // (0,0) once, and writers 1..8 except the one that failed: 1 + 7
}

TEST_F(GroupCommitTest, AnAcknowledgedWriteIsInTheFileAfterClose) {
    auto committer = std::make_unique<GroupCommit>(sqlite::Database::open(file).value());
    ASSERT_TRUE(committer->write([](sqlite::Database& db) { return insert(db, 1, 1); }).ok());
    committer.reset();
    auto db = sqlite::Database::open(file).value();
    auto count = db.prepare("SELECT COUNT(*) FROM t").value();
    ASSERT_TRUE(count.step().value());
    EXPECT_EQ(count.int64(0), 1);
}

}  // namespace
}  // namespace sluice::sdk
