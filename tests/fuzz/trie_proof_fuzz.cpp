// libFuzzer: Merkle-Patricia proofs. Arbitrary bytes as proof nodes never crash verify_trie_proof (the root is
// the first node's hash, so the walk gets past it); and for a trie built from entries read off the input,
// every key's evm::trie_proof verifies to its value and a key not in the trie is proven absent.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <utility>
#include <vector>

#include "sluice/core/keccak.hpp"
#include "sluice/evm/trie.hpp"
#include "sluice/l1/state_proof.hpp"

namespace {

using sluice::Bytes;
using sluice::ByteView;

// Splits `in` into length-prefixed pieces (one length byte each).
std::vector<Bytes> pieces(ByteView in, std::size_t max_pieces) {
    std::vector<Bytes> out;
    while (!in.empty() && out.size() < max_pieces) {
        const std::size_t n = std::min<std::size_t>(in[0], in.size() - 1);
        out.emplace_back(in.begin() + 1, in.begin() + 1 + static_cast<std::ptrdiff_t>(n));
        in = in.subspan(1 + n);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView input(data, size);
    const std::vector<Bytes> nodes = pieces(input, 16);
    if (!nodes.empty()) {
        const sluice::Hash root = sluice::keccak256(nodes[0]);
        const Bytes key(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(size, 32)));
        (void)sluice::l1::verify_trie_proof(root, key, nodes);
    }

    // Entries: short keys (prefixes of each other allowed) and non-empty values, the last of a key winning.
    std::map<Bytes, Bytes> trie;
    const std::vector<Bytes> parts = pieces(input, 64);
    for (std::size_t i = 0; i + 1 < parts.size(); i += 2) {
        Bytes key(parts[i].begin(), parts[i].begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(parts[i].size(), 5)));
        if (key.empty() || parts[i + 1].empty()) continue;
        trie[key] = parts[i + 1];
    }
    std::vector<std::pair<Bytes, Bytes>> entries(trie.begin(), trie.end());
    const sluice::Hash root = sluice::evm::trie_root(entries);
    for (const auto& [key, value] : trie) {
        const auto got = sluice::l1::verify_trie_proof(root, key, sluice::evm::trie_proof(entries, key));
        if (!got.ok() || !got->has_value() || **got != value) std::abort();
    }
    for (Bytes absent : {Bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}, Bytes{0x00}, Bytes{0x7f, 0x01}}) {
        if (trie.count(absent)) continue;
        const auto got = sluice::l1::verify_trie_proof(root, absent, sluice::evm::trie_proof(entries, absent));
        if (!got.ok() || got->has_value()) std::abort();
    }
    return 0;
}
