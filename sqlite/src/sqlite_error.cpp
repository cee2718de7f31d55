#include "sqlite_error.hpp"

#include <sqlite3.h>

#include <string>

namespace sluice::sqlite {

Error sqlite_error(int rc, sqlite3* db, std::string_view what) {
    Errc code = Errc::store_io;
    switch (rc & 0xff) {  // the primary code; extended codes keep it in the low byte
        case SQLITE_BUSY:
        case SQLITE_LOCKED: code = Errc::store_busy; break;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: code = Errc::store_corrupt; break;
        case SQLITE_CONSTRAINT: code = Errc::store_constraint; break;
        case SQLITE_CANTOPEN: code = Errc::store_open_failed; break;
        default: break;
    }
    std::string message(what);
    message += ": ";
    message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return make_error(code, std::move(message));
}

}  // namespace sluice::sqlite
