#include "sluice/sdk/node_store.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "node_store_schema.hpp"
#include "sluice/channel/json.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::sdk {
namespace {

Error corrupt(const std::string& what) {
    return make_error(Errc::store_corrupt, "node store: " + what);
}

std::string state_text(const channel::State& state) {
    return channel::to_json(state).dump();
}

nlohmann::json deposits_json(const channel::Deposits& deposits) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [asset, amount] : deposits)
        out[asset.to_hex()] = amount.to_dec();
    return out;
}

Result<channel::Deposits> deposits_from(const std::string& text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object()) return corrupt("deposits are not an object");
    channel::Deposits out;
    for (const auto& [key, value] : json.items()) {
        auto asset = Address::from_hex(key);
        if (!asset || !value.is_string()) return corrupt("a deposit entry");
        auto amount = u256::from_dec(value.get<std::string>());
        if (!amount) return corrupt("a deposit amount");
        out.emplace(*asset, *amount);
    }
    return out;
}

template <class T>
Result<T> fixed(const Bytes& b, const char* what) {
    auto v = T::from_view(b);
    if (!v) return corrupt(std::string(what) + ": " + v.error().message);
    return *v;
}

}  // namespace

Result<std::unique_ptr<NodeStore>> NodeStore::open(const std::filesystem::path& file) {
    SLUICE_TRY(auto db, sqlite::Database::open(file));
    SLUICE_CHECK_OK(db.migrate(schema::kMigrations));
    return std::unique_ptr<NodeStore>(new NodeStore(std::make_unique<GroupCommit>(std::move(db))));
}

channel::PersistResult NodeStore::persist(StoreWrite write) {
    return committer_->write(std::move(write)).ok() ? channel::PersistResult::completed
                                                    : channel::PersistResult::failed;
}

channel::PersistResult NodeStore::save_signing(const Hash& channel_id, const channel::State& state) {
    return persist([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(
            auto put,
            db.prepare("INSERT OR IGNORE INTO signing(channel_id, version, state) VALUES(?1, ?2, ?3)"));
        return put.bind(1, channel_id.view())
            .bind(2, static_cast<std::int64_t>(state.version))
            .bind(3, state_text(state))
            .run();
    });
}

namespace {

Result<std::vector<QueuedEvent>> append_events(sqlite::Database& db, std::vector<NodeEvent>& events) {
    std::vector<QueuedEvent> out;
    if (events.empty()) return out;
    SLUICE_TRY(auto put, db.prepare("INSERT INTO events(kind, body) VALUES(?1, ?2)"));
    for (auto& e : events) {
        SLUICE_CHECK_OK(put.bind(1, event_kind(e)).bind(2, encode_event_body(e)).run());
        put.reset();
        out.push_back(QueuedEvent{db.last_insert_rowid(), std::move(e)});
    }
    return out;
}

}  // namespace

Status NodeStore::write_with_events(const EventfulWrite& write) {
    std::vector<QueuedEvent> queued;
    SLUICE_CHECK_OK(committer_->write([&](sqlite::Database& db) -> Status {
        queued.clear();
        std::vector<NodeEvent> events;
        SLUICE_CHECK_OK(write(db, events));
        SLUICE_TRY(queued, append_events(db, events));
        return {};
    }));
    if (listener_ && !queued.empty()) listener_(queued);
    return {};
}

channel::PersistResult NodeStore::save_fully_signed(const Hash& channel_id,
                                                    const channel::SignedState& state) {
    std::vector<QueuedEvent> queued;
    const auto result = persist([&](sqlite::Database& db) -> Status {
        queued.clear();
        if (round_hook_) {
            std::vector<NodeEvent> events;
            SLUICE_CHECK_OK(round_hook_(db, channel_id, state, events));
            SLUICE_TRY(queued, append_events(db, events));
        }
        const auto version = static_cast<std::int64_t>(state.state.version);
        SLUICE_TRY(auto put, db.prepare("INSERT OR REPLACE INTO fully_signed(channel_id, version, state)"
                                        " VALUES(?1, ?2, ?3)"));
        SLUICE_CHECK_OK(
            put.bind(1, channel_id.view()).bind(2, version).bind(3, channel::to_json(state).dump()).run());
        // States at or below it are superseded: a higher version wins on-chain.
        SLUICE_TRY(auto drop, db.prepare("DELETE FROM signing WHERE channel_id = ?1 AND version <= ?2"));
        return drop.bind(1, channel_id.view()).bind(2, version).run();
    });
    if (result == channel::PersistResult::completed && listener_ && !queued.empty()) listener_(queued);
    return result;
}

channel::PersistResult NodeStore::save_preimage(const Hash& channel_id, const Bytes32& preimage) {
    return persist([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(auto put,
                   db.prepare("INSERT OR IGNORE INTO preimages(channel_id, preimage) VALUES(?1, ?2)"));
        return put.bind(1, channel_id.view()).bind(2, preimage.view()).run();
    });
}

channel::PersistResult NodeStore::save_reveal(const Hash& channel_id, const Hash& hashlock,
                                              std::uint64_t revealed_at) {
    return persist([&](sqlite::Database& db) -> Status {
        // The adjudicator keeps the first reveal: an earlier time always wins (LockKnowledge::add_reveal).
        SLUICE_TRY(auto put,
                   db.prepare("INSERT INTO reveals(channel_id, hashlock, revealed_at) VALUES(?1, ?2, ?3)"
                              " ON CONFLICT(channel_id, hashlock)"
                              " DO UPDATE SET revealed_at = MIN(revealed_at, excluded.revealed_at)"));
        return put.bind(1, channel_id.view())
            .bind(2, hashlock.view())
            .bind(3, static_cast<std::int64_t>(revealed_at))
            .run();
    });
}

Status NodeStore::save_channel(const ChannelRecord& record) {
    return committer_->write([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(auto put,
                   db.prepare("INSERT OR REPLACE INTO channels(id, params, my_index, status, deposits)"
                              " VALUES(?1, ?2, ?3, ?4, ?5)"));
        return put.bind(1, record.id.view())
            .bind(2, channel::to_json(record.params).dump())
            .bind(3, static_cast<std::int64_t>(record.my_index))
            .bind(4, static_cast<std::int64_t>(record.status))
            .bind(5, deposits_json(record.deposits).dump())
            .run();
    });
}

Status NodeStore::set_status(const Hash& channel_id, ChannelStatus status) {
    return committer_->write([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(auto put, db.prepare("UPDATE channels SET status = ?2 WHERE id = ?1"));
        SLUICE_CHECK_OK(put.bind(1, channel_id.view()).bind(2, static_cast<std::int64_t>(status)).run());
        if (db.changes() == 0)
            return make_error(Errc::node_unknown_channel, "no channel " + to_hex(channel_id.view()));
        return {};
    });
}

Result<std::vector<ChannelRecord>> NodeStore::channels() {
    std::vector<ChannelRecord> out;
    SLUICE_CHECK_OK(committer_->read([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(auto rows,
                   db.prepare("SELECT id, params, my_index, status, deposits FROM channels ORDER BY rowid"));
        for (;;) {
            SLUICE_TRY(const bool row, rows.step());
            if (!row) return {};
            ChannelRecord r;
            SLUICE_TRY(r.id, fixed<Hash>(rows.blob(0), "channel id"));
            const auto params_json = nlohmann::json::parse(rows.text(1), nullptr, false);
            auto params = channel::params_from_json(params_json);
            if (!params) return corrupt("params: " + params.error().message);
            r.params = std::move(params).value();
            r.my_index = static_cast<std::size_t>(rows.int64(2));
            if (r.my_index >= r.params.participants.size()) return corrupt("our index is out of range");
            const std::int64_t status = rows.int64(3);
            if (status < 0 || status > static_cast<std::int64_t>(ChannelStatus::closed))
                return corrupt("status");
            r.status = static_cast<ChannelStatus>(status);
            SLUICE_TRY(r.deposits, deposits_from(rows.text(4)));
            out.push_back(std::move(r));
        }
    }));
    return out;
}

Result<std::optional<channel::PersistedChannel>> NodeStore::load(const Hash& channel_id) {
    std::optional<channel::PersistedChannel> out;
    SLUICE_CHECK_OK(committer_->read([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(auto latest, db.prepare("SELECT state FROM fully_signed WHERE channel_id = ?1"));
        latest.bind(1, channel_id.view());
        SLUICE_TRY(const bool has_latest, latest.step());
        if (!has_latest) return {};
        channel::PersistedChannel record;
        auto signed_state = channel::signed_state_from_json_text(latest.text(0));
        if (!signed_state) return corrupt("fully signed state: " + signed_state.error().message);
        record.latest = std::move(signed_state).value();

        SLUICE_TRY(auto signing, db.prepare("SELECT state FROM signing WHERE channel_id = ?1 ORDER BY seq"));
        signing.bind(1, channel_id.view());
        for (;;) {
            SLUICE_TRY(const bool row, signing.step());
            if (!row) break;
            auto state = channel::state_from_json_text(signing.text(0));
            if (!state) return corrupt("signed state: " + state.error().message);
            record.outstanding.push_back(std::move(state).value());
        }
        if (!record.outstanding.empty()) record.last_signed = record.outstanding.back();

        SLUICE_TRY(auto preimages, db.prepare("SELECT preimage FROM preimages WHERE channel_id = ?1"));
        preimages.bind(1, channel_id.view());
        for (;;) {
            SLUICE_TRY(const bool row, preimages.step());
            if (!row) break;
            SLUICE_TRY(const auto preimage, fixed<Bytes32>(preimages.blob(0), "preimage"));
            record.known.add_preimage(preimage);
        }
        SLUICE_TRY(auto reveals,
                   db.prepare("SELECT hashlock, revealed_at FROM reveals WHERE channel_id = ?1"));
        reveals.bind(1, channel_id.view());
        for (;;) {
            SLUICE_TRY(const bool row, reveals.step());
            if (!row) break;
            SLUICE_TRY(const auto hashlock, fixed<Hash>(reveals.blob(0), "hashlock"));
            if (reveals.int64(1) < 0) return corrupt("reveal time");
            record.known.add_reveal(hashlock, static_cast<std::uint64_t>(reveals.int64(1)));
        }
        out = std::move(record);
        return {};
    }));
    return out;
}

Result<std::int64_t> NodeStore::append_event(const std::string& kind, const std::string& body) {
    std::int64_t seq = 0;
    SLUICE_CHECK_OK(committer_->write([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(auto put, db.prepare("INSERT INTO events(kind, body) VALUES(?1, ?2)"));
        SLUICE_CHECK_OK(put.bind(1, kind).bind(2, body).run());
        seq = db.last_insert_rowid();
        return {};
    }));
    return seq;
}

Result<std::vector<StoredEvent>> NodeStore::unacknowledged_events() {
    std::vector<StoredEvent> out;
    SLUICE_CHECK_OK(committer_->read([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(auto rows,
                   db.prepare("SELECT seq, kind, body FROM events WHERE acknowledged = 0 ORDER BY seq"));
        for (;;) {
            SLUICE_TRY(const bool row, rows.step());
            if (!row) return {};
            out.push_back(StoredEvent{rows.int64(0), rows.text(1), rows.text(2)});
        }
    }));
    return out;
}

Status NodeStore::acknowledge_event(std::int64_t seq) {
    return committer_->write([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(auto put, db.prepare("UPDATE events SET acknowledged = 1 WHERE seq = ?1"));
        return put.bind(1, seq).run();
    });
}

}  // namespace sluice::sdk
