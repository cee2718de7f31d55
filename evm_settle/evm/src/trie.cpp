// Merkle-Patricia trie root over a sorted key/value range: nodes are RLP-encoded straight into one
// growing buffer, so a whole root costs one buffer and one sort, not a heap node per trie node.
#include "sluice/evm/trie.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "sluice/core/keccak.hpp"
#include "sluice/core/rlp.hpp"

namespace sluice::evm {
namespace {

using Entry = std::pair<Bytes, Bytes>;

// Nibble i of a key (high nibble of each byte first).
std::uint8_t nibble(const Bytes& key, std::size_t i) noexcept {
    const std::uint8_t b = key[i / 2];
    return (i % 2 == 0) ? static_cast<std::uint8_t>(b >> 4) : static_cast<std::uint8_t>(b & 0x0f);
}

std::size_t nibble_count(const Bytes& key) noexcept {
    return key.size() * 2;
}

// Puts the RLP list header for the payload written since `start` in front of it (rotating in place
// rather than building the header in a temporary).
void close_list(Bytes& out, std::size_t start) {
    const std::size_t payload_end = out.size();
    rlp::append_list_header(out, payload_end - start);
    std::rotate(out.begin() + static_cast<std::ptrdiff_t>(start),
                out.begin() + static_cast<std::ptrdiff_t>(payload_end), out.end());
}

// Hex-prefix encoding (yellow paper appendix C) of nibbles [from, to) of `key`, as an RLP string.
void append_hex_prefix(Bytes& out, const Bytes& key, std::size_t from, std::size_t to, bool leaf) {
    const std::size_t n = to - from;
    std::array<std::uint8_t, 64> small{};
    Bytes large;
    const std::size_t len = n / 2 + 1;
    std::uint8_t* hp = small.data();
    if (len > small.size()) {
        large.resize(len);
        hp = large.data();
    }
    const bool odd = n % 2 == 1;
    const auto flag = static_cast<std::uint8_t>((leaf ? 2 : 0) + (odd ? 1 : 0));
    std::size_t i = from;
    hp[0] = static_cast<std::uint8_t>(flag << 4);
    if (odd) hp[0] = static_cast<std::uint8_t>(hp[0] | nibble(key, i++));
    for (std::size_t j = 1; j < len; ++j, i += 2) {
        hp[j] = static_cast<std::uint8_t>((nibble(key, i) << 4) | nibble(key, i + 1));
    }
    rlp::append_bytes(out, ByteView{hp, len});
}

class Builder {
  public:
    explicit Builder(const std::vector<Entry>& entries) : entries_(entries) {}
    // Also collect the hashed nodes on the path towards `probe` (a proof; deepest first).
    Builder(const std::vector<Entry>& entries, const Bytes& probe, std::vector<Bytes>& proof)
        : entries_(entries), probe_(&probe), proof_(&proof) {}

    // Whether the node of entries [lo, hi) at `depth` lies on the probe's path: the probe agrees with its
    // keys on their first `depth` nibbles.
    bool on_probe_path(std::size_t lo, std::size_t depth) const noexcept {
        if (probe_ == nullptr || nibble_count(*probe_) < depth) return false;
        for (std::size_t i = 0; i < depth; ++i) {
            if (nibble(*probe_, i) != nibble(entries_[lo].first, i)) return false;
        }
        return true;
    }

    // Appends the full RLP encoding of the node holding entries [lo, hi), whose keys agree on the
    // first `depth` nibbles.
    void encode_node(std::size_t lo, std::size_t hi, std::size_t depth, Bytes& out) {
        const std::size_t start = out.size();
        const Bytes& first = entries_[lo].first;
        if (hi - lo == 1) {
            append_hex_prefix(out, first, depth, nibble_count(first), true);
            rlp::append_bytes(out, entries_[lo].second);
            close_list(out, start);
            return;
        }
        const std::size_t shared = shared_nibbles(lo, hi, depth);
        if (shared > depth) {
            append_hex_prefix(out, first, depth, shared, false);
            append_reference(lo, hi, shared, out);
            close_list(out, start);
            return;
        }
        encode_branch(lo, hi, depth, out);
    }

  private:
    // Sorted keys: the common prefix of the range is that of its first and last key.
    std::size_t shared_nibbles(std::size_t lo, std::size_t hi, std::size_t depth) const noexcept {
        const Bytes& a = entries_[lo].first;
        const Bytes& b = entries_[hi - 1].first;
        const std::size_t limit = std::min(nibble_count(a), nibble_count(b));
        std::size_t i = depth;
        while (i < limit && nibble(a, i) == nibble(b, i))
            ++i;
        return i;
    }

    void encode_branch(std::size_t lo, std::size_t hi, std::size_t depth, Bytes& out) {
        const std::size_t start = out.size();
        // A key that ends exactly here sorts first and becomes the branch's value.
        const Bytes* value = nullptr;
        if (nibble_count(entries_[lo].first) == depth) value = &entries_[lo++].second;
        std::size_t i = lo;
        for (std::uint8_t slot = 0; slot < 16; ++slot) {
            std::size_t j = i;
            while (j < hi && nibble(entries_[j].first, depth) == slot)
                ++j;
            if (j == i) {
                out.push_back(0x80);
            } else {
                append_reference(i, j, depth + 1, out);
            }
            i = j;
        }
        if (value != nullptr) {
            rlp::append_bytes(out, *value);
        } else {
            out.push_back(0x80);
        }
        close_list(out, start);
    }

    // A child as its parent holds it: embedded when its encoding is shorter than 32 bytes, else
    // the RLP string of its hash.
    void append_reference(std::size_t lo, std::size_t hi, std::size_t depth, Bytes& out) {
        const std::size_t start = out.size();
        encode_node(lo, hi, depth, out);
        if (out.size() - start < 32) return;
        if (on_probe_path(lo, depth))
            proof_->emplace_back(out.begin() + static_cast<std::ptrdiff_t>(start), out.end());
        const Hash h = keccak256(ByteView{out.data() + start, out.size() - start});
        out.resize(start);
        out.push_back(0xa0);
        out.insert(out.end(), h.begin(), h.end());
    }

    const std::vector<Entry>& entries_;
    const Bytes* probe_ = nullptr;
    std::vector<Bytes>* proof_ = nullptr;
};

// Sorts the entries and keeps the last value of each key, dropping empty values.
void canonicalize(std::vector<Entry>& entries) {
    // Last occurrence of a key wins: a stable sort keeps insertion order among equal keys.
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.first < b.first; });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i + 1 < entries.size() && entries[i + 1].first == entries[i].first) continue;
        if (entries[i].second.empty()) continue;
        if (kept != i) entries[kept] = std::move(entries[i]);
        ++kept;
    }
    entries.resize(kept);
}

Hash root_of(std::vector<Entry>& entries) {
    canonicalize(entries);
    if (entries.empty()) return kEmptyTrieRoot;
    Bytes buffer;
    buffer.reserve(1024);
    Builder(entries).encode_node(0, entries.size(), 0, buffer);
    return keccak256(buffer);
}

std::vector<Bytes> proof_of(std::vector<Entry>& entries, const Bytes& key) {
    canonicalize(entries);
    std::vector<Bytes> proof;
    if (entries.empty()) return proof;
    Bytes root;
    Builder(entries, key, proof).encode_node(0, entries.size(), 0, root);
    proof.push_back(std::move(root));
    std::reverse(proof.begin(), proof.end());
    return proof;
}

void hash_keys(std::vector<Entry>& entries) {
    for (auto& [key, value] : entries) {
        const Hash h = keccak256(key);
        key.assign(h.begin(), h.end());
    }
}

}  // namespace

Hash trie_root(std::vector<std::pair<Bytes, Bytes>> entries) {
    return root_of(entries);
}

std::vector<Bytes> trie_proof(std::vector<std::pair<Bytes, Bytes>> entries, ByteView key) {
    return proof_of(entries, Bytes(key.begin(), key.end()));
}

std::vector<Bytes> secure_trie_proof(std::vector<std::pair<Bytes, Bytes>> entries, ByteView key) {
    hash_keys(entries);
    const Hash hashed = keccak256(key);
    return proof_of(entries, Bytes(hashed.begin(), hashed.end()));
}

Hash secure_trie_root(std::vector<std::pair<Bytes, Bytes>> entries) {
    hash_keys(entries);
    return root_of(entries);
}

Hash ordered_trie_root(std::span<const Bytes> values) {
    std::vector<Entry> entries;
    entries.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        entries.emplace_back(rlp::encode_uint(static_cast<std::uint64_t>(i)), values[i]);
    }
    return root_of(entries);
}

}  // namespace sluice::evm
