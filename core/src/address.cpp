// Ethereum addresses with EIP-55 mixed-case checksums.
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice {
namespace {

// EIP-55: a letter digit is upper-case when the matching nibble of keccak(lower-hex) is >= 8.
std::string checksum_digits(const std::string& lower_digits) {
    const Hash h = keccak256(as_bytes(lower_digits));
    std::string out = lower_digits;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const std::uint8_t nibble = (i % 2 == 0) ? (h[i / 2] >> 4) : (h[i / 2] & 0xf);
        if (out[i] >= 'a' && out[i] <= 'f' && nibble >= 8) out[i] = static_cast<char>(out[i] - 'a' + 'A');
    }
    return out;
}

}  // namespace

Result<Address> Address::from_view(ByteView v) {
    SLUICE_TRY(const auto fixed, FixedBytes<20>::from_view(v));
    Address a;
    a.bytes = fixed.bytes;
    return a;
}

Result<Address> Address::from_hex(std::string_view text) {
    SLUICE_TRY(const Bytes raw, sluice::from_hex(text, HexPrefix::required));
    if (raw.size() != 20) {
        return make_error(Errc::bad_length, "address must be 20 bytes, got " + std::to_string(raw.size()));
    }
    SLUICE_TRY(Address a, from_view(raw));
    const std::string_view digits = text.substr(2);
    const bool has_lower = digits.find_first_of("abcdef") != std::string_view::npos;
    const bool has_upper = digits.find_first_of("ABCDEF") != std::string_view::npos;
    if (has_lower && has_upper && checksum_digits(a.to_hex().substr(2)) != digits) {
        return make_error(Errc::bad_checksum, "mixed-case address fails its EIP-55 checksum");
    }
    return a;
}

std::string Address::to_hex() const { return sluice::to_hex(view()); }

std::string Address::to_checksum_hex() const { return "0x" + checksum_digits(sluice::to_hex(view(), false)); }

}  // namespace sluice
