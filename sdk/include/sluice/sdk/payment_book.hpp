// PaymentBook: the node's payments, invoices and forwards in its SQLite store, and the bookkeeping of each
// new fully signed state (book_round), which runs inside the very transaction that stores the state
// (NodeStore::RoundHook): a payment is reported sent or received exactly when the state that does it is
// durable, never before and never lost after (the crash campaign checks this).
//
// How a state's effect is read. Direct payments we make carry the version of the round that proposes them
// (set when proposed): that version fully signed means they are done (no other state can be fully signed
// at that version: nobody signs two states at one version). A lock that is in the previous state and not in
// the new one was settled if its preimage was seen (in any proposal, ours or a peer's, or it is one of our
// invoices), else cancelled (refunded). What we gain beyond locks paid to us or refunded to us is a direct
// payment received.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sluice/channel/clock.hpp"
#include "sluice/channel/types.hpp"
#include "sluice/sdk/invoice.hpp"
#include "sluice/sdk/node_store.hpp"
#include "sluice/sqlite/database.hpp"

namespace sluice::sdk {

// Stored as these numbers: never renumber.
enum class PaymentStatus : std::uint8_t { pending = 0, locked = 1, succeeded = 2, failed = 3 };
enum class ForwardStatus : std::uint8_t { pending = 0, forwarded = 1, settled = 2, failed = 3 };

struct PaymentRecord {
    Hash id;  // the hashlock of an invoice payment, a random id for a direct one
    bool outgoing = true;
    bool hashlocked = false;
    Hash channel_id;
    Address asset;
    u256 amount;           // what the payee gets
    u256 fee;              // on top, to the intermediary
    Address counterparty;  // the payee (outgoing) or the payer's channel peer (incoming)
    PaymentStatus status = PaymentStatus::pending;
    std::optional<std::uint64_t> version;  // direct outgoing: the round that proposed it
    std::uint64_t lock_expiry = 0;
    std::optional<Bytes32> preimage;
    std::string code;  // failure: an errc_name()
    std::string reason;
    std::uint64_t created = 0;
    std::uint64_t updated = 0;
};

struct InvoiceRecord {
    Hash hash;
    Bytes32 preimage;
    std::string text;
    u256 amount;
    Address asset;
    std::uint64_t expiry = 0;
    bool paid = false;
    std::uint64_t created = 0;
};

struct ForwardRecord {
    Hash in_channel;
    Hash hashlock;
    Address payee;
    u256 amount;               // to the payee
    std::uint64_t expiry = 0;  // of the outgoing lock
    std::optional<Hash> out_channel;
    ForwardStatus status = ForwardStatus::pending;
};

class PaymentBook {
  public:
    PaymentBook(NodeStore& store, channel::Clock clock) : store_(store), clock_(std::move(clock)) {}

    // The round hook to give NodeStore::set_round_hook.
    NodeStore::RoundHook round_hook();

    // Queued without waiting (GroupCommit::post): a direct payment's record and, once proposed, its round.
    // Losing them in a crash is harmless: nothing was paid without the state that book_round reads.
    void post_direct(const PaymentRecord& record);
    void post_proposed(const std::vector<Hash>& ids, std::uint64_t version);
    void post_seen_preimage(const Bytes32& preimage);
    void post_failure_reason(const Hash& id, const std::string& code, const std::string& reason);

    Status add(const PaymentRecord& record);
    // pending/locked → failed with a PaymentFailed event; a payment already resolved is left alone.
    Status fail(const Hash& id, const std::string& code, const std::string& reason);
    Result<std::optional<PaymentRecord>> payment(const Hash& id);
    Result<std::vector<PaymentRecord>> payments();
    // Outgoing payments still pending or locked (restored after a restart).
    Result<std::vector<PaymentRecord>> unresolved();

    Status add_invoice(const InvoiceRecord& invoice);
    Result<std::optional<InvoiceRecord>> invoice(const Hash& hash);
    Result<std::vector<InvoiceRecord>> invoices();

    Status put_forward(const ForwardRecord& forward);
    Result<std::optional<ForwardRecord>> forward(const Hash& in_channel, const Hash& hashlock);
    // The forward whose outgoing lock is `hashlock` on `out_channel`.
    Result<std::optional<ForwardRecord>> forward_out(const Hash& out_channel, const Hash& hashlock);
    Result<std::optional<Bytes32>> seen_preimage(const Hash& hash);

  private:
    std::uint64_t now() const { return clock_(); }
    NodeStore& store_;
    channel::Clock clock_;
};

// What book_round does, on its own for tests: inside `db`'s open transaction, before `next` replaces
// `previous` as the channel's latest state.
Status book_round(sqlite::Database& db, const Hash& channel_id, std::size_t me,
                  const channel::State* previous, const channel::State& next, std::uint64_t now,
                  std::vector<NodeEvent>& events);

}  // namespace sluice::sdk
