// TxSigner::recover: the journal against the node's nonces after a restart (tx_signer.hpp).
#include <map>
#include <set>

#include "sluice/core/keccak.hpp"
#include "sluice/l1/signed_transaction.hpp"
#include "sluice/l1/tx_signer.hpp"

namespace sluice::l1 {

namespace {

Fees fees_of(const evm::Transaction& tx) {
    Fees fees;
    fees.legacy = tx.type < evm::TxType::dynamic_fee;
    fees.gas_price = tx.gas_price;
    fees.max_fee_per_gas = tx.max_fee_per_gas;
    fees.max_priority_fee_per_gas = tx.max_priority_fee_per_gas;
    return fees;
}

// The journaled raw transactions still worth sending, by nonce, oldest first within a nonce.
std::map<std::uint64_t, std::vector<Bytes>> live_entries(const std::vector<JournalEntry>& entries,
                                                         std::uint64_t from_nonce) {
    std::set<Bytes> released;
    for (const JournalEntry& e : entries)
        if (e.kind == JournalEntry::Kind::released) released.insert(e.raw);
    std::map<std::uint64_t, std::vector<Bytes>> live;
    for (const JournalEntry& e : entries) {
        if (e.kind != JournalEntry::Kind::sent || e.nonce < from_nonce) continue;
        const Hash hash = keccak256(e.raw);
        if (released.count(Bytes(hash.begin(), hash.end())) == 0) live[e.nonce].push_back(e.raw);
    }
    return live;
}

}  // namespace

Async<bool> TxSigner::recover() {
    SLUICE_CO_TRY(recovery_.latest_nonce, co_await client_.nonce(address(), BlockTag::latest()));
    SLUICE_CO_TRY(recovery_.pending_nonce, co_await client_.nonce(address(), BlockTag::pending()));
    {
        const std::lock_guard lock(state_);
        next_nonce_ = recovery_.pending_nonce;
    }
    const auto live = live_entries(journal_.entries(), recovery_.latest_nonce);
    bool stop = false;
    for (const auto& [nonce, raws] : live) {
        if (stop) {
            recovery_.failed.emplace_back(
                nonce,
                make_error(Errc::l1_tx_rejected, "abandoned: an earlier nonce could not be sent again"));
            continue;
        }
        InFlight f;
        for (const Bytes& raw : raws) {
            auto decoded = decode_transaction(raw);
            if (!decoded.ok() || decoded->tx.sender != address() || decoded->tx.nonce != nonce) continue;
            f.tx = decoded->tx;
            f.fees = fees_of(decoded->tx);
            f.hashes.push_back(decoded->hash);
        }
        if (f.hashes.empty()) continue;  // nothing of ours under this nonce
        f.sent_at = now();
        {
            const std::lock_guard lock(state_);
            for (const Hash& h : f.hashes)
                nonce_of_[h] = nonce;
            in_flight_[nonce] = f;
        }
        Status outcome;
        if (nonce < recovery_.pending_nonce) {
            // Still in the node's pool since before the restart: it has waited long enough.
            auto bumped = co_await bump(nonce, BumpWhen::now);
            if (bumped.ok()) {
                recovery_.bumped.push_back(nonce);
            } else {
                outcome = std::move(bumped).error();
            }
        } else {
            co_await send_mutex_.lock();
            auto sent = co_await journal_and_send(nonce, raws.back());
            send_mutex_.unlock();
            if (sent.ok()) {
                recovery_.rebroadcast.push_back(nonce);
            } else {
                // The old bytes may no longer do (fees below today's base fee): re-sign with bumped fees.
                auto bumped = co_await bump(nonce, BumpWhen::now);
                if (bumped.ok() && *bumped) {
                    recovery_.rebroadcast.push_back(nonce);
                } else {
                    outcome = bumped.ok() ? std::move(sent).error() : std::move(bumped).error();
                }
            }
            if (outcome.ok()) {
                const std::lock_guard lock(state_);
                next_nonce_ = std::max(next_nonce_, nonce + 1);
            }
        }
        if (!outcome.ok()) {
            recovery_.failed.emplace_back(nonce, outcome.error());
            const std::lock_guard lock(state_);
            in_flight_.erase(nonce);
            for (const Hash& h : f.hashes)
                nonce_of_.erase(h);
            // A lost nonce that cannot be filled is where new submissions continue.
            if (nonce >= recovery_.pending_nonce) stop = true;
        }
    }
    co_return true;
}

}  // namespace sluice::l1
