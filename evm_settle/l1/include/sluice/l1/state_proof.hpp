// EIP-1186 (eth_getProof): an account and some of its storage slots with the Merkle-Patricia nodes that prove
// them against a block's state root, and the check of such a proof, from this devchain or from any node
// (the L1 client checks what a remote node claims with it).
//
// verify_trie_proof walks the nodes from the root along the key's nibbles: each node referenced by hash must
// be the next proof entry and hash to it, a node shorter than 32 bytes is embedded in its parent. It ends
// at the key's value, or proves the key absent (an empty branch slot, or a leaf or extension whose path
// leaves the key's). Anything else is devchain_bad_proof: a node missing or hashing wrong, a malformed node
// (not RLP, not 2 or 17 items, a bad hex-prefix path), a branch value on a path of fixed-length keys.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/l1/l1_types.hpp"

namespace sluice::l1 {

// AccountProof and StorageProof are the client's (l1_types.hpp): what eth_getProof answers.

// The value under `key` (the trie's own key bytes: keccak256 of the address or slot for the state and
// storage tries), or nullopt when the proof shows there is none.
Result<std::optional<Bytes>> verify_trie_proof(const Hash& root, ByteView key, std::span<const Bytes> proof);

// Checks every field of `proof` against `state_root`: the account's nonce, balance, code hash and storage
// root (an account the proof shows absent must claim nonce 0, balance 0, the empty code hash and the empty
// storage root), then each slot's value against the storage root (an absent slot must claim 0).
// devchain_bad_proof names the first field that does not match.
Status verify_account_proof(const Hash& state_root, const AccountProof& proof);

}  // namespace sluice::l1
