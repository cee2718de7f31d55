// Statement: a prepared SQLite statement (sqlite3_stmt*), owned. Parameters are 1-based as in SQLite;
// columns 0-based. step() says whether a row is there; a finished statement is reset() before reuse.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"

struct sqlite3_stmt;

namespace sluice::sqlite {

class Statement {
  public:
    Statement(Statement&&) noexcept;
    Statement& operator=(Statement&&) noexcept;
    ~Statement();

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, ByteView blob);
    Statement& bind_null(int index);

    // true: a row is ready for the column readers; false: done. The first bind error, if any, comes here.
    Result<bool> step();
    // step() until done, for statements that return no rows.
    Status run();
    // Clears the bindings too.
    void reset() noexcept;

    bool is_null(int column) const noexcept;
    std::int64_t int64(int column) const noexcept;
    std::string text(int column) const;
    Bytes blob(int column) const;

  private:
    friend class Database;
    struct Finalize {
        void operator()(sqlite3_stmt* stmt) const noexcept;
    };
    explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
    Statement& check_bind(int rc);
    std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
    int bind_error_ = 0;  // the first failed bind's SQLite code
};

}  // namespace sluice::sqlite
