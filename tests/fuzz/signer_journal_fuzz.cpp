// Fuzzes the signer journal decoder: any bytes decode without failing; the entries re-encode to exactly the
// valid prefix, and a corrupt tail is reported exactly when bytes are left over.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "sluice/l1/signer_journal_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const sluice::ByteView bytes(data, size);
    const auto decoded = sluice::l1::decode_journal(bytes);
    if (decoded.valid_bytes > size) std::abort();
    if (decoded.corrupt_tail.has_value() != (decoded.valid_bytes != size)) std::abort();
    sluice::Bytes again;
    for (const auto& entry : decoded.entries) {
        const auto record = sluice::l1::encode_journal_record(entry);
        again.insert(again.end(), record.begin(), record.end());
    }
    if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.begin() + decoded.valid_bytes) ||
        again.size() != decoded.valid_bytes)
        std::abort();
    return 0;
}
