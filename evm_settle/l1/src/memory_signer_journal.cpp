// MemorySignerJournal (signer_journal.hpp).
#include "sluice/l1/signer_journal.hpp"

namespace sluice::l1 {

Status MemorySignerJournal::append(const JournalEntry& entry) {
    const std::lock_guard lock(mutex_);
    entries_.push_back(entry);
    return {};
}

std::vector<JournalEntry> MemorySignerJournal::entries() const {
    const std::lock_guard lock(mutex_);
    return entries_;
}

}  // namespace sluice::l1
