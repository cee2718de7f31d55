// SignerJournal: what the transaction signer (tx_signer.hpp) sent, kept across restarts so that a signer
// started again can re-broadcast the transactions a node lost and bump the ones still pending. The signer
// appends a `sent` entry (nonce and raw transaction) *before* it sends, so a crash between the two at worst
// re-broadcasts a transaction the caller never got a hash for; a `released` entry marks a raw transaction
// the node refused, so it is never re-broadcast.
//
// MemorySignerJournal keeps the entries in memory (tests, benchmarks, a signer without restarts);
// FileSignerJournal (file_signer_journal.hpp) is the durable one.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"

namespace sluice::l1 {

struct JournalEntry {
    enum class Kind : std::uint8_t { sent = 1, released = 2 };  // stored as these numbers: never renumber
    Kind kind = Kind::sent;
    std::uint64_t nonce = 0;
    Bytes raw;  // sent: the raw transaction; released: the 32-byte hash of the refused one

    friend bool operator==(const JournalEntry&, const JournalEntry&) = default;
};

class SignerJournal {
  public:
    virtual ~SignerJournal() = default;
    // Durable when it returns ok (for the file journal: written and fsynced).
    virtual Status append(const JournalEntry& entry) = 0;
    // Every entry appended so far, oldest first.
    virtual std::vector<JournalEntry> entries() const = 0;
};

class MemorySignerJournal final : public SignerJournal {
  public:
    Status append(const JournalEntry& entry) override;
    std::vector<JournalEntry> entries() const override;

  private:
    mutable std::mutex mutex_;
    std::vector<JournalEntry> entries_;
};

}  // namespace sluice::l1
