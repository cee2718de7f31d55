// Merkle-Patricia trie roots (hexary, yellow paper appendix D), computed from a full key/value set.
//
// API CONTRACT (implementation pending; the state and receipt code codes against these names):
//   namespace sluice::evm
//   inline constexpr Hash kEmptyTrieRoot  // keccak256(rlp("")) = 0x56e81f17...b421
//   Hash trie_root(std::vector<std::pair<Bytes, Bytes>> entries);      // raw keys; empty values = absent
//   Hash secure_trie_root(std::vector<std::pair<Bytes, Bytes>> entries); // keys hashed with keccak256 first
//   Hash ordered_trie_root(std::span<const Bytes> values);            // key = rlp(index), for receipts/txs
#pragma once
