// Typed error codes shared by every Sluice library. Values are stable: never renumber, only append.
#pragma once

#include <cstdint>
#include <string_view>

namespace sluice {

enum class Errc : std::uint16_t {
    // generic
    invalid_argument = 1,
    not_supported = 2,
    internal = 3,
    io_error = 4,
    // hex, fixed-size bytes, addresses
    hex_missing_prefix = 100,
    hex_odd_length = 101,
    hex_bad_digit = 102,
    bad_length = 103,
    bad_checksum = 104,
    // numbers
    overflow = 200,
    bad_number = 201,
    // RLP
    rlp_truncated = 300,
    rlp_non_canonical = 301,
    rlp_length_overflow = 302,
    rlp_trailing_bytes = 303,
    rlp_unexpected_type = 304,
    rlp_too_deep = 305,  // lists nested deeper than rlp::kMaxDepth
    // Solidity ABI
    abi_truncated = 400,
    abi_bad_offset = 401,
    abi_bad_length = 402,
    abi_bad_value = 403,
    abi_type_mismatch = 404,
    abi_bad_type = 405,
    abi_trailing_bytes = 406,
    // EIP-712
    eip712_bad_type = 450,
    eip712_bad_value = 451,
    // secp256k1
    bad_private_key = 500,
    bad_public_key = 501,
    bad_signature = 502,
    high_s_signature = 503,
    recovery_failed = 504,
    // JSON / fixtures
    json_bad_field = 600,
    json_parse = 601,
    // transactions (EVM validation)
    tx_type_not_supported = 700,
    tx_nonce_too_low = 701,
    tx_nonce_too_high = 702,
    tx_nonce_max = 703,
    tx_insufficient_funds = 704,
    tx_intrinsic_gas_too_low = 705,
    tx_floor_gas_too_low = 706,
    tx_gas_limit_exceeds_block = 707,
    tx_fee_cap_below_base_fee = 708,
    tx_priority_fee_above_fee_cap = 709,
    tx_sender_not_eoa = 710,
    tx_initcode_too_large = 711,
    tx_create_not_allowed = 712,
    tx_blob_count = 713,
    tx_blob_hash_version = 714,
    tx_blob_fee_cap_too_low = 715,
    tx_empty_authorization_list = 716,
    tx_malformed = 717,                // wrong field count or shape of a raw transaction (l1/signed_transaction.hpp)
    tx_bad_signature = 718,            // v, r or s out of range, high s, or no key recovers
    tx_wrong_chain_id = 719,           // signed for another chain
    // channel protocol (channel/): 800-849 validation and update rules, 850-899 reserved for channel/
    channel_bad_params = 800,          // participant count, duplicates, zero address, uint48 overflow
    channel_wrong_channel_id = 801,    // state.channelId does not match the params
    channel_bad_shape = 802,           // balances per participant, lock indices, asset order
    channel_bad_version = 803,         // not above every version signed before: replayed or lower (gaps are allowed)
    channel_bad_signature = 804,       // does not recover to the participant it claims
    channel_not_participant = 805,
    channel_value_not_conserved = 806, // per-asset total of balances + locks changed
    channel_exceeds_deposits = 807,
    channel_overspend = 808,           // a participant other than the proposer loses funds
    channel_bad_lock = 809,            // expiry in the past, unknown hashlock, wrong preimage, zero amount
    channel_update_pending = 810,      // one pending update per channel
    channel_conflict = 811,            // crossing proposals: this one lost (lower index wins)
    channel_equivocation = 812,        // would sign a second state for the same (channelId, version)
    channel_persist_failed = 813,      // nothing was signed
    channel_app_rejected = 814,        // validTransition returned false
    channel_app_failed = 815,          // the app reverted, ran out of gas or returned garbage
    channel_final = 816,               // the channel is final; no further updates
    channel_bad_message = 817,
    channel_timeout = 818,             // the update round timed out; the proposal was withdrawn
    channel_behind = 819,              // the proposal builds on a fully signed state we have not seen yet
    channel_below_outstanding = 820,   // gives us less than a state we countersigned that may still complete
    channel_limit_exceeded = 821,      // more locks, assets or app data than a dispute can carry (limits.hpp)
    channel_lock_too_long = 822,       // a new lock expires later than max_lock_lifetime from now
    channel_lock_revealed = 823,       // refunds a lock whose preimage we know or that was revealed on L1 in time
    // parallel executor (evm_settle/parallel/): 900-949
    // L1 access and devchain (evm_settle/l1/): 950-999
    devchain_bad_time = 950,                 // a timestamp not after the latest block, or time moved back
    devchain_unknown_snapshot = 951,         // reverted to a snapshot that does not exist (any more)
    devchain_deploy_failed = 952,            // the creation transaction reverted
    devchain_unsupported_precompile = 953,   // execution reached a precompile sluice_evm does not implement
    devchain_not_unlocked = 954,             // eth_sendTransaction from an account whose key the devchain lacks
    devchain_state_unavailable = 955,        // state asked at a block other than the latest (no history kept)
    rpc_bad_params = 956,                    // JSON-RPC params of the wrong count, type or format
    rpc_too_many_results = 957,              // eth_getLogs would return more than the configured limit
    devchain_listen_failed = 958,            // sluice-devchain: a host other than loopback, or bind/listen failed
    // L1 client (l1_client.hpp): 960-974
    l1_transport = 960,                     // the request did not reach the node or no reply came back (connect, reset, HTTP status)
    l1_timeout = 961,                       // no reply (or no receipt, for wait_for_receipt) within the timeout
    l1_rpc_error = 962,                     // the node answered with a JSON-RPC error (code and message in the message)
    l1_method_not_found = 963,              // the node does not serve the method (-32601)
    l1_reverted = 964,                      // estimateGas or a send refused because execution reverts (decoded reason in the message)
    l1_malformed_reply = 965,               // a reply that is not JSON-RPC 2.0 or whose result has the wrong shape
    l1_reply_too_large = 966,               // a reply above the transport's size limit
    l1_request_too_large = 967,             // a request above the transport's size limit
    l1_bad_url = 968,                       // not an http://host:port/path URL
    l1_tx_rejected = 969,                   // the node refused a transaction for a reason without a code of its own
    l1_tx_already_known = 970,              // the node has this transaction already (resubmission)
    l1_replacement_underpriced = 971,       // a same-nonce replacement without the fee bump the node requires
    l1_reorg_too_deep = 972,                // a log cursor's blocks were all reorged away: it cannot find where to resume
    l1_bad_cursor = 973,                    // a stored log cursor that does not parse
    // L1 transaction signer (tx_signer.hpp): 995-999
    signer_fee_above_cap = 995,             // the fees the chain needs exceed the user's cap on max fee or tip
    signer_journal_corrupt = 996,           // a signer journal's tail does not decode (ignored, reported as a warning)
    signer_journal_io = 997,                // the signer journal's file could not be opened, written or synced
    signer_unknown_transaction = 998,       // wait() for a hash this signer did not send
    signer_nonce_taken = 999,               // the nonce was used by a transaction this signer does not know
    devchain_replacement_underpriced = 975,  // a same-nonce transaction whose fees do not both rise by 10%
    devchain_mempool_full = 976,             // the mempool holds its limit of transactions
    devchain_already_known = 977,            // this transaction is already in the mempool
    devchain_not_included = 978,             // the transaction was left out of the block it was mined for
    devchain_bad_proof = 979,                // a Merkle-Patricia proof that does not lead to the root
    devchain_store_mismatch = 980,           // the data dir holds another chain (chain id or genesis differ)
    // SQLite stores (sqlite/database.hpp): 1000-1009
    store_open_failed = 1000,     // the database file could not be opened or created
    store_io = 1001,              // a statement failed (disk full, I/O error, misuse)
    store_busy = 1002,            // another connection held the lock past the busy timeout
    store_corrupt = 1003,         // the file is not a database, or a row does not decode
    store_schema_too_new = 1004,  // written by a newer build: its user_version is past our migrations
    store_constraint = 1005,      // a UNIQUE/PRIMARY KEY/CHECK constraint refused the write
    // SDK node (sdk/): 1100-1199
    net_handshake_failed = 1100,   // the peer's handshake did not verify or did not follow the protocol
    net_wrong_identity = 1101,     // the peer proved an identity other than the one we dialled
    net_frame_too_large = 1102,    // a frame above the 1 MiB limit
    net_decrypt_failed = 1103,     // a frame that does not authenticate (tampered, replayed, reordered)
    net_closed = 1104,             // the connection closed
    net_timeout = 1105,            // handshake, idle or reply timeout
    net_connect_failed = 1106,     // could not connect to the peer
    wire_malformed = 1110,         // a message that is not valid JSON of the schema
    wire_unknown_type = 1111,      // a message type this version does not know
    wire_unsupported_version = 1112,  // a protocol version we do not speak
    wire_rate_limited = 1113,      // the peer sent faster than its limit
    wire_too_much_pending = 1114,  // the peer has more unanswered work than its limit
    invoice_malformed = 1120,      // not a sluice1 invoice, or a field out of range
    invoice_bad_checksum = 1121,   // the checksum does not match: a typo
    invoice_expired = 1122,        // the invoice's expiry has passed
    node_not_running = 1130,       // the node is stopped or stopping
    node_data_dir_locked = 1131,   // another process holds the data dir's lock
    node_unknown_peer = 1132,      // no connection or record of this peer
    node_unknown_channel = 1133,   // no channel with this id
    node_unknown_payment = 1134,   // no payment or invoice with this hash
    node_payment_failed = 1135,    // the payment failed (reason in the message)
    node_insufficient_balance = 1136,  // the channel cannot carry the amount
    keystore_bad_password = 1140,  // the keystore does not decrypt with this password
    keystore_malformed = 1141,     // the keystore file does not parse or a field is out of range
    keystore_io = 1142,            // the keystore file could not be read or written (errno in the message)
    keystore_unsupported = 1143,   // a format version, KDF or cipher this version does not implement
    keystore_wrong_address = 1144,  // the keystore decrypts to a key of another address than it names
    keystore_not_found = 1145,     // no keystore file at the path
    keystore_exists = 1146,        // create() refuses to replace an existing file
    funding_timeout = 1150,        // the lower indices' deposits did not arrive within the funding timeout
    funding_reverted = 1151,       // a deposit (or its token approval) reverted on L1 (reason in the message)
    funding_bad_request = 1152,    // a deposit the channel cannot take (no share, unknown asset, bad index)
    close_not_final = 1153,        // cooperative close of a state that is not final or not fully signed
    close_reverted = 1154,         // conclude or withdraw reverted on L1 (reason in the message)
    close_wrong_status = 1155,     // the channel is registered in a dispute or settled by another state
    // Hub daemon and CLI (hub/): 1200-1299
    rpc_parse_error = 1200,         // the request body is not JSON
    rpc_invalid_request = 1201,     // not a JSON-RPC 2.0 request object (or an empty batch)
    rpc_method_not_found = 1202,    // no such RPC method
    rpc_invalid_params = 1203,      // a parameter is missing, of the wrong type or out of range
    rpc_unauthorized = 1204,        // no credentials, or not the cookie or the read-only token
    rpc_forbidden = 1205,           // the read-only token on a method that changes something
    rpc_too_large = 1206,           // a request above the server's size limit
    rpc_unreachable = 1207,         // sluice-cli could not reach the daemon's RPC (not running, wrong port)
    hub_bad_config = 1210,          // a config file or flag that does not parse or is out of range
    hub_stopping = 1211,            // the daemon is shutting down and takes no new work
    hub_liquidity_limit = 1212,     // the payment exceeds the channel's liquidity limit
    hub_no_route = 1213,            // the hub has no channel to the payee
    cli_bad_arguments = 1220,       // sluice-cli: unknown subcommand or bad arguments
};

// Short stable name of a code, for logs and JSON error replies.
std::string_view errc_name(Errc code) noexcept;

}  // namespace sluice
