// TxSigner: nonces, sends, bumps and waiting (tx_signer.hpp). Recovery is in tx_signer_recovery.cpp.
#include "sluice/l1/tx_signer.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/l1/signed_transaction.hpp"

namespace sluice::l1 {

namespace {

bool node_has_it(const Result<Hash>& sent) {
    return sent.ok() || sent.error().code == Errc::l1_tx_already_known;
}

}  // namespace

TxSigner::TxSigner(L1Client& client, PrivateKey key, SignerJournal& journal, SignerOptions options,
                   u256 chain_id)
    : client_(client),
      key_(std::move(key)),
      journal_(journal),
      options_(std::move(options)),
      policy_(options_.fees),
      chain_id_(chain_id) {}

Async<std::unique_ptr<TxSigner>> TxSigner::start(L1Client& client, PrivateKey key, SignerJournal& journal,
                                                 SignerOptions options) {
    SLUICE_CO_TRY(const u256 chain_id, co_await client.chain_id());
    std::unique_ptr<TxSigner> signer(
        new TxSigner(client, std::move(key), journal, std::move(options), chain_id));
    SLUICE_CO_CHECK_OK(co_await signer->recover());
    co_return signer;
}

std::chrono::steady_clock::time_point TxSigner::now() const {
    return options_.clock ? options_.clock() : std::chrono::steady_clock::now();
}

std::uint64_t TxSigner::next_nonce() const {
    const std::lock_guard lock(state_);
    return next_nonce_;
}

std::vector<Hash> TxSigner::hashes_of(std::uint64_t nonce) const {
    const std::lock_guard lock(state_);
    const auto it = in_flight_.find(nonce);
    return it == in_flight_.end() ? std::vector<Hash>{} : it->second.hashes;
}

Result<Bytes> TxSigner::sign(const evm::Transaction& tx, const Fees& fees) const {
    evm::Transaction t = tx;
    if (fees.legacy) {
        t.type = evm::TxType::legacy;
        t.gas_price = fees.gas_price;
        t.max_fee_per_gas = u256{};
        t.max_priority_fee_per_gas = u256{};
    } else {
        t.type = evm::TxType::dynamic_fee;
        t.gas_price = u256{};
        t.max_fee_per_gas = fees.max_fee_per_gas;
        t.max_priority_fee_per_gas = fees.max_priority_fee_per_gas;
    }
    return sign_transaction(t, chain_id_, key_);
}

Async<Hash> TxSigner::journal_and_send(std::uint64_t nonce, const Bytes& raw) {
    SLUICE_CO_CHECK_OK(journal_.append(JournalEntry{JournalEntry::Kind::sent, nonce, raw}));
    auto sent = co_await client_.send_raw_transaction(raw);
    if (node_has_it(sent)) co_return keccak256(raw);
    // Never re-broadcast what the node refused. A failed release only means recovery may offer it once more.
    const Hash hash = keccak256(raw);
    (void)journal_.append(JournalEntry{JournalEntry::Kind::released, nonce, Bytes(hash.begin(), hash.end())});
    co_return std::move(sent).error();
}

Async<Hash> TxSigner::submit(TxRequest request) {
    evm::Transaction tx;
    tx.sender = address();
    tx.to = request.to;
    tx.value = request.value;
    tx.data = std::move(request.data);
    if (request.gas_limit) {
        tx.gas_limit = *request.gas_limit;
    } else {
        CallRequest call;
        call.from = address();
        call.to = tx.to;
        call.data = tx.data;
        call.value = tx.value;
        SLUICE_CO_TRY(const std::uint64_t estimate, co_await client_.estimate_gas(call, BlockTag::pending()));
        tx.gas_limit = estimate + estimate / 100 * options_.gas_margin_percent +
                       estimate % 100 * options_.gas_margin_percent / 100;
    }
    SLUICE_CO_TRY(const Fees fees, co_await policy_.estimate(client_));
    co_return co_await send_next(tx, fees);
}

Async<Hash> TxSigner::send_next(const evm::Transaction& unsigned_tx, Fees fees) {
    co_await send_mutex_.lock();
    const AsyncLockGuard hold(send_mutex_);
    for (std::uint32_t resync = 0;; ++resync) {
        evm::Transaction tx = unsigned_tx;
        {
            const std::lock_guard lock(state_);
            tx.nonce = next_nonce_;
        }
        SLUICE_CO_TRY(const Bytes raw, sign(tx, fees));
        auto sent = co_await journal_and_send(tx.nonce, raw);
        if (sent.ok()) {
            const std::lock_guard lock(state_);
            next_nonce_ = tx.nonce + 1;
            InFlight& f = in_flight_[tx.nonce];
            f = InFlight{tx, fees, {*sent}, now(), false, std::nullopt};
            nonce_of_[*sent] = tx.nonce;
            co_return *sent;
        }
        if (sent.error().code != Errc::tx_nonce_too_low || resync >= options_.max_nonce_resyncs)
            co_return sent;
        SLUICE_CO_TRY(const std::uint64_t pending, co_await client_.nonce(address(), BlockTag::pending()));
        const std::lock_guard lock(state_);
        next_nonce_ = pending;
    }
}

Async<std::optional<TxReceipt>> TxSigner::check_mined(std::uint64_t nonce) {
    std::vector<Hash> hashes;
    bool used_elsewhere = false;
    {
        const std::lock_guard lock(state_);
        const InFlight& f = in_flight_.at(nonce);
        if (f.receipt) co_return f.receipt;
        hashes = f.hashes;
        used_elsewhere = f.nonce_used_elsewhere;
    }
    // Newest first: the latest replacement is the likeliest to be mined.
    for (auto it = hashes.rbegin(); it != hashes.rend(); ++it) {
        SLUICE_CO_TRY(const std::optional<TxReceipt> found, co_await client_.receipt(*it));
        if (found) {
            const std::lock_guard lock(state_);
            in_flight_.at(nonce).receipt = found;
            co_return found;
        }
    }
    if (used_elsewhere) {
        co_return make_error(Errc::signer_nonce_taken,
                             "nonce " + std::to_string(nonce) + " of " + address().to_hex() +
                                 " was mined by a transaction this signer did not send");
    }
    co_return std::optional<TxReceipt>{};
}

Async<bool> TxSigner::bump(std::uint64_t nonce, BumpWhen when) {
    co_await send_mutex_.lock();
    const AsyncLockGuard hold(send_mutex_);
    InFlight current;
    {
        const std::lock_guard lock(state_);
        current = in_flight_.at(nonce);
    }
    // Another coroutine may have bumped or seen it mined while this one waited for the lock.
    if (current.receipt || current.nonce_used_elsewhere) co_return false;
    if (when == BumpWhen::overdue && now() - current.sent_at < options_.resubmit_after) co_return false;

    auto market = co_await policy_.estimate(client_);
    if (!market.ok() && market.error().code != Errc::signer_fee_above_cap)
        co_return std::move(market).error();
    // A market above the cap still allows a bump up to the cap.
    auto fees = policy_.bump(current.fees, market.ok() ? *market : current.fees);
    for (std::uint32_t attempt = 0;; ++attempt) {
        if (!fees.ok()) {
            // The cap leaves no room: keep waiting on what was sent, and retry after another period.
            const std::lock_guard lock(state_);
            in_flight_.at(nonce).sent_at = now();
            co_return std::move(fees).error();
        }
        SLUICE_CO_TRY(const Bytes raw, sign(current.tx, *fees));
        auto sent = co_await journal_and_send(nonce, raw);
        if (sent.ok()) {
            const std::lock_guard lock(state_);
            InFlight& f = in_flight_.at(nonce);
            f.fees = *fees;
            f.hashes.push_back(*sent);
            f.sent_at = now();
            nonce_of_[*sent] = nonce;
            co_return true;
        }
        const Errc code = sent.error().code;
        if (code == Errc::tx_nonce_too_low) {
            // Mined meanwhile: one of ours if a receipt shows up (check_mined), someone else's otherwise.
            const std::lock_guard lock(state_);
            in_flight_.at(nonce).nonce_used_elsewhere = true;
            co_return false;
        }
        if (code != Errc::l1_replacement_underpriced || attempt >= options_.max_underpriced_bumps)
            co_return std::move(sent).error();
        fees = policy_.bump(*fees, *fees);
    }
}

Async<TxReceipt> TxSigner::wait(const Hash& hash) {
    std::uint64_t nonce = 0;
    {
        const std::lock_guard lock(state_);
        const auto it = nonce_of_.find(hash);
        if (it == nonce_of_.end())
            co_return make_error(Errc::signer_unknown_transaction,
                                 "transaction " + to_hex(hash.view()) + " was not sent by this signer");
        nonce = it->second;
    }
    const auto deadline = now() + options_.wait_timeout;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    for (;;) {
        auto mined = co_await check_mined(nonce);
        if (!mined.ok()) {
            // A receipt may arrive for a transaction whose replacement was just refused as too low.
            if (mined.error().code != Errc::signer_nonce_taken) co_return std::move(mined).error();
            SLUICE_CO_TRY(const std::optional<TxReceipt> again, co_await check_mined(nonce));
            if (again) co_return *again;
            co_return std::move(mined).error();
        }
        if (*mined) co_return **mined;
        auto bumped = co_await bump(nonce, BumpWhen::overdue);
        if (!bumped.ok() && bumped.error().code != Errc::signer_fee_above_cap)
            co_return std::move(bumped).error();
        if (now() >= deadline) {
            co_return make_error(Errc::l1_timeout, "nonce " + std::to_string(nonce) + " not mined within " +
                                                       std::to_string(options_.wait_timeout.count()) + " ms");
        }
        timer.expires_after(options_.poll_interval);
        co_await timer.async_wait(boost::asio::use_awaitable);
    }
}

Async<std::size_t> TxSigner::supervise_once() {
    std::vector<std::uint64_t> open;
    {
        const std::lock_guard lock(state_);
        for (const auto& [nonce, f] : in_flight_)
            if (!f.receipt && !f.nonce_used_elsewhere) open.push_back(nonce);
    }
    std::size_t unmined = 0;
    for (const std::uint64_t nonce : open) {
        SLUICE_CO_TRY(const std::optional<TxReceipt> mined, co_await check_mined(nonce));
        if (mined) continue;
        ++unmined;
        auto bumped = co_await bump(nonce, BumpWhen::overdue);
        if (!bumped.ok() && bumped.error().code != Errc::signer_fee_above_cap)
            co_return std::move(bumped).error();
    }
    co_return unmined;
}

boost::asio::awaitable<void> TxSigner::supervise() {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    while (!stopped_.load()) {
        // A failed pass (the node unreachable) is retried on the next tick.
        (void)co_await supervise_once();
        timer.expires_after(options_.poll_interval);
        co_await timer.async_wait(boost::asio::use_awaitable);
    }
}

}  // namespace sluice::l1
