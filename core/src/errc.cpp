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
        case Errc::tx_type_not_supported: return "tx_type_not_supported";
        case Errc::tx_nonce_too_low: return "tx_nonce_too_low";
        case Errc::tx_nonce_too_high: return "tx_nonce_too_high";
        case Errc::tx_nonce_max: return "tx_nonce_max";
        case Errc::tx_insufficient_funds: return "tx_insufficient_funds";
        case Errc::tx_intrinsic_gas_too_low: return "tx_intrinsic_gas_too_low";
        case Errc::tx_floor_gas_too_low: return "tx_floor_gas_too_low";
        case Errc::tx_gas_limit_exceeds_block: return "tx_gas_limit_exceeds_block";
        case Errc::tx_fee_cap_below_base_fee: return "tx_fee_cap_below_base_fee";
        case Errc::tx_priority_fee_above_fee_cap: return "tx_priority_fee_above_fee_cap";
        case Errc::tx_sender_not_eoa: return "tx_sender_not_eoa";
        case Errc::tx_initcode_too_large: return "tx_initcode_too_large";
        case Errc::tx_create_not_allowed: return "tx_create_not_allowed";
        case Errc::tx_blob_count: return "tx_blob_count";
        case Errc::tx_blob_hash_version: return "tx_blob_hash_version";
        case Errc::tx_blob_fee_cap_too_low: return "tx_blob_fee_cap_too_low";
        case Errc::tx_empty_authorization_list: return "tx_empty_authorization_list";
        case Errc::tx_malformed: return "tx_malformed";
        case Errc::tx_bad_signature: return "tx_bad_signature";
        case Errc::tx_wrong_chain_id: return "tx_wrong_chain_id";
        case Errc::channel_bad_params: return "channel_bad_params";
        case Errc::channel_wrong_channel_id: return "channel_wrong_channel_id";
        case Errc::channel_bad_shape: return "channel_bad_shape";
        case Errc::channel_bad_version: return "channel_bad_version";
        case Errc::channel_bad_signature: return "channel_bad_signature";
        case Errc::channel_not_participant: return "channel_not_participant";
        case Errc::channel_value_not_conserved: return "channel_value_not_conserved";
        case Errc::channel_exceeds_deposits: return "channel_exceeds_deposits";
        case Errc::channel_overspend: return "channel_overspend";
        case Errc::channel_bad_lock: return "channel_bad_lock";
        case Errc::channel_update_pending: return "channel_update_pending";
        case Errc::channel_conflict: return "channel_conflict";
        case Errc::channel_equivocation: return "channel_equivocation";
        case Errc::channel_persist_failed: return "channel_persist_failed";
        case Errc::channel_app_rejected: return "channel_app_rejected";
        case Errc::channel_app_failed: return "channel_app_failed";
        case Errc::channel_final: return "channel_final";
        case Errc::channel_bad_message: return "channel_bad_message";
        case Errc::channel_timeout: return "channel_timeout";
        case Errc::channel_behind: return "channel_behind";
        case Errc::channel_below_outstanding: return "channel_below_outstanding";
        case Errc::channel_limit_exceeded: return "channel_limit_exceeded";
        case Errc::channel_lock_too_long: return "channel_lock_too_long";
        case Errc::channel_lock_revealed: return "channel_lock_revealed";
        case Errc::devchain_bad_time: return "devchain_bad_time";
        case Errc::devchain_unknown_snapshot: return "devchain_unknown_snapshot";
        case Errc::devchain_deploy_failed: return "devchain_deploy_failed";
        case Errc::devchain_unsupported_precompile: return "devchain_unsupported_precompile";
        case Errc::devchain_not_unlocked: return "devchain_not_unlocked";
        case Errc::devchain_state_unavailable: return "devchain_state_unavailable";
        case Errc::rpc_bad_params: return "rpc_bad_params";
        case Errc::rpc_too_many_results: return "rpc_too_many_results";
        case Errc::devchain_listen_failed: return "devchain_listen_failed";
        case Errc::l1_transport: return "l1_transport";
        case Errc::l1_timeout: return "l1_timeout";
        case Errc::l1_rpc_error: return "l1_rpc_error";
        case Errc::l1_method_not_found: return "l1_method_not_found";
        case Errc::l1_reverted: return "l1_reverted";
        case Errc::l1_malformed_reply: return "l1_malformed_reply";
        case Errc::l1_reply_too_large: return "l1_reply_too_large";
        case Errc::l1_request_too_large: return "l1_request_too_large";
        case Errc::l1_bad_url: return "l1_bad_url";
        case Errc::l1_tx_rejected: return "l1_tx_rejected";
        case Errc::l1_tx_already_known: return "l1_tx_already_known";
        case Errc::l1_replacement_underpriced: return "l1_replacement_underpriced";
        case Errc::l1_reorg_too_deep: return "l1_reorg_too_deep";
        case Errc::l1_bad_cursor: return "l1_bad_cursor";
    }
    return "unknown";
}

}  // namespace sluice
