// Invoices: what a payee hands a payer, as one `sluice1…` bech32m string (docs/transport.md §invoices).
//
// The payee is named by the 20-byte address of its secp256k1 identity key, not by the 33-byte public key: the
// transport handshake authenticates a peer by a recoverable signature, so the dialler recovers the key from
// the signature and needs only the address to compare it with (net/handshake.hpp); channel participants are
// addresses too. That keeps invoices 21 characters shorter with nothing lost.
//
// Decoding is strict: wrong HRP, mixed case, characters outside the alphabet, bad lengths, unknown versions,
// out-of-range fields and trailing bytes are invoice_malformed; a checksum mismatch is invoice_bad_checksum.
// An all-upper-case string (as typed from a QR code) is accepted, as BIP-173 allows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::sdk {

inline constexpr std::string_view kInvoiceHrp = "sluice";
inline constexpr std::uint8_t kInvoiceVersion = 1;
inline constexpr std::size_t kMaxInvoiceDescription = 639;  // bytes of UTF-8, as BOLT 11's description
inline constexpr std::size_t kMaxHubHostLength = 253;       // a DNS name's limit
// Above every well-formed invoice (about 1,200 characters at most); longer input is refused before any work.
inline constexpr std::size_t kMaxInvoiceLength = 2048;

// Where a payer reaches the payee through a hub: the hub's address and the identity it must prove.
struct HubEndpoint {
    std::string host;  // a DNS name, an IPv4 address or a bracketed IPv6 address
    std::uint16_t port = 0;
    Address identity;

    friend bool operator==(const HubEndpoint&, const HubEndpoint&) = default;
};

struct Invoice {
    Address payee;                   // the payee's identity (address of its secp256k1 key)
    u256 amount;                     // in wei or token base units; never zero
    Address asset;                   // zero = ETH, else the ERC-20 contract
    Hash payment_hash;               // keccak256(preimage), the hashlock
    std::uint64_t expiry = 0;        // unix seconds; the invoice may not be paid at or after this time
    std::optional<HubEndpoint> hub;  // none: the payee is reached directly
    std::string description;         // UTF-8, no control characters, at most kMaxInvoiceDescription bytes

    friend bool operator==(const Invoice&, const Invoice&) = default;
};

// The lower-case `sluice1…` string; invoice_malformed when a field is out of range (the same rules decode
// checks).
Result<std::string> encode_invoice(const Invoice& invoice);
Result<Invoice> decode_invoice(std::string_view text);

// invoice_expired when now_unix >= invoice.expiry.
Status check_not_expired(const Invoice& invoice, std::uint64_t now_unix);

}  // namespace sluice::sdk
