// The signer journal's record format (signer_journal_codec.hpp).
#include "sluice/l1/signer_journal_codec.hpp"

#include <string>

#include "sluice/core/keccak.hpp"

namespace sluice::l1 {

namespace {

constexpr std::size_t kHeaderBytes = 1 + 8 + 4;
constexpr std::size_t kCheckBytes = 4;

void put_be(Bytes& out, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i)
        out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint64_t get_be(ByteView in, std::size_t at, std::size_t bytes) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i)
        v = (v << 8) | in[at + i];
    return v;
}

bool known_kind(std::uint8_t kind) {
    return kind == static_cast<std::uint8_t>(JournalEntry::Kind::sent) ||
           kind == static_cast<std::uint8_t>(JournalEntry::Kind::released);
}

Error corrupt(std::size_t offset, std::size_t total, const std::string& why) {
    return make_error(Errc::signer_journal_corrupt,
                      "signer journal: " + why + " at byte " + std::to_string(offset) + "; the last " +
                          std::to_string(total - offset) + " bytes are ignored");
}

}  // namespace

Bytes encode_journal_record(const JournalEntry& entry) {
    Bytes out;
    out.reserve(kHeaderBytes + entry.raw.size() + kCheckBytes);
    out.push_back(static_cast<std::uint8_t>(entry.kind));
    put_be(out, entry.nonce, 8);
    put_be(out, entry.raw.size(), 4);
    out.insert(out.end(), entry.raw.begin(), entry.raw.end());
    const Hash check = keccak256(out);
    out.insert(out.end(), check.bytes.begin(), check.bytes.begin() + kCheckBytes);
    return out;
}

JournalDecode decode_journal(ByteView bytes) {
    JournalDecode result;
    std::size_t at = 0;
    while (at < bytes.size()) {
        const std::size_t left = bytes.size() - at;
        if (left < kHeaderBytes + kCheckBytes) {
            result.corrupt_tail = corrupt(at, bytes.size(), "a partial record");
            break;
        }
        const std::uint8_t kind = bytes[at];
        if (!known_kind(kind)) {
            result.corrupt_tail = corrupt(at, bytes.size(), "an unknown record kind " + std::to_string(kind));
            break;
        }
        const std::uint64_t length = get_be(bytes, at + 9, 4);
        if (length > kMaxJournalPayload) {
            result.corrupt_tail = corrupt(at, bytes.size(), "a record length of " + std::to_string(length));
            break;
        }
        if (left < kHeaderBytes + length + kCheckBytes) {
            result.corrupt_tail = corrupt(at, bytes.size(), "a partial record");
            break;
        }
        const std::size_t body = kHeaderBytes + static_cast<std::size_t>(length);
        const Hash check = keccak256(bytes.subspan(at, body));
        if (!std::equal(check.bytes.begin(), check.bytes.begin() + kCheckBytes, bytes.begin() + at + body)) {
            result.corrupt_tail = corrupt(at, bytes.size(), "a record whose check does not match");
            break;
        }
        const auto payload = bytes.subspan(at + kHeaderBytes, static_cast<std::size_t>(length));
        if (kind == static_cast<std::uint8_t>(JournalEntry::Kind::released) && payload.size() != 32) {
            result.corrupt_tail = corrupt(at, bytes.size(), "a released record without a 32-byte hash");
            break;
        }
        result.entries.push_back(JournalEntry{static_cast<JournalEntry::Kind>(kind), get_be(bytes, at + 1, 8),
                                              Bytes(payload.begin(), payload.end())});
        at += body + kCheckBytes;
        result.valid_bytes = at;
    }
    return result;
}

}  // namespace sluice::l1
