// SQLite's result codes as Sluice errors: the one place that decides which Errc a failure is.
#pragma once

#include <string_view>

#include "sluice/core/result.hpp"

struct sqlite3;

namespace sluice::sqlite {

// `what` names the operation ("prepare", "step", ...); the message adds SQLite's own text.
Error sqlite_error(int rc, sqlite3* db, std::string_view what);

}  // namespace sluice::sqlite
