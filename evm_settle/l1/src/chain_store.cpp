// ChainStore's schema and SQL (chain_store.hpp); the row encodings are in chain_store_codec.cpp.
#include "sluice/l1/chain_store.hpp"

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>

#include "chain_store_codec.hpp"
#include "sluice/l1/block_header.hpp"
#include "sluice/l1/logs_bloom.hpp"

namespace sluice::l1 {
namespace {

constexpr std::array<std::string_view, 1> kMigrations{
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE blocks(number INTEGER PRIMARY KEY, hash BLOB NOT NULL, fields BLOB NOT NULL);"
    "CREATE TABLE transactions(position INTEGER PRIMARY KEY, raw BLOB NOT NULL, sender BLOB NOT NULL,"
    "                          receipt BLOB NOT NULL);"
    "CREATE TABLE accounts(address BLOB PRIMARY KEY, nonce INTEGER NOT NULL, balance BLOB NOT NULL,"
    "                      code BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE storage(address BLOB NOT NULL, slot BLOB NOT NULL, value BLOB NOT NULL,"
    "                     PRIMARY KEY(address, slot)) WITHOUT ROWID;"};

Error corrupt(const std::string& what) {
    return make_error(Errc::store_corrupt, "chain store: " + what);
}

Bytes be(const u256& v) {
    const auto word = v.to_be();
    return Bytes(word.begin(), word.end());
}

Result<u256> word(const Bytes& b, const char* what) {
    if (b.size() != 32) return corrupt(std::string(what) + " is not 32 bytes");
    return u256::from_be(ByteView(b));
}

template <class T>
Result<T> fixed(const Bytes& b, const char* what) {
    auto v = T::from_view(b);
    if (!v) return corrupt(std::string(what) + ": " + v.error().message);
    return *v;
}

Status put_meta(sqlite::Database& db, std::string_view key, ByteView value) {
    SLUICE_TRY(auto stmt, db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)"));
    return stmt.bind(1, key).bind(2, value).run();
}

Result<std::optional<Bytes>> get_meta(sqlite::Database& db, std::string_view key) {
    SLUICE_TRY(auto stmt, db.prepare("SELECT value FROM meta WHERE key = ?1"));
    stmt.bind(1, key);
    SLUICE_TRY(const bool row, stmt.step());
    if (!row) return std::optional<Bytes>{};
    return std::optional<Bytes>{stmt.blob(0)};
}

Bytes encode_time(const StoredTime& time) {
    Bytes out = be(u256{static_cast<std::uint64_t>(time.offset)});
    if (time.next_timestamp) {
        const Bytes next = be(u256{static_cast<std::uint64_t>(*time.next_timestamp)});
        out.insert(out.end(), next.begin(), next.end());
    }
    return out;
}

Result<StoredTime> decode_time(const Bytes& b) {
    if (b.size() != 32 && b.size() != 64) return corrupt("time record size");
    StoredTime time;
    const u256 offset = u256::from_be(ByteView(b).first(32));
    if (offset > u256{static_cast<std::uint64_t>(INT64_MAX)}) return corrupt("time offset out of range");
    time.offset = static_cast<std::int64_t>(offset.low64());
    if (b.size() == 64) {
        const u256 next = u256::from_be(ByteView(b).subspan(32));
        if (next > u256{static_cast<std::uint64_t>(INT64_MAX)}) return corrupt("next timestamp out of range");
        time.next_timestamp = static_cast<std::int64_t>(next.low64());
    }
    return time;
}

}  // namespace

Result<std::unique_ptr<ChainStore>> ChainStore::open(const std::filesystem::path& path) {
    // A second devchain on the same file would fork the chain: the first one holds the file's lock for as
    // long as it runs (exclusive locking, taken by the migration's write), and a second gets store_busy.
    auto opened = [&]() -> Result<sqlite::Database> {
        SLUICE_TRY(auto db, sqlite::Database::open(path, {sqlite::Synchronous::normal, std::chrono::milliseconds{200}, true}));
        SLUICE_CHECK_OK(db.exec("PRAGMA locking_mode = EXCLUSIVE"));
        SLUICE_CHECK_OK(db.migrate(kMigrations));
        return db;
    }();
    if (!opened) {
        if (opened.error().code == Errc::store_busy)
            return make_error(Errc::store_busy, path.string() + " is in use by another process");
        return std::move(opened).error();
    }
    return std::unique_ptr<ChainStore>(new ChainStore(std::move(opened).value()));
}

Status ChainStore::put_account(const evm::MemoryState& state, const Address& address) {
    const auto it = state.accounts().find(address);
    if (it == state.accounts().end()) {
        SLUICE_TRY(auto del, db_.prepare("DELETE FROM accounts WHERE address = ?1"));
        SLUICE_CHECK_OK(del.bind(1, address.view()).run());
        return drop_storage(address);
    }
    const auto& account = it->second;
    SLUICE_TRY(auto put, db_.prepare("INSERT OR REPLACE INTO accounts(address, nonce, balance, code)"
                                     " VALUES(?1, ?2, ?3, ?4)"));
    return put.bind(1, address.view())
        .bind(2, static_cast<std::int64_t>(account.nonce))
        .bind(3, ByteView(be(account.balance)))
        .bind(4, ByteView(*account.code))
        .run();
}

Status ChainStore::put_slot(const evm::MemoryState& state, const Address& address, const Bytes32& slot) {
    const u256 value = state.storage(address, slot);
    if (value == u256{}) {
        SLUICE_TRY(auto del, db_.prepare("DELETE FROM storage WHERE address = ?1 AND slot = ?2"));
        return del.bind(1, address.view()).bind(2, slot.view()).run();
    }
    SLUICE_TRY(auto put, db_.prepare("INSERT OR REPLACE INTO storage(address, slot, value) VALUES(?1, ?2, ?3)"));
    return put.bind(1, address.view()).bind(2, slot.view()).bind(3, ByteView(be(value))).run();
}

Status ChainStore::drop_storage(const Address& address) {
    SLUICE_TRY(auto del, db_.prepare("DELETE FROM storage WHERE address = ?1"));
    return del.bind(1, address.view()).run();
}

Status ChainStore::put_transactions(std::span<const TransactionRecord> transactions, std::size_t first_position) {
    SLUICE_TRY(auto put, db_.prepare("INSERT OR REPLACE INTO transactions(position, raw, sender, receipt)"
                                     " VALUES(?1, ?2, ?3, ?4)"));
    for (std::size_t i = 0; i < transactions.size(); ++i) {
        const TransactionRecord& record = transactions[i];
        const Bytes receipt = store_codec::encode_receipt(record.receipt);
        put.reset();
        SLUICE_CHECK_OK(put.bind(1, static_cast<std::int64_t>(first_position + i))
                            .bind(2, ByteView(record.raw))
                            .bind(3, record.signed_tx.tx.sender.view())
                            .bind(4, ByteView(receipt))
                            .run());
    }
    return {};
}

Status ChainStore::put_block(const Block& block) {
    SLUICE_TRY(auto put, db_.prepare("INSERT OR REPLACE INTO blocks(number, hash, fields) VALUES(?1, ?2, ?3)"));
    const Bytes fields = store_codec::encode_block(block);
    return put.bind(1, block.number).bind(2, block.hash.view()).bind(3, ByteView(fields)).run();
}

Status ChainStore::write_all(const u256& chain_id, std::span<const Block> blocks,
                             std::span<const TransactionRecord> transactions, const evm::MemoryState& state,
                             const StoredTime& time) {
    SLUICE_TRY(auto tx, sqlite::Transaction::begin(db_));
    SLUICE_CHECK_OK(db_.exec("DELETE FROM blocks; DELETE FROM transactions; DELETE FROM accounts; DELETE FROM storage;"));
    SLUICE_CHECK_OK(put_meta(db_, "chain_id", ByteView(be(chain_id))));
    SLUICE_CHECK_OK(put_meta(db_, "time", ByteView(encode_time(time))));
    SLUICE_CHECK_OK(put_meta(db_, "state_root", state.state_root().view()));
    for (const Block& block : blocks)
        SLUICE_CHECK_OK(put_block(block));
    SLUICE_CHECK_OK(put_transactions(transactions, 0));
    SLUICE_TRY(auto put, db_.prepare("INSERT INTO storage(address, slot, value) VALUES(?1, ?2, ?3)"));
    for (const auto& [address, account] : state.accounts()) {
        SLUICE_CHECK_OK(put_account(state, address));
        for (const auto& [slot, value] : account.storage) {
            put.reset();
            SLUICE_CHECK_OK(put.bind(1, address.view()).bind(2, slot.view()).bind(3, ByteView(be(value))).run());
        }
    }
    return tx.commit();
}

Status ChainStore::append_block(const Block& block, std::span<const TransactionRecord> transactions,
                                std::size_t first_position, const evm::MemoryState& state,
                                const evm::StateDiff& diff, const StoredTime& time) {
    SLUICE_TRY(auto tx, sqlite::Transaction::begin(db_));
    SLUICE_CHECK_OK(put_block(block));
    SLUICE_CHECK_OK(put_transactions(transactions, first_position));
    for (const evm::AccountChange& change : diff.accounts) {
        SLUICE_CHECK_OK(put_account(state, change.address));
        if (change.deleted) continue;  // put_account dropped its storage with it
        if (change.storage_cleared) {
            SLUICE_CHECK_OK(drop_storage(change.address));
            if (const auto it = state.accounts().find(change.address); it != state.accounts().end()) {
                for (const auto& [slot, value] : it->second.storage)
                    SLUICE_CHECK_OK(put_slot(state, change.address, slot));
            }
            continue;
        }
        for (const auto& [slot, value] : change.storage)
            SLUICE_CHECK_OK(put_slot(state, change.address, slot));
    }
    SLUICE_CHECK_OK(put_meta(db_, "time", ByteView(encode_time(time))));
    SLUICE_CHECK_OK(put_meta(db_, "state_root", block.state_root.view()));
    return tx.commit();
}

Status ChainStore::write_accounts(const evm::MemoryState& state, std::span<const Address> accounts) {
    SLUICE_TRY(auto tx, sqlite::Transaction::begin(db_));
    for (const Address& address : accounts)
        SLUICE_CHECK_OK(put_account(state, address));
    SLUICE_CHECK_OK(put_meta(db_, "state_root", state.state_root().view()));
    return tx.commit();
}

Status ChainStore::write_time(const StoredTime& time) {
    return put_meta(db_, "time", ByteView(encode_time(time)));
}

Result<std::optional<StoredChain>> ChainStore::load(const u256& chain_id, evm::Revision rev) {
    SLUICE_TRY(const auto stored_id, get_meta(db_, "chain_id"));
    if (!stored_id) return std::optional<StoredChain>{};
    SLUICE_TRY(const u256 id, word(*stored_id, "chain id"));
    if (id != chain_id) {
        return make_error(Errc::devchain_store_mismatch,
                          "the data dir holds chain " + id.to_dec() + ", not " + chain_id.to_dec());
    }
    StoredChain chain;
    SLUICE_TRY(const auto time, get_meta(db_, "time"));
    if (!time) return corrupt("no time record");
    SLUICE_TRY(chain.time, decode_time(*time));

    std::unordered_map<Address, std::unordered_map<Bytes32, u256>> storage;
    SLUICE_TRY(auto slots, db_.prepare("SELECT address, slot, value FROM storage"));
    for (;;) {
        SLUICE_TRY(const bool row, slots.step());
        if (!row) break;
        SLUICE_TRY(const auto address, fixed<Address>(slots.blob(0), "storage address"));
        SLUICE_TRY(const auto slot, fixed<Bytes32>(slots.blob(1), "slot"));
        SLUICE_TRY(const u256 value, word(slots.blob(2), "slot value"));
        storage[address][slot] = value;
    }
    SLUICE_TRY(auto accounts, db_.prepare("SELECT address, nonce, balance, code FROM accounts"));
    for (;;) {
        SLUICE_TRY(const bool row, accounts.step());
        if (!row) break;
        SLUICE_TRY(const auto address, fixed<Address>(accounts.blob(0), "account address"));
        if (accounts.int64(1) < 0) return corrupt("negative nonce");
        SLUICE_TRY(const u256 balance, word(accounts.blob(2), "balance"));
        auto slots_of = storage.extract(address);
        chain.state.put_account(address, static_cast<std::uint64_t>(accounts.int64(1)), balance, accounts.blob(3),
                                slots_of.empty() ? std::unordered_map<Bytes32, u256>{} : std::move(slots_of.mapped()));
    }
    if (!storage.empty()) return corrupt("storage of an account that does not exist");

    SLUICE_TRY(auto txs, db_.prepare("SELECT position, raw, sender, receipt FROM transactions ORDER BY position"));
    for (;;) {
        SLUICE_TRY(const bool row, txs.step());
        if (!row) break;
        if (txs.int64(0) != static_cast<std::int64_t>(chain.transactions.size())) return corrupt("transaction gap");
        TransactionRecord record;
        record.raw = txs.blob(1);
        auto parsed = parse_transaction(record.raw);
        if (!parsed) return corrupt("transaction: " + parsed.error().message);
        record.signed_tx = std::move(parsed).value();
        SLUICE_TRY(record.signed_tx.tx.sender, fixed<Address>(txs.blob(2), "sender"));
        SLUICE_TRY(record.receipt, store_codec::decode_receipt(txs.blob(3)));
        chain.transactions.push_back(std::move(record));
    }

    SLUICE_TRY(auto blocks, db_.prepare("SELECT number, hash, fields FROM blocks ORDER BY number"));
    for (;;) {
        SLUICE_TRY(const bool row, blocks.step());
        if (!row) break;
        SLUICE_TRY(Block block, store_codec::decode_block(blocks.blob(2)));
        if (block.number != static_cast<std::int64_t>(chain.blocks.size()) || blocks.int64(0) != block.number)
            return corrupt("block gap at " + std::to_string(chain.blocks.size()));
        const std::size_t expected_first =
            chain.blocks.empty() ? 0 : chain.blocks.back().first_transaction + chain.blocks.back().transaction_count;
        if (block.first_transaction != expected_first ||
            block.transaction_count > chain.transactions.size() - std::min(expected_first, chain.transactions.size()))
            return corrupt("block " + std::to_string(block.number) + " names transactions the store lacks");
        const std::span<TransactionRecord> included(chain.transactions.data() + block.first_transaction,
                                                    block.transaction_count);
        std::size_t log_index = 0;
        for (std::size_t i = 0; i < included.size(); ++i) {
            TxReceipt& r = included[i].receipt;
            const evm::Transaction& tx = included[i].signed_tx.tx;
            r.transaction_hash = included[i].signed_tx.hash;
            r.block_number = block.number;
            r.block_timestamp = block.timestamp;
            r.transaction_index = i;
            r.first_log_index = log_index;
            r.type = tx.type;
            r.from = tx.sender;
            r.to = tx.to;
            r.logs_bloom = logs_bloom(r.logs);
            log_index += r.logs.size();
        }
        seal_header(block, included, rev);
        SLUICE_TRY(const auto stored_hash, fixed<Hash>(blocks.blob(1), "block hash"));
        if (block.hash != stored_hash) return corrupt("block " + std::to_string(block.number) + "'s hash does not match");
        for (TransactionRecord& record : included)
            record.receipt.block_hash = block.hash;
        chain.blocks.push_back(block);
    }
    if (chain.blocks.empty()) return corrupt("no blocks");
    const Block& head = chain.blocks.back();
    if (head.first_transaction + head.transaction_count != chain.transactions.size())
        return corrupt("transactions past the latest block");
    // The root of the state as last written (the latest block's, or later after state surgery).
    SLUICE_TRY(const auto root, get_meta(db_, "state_root"));
    if (!root) return corrupt("no state root record");
    SLUICE_TRY(const Hash expected_root, fixed<Hash>(*root, "state root"));
    if (chain.state.state_root() != expected_root) return corrupt("the state does not match its stored root");
    return std::optional<StoredChain>{std::move(chain)};
}

}  // namespace sluice::l1
