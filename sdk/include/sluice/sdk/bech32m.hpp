// Bech32m (BIP-350) strings: a human-readable part, the separator '1', data in the 32-character alphabet and
// a six-character checksum. Our own implementation, used by invoices; the generic decoder follows BIP-173's
// rules (one case throughout, HRP characters 33..126, at least six checksum characters), with the overall
// length limit a parameter because invoices are longer than BIP-173's 90 characters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"

namespace sluice::sdk::bech32m {

inline constexpr std::size_t kBip173MaxLength = 90;

// Each value in [0, 31].
using Data5 = std::vector<std::uint8_t>;

struct Decoded {
    std::string hrp;  // lower case
    Data5 data;       // without the checksum
};

// The lower-case string; `hrp` must be lower case and in 33..126, every value below 32 (invalid_argument
// otherwise).
Result<std::string> encode(std::string_view hrp, const Data5& data);

// Errors: invoice_malformed for the shape (length, mixed case, no separator, empty HRP, a character outside
// the alphabet, a checksum shorter than six); invoice_bad_checksum when all that holds but the checksum does
// not. An all-upper-case string is accepted and reported in lower case, as BIP-173 allows.
Result<Decoded> decode(std::string_view text, std::size_t max_length = kBip173MaxLength);

// Regroups bits (8 -> 5 with zero padding, or 5 -> 8 strictly: at most 4 padding bits, all zero).
Data5 bytes_to_data5(ByteView bytes);
Result<Bytes> data5_to_bytes(const Data5& data);

}  // namespace sluice::sdk::bech32m
