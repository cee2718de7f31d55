// The signer journal's file format: a sequence of records, each
//   kind (1 byte) ‖ nonce (8 bytes, big-endian) ‖ length of the payload (4 bytes, big-endian) ‖ payload ‖
//   check (the first 4 bytes of keccak256 of everything before it in the record)
// appended one at a time. A crash can leave a partial record at the end and a bad disk any garbage; the
// decoder keeps every whole record up to the first one that does not check and reports the rest as a
// corrupt tail (signer_journal_corrupt), never failing on any input.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/l1/signer_journal.hpp"

namespace sluice::l1 {

// A raw transaction above this is not one a node would take (geth's limit is 128 KiB): a longer length
// field is corruption, not a record.
inline constexpr std::size_t kMaxJournalPayload = 1u << 20;

Bytes encode_journal_record(const JournalEntry& entry);

struct JournalDecode {
    std::vector<JournalEntry> entries;
    std::size_t valid_bytes = 0;        // the prefix holding `entries`: appends continue from here
    std::optional<Error> corrupt_tail;  // signer_journal_corrupt, what and where, when bytes are left over
};

JournalDecode decode_journal(ByteView bytes);

}  // namespace sluice::l1
