// libFuzzer: RLP decoding never crashes on arbitrary bytes, and whatever decodes re-encodes from its
// parts to exactly the input (canonical decoding), including the integers it holds.
#include <cstdlib>
#include <vector>

#include "sluice/core/rlp.hpp"

namespace {

using sluice::Bytes;
namespace rlp = sluice::rlp;

// Decoded trees are at most rlp::kMaxDepth deep, so recursing here is bounded.
Bytes reencode(const rlp::Item& item) {
    if (!item.is_list) {
        const Bytes encoded(item.encoded.begin(), item.encoded.end());
        const auto small = rlp::to_uint64(item);
        if (small.ok() && rlp::encode_uint(*small) != encoded) std::abort();
        const auto wide = rlp::to_uint(item);
        if (wide.ok() != (item.payload.size() <= 32 && (item.payload.empty() || item.payload[0] != 0))) std::abort();
        if (wide.ok() && rlp::encode_uint(*wide) != encoded) std::abort();
        if (small.ok() && (!wide.ok() || *wide != sluice::u256{*small})) std::abort();
        return rlp::encode_bytes(item.payload);
    }
    const auto children = rlp::list_items(item);
    if (!children.ok()) std::abort();  // lists of a validated tree always split into children
    std::vector<Bytes> parts;
    parts.reserve(children->size());
    for (const rlp::Item& child : *children) parts.push_back(reencode(child));
    return rlp::encode_list(parts);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const sluice::ByteView input(data, size);
    const auto prefix = rlp::decode_prefix(input);
    const auto whole = rlp::decode_item(input);
    if (whole.ok() != (prefix.ok() && prefix->second.empty())) std::abort();
    if (!prefix.ok()) return 0;
    const rlp::Item& item = prefix->first;
    if (item.encoded.data() != data || item.encoded.size() + prefix->second.size() != size) std::abort();
    if (reencode(item) != Bytes(item.encoded.begin(), item.encoded.end())) std::abort();
    return 0;
}
