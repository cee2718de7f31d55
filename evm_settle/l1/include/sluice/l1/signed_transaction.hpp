// Signed Ethereum transactions as they travel to and from a node (eth_sendRawTransaction, blocks): legacy
// (with or without EIP-155), EIP-2930, EIP-1559, EIP-4844 (the network form without blobs is not accepted:
// the canonical "transaction payload" only) and EIP-7702, encoded, signed, hashed, decoded and with the
// sender recovered.
//
// Decoding is strict: the RLP must be canonical (leading zeros, long forms, trailing bytes are errors), the
// list has exactly the fields of its type, `to` is empty or 20 bytes (and required for types 3 and 4), access
// list addresses are 20 bytes and keys 32, integers fit their fields (nonce and gas limit 64 bits, the rest
// 256), and the signature is a valid low-s secp256k1 signature (EIP-2) that recovers a sender.
// Errors: rlp_* for the RLP itself, tx_type_not_supported (an unknown type byte), tx_malformed (wrong field
// count or shape), overflow (a field too wide), tx_bad_signature (v, r or s out of range, high s, no
// recoverable key).
//
// What depends on a fork and a chain (intrinsic gas, initcode size, fee fields, nonce limit, chain id) is
// check_transaction(), apart from the decoding: a node decodes first, then judges.
#pragma once

#include <cstdint>
#include <optional>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/secp256k1.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/evm/revision.hpp"
#include "sluice/evm/transaction.hpp"

namespace sluice::l1 {

struct SignedTransaction {
    evm::Transaction tx;           // tx.sender is the recovered signer
    std::optional<u256> chain_id;  // nullopt only for a legacy transaction signed without EIP-155
    std::uint8_t y_parity = 0;
    Bytes32 r;
    Bytes32 s;
    Hash hash;  // keccak256 of the raw bytes: the transaction's id
};

// The digest the sender signs: keccak256(type ‖ rlp(fields without the signature)), for legacy
// rlp(fields) or, with a chain id (EIP-155), rlp(fields ‖ chain_id ‖ 0 ‖ 0). Types 1-4 need a chain id
// (tx_malformed otherwise).
Result<Hash> signing_hash(const evm::Transaction& tx, const std::optional<u256>& chain_id);

// The raw bytes of `tx` signed by `key` (tx.sender is ignored and need not be set).
Result<Bytes> sign_transaction(const evm::Transaction& tx, const std::optional<u256>& chain_id,
                               const PrivateKey& key);

// The raw bytes of an already signed transaction (the inverse of decode_transaction).
Result<Bytes> encode_transaction(const SignedTransaction& signed_tx);

// Parses raw bytes and recovers the sender.
Result<SignedTransaction> decode_transaction(ByteView raw);
// Parses raw bytes only: tx.sender is left unset (zero), the signature unchecked. For bytes whose sender is
// known already (the devchain's own chain store, transactions it sent for a named sender).
Result<SignedTransaction> parse_transaction(ByteView raw);

// What a node checks before it admits a decoded transaction, independent of any account state:
// the chain id (tx_wrong_chain_id; a legacy transaction without one is accepted, as nodes still do),
// EIP-2681's nonce limit (tx_nonce_max), the intrinsic gas of `rev` (tx_intrinsic_gas_too_low,
// tx_floor_gas_too_low), EIP-3860 initcode size (tx_initcode_too_large), the tip not above the fee cap
// (tx_priority_fee_above_fee_cap), gas limit × fee cap and the blob fee within 256 bits (overflow), and
// the rules of the type's fork (tx_type_not_supported before Berlin/London/Cancun/Prague).
Status check_transaction(const SignedTransaction& signed_tx, evm::Revision rev, const u256& chain_id);

}  // namespace sluice::l1
