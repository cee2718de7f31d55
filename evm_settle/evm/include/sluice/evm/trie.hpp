// Merkle-Patricia trie roots (hexary, yellow paper appendix D), computed from a full key/value set.
//
// The state, storage, transaction and receipt roots are all built from a complete set of entries at
// once, so there is no persistent trie: the entries are sorted and the nodes (leaf, extension,
// branch; keys in hex-prefix encoding) are encoded bottom-up over the sorted range. A node whose RLP
// encoding is shorter than 32 bytes is embedded in its parent; every other node, and the root always,
// is referenced by its keccak-256 hash.
#pragma once

#include <span>
#include <utility>
#include <vector>

#include "sluice/core/bytes.hpp"

namespace sluice::evm {

// keccak256(rlp("")) = keccak256(0x80): the root of a trie without entries.
inline constexpr Hash kEmptyTrieRoot{{0x56, 0xe8, 0x1f, 0x17, 0x1b, 0xcc, 0x55, 0xa6, 0xff, 0x83, 0x45,
                                      0xe6, 0x92, 0xc0, 0xf8, 0x6e, 0x5b, 0x48, 0xe0, 0x1b, 0x99, 0x6c,
                                      0xad, 0xc0, 0x01, 0x62, 0x2f, 0xb5, 0xe3, 0x63, 0xb4, 0x21}};

// Root of the trie holding `entries` under their raw keys. An empty value means "absent" (the key is
// not in the trie). When a key occurs more than once, the last occurrence wins, as if the entries
// were inserted in order. Values are stored as given (callers pass RLP-encoded accounts, slots, ...).
Hash trie_root(std::vector<std::pair<Bytes, Bytes>> entries);

// The "secure" trie of the state and storage: each key is replaced by keccak256(key) first.
Hash secure_trie_root(std::vector<std::pair<Bytes, Bytes>> entries);

// EIP-1186's proof of `key`: the RLP of every node on the path from the root towards the key, root first
// (a node embedded in its parent is part of its parent's RLP, not listed). It proves the key's value, or
// its absence when the path ends elsewhere. Empty for a trie without entries. Rebuilds the whole trie.
std::vector<Bytes> trie_proof(std::vector<std::pair<Bytes, Bytes>> entries, ByteView key);
// The proof in the secure trie: `key` and the entries' keys are hashed first.
std::vector<Bytes> secure_trie_proof(std::vector<std::pair<Bytes, Bytes>> entries, ByteView key);

// Transactions, receipts and withdrawals: the key of values[i] is rlp(i).
Hash ordered_trie_root(std::span<const Bytes> values);

}  // namespace sluice::evm
