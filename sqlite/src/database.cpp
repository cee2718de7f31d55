#include "sluice/sqlite/database.hpp"

#include <sqlite3.h>

#include <string>

#include "sqlite_error.hpp"

namespace sluice::sqlite {

void Database::Close::operator()(sqlite3* db) const noexcept {
    sqlite3_close_v2(db);
}

Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

Result<Database> Database::open(const std::filesystem::path& path, OpenOptions options) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (options.create) flags |= SQLITE_OPEN_CREATE;
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Database db(raw);  // owns the handle even when open failed
    if (rc != SQLITE_OK) {
        Error e = sqlite_error(rc, raw, "open " + path.string());
        e.code = Errc::store_open_failed;
        return e;
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));
    // A file that is not a database fails here, at the first read, rather than at some later query.
    SLUICE_CHECK_OK(db.exec("PRAGMA foreign_keys = ON"));
    SLUICE_TRY(auto mode, db.prepare("PRAGMA journal_mode = WAL"));
    SLUICE_CHECK_OK(mode.run());
    SLUICE_CHECK_OK(db.exec(options.synchronous == Synchronous::full ? "PRAGMA synchronous = FULL"
                                                                     : "PRAGMA synchronous = NORMAL"));
    return db;
}

Status Database::exec(std::string_view sql) {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);  // sqlite3_errmsg still holds the same text
    if (rc != SQLITE_OK) return sqlite_error(rc, db_.get(), "exec");
    return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &stmt, nullptr);
    Statement statement(stmt);
    if (rc != SQLITE_OK) return sqlite_error(rc, db_.get(), "prepare");
    return statement;
}

Result<std::int64_t> Database::user_version() {
    SLUICE_TRY(auto stmt, prepare("PRAGMA user_version"));
    SLUICE_TRY(const bool row, stmt.step());
    return row ? stmt.int64(0) : 0;
}

Status Database::migrate(std::span<const std::string_view> migrations) {
    SLUICE_TRY(const std::int64_t from, user_version());
    const auto target = static_cast<std::int64_t>(migrations.size());
    if (from > target) {
        return make_error(Errc::store_schema_too_new, "schema version " + std::to_string(from) +
                                                          " is newer than this build's " + std::to_string(target));
    }
    for (std::int64_t v = from; v < target; ++v) {
        SLUICE_TRY(auto tx, Transaction::begin(*this));
        SLUICE_CHECK_OK(exec(migrations[static_cast<std::size_t>(v)]));
        SLUICE_CHECK_OK(exec("PRAGMA user_version = " + std::to_string(v + 1)));
        SLUICE_CHECK_OK(tx.commit());
    }
    return {};
}

std::int64_t Database::last_insert_rowid() const noexcept {
    return sqlite3_last_insert_rowid(db_.get());
}

std::int64_t Database::changes() const noexcept {
    return sqlite3_changes64(db_.get());
}

Result<Transaction> Transaction::begin(Database& db) {
    SLUICE_CHECK_OK(db.exec("BEGIN IMMEDIATE"));
    return Transaction(db);
}

Transaction::~Transaction() {
    if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
    if (db_ == nullptr) return make_error(Errc::internal, "transaction already ended");
    Status s = db_->exec("COMMIT");
    if (s.ok()) db_ = nullptr;  // on failure the destructor rolls back
    return s;
}

}  // namespace sluice::sqlite
