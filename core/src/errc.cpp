// Stable names of error codes, for logs and JSON error replies.
#include "sluice/core/errc.hpp"

namespace sluice {

std::string_view errc_name(Errc code) noexcept {
    switch (code) {
        case Errc::invalid_argument: return "invalid_argument";
        case Errc::not_supported: return "not_supported";
        case Errc::internal: return "internal";
        case Errc::io_error: return "io_error";
        case Errc::hex_missing_prefix: return "hex_missing_prefix";
        case Errc::hex_odd_length: return "hex_odd_length";
        case Errc::hex_bad_digit: return "hex_bad_digit";
        case Errc::bad_length: return "bad_length";
        case Errc::bad_checksum: return "bad_checksum";
        case Errc::overflow: return "overflow";
        case Errc::bad_number: return "bad_number";
        case Errc::rlp_truncated: return "rlp_truncated";
        case Errc::rlp_non_canonical: return "rlp_non_canonical";
        case Errc::rlp_length_overflow: return "rlp_length_overflow";
        case Errc::rlp_trailing_bytes: return "rlp_trailing_bytes";
        case Errc::rlp_unexpected_type: return "rlp_unexpected_type";
        case Errc::rlp_too_deep: return "rlp_too_deep";
        case Errc::abi_truncated: return "abi_truncated";
        case Errc::abi_bad_offset: return "abi_bad_offset";
        case Errc::abi_bad_length: return "abi_bad_length";
        case Errc::abi_bad_value: return "abi_bad_value";
        case Errc::abi_type_mismatch: return "abi_type_mismatch";
        case Errc::abi_bad_type: return "abi_bad_type";
        case Errc::abi_trailing_bytes: return "abi_trailing_bytes";
        case Errc::eip712_bad_type: return "eip712_bad_type";
        case Errc::eip712_bad_value: return "eip712_bad_value";
        case Errc::bad_private_key: return "bad_private_key";
        case Errc::bad_public_key: return "bad_public_key";
        case Errc::bad_signature: return "bad_signature";
        case Errc::high_s_signature: return "high_s_signature";
        case Errc::recovery_failed: return "recovery_failed";
        case Errc::json_bad_field: return "json_bad_field";
        case Errc::json_parse: return "json_parse";
    }
    return "unknown";
}

}  // namespace sluice
