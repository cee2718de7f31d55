// The node store's schema, one entry per migration (Database::migrate): append, never edit a shipped one.
#pragma once

#include <array>
#include <string_view>

namespace sluice::sdk::schema {

inline constexpr std::array<std::string_view, 3> kMigrations{
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
    "                    acknowledged INTEGER NOT NULL DEFAULT 0);",
    // 2: payments (payment_book.hpp). Amounts are decimal text; times unix seconds.
    "CREATE TABLE payments(id BLOB PRIMARY KEY, outgoing INTEGER NOT NULL, hashlocked INTEGER NOT NULL,"
    "                      channel_id BLOB NOT NULL, asset BLOB NOT NULL, amount TEXT NOT NULL, fee TEXT NOT NULL,"
    "                      counterparty BLOB NOT NULL, status INTEGER NOT NULL, version INTEGER,"
    "                      lock_expiry INTEGER NOT NULL DEFAULT 0, preimage BLOB, code TEXT NOT NULL DEFAULT '',"
    "                      reason TEXT NOT NULL DEFAULT '', created INTEGER NOT NULL, updated INTEGER NOT NULL)"
    "  WITHOUT ROWID;"
    "CREATE INDEX payments_by_round ON payments(channel_id, version);"
    "CREATE TABLE invoices(hash BLOB PRIMARY KEY, preimage BLOB NOT NULL, text TEXT NOT NULL,"
    "                      amount TEXT NOT NULL, asset BLOB NOT NULL, expiry INTEGER NOT NULL,"
    "                      paid INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE forwards(in_channel BLOB NOT NULL, hashlock BLOB NOT NULL, payee BLOB NOT NULL,"
    "                      amount TEXT NOT NULL, expiry INTEGER NOT NULL, out_channel BLOB,"
    "                      status INTEGER NOT NULL, PRIMARY KEY(in_channel, hashlock)) WITHOUT ROWID;"
    // Preimages seen in proposals (ours and peers'), so a lock that vanished is known settled, not cancelled.
    "CREATE TABLE seen_preimages(hash BLOB PRIMARY KEY, preimage BLOB NOT NULL) WITHOUT ROWID;",
    // 3: a hub finds a forward by its outgoing channel when the payee settles (forward_out, book_round's
    // UPDATE): without this index each settle scanned every forward ever made (bench/hub_load).
    "CREATE INDEX forwards_by_out ON forwards(out_channel, hashlock);"};

}  // namespace sluice::sdk::schema
