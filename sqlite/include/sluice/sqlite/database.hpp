// Database: one SQLite connection (sqlite3*), owned. open() sets what every Sluice store wants: WAL, foreign
// keys on, a busy timeout, and the synchronous level the caller asks for (FULL where an acknowledged write
// must survive a power cut, NORMAL where losing the last commits at a power cut is acceptable, e.g. the
// devchain). A connection is used from one thread at a time (SQLITE_OPEN_NOMUTEX); the owner serialises.
//
// Errors: store_open_failed, store_io, store_busy, store_corrupt, store_constraint (sqlite_error.hpp maps
// SQLite's result codes), store_schema_too_new from migrate().
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "sluice/core/result.hpp"
#include "sluice/sqlite/statement.hpp"

struct sqlite3;

namespace sluice::sqlite {

enum class Synchronous : std::uint8_t { normal, full };

struct OpenOptions {
    Synchronous synchronous = Synchronous::full;
    std::chrono::milliseconds busy_timeout{5'000};
    bool create = true;  // false: store_open_failed when the file does not exist
};

class Database {
  public:
    // ":memory:" opens a private in-memory database (WAL does not apply to it).
    static Result<Database> open(const std::filesystem::path& path, OpenOptions options = {});

    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;
    ~Database();

    // One or more statements without parameters or results (schema, pragmas).
    Status exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);

    // PRAGMA user_version: the schema version migrate() keeps.
    Result<std::int64_t> user_version();
    // Brings the schema to migrations.size(): runs migrations[v], ..., migrations[size-1] from the file's
    // user_version v, each in one transaction with its user_version bump, so a crash leaves the schema at
    // a whole step. store_schema_too_new when v > migrations.size() (a newer build wrote the file).
    Status migrate(std::span<const std::string_view> migrations);

    std::int64_t last_insert_rowid() const noexcept;
    std::int64_t changes() const noexcept;  // rows changed by the last statement
    sqlite3* handle() const noexcept { return db_.get(); }

  private:
    struct Close {
        void operator()(sqlite3* db) const noexcept;
    };
    explicit Database(sqlite3* db) : db_(db) {}
    std::unique_ptr<sqlite3, Close> db_;
};

// BEGIN IMMEDIATE on construction (the write lock taken at once, so a transaction never fails half-way for
// a lock), ROLLBACK on destruction unless commit() succeeded.
class Transaction {
  public:
    static Result<Transaction> begin(Database& db);
    Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();
    Status commit();

  private:
    explicit Transaction(Database& db) : db_(&db) {}
    Database* db_;
};

}  // namespace sluice::sqlite
