// The node store's schema, one entry per migration (Database::migrate): append, never edit a shipped one.
#pragma once

#include <array>
#include <string_view>

namespace sluice::sdk::schema {

inline constexpr std::array<std::string_view, 1> kMigrations{
    "CREATE TABLE channels(id BLOB PRIMARY KEY, params TEXT NOT NULL, my_index INTEGER NOT NULL,"
    "                      status INTEGER NOT NULL, deposits TEXT NOT NULL);"
    "CREATE TABLE fully_signed(channel_id BLOB PRIMARY KEY, version INTEGER NOT NULL, state TEXT NOT NULL)"
    "  WITHOUT ROWID;"
    // seq keeps the signing order the machine validates against (persistence.hpp).
    "CREATE TABLE signing(seq INTEGER PRIMARY KEY AUTOINCREMENT, channel_id BLOB NOT NULL,"
    "                     version INTEGER NOT NULL, state TEXT NOT NULL, UNIQUE(channel_id, state));"
    "CREATE TABLE preimages(channel_id BLOB NOT NULL, preimage BLOB NOT NULL, PRIMARY KEY(channel_id, preimage))"
    "  WITHOUT ROWID;"
    "CREATE TABLE reveals(channel_id BLOB NOT NULL, hashlock BLOB NOT NULL, revealed_at INTEGER NOT NULL,"
    "                     PRIMARY KEY(channel_id, hashlock)) WITHOUT ROWID;"
    "CREATE TABLE events(seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, body TEXT NOT NULL,"
    "                    acknowledged INTEGER NOT NULL DEFAULT 0);"};

}  // namespace sluice::sdk::schema
