#include "sluice/sqlite/statement.hpp"

#include <sqlite3.h>

#include "sqlite_error.hpp"

namespace sluice::sqlite {

void Statement::Finalize::operator()(sqlite3_stmt* stmt) const noexcept {
    sqlite3_finalize(stmt);
}

Statement::Statement(Statement&&) noexcept = default;
Statement& Statement::operator=(Statement&&) noexcept = default;
Statement::~Statement() = default;

Statement& Statement::check_bind(int rc) {
    if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    return check_bind(sqlite3_bind_int64(stmt_.get(), index, value));
}

Statement& Statement::bind(int index, std::string_view text) {
    return check_bind(sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(), SQLITE_TRANSIENT,
                                          SQLITE_UTF8));
}

Statement& Statement::bind(int index, ByteView blob) {
    // A zero-length blob must still be a blob, not NULL: SQLite takes a null pointer as NULL.
    static const std::uint8_t empty = 0;
    const void* data = blob.empty() ? &empty : blob.data();
    return check_bind(sqlite3_bind_blob64(stmt_.get(), index, data, blob.size(), SQLITE_TRANSIENT));
}

Statement& Statement::bind_null(int index) {
    return check_bind(sqlite3_bind_null(stmt_.get(), index));
}

Result<bool> Statement::step() {
    sqlite3* db = sqlite3_db_handle(stmt_.get());
    if (bind_error_ != 0) return sqlite_error(bind_error_, db, "bind");
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_error(rc, db, "step");
}

Status Statement::run() {
    for (;;) {
        SLUICE_TRY(const bool row, step());
        if (!row) return {};
    }
}

void Statement::reset() noexcept {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
    bind_error_ = 0;
}

bool Statement::is_null(int column) const noexcept {
    return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const noexcept {
    return sqlite3_column_int64(stmt_.get(), column);
}

std::string Statement::text(int column) const {
    const auto* p = sqlite3_column_text(stmt_.get(), column);
    const int n = sqlite3_column_bytes(stmt_.get(), column);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
}

Bytes Statement::blob(int column) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_.get(), column));
    const int n = sqlite3_column_bytes(stmt_.get(), column);
    return p == nullptr ? Bytes() : Bytes(p, p + n);
}

}  // namespace sluice::sqlite
