// TxSigner: sends a key's transactions to L1 with consecutive nonces, EIP-1559 fees (fee_policy.hpp), fee
// bumps for transactions that are not mined in time, and recovery of what it sent before a restart. Use one
// signer per key: two signers (or a wallet) sending from the same key race for the same nonces.
//
// Nonces. submit() estimates gas and fees first (concurrently with other submissions), then takes the
// signer's send lock (async_mutex.hpp) from picking the nonce until the node has answered the send, so a
// nonce is consumed only by a transaction the node took: a transport error or a refusal leaves it for the
// next submission (no gap), and tx_nonce_too_low (someone else used the key, or the node restarted ahead of
// us) resyncs from the node's pending nonce and retries. The price is that sends of one key go out one at a
// time; that is the node's order anyway. Safe from coroutines on one executor and from several threads.
//
// Bumps. wait(hash) and supervise() re-sign a transaction not mined within `resubmit_after` with the same
// nonce and fees raised as FeePolicy::bump says (≥ 10% and ≥ the current estimate, within the caps);
// l1_replacement_underpriced bumps again. Every hash of a nonce is tracked and wait() returns the receipt of
// whichever was mined. A bump the caps do not allow leaves the last transaction waiting.
//
// Journal. Every raw transaction is appended to the SignerJournal before it is sent, and a refused one is
// marked released. start() compares the journal with the node's latest and pending nonces: journaled nonces
// below `latest` are mined; those between latest and pending are still in the node's pool and are bumped;
// those at or above pending were lost by the node and are re-broadcast (re-signed with bumped fees if the
// node refuses the old raw bytes). Recovery stops at the first nonce it cannot get accepted, and new
// submissions continue from there, so no gap is left behind.
//
// Errors: signer_fee_above_cap (fee_policy.hpp), l1_reverted from gas estimation (nothing sent), the node's
// refusals as L1Client types them, signer_journal_io when the journal cannot be written (nothing sent),
// signer_unknown_transaction, signer_nonce_taken (a transaction this signer does not know took the nonce),
// l1_timeout when wait() gives up.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/secp256k1.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/evm/transaction.hpp"
#include "sluice/l1/async_mutex.hpp"
#include "sluice/l1/fee_policy.hpp"
#include "sluice/l1/l1_client.hpp"
#include "sluice/l1/signer_journal.hpp"

namespace sluice::l1 {

struct TxRequest {
    std::optional<Address> to;  // nullopt: `data` is creation code
    u256 value;
    Bytes data;
    std::optional<std::uint64_t> gas_limit;  // nullopt: eth_estimateGas plus the margin
};

using SignerClock = std::function<std::chrono::steady_clock::time_point()>;

struct SignerOptions {
    FeePolicyOptions fees;
    std::uint32_t gas_margin_percent = 20;
    std::chrono::milliseconds resubmit_after{60'000};
    std::chrono::milliseconds poll_interval{1'000};
    std::chrono::milliseconds wait_timeout{30 * 60'000};
    std::uint32_t max_nonce_resyncs = 3;
    std::uint32_t max_underpriced_bumps = 8;
    SignerClock clock;  // steady_clock::now when empty; tests inject theirs
};

struct RecoveryReport {
    std::uint64_t latest_nonce = 0;
    std::uint64_t pending_nonce = 0;
    std::vector<std::uint64_t> rebroadcast;  // lost by the node, sent again
    std::vector<std::uint64_t> bumped;       // still pending at the node, replaced with higher fees
    std::vector<std::pair<std::uint64_t, Error>> failed;  // could not be sent again: abandoned
};

class TxSigner {
  public:
    // Reads the chain id and the key's nonces, then recovers the journal (see above).
    static Async<std::unique_ptr<TxSigner>> start(L1Client& client, PrivateKey key, SignerJournal& journal,
                                                  SignerOptions options = {});

    // Signs and sends; the hash once the node took the transaction.
    Async<Hash> submit(TxRequest request);
    // The receipt of whichever transaction of `hash`'s nonce is mined, bumping while none is.
    Async<TxReceipt> wait(const Hash& hash);
    // One supervision pass over every unmined transaction: receipts checked, overdue ones bumped. The
    // number still unmined.
    Async<std::size_t> supervise_once();
    // supervise_once every poll_interval until stop().
    boost::asio::awaitable<void> supervise();
    void stop() noexcept { stopped_.store(true); }

    Address address() const noexcept { return key_.address(); }
    std::uint64_t next_nonce() const;
    std::vector<Hash> hashes_of(std::uint64_t nonce) const;
    const RecoveryReport& recovery() const noexcept { return recovery_; }
    const FeePolicy& fee_policy() const noexcept { return policy_; }

  private:
    struct InFlight {
        evm::Transaction tx;  // nonce, gas, destination, value, data; fees from `fees`
        Fees fees;
        std::vector<Hash> hashes;
        std::chrono::steady_clock::time_point sent_at;
        bool nonce_used_elsewhere = false;  // a replacement was refused as nonce too low
        std::optional<TxReceipt> receipt;
    };
    enum class BumpWhen : std::uint8_t { overdue, now };

    TxSigner(L1Client& client, PrivateKey key, SignerJournal& journal, SignerOptions options, u256 chain_id);

    std::chrono::steady_clock::time_point now() const;
    Result<Bytes> sign(const evm::Transaction& tx, const Fees& fees) const;
    // Journal, send; on a refusal the entry is released. The node's hash, or its refusal.
    Async<Hash> journal_and_send(std::uint64_t nonce, const Bytes& raw);
    Async<Hash> send_next(const evm::Transaction& unsigned_tx, Fees fees);
    Async<std::optional<TxReceipt>> check_mined(std::uint64_t nonce);
    Async<bool> bump(std::uint64_t nonce, BumpWhen when);  // true when a replacement was sent
    Async<bool> recover();

    L1Client& client_;
    PrivateKey key_;
    SignerJournal& journal_;
    SignerOptions options_;
    FeePolicy policy_;
    u256 chain_id_;
    RecoveryReport recovery_;

    AsyncMutex send_mutex_;     // held from nonce choice to the node's answer
    mutable std::mutex state_;  // guards what follows
    std::uint64_t next_nonce_ = 0;
    std::map<std::uint64_t, InFlight> in_flight_;
    std::unordered_map<Hash, std::uint64_t, FixedBytesHasher> nonce_of_;
    std::atomic<bool> stopped_{false};
};

}  // namespace sluice::l1
