// The devchain's mempool in interval mining: admitted transactions waiting for a block, as a node keeps
// them. Per sender they are kept by nonce, so a future nonce (a gap) waits until the gap is filled; a block
// takes them in geth's "price and nonce" order: each sender's next nonce competes with the other senders'
// by effective tip at the block's base fee (earlier arrival first on a tie), and a sender's following
// nonce joins the race once its predecessor is taken.
//
// A transaction with a nonce already pooled for its sender replaces the pooled one only when both its fee
// cap and its tip are at least 10% higher (geth's default price bump); otherwise
// devchain_replacement_underpriced. The pool holds at most `capacity` transactions (devchain_mempool_full
// beyond; a replacement does not count). Admission's state checks (nonce, balance, base fee) are the
// Devchain's: the pool only orders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/l1/signed_transaction.hpp"

namespace sluice::l1 {

struct PendingTransaction {
    SignedTransaction signed_tx;
    Bytes raw;
    std::uint64_t arrival = 0;  // admission order, the tie-break between equal tips
};

// min(tip cap, fee cap - base fee): what the coinbase earns per gas; nullopt below the base fee.
std::optional<u256> effective_tip(const evm::Transaction& tx, const u256& base_fee);

class Mempool {
  public:
    static constexpr unsigned kPriceBumpPercent = 10;

    explicit Mempool(std::size_t capacity) : capacity_(capacity) {}

    // Errors: devchain_already_known (the same hash), devchain_replacement_underpriced,
    // devchain_mempool_full.
    Status add(SignedTransaction signed_tx, Bytes raw);
    const PendingTransaction* find(const Hash& hash) const;
    void remove(const Hash& hash);
    // Drops every transaction whose nonce is below its sender's account nonce (mined, or replaced on chain).
    void drop_stale(const std::function<std::uint64_t(const Address&)>& account_nonce);

    // The transactions a block takes, in order: only runs of consecutive nonces starting at the sender's
    // account nonce, paying at least `base_fee`, whose gas limits add up to at most `gas_budget` (a
    // transaction that does not fit ends its sender's run, as geth's builder does).
    std::vector<PendingTransaction> select(const std::function<std::uint64_t(const Address&)>& account_nonce,
                                           const u256& base_fee, std::uint64_t gas_budget) const;

    // One past the highest nonce of the sender's pooled run that starts at `account_nonce` (the
    // "pending" nonce): account_nonce itself when nothing of the sender's is executable next.
    std::uint64_t next_nonce(const Address& sender, std::uint64_t account_nonce) const;

    std::size_t size() const noexcept { return by_hash_.size(); }
    bool empty() const noexcept { return by_hash_.empty(); }

  private:
    struct Slot {
        Address sender;
        std::uint64_t nonce;
    };

    std::size_t capacity_;
    std::uint64_t next_arrival_ = 0;
    std::unordered_map<Address, std::map<std::uint64_t, PendingTransaction>> by_sender_;
    std::unordered_map<Hash, Slot> by_hash_;
};

}  // namespace sluice::l1
