// Recursive Length Prefix encoding with strict canonical decoding (Ethereum yellow paper, appendix B).
//
// Encoding appends to a caller-owned buffer so that nested structures are built without temporaries:
// write the children into one buffer, then prefix it with append_list_header().
//
// Decoding never copies: an Item holds views into the caller's input, which must outlive it. Every
// decoder accepts exactly one encoding per value (the canonical one) and answers anything else with
// a typed error, so that decode(x) succeeding implies encode(decode(x)) == x:
//   Errc::rlp_truncated        the input (or the enclosing list) ends before the item does
//   Errc::rlp_non_canonical    0x81 wrapping a byte < 0x80, long form for a length < 56,
//                              length bytes with leading zeros, integers with leading zero bytes
//   Errc::rlp_length_overflow  a declared length that cannot be represented in std::size_t
//   Errc::rlp_trailing_bytes   bytes left after the one item that should span the input
//   Errc::rlp_unexpected_type  a list where a string is needed or the other way round
//   Errc::rlp_too_deep         lists nested deeper than kMaxDepth
//   Errc::overflow             an integer item wider than the requested type
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::rlp {

// Deepest list nesting a decoder accepts. Ethereum structures nest a handful of levels; the limit
// keeps callers that walk a decoded tree recursively safe from stack exhaustion on hostile input.
inline constexpr std::size_t kMaxDepth = 1024;

// ---- encoding -------------------------------------------------------------------------------------

// A string item: a single byte < 0x80 is its own encoding, anything else gets a length prefix.
void append_bytes(Bytes& out, ByteView payload);
// An unsigned integer as a string item of its minimal big-endian bytes (0 -> 0x80).
void append_uint(Bytes& out, std::uint64_t value);
void append_uint(Bytes& out, const u256& value);
// The prefix of a list whose already-encoded children total `payload_len` bytes.
void append_list_header(Bytes& out, std::size_t payload_len);

Bytes encode_bytes(ByteView payload);
Bytes encode_uint(std::uint64_t value);
Bytes encode_uint(const u256& value);
// A list of items that are already RLP-encoded.
Bytes encode_list(std::span<const Bytes> encoded_items);

// ---- decoding -------------------------------------------------------------------------------------

struct Item {
    bool is_list = false;
    ByteView payload;  // string bytes, or the concatenated encodings of the list's children
    ByteView encoded;  // the whole item including its prefix
};

// Exactly one item spanning all of `in`; nested lists are validated to the bottom.
Result<Item> decode_item(ByteView in);
// One fully validated item at the start of `in`, and the bytes after it.
Result<std::pair<Item, ByteView>> decode_prefix(ByteView in);
// `in` must be exactly one list item; returns its children.
Result<std::vector<Item>> decode_list(ByteView in);
// The children of a list item. Each child's prefix is checked against the list's payload, so this is
// memory-safe on any Item; items that came from the decoders above are already fully validated.
Result<std::vector<Item>> list_items(const Item& list);
// A string item holding a canonical (no leading zero bytes) big-endian integer of at most 32 bytes
// (to_uint) or 8 bytes (to_uint64).
Result<u256> to_uint(const Item& item);
Result<std::uint64_t> to_uint64(const Item& item);

}  // namespace sluice::rlp
