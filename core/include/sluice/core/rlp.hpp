// Recursive Length Prefix encoding with strict canonical decoding (Ethereum yellow paper, appendix B).
//
// API CONTRACT (implementation pending; other modules code against these names):
//   namespace sluice::rlp
//   Encoding:
//     void append_bytes(Bytes& out, ByteView payload)        // string item
//     void append_uint(Bytes& out, const u256& v)            // minimal big-endian, 0 -> 0x80
//     void append_uint(Bytes& out, std::uint64_t v)
//     void append_list_header(Bytes& out, std::size_t payload_len)
//     Bytes encode_bytes(ByteView), Bytes encode_uint(const u256&), Bytes encode_uint(std::uint64_t)
//     Bytes encode_list(std::span<const Bytes> encoded_items)  // items already RLP-encoded
//   Decoding (all strict: non-minimal length prefixes, single bytes < 0x80 wrapped in 0x81,
//   lengths with leading zeros, lengths past the input, trailing bytes -> typed Errc::rlp_*):
//     struct Item { bool is_list; ByteView payload; ByteView encoded; }  // borrowed views
//     Result<Item> decode_item(ByteView in)            // exactly one item spanning all of `in`
//     Result<std::pair<Item, ByteView>> decode_prefix(ByteView in)  // one item + the rest
//     Result<std::vector<Item>> decode_list(ByteView in)  // `in` is one list item -> its children
//     Result<std::vector<Item>> list_items(const Item&)   // children of a list item
//     Result<u256> to_uint(const Item&)        // string item, no leading zeros, <= 32 bytes
//     Result<std::uint64_t> to_uint64(const Item&)
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"
