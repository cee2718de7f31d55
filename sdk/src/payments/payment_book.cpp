#include "sluice/sdk/payment_book.hpp"

#include <map>
#include <utility>

#include "sluice/channel/json.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::sdk {
namespace {

Error corrupt(const std::string& what) {
    return make_error(Errc::store_corrupt, "payment book: " + what);
}

template <class T>
Result<T> fixed(const Bytes& b, const char* what) {
    auto v = T::from_view(b);
    if (!v) return corrupt(std::string(what) + ": " + v.error().message);
    return *v;
}

Result<u256> amount(const std::string& text, const char* what) {
    auto v = u256::from_dec(text);
    if (!v) return corrupt(what);
    return *v;
}

constexpr const char* kPaymentColumns =
    "id, outgoing, hashlocked, channel_id, asset, amount, fee, counterparty, status, version, lock_expiry, "
    "preimage,"
    " code, reason, created, updated";

Result<PaymentRecord> payment_row(const sqlite::Statement& row) {
    PaymentRecord r;
    SLUICE_TRY(r.id, fixed<Hash>(row.blob(0), "payment id"));
    r.outgoing = row.int64(1) != 0;
    r.hashlocked = row.int64(2) != 0;
    SLUICE_TRY(r.channel_id, fixed<Hash>(row.blob(3), "channel id"));
    SLUICE_TRY(r.asset, fixed<Address>(row.blob(4), "asset"));
    SLUICE_TRY(r.amount, amount(row.text(5), "amount"));
    SLUICE_TRY(r.fee, amount(row.text(6), "fee"));
    SLUICE_TRY(r.counterparty, fixed<Address>(row.blob(7), "counterparty"));
    const auto status = row.int64(8);
    if (status < 0 || status > static_cast<std::int64_t>(PaymentStatus::failed))
        return corrupt("payment status");
    r.status = static_cast<PaymentStatus>(status);
    if (!row.is_null(9)) r.version = static_cast<std::uint64_t>(row.int64(9));
    r.lock_expiry = static_cast<std::uint64_t>(row.int64(10));
    if (!row.is_null(11)) {
        SLUICE_TRY(r.preimage, fixed<Bytes32>(row.blob(11), "preimage"));
    }
    r.code = row.text(12);
    r.reason = row.text(13);
    r.created = static_cast<std::uint64_t>(row.int64(14));
    r.updated = static_cast<std::uint64_t>(row.int64(15));
    return r;
}

Result<std::vector<PaymentRecord>> select_payments(sqlite::Database& db, const std::string& where,
                                                   const std::function<void(sqlite::Statement&)>& bind) {
    SLUICE_TRY(auto rows, db.prepare(std::string("SELECT ") + kPaymentColumns + " FROM payments " + where));
    if (bind) bind(rows);
    std::vector<PaymentRecord> out;
    for (;;) {
        SLUICE_TRY(const bool row, rows.step());
        if (!row) return out;
        SLUICE_TRY(auto r, payment_row(rows));
        out.push_back(std::move(r));
    }
}

Status insert_payment(sqlite::Database& db, const PaymentRecord& r, bool or_ignore) {
    SLUICE_TRY(auto put,
               db.prepare(std::string(or_ignore ? "INSERT OR IGNORE" : "INSERT") + " INTO payments(" +
                          kPaymentColumns +
                          ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"));
    put.bind(1, r.id.view())
        .bind(2, std::int64_t{r.outgoing})
        .bind(3, std::int64_t{r.hashlocked})
        .bind(4, r.channel_id.view())
        .bind(5, r.asset.view())
        .bind(6, r.amount.to_dec())
        .bind(7, r.fee.to_dec())
        .bind(8, r.counterparty.view())
        .bind(9, static_cast<std::int64_t>(r.status))
        .bind(11, static_cast<std::int64_t>(r.lock_expiry))
        .bind(13, r.code)
        .bind(14, r.reason)
        .bind(15, static_cast<std::int64_t>(r.created))
        .bind(16, static_cast<std::int64_t>(r.updated));
    if (r.version)
        put.bind(10, static_cast<std::int64_t>(*r.version));
    else
        put.bind_null(10);
    if (r.preimage)
        put.bind(12, r.preimage->view());
    else
        put.bind_null(12);
    return put.run();
}

Status set_status(sqlite::Database& db, const Hash& id, PaymentStatus status, std::uint64_t now,
                  const std::optional<Bytes32>& preimage = std::nullopt) {
    SLUICE_TRY(auto put,
               db.prepare("UPDATE payments SET status = ?2, updated = ?3, preimage = COALESCE(?4, preimage)"
                          " WHERE id = ?1"));
    put.bind(1, id.view()).bind(2, static_cast<std::int64_t>(status)).bind(3, static_cast<std::int64_t>(now));
    if (preimage)
        put.bind(4, preimage->view());
    else
        put.bind_null(4);
    return put.run();
}

Result<std::optional<Bytes32>> known_preimage(sqlite::Database& db, const Hash& hash) {
    SLUICE_TRY(auto q, db.prepare("SELECT preimage FROM seen_preimages WHERE hash = ?1"
                                  " UNION ALL SELECT preimage FROM invoices WHERE hash = ?1 LIMIT 1"));
    q.bind(1, hash.view());
    SLUICE_TRY(const bool row, q.step());
    if (!row) return std::optional<Bytes32>{};
    SLUICE_TRY(const auto p, fixed<Bytes32>(q.blob(0), "preimage"));
    return std::optional<Bytes32>{p};
}

using LockKey = std::pair<Address, Hash>;  // asset, hashlock

std::map<LockKey, channel::Lock> locks_of(const channel::State& s) {
    std::map<LockKey, channel::Lock> out;
    for (const auto& alloc : s.outcome) {
        for (const auto& lock : alloc.locks)
            out.emplace(LockKey{alloc.asset, lock.hashlock}, lock);
    }
    return out;
}

u256 balance_of(const channel::State& s, const Address& asset, std::size_t who) {
    for (const auto& alloc : s.outcome) {
        if (alloc.asset == asset && who < alloc.balances.size()) return alloc.balances[who];
    }
    return u256{};
}

// An outgoing payment of ours resolved by `next`.
Status resolve_outgoing(sqlite::Database& db, const PaymentRecord& p, const std::optional<Bytes32>& preimage,
                        std::uint64_t now, std::vector<NodeEvent>& events) {
    if (preimage) {
        SLUICE_CHECK_OK(set_status(db, p.id, PaymentStatus::succeeded, now, preimage));
        events.emplace_back(PaymentSent{p.id, p.channel_id, p.asset, p.amount, p.fee});
        return {};
    }
    SLUICE_CHECK_OK(set_status(db, p.id, PaymentStatus::failed, now));
    std::string code = p.code.empty() ? "node_payment_failed" : p.code;
    std::string reason = p.reason.empty() ? "the lock was cancelled before it was settled" : p.reason;
    if (p.code.empty()) {
        SLUICE_TRY(auto put, db.prepare("UPDATE payments SET code = ?2, reason = ?3 WHERE id = ?1"));
        SLUICE_CHECK_OK(put.bind(1, p.id.view()).bind(2, code).bind(3, reason).run());
    }
    events.emplace_back(PaymentFailed{p.id, std::move(code), std::move(reason)});
    return {};
}

}  // namespace

Status book_round(sqlite::Database& db, const Hash& channel_id, std::size_t me,
                  const channel::State* previous, const channel::State& next, std::uint64_t now,
                  std::vector<NodeEvent>& events) {
    // 1. Our direct payments proposed in this very round.
    SLUICE_TRY(
        const auto direct,
        select_payments(db,
                        "WHERE channel_id = ?1 AND version = ?2 AND outgoing = 1 AND hashlocked = 0"
                        " AND status = 0",
                        [&](sqlite::Statement& q) {
                            q.bind(1, channel_id.view()).bind(2, static_cast<std::int64_t>(next.version));
                        }));
    for (const auto& p : direct) {
        SLUICE_CHECK_OK(set_status(db, p.id, PaymentStatus::succeeded, now));
        events.emplace_back(PaymentSent{p.id, channel_id, p.asset, p.amount, p.fee});
    }
    if (!previous) return {};

    // 2. Locks that came and went.
    const auto before = locks_of(*previous);
    const auto after = locks_of(next);
    std::map<Address, u256> credited;  // vanished locks paid or refunded to us, per asset
    for (const auto& [key, lock] : after) {
        if (before.contains(key) || lock.from != me) continue;
        SLUICE_TRY(auto put,
                   db.prepare("UPDATE payments SET status = 1, updated = ?3 WHERE id = ?1 AND channel_id = ?2"
                              " AND outgoing = 1 AND status = 0"));
        SLUICE_CHECK_OK(put.bind(1, key.second.view())
                            .bind(2, channel_id.view())
                            .bind(3, static_cast<std::int64_t>(now))
                            .run());
    }
    for (const auto& [key, lock] : before) {
        if (after.contains(key)) continue;
        SLUICE_TRY(const auto preimage, known_preimage(db, key.second));
        const bool settled = preimage.has_value();
        if ((settled && lock.to == me) || (!settled && lock.from == me)) credited[key.first] += lock.amount;
        if (lock.from == me) {
            const Hash hashlock = key.second;  // clang 14 cannot capture a structured binding
            SLUICE_TRY(
                const auto mine,
                select_payments(
                    db, "WHERE id = ?1 AND channel_id = ?2 AND outgoing = 1 AND status IN (0, 1)",
                    [&](sqlite::Statement& q) { q.bind(1, hashlock.view()).bind(2, channel_id.view()); }));
            for (const auto& p : mine)
                SLUICE_CHECK_OK(resolve_outgoing(db, p, preimage, now, events));
            // A forward's outgoing lock, cancelled downstream: the incoming one goes back too.
            SLUICE_TRY(auto fwd,
                       db.prepare("UPDATE forwards SET status = ?3 WHERE out_channel = ?1 AND hashlock = ?2"
                                  " AND status = 1"));
            SLUICE_CHECK_OK(fwd.bind(1, channel_id.view())
                                .bind(2, key.second.view())
                                .bind(3, static_cast<std::int64_t>(settled ? ForwardStatus::settled
                                                                           : ForwardStatus::failed))
                                .run());
        } else if (lock.to == me && settled) {
            SLUICE_TRY(auto inv, db.prepare("UPDATE invoices SET paid = 1 WHERE hash = ?1 AND paid = 0"));
            SLUICE_CHECK_OK(inv.bind(1, key.second.view()).run());
            if (db.changes() > 0) {
                PaymentRecord r;
                r.id = key.second;
                r.outgoing = false;
                r.hashlocked = true;
                r.channel_id = channel_id;
                r.asset = key.first;
                r.amount = lock.amount;
                r.status = PaymentStatus::succeeded;
                r.preimage = preimage;
                r.created = r.updated = now;
                SLUICE_CHECK_OK(insert_payment(db, r, true));
                events.emplace_back(PaymentReceived{key.second, channel_id, key.first, lock.amount});
            }
        }
    }

    // 3. What we gained besides: direct payments to us (a peer's round; ours only ever pay out).
    for (const auto& alloc : next.outcome) {
        const u256 now_balance = balance_of(next, alloc.asset, me);
        u256 then_balance = balance_of(*previous, alloc.asset, me);
        for (const auto& [key, lock] : after) {
            if (key.first == alloc.asset && lock.from == me && !before.contains(key))
                then_balance -= lock.amount;
        }
        const u256 expected = then_balance + credited[alloc.asset];
        if (now_balance > expected) {
            const u256 gain = now_balance - expected;
            Bytes id_input(channel_id.view().begin(), channel_id.view().end());
            const Hash v = u256{next.version}.to_be();
            id_input.insert(id_input.end(), v.view().begin(), v.view().end());
            id_input.insert(id_input.end(), alloc.asset.view().begin(), alloc.asset.view().end());
            PaymentRecord r;
            r.id = keccak256(id_input);
            r.outgoing = false;
            r.channel_id = channel_id;
            r.asset = alloc.asset;
            r.amount = gain;
            r.status = PaymentStatus::succeeded;
            r.version = next.version;
            r.created = r.updated = now;
            SLUICE_CHECK_OK(insert_payment(db, r, true));
            events.emplace_back(PaymentReceived{Hash{}, channel_id, alloc.asset, gain});
        }
    }
    return {};
}

NodeStore::RoundHook PaymentBook::round_hook() {
    return [this](sqlite::Database& db, const Hash& channel_id, const channel::SignedState& next,
                  std::vector<NodeEvent>& events) -> Status {
        SLUICE_TRY(auto who, db.prepare("SELECT my_index FROM channels WHERE id = ?1"));
        who.bind(1, channel_id.view());
        SLUICE_TRY(const bool known, who.step());
        if (!known) return {};  // not a node channel (a unit test's store)
        const auto me = static_cast<std::size_t>(who.int64(0));
        SLUICE_TRY(auto prev, db.prepare("SELECT state FROM fully_signed WHERE channel_id = ?1"));
        prev.bind(1, channel_id.view());
        SLUICE_TRY(const bool has_prev, prev.step());
        std::optional<channel::SignedState> previous;
        if (has_prev) {
            auto parsed = channel::signed_state_from_json_text(prev.text(0));
            if (!parsed) return corrupt("previous state: " + parsed.error().message);
            previous = std::move(parsed).value();
        }
        if (previous && previous->state.version >= next.state.version) return {};  // the same state again
        SLUICE_CHECK_OK(
            book_round(db, channel_id, me, previous ? &previous->state : nullptr, next.state, now(), events));
        events.emplace_back(ChannelUpdated{channel_id, next.state.version});
        return {};
    };
}

void PaymentBook::post_direct(const PaymentRecord& record) {
    store_.post([record](sqlite::Database& db) { return insert_payment(db, record, false); });
}

void PaymentBook::post_proposed(const std::vector<Hash>& ids, std::uint64_t version) {
    store_.post([ids, version](sqlite::Database& db) -> Status {
        SLUICE_TRY(auto put, db.prepare("UPDATE payments SET version = ?2 WHERE id = ?1 AND status = 0"));
        for (const auto& id : ids) {
            SLUICE_CHECK_OK(put.bind(1, id.view()).bind(2, static_cast<std::int64_t>(version)).run());
            put.reset();
        }
        return {};
    });
}

void PaymentBook::post_seen_preimage(const Bytes32& preimage) {
    store_.post([preimage](sqlite::Database& db) -> Status {
        SLUICE_TRY(auto put,
                   db.prepare("INSERT OR IGNORE INTO seen_preimages(hash, preimage) VALUES(?1, ?2)"));
        return put.bind(1, keccak256(preimage.view()).view()).bind(2, preimage.view()).run();
    });
}

void PaymentBook::post_failure_reason(const Hash& id, const std::string& code, const std::string& reason) {
    store_.post([id, code, reason](sqlite::Database& db) -> Status {
        SLUICE_TRY(
            auto put,
            db.prepare("UPDATE payments SET code = ?2, reason = ?3 WHERE id = ?1 AND status IN (0, 1)"));
        return put.bind(1, id.view()).bind(2, code).bind(3, reason).run();
    });
}

Status PaymentBook::add(const PaymentRecord& record) {
    return store_.write([&](sqlite::Database& db) { return insert_payment(db, record, false); });
}

Status PaymentBook::fail(const Hash& id, const std::string& code, const std::string& reason) {
    return store_.write_with_events([&](sqlite::Database& db, std::vector<NodeEvent>& events) -> Status {
        SLUICE_TRY(auto put, db.prepare("UPDATE payments SET status = 3, code = ?2, reason = ?3, updated = ?4"
                                        " WHERE id = ?1 AND status IN (0, 1)"));
        SLUICE_CHECK_OK(put.bind(1, id.view())
                            .bind(2, code)
                            .bind(3, reason)
                            .bind(4, static_cast<std::int64_t>(now()))
                            .run());
        if (db.changes() > 0) events.emplace_back(PaymentFailed{id, code, reason});
        return {};
    });
}

Result<std::optional<PaymentRecord>> PaymentBook::payment(const Hash& id) {
    std::vector<PaymentRecord> rows;
    SLUICE_CHECK_OK(store_.read([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(rows,
                   select_payments(db, "WHERE id = ?1", [&](sqlite::Statement& q) { q.bind(1, id.view()); }));
        return {};
    }));
    if (rows.empty()) return std::optional<PaymentRecord>{};
    return std::optional<PaymentRecord>{rows.front()};
}

Result<std::vector<PaymentRecord>> PaymentBook::payments() {
    std::vector<PaymentRecord> rows;
    SLUICE_CHECK_OK(store_.read([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(rows, select_payments(db, "ORDER BY created, id", {}));
        return {};
    }));
    return rows;
}

Result<std::vector<PaymentRecord>> PaymentBook::unresolved() {
    std::vector<PaymentRecord> rows;
    SLUICE_CHECK_OK(store_.read([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(rows,
                   select_payments(db, "WHERE outgoing = 1 AND status IN (0, 1) ORDER BY created, id", {}));
        return {};
    }));
    return rows;
}

Status PaymentBook::add_invoice(const InvoiceRecord& r) {
    return store_.write([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(
            auto put,
            db.prepare("INSERT INTO invoices(hash, preimage, text, amount, asset, expiry, paid, created)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
        return put.bind(1, r.hash.view())
            .bind(2, r.preimage.view())
            .bind(3, r.text)
            .bind(4, r.amount.to_dec())
            .bind(5, r.asset.view())
            .bind(6, static_cast<std::int64_t>(r.expiry))
            .bind(7, std::int64_t{r.paid})
            .bind(8, static_cast<std::int64_t>(r.created))
            .run();
    });
}

namespace {

Result<std::vector<InvoiceRecord>> select_invoices(sqlite::Database& db, const std::optional<Hash>& hash) {
    SLUICE_TRY(auto q,
               db.prepare(std::string("SELECT hash, preimage, text, amount, asset, expiry, paid, created"
                                      " FROM invoices ") +
                          (hash ? "WHERE hash = ?1" : "ORDER BY created, hash")));
    if (hash) q.bind(1, hash->view());
    std::vector<InvoiceRecord> out;
    for (;;) {
        SLUICE_TRY(const bool row, q.step());
        if (!row) return out;
        InvoiceRecord r;
        SLUICE_TRY(r.hash, fixed<Hash>(q.blob(0), "invoice hash"));
        SLUICE_TRY(r.preimage, fixed<Bytes32>(q.blob(1), "invoice preimage"));
        r.text = q.text(2);
        SLUICE_TRY(r.amount, amount(q.text(3), "invoice amount"));
        SLUICE_TRY(r.asset, fixed<Address>(q.blob(4), "invoice asset"));
        r.expiry = static_cast<std::uint64_t>(q.int64(5));
        r.paid = q.int64(6) != 0;
        r.created = static_cast<std::uint64_t>(q.int64(7));
        out.push_back(std::move(r));
    }
}

Result<std::optional<ForwardRecord>> select_forward(sqlite::Database& db, const char* where,
                                                    const Hash& channel, const Hash& hashlock) {
    SLUICE_TRY(
        auto q,
        db.prepare(std::string("SELECT in_channel, hashlock, payee, amount, expiry, out_channel, status"
                               " FROM forwards WHERE ") +
                   where));
    q.bind(1, channel.view()).bind(2, hashlock.view());
    SLUICE_TRY(const bool row, q.step());
    if (!row) return std::optional<ForwardRecord>{};
    ForwardRecord r;
    SLUICE_TRY(r.in_channel, fixed<Hash>(q.blob(0), "forward channel"));
    SLUICE_TRY(r.hashlock, fixed<Hash>(q.blob(1), "forward hashlock"));
    SLUICE_TRY(r.payee, fixed<Address>(q.blob(2), "forward payee"));
    SLUICE_TRY(r.amount, amount(q.text(3), "forward amount"));
    r.expiry = static_cast<std::uint64_t>(q.int64(4));
    if (!q.is_null(5)) {
        SLUICE_TRY(r.out_channel, fixed<Hash>(q.blob(5), "forward out channel"));
    }
    const auto status = q.int64(6);
    if (status < 0 || status > static_cast<std::int64_t>(ForwardStatus::failed))
        return corrupt("forward status");
    r.status = static_cast<ForwardStatus>(status);
    return std::optional<ForwardRecord>{std::move(r)};
}

}  // namespace

Result<std::optional<InvoiceRecord>> PaymentBook::invoice(const Hash& hash) {
    std::vector<InvoiceRecord> rows;
    SLUICE_CHECK_OK(store_.read([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(rows, select_invoices(db, hash));
        return {};
    }));
    if (rows.empty()) return std::optional<InvoiceRecord>{};
    return std::optional<InvoiceRecord>{rows.front()};
}

Result<std::vector<InvoiceRecord>> PaymentBook::invoices() {
    std::vector<InvoiceRecord> rows;
    SLUICE_CHECK_OK(store_.read([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(rows, select_invoices(db, std::nullopt));
        return {};
    }));
    return rows;
}

Status PaymentBook::put_forward(const ForwardRecord& r) {
    return store_.write([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(auto put,
                   db.prepare("INSERT OR REPLACE INTO forwards(in_channel, hashlock, payee, amount, expiry,"
                              " out_channel, status) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
        put.bind(1, r.in_channel.view())
            .bind(2, r.hashlock.view())
            .bind(3, r.payee.view())
            .bind(4, r.amount.to_dec())
            .bind(5, static_cast<std::int64_t>(r.expiry))
            .bind(7, static_cast<std::int64_t>(r.status));
        if (r.out_channel)
            put.bind(6, r.out_channel->view());
        else
            put.bind_null(6);
        return put.run();
    });
}

Result<std::optional<ForwardRecord>> PaymentBook::forward(const Hash& in_channel, const Hash& hashlock) {
    std::optional<ForwardRecord> out;
    SLUICE_CHECK_OK(store_.read([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(out, select_forward(db, "in_channel = ?1 AND hashlock = ?2", in_channel, hashlock));
        return {};
    }));
    return out;
}

Result<std::optional<ForwardRecord>> PaymentBook::forward_out(const Hash& out_channel, const Hash& hashlock) {
    std::optional<ForwardRecord> out;
    SLUICE_CHECK_OK(store_.read([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(out, select_forward(db, "out_channel = ?1 AND hashlock = ?2", out_channel, hashlock));
        return {};
    }));
    return out;
}

Result<std::optional<Bytes32>> PaymentBook::seen_preimage(const Hash& hash) {
    std::optional<Bytes32> out;
    SLUICE_CHECK_OK(store_.read([&](sqlite::Database& db) -> Status {
        SLUICE_TRY(out, known_preimage(db, hash));
        return {};
    }));
    return out;
}

}  // namespace sluice::sdk
