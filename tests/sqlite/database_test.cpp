// sluice_sqlite on real files: migrations, transactions, typed errors for bad files and bad writes.
#include "sluice/sqlite/database.hpp"

#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/temp_dir.hpp"

namespace sluice::sqlite {
namespace {

struct DatabaseTest : testing::TempDirTest {
    std::filesystem::path file = dir / "test.sqlite";
};

constexpr std::array<std::string_view, 2> kSchema{
    "CREATE TABLE kv(k TEXT PRIMARY KEY, v BLOB NOT NULL);",
    "ALTER TABLE kv ADD COLUMN n INTEGER NOT NULL DEFAULT 0;"};

std::int64_t count_rows(Database& db) {
    auto stmt = db.prepare("SELECT COUNT(*) FROM kv").value();
    EXPECT_TRUE(stmt.step().value());
    return stmt.int64(0);
}

TEST_F(DatabaseTest, MigratesStepByStepAndKeepsTheVersion) {
    {
        auto db = Database::open(file).value();
        EXPECT_EQ(db.user_version().value(), 0);
        ASSERT_TRUE(db.migrate(std::span(kSchema).first(1)).ok());
        EXPECT_EQ(db.user_version().value(), 1);
    }
    auto db = Database::open(file).value();
    ASSERT_TRUE(db.migrate(kSchema).ok());
    EXPECT_EQ(db.user_version().value(), 2);
    ASSERT_TRUE(db.exec("INSERT INTO kv(k, v, n) VALUES('a', x'01', 7)").ok());
    ASSERT_TRUE(db.migrate(kSchema).ok());  // already there: nothing runs again
    EXPECT_EQ(count_rows(db), 1);
}

TEST_F(DatabaseTest, RefusesASchemaFromANewerBuild) {
    auto db = Database::open(file).value();
    ASSERT_TRUE(db.migrate(kSchema).ok());
    const auto older = db.migrate(std::span(kSchema).first(1));
    ASSERT_FALSE(older.ok());
    EXPECT_EQ(older.error().code, Errc::store_schema_too_new);
}

TEST_F(DatabaseTest, OpensInWalMode) {
    auto db = Database::open(file).value();
    auto stmt = db.prepare("PRAGMA journal_mode").value();
    ASSERT_TRUE(stmt.step().value());
    EXPECT_EQ(stmt.text(0), "wal");
    auto sync = db.prepare("PRAGMA synchronous").value();
    ASSERT_TRUE(sync.step().value());
    EXPECT_EQ(sync.int64(0), 2);  // FULL
}

TEST_F(DatabaseTest, BindsAndReadsEveryType) {
    auto db = Database::open(file).value();
    ASSERT_TRUE(db.exec("CREATE TABLE t(i INTEGER, s TEXT, b BLOB, z BLOB)").ok());
    const Bytes blob{0x00, 0xff, 0x10};
    auto put = db.prepare("INSERT INTO t VALUES(?1, ?2, ?3, ?4)").value();
    ASSERT_TRUE(put.bind(1, std::int64_t{-5}).bind(2, "text").bind(3, ByteView(blob)).bind(4, ByteView{}).run().ok());
    auto get = db.prepare("SELECT i, s, b, z, NULL FROM t").value();
    ASSERT_TRUE(get.step().value());
    EXPECT_EQ(get.int64(0), -5);
    EXPECT_EQ(get.text(1), "text");
    EXPECT_EQ(get.blob(2), blob);
    EXPECT_FALSE(get.is_null(3));  // an empty blob stays a blob
    EXPECT_TRUE(get.blob(3).empty());
    EXPECT_TRUE(get.is_null(4));
    EXPECT_FALSE(get.step().value());
}

TEST_F(DatabaseTest, ATransactionNotCommittedLeavesNothing) {
    auto db = Database::open(file).value();
    ASSERT_TRUE(db.migrate(kSchema).ok());
    {
        auto tx = Transaction::begin(db).value();
        ASSERT_TRUE(db.exec("INSERT INTO kv(k, v) VALUES('a', x'01')").ok());
    }  // destroyed without commit: rolled back
    EXPECT_EQ(count_rows(db), 0);
    {
        auto tx = Transaction::begin(db).value();
        ASSERT_TRUE(db.exec("INSERT INTO kv(k, v) VALUES('b', x'02')").ok());
        ASSERT_TRUE(tx.commit().ok());
    }
    EXPECT_EQ(count_rows(db), 1);
}

TEST_F(DatabaseTest, TypedErrorsForBadWrites) {
    auto db = Database::open(file).value();
    ASSERT_TRUE(db.migrate(kSchema).ok());
    ASSERT_TRUE(db.exec("INSERT INTO kv(k, v) VALUES('a', x'01')").ok());
    const auto dup = db.exec("INSERT INTO kv(k, v) VALUES('a', x'02')");
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, Errc::store_constraint);
    auto bad_sql = db.prepare("SELEC nothing");
    ASSERT_FALSE(bad_sql.ok());
    EXPECT_EQ(bad_sql.error().code, Errc::store_io);
    // A bind past the parameters is reported at step(), not lost.
    auto stmt = db.prepare("INSERT INTO kv(k, v) VALUES(?1, x'00')").value();
    stmt.bind(1, "b").bind(5, std::int64_t{1});
    const auto stepped = stmt.step();
    ASSERT_FALSE(stepped.ok());
    EXPECT_NE(stepped.error().message.find("bind"), std::string::npos);
    EXPECT_EQ(count_rows(db), 1);
}

TEST_F(DatabaseTest, AFileThatIsNotADatabaseIsCorrupt) {
    {
        std::ofstream out(file, std::ios::binary);
        out << std::string(8192, 'x');
    }
    const auto db = Database::open(file);
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.error().code, Errc::store_corrupt) << db.error().describe();
}

TEST_F(DatabaseTest, OpenFailuresAreTyped) {
    const auto missing_dir = Database::open(dir / "no" / "such" / "dir.sqlite");
    ASSERT_FALSE(missing_dir.ok());
    EXPECT_EQ(missing_dir.error().code, Errc::store_open_failed);
    const auto no_create = Database::open(dir / "absent.sqlite", {Synchronous::full, std::chrono::milliseconds{0}, false});
    ASSERT_FALSE(no_create.ok());
    EXPECT_EQ(no_create.error().code, Errc::store_open_failed);
    EXPECT_FALSE(std::filesystem::exists(dir / "absent.sqlite"));
}

TEST_F(DatabaseTest, ASecondWriterWaitsThenGetsBusy) {
    auto first = Database::open(file).value();
    ASSERT_TRUE(first.migrate(kSchema).ok());
    auto tx = Transaction::begin(first).value();
    auto second = Database::open(file, {Synchronous::full, std::chrono::milliseconds{50}, true}).value();
    const auto blocked = Transaction::begin(second);
    ASSERT_FALSE(blocked.ok());
    EXPECT_EQ(blocked.error().code, Errc::store_busy);
    ASSERT_TRUE(tx.commit().ok());
    EXPECT_TRUE(Transaction::begin(second).ok());
}

}  // namespace
}  // namespace sluice::sqlite
