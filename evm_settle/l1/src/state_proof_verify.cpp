// verify_trie_proof and verify_account_proof (state_proof.hpp).
#include <string>

#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/core/rlp.hpp"
#include "sluice/evm/account.hpp"
#include "sluice/evm/trie.hpp"
#include "sluice/l1/state_proof.hpp"

namespace sluice::l1 {
namespace {

Error bad(const std::string& why) {
    return make_error(Errc::devchain_bad_proof, why);
}

std::uint8_t nibble_at(ByteView bytes, std::size_t i) {
    return (i % 2 == 0) ? static_cast<std::uint8_t>(bytes[i / 2] >> 4)
                        : static_cast<std::uint8_t>(bytes[i / 2] & 0x0f);
}

struct Path {
    std::vector<std::uint8_t> nibbles;
    bool leaf = false;
};

// Yellow paper appendix C: the flag nibble says leaf or extension and odd or even length.
Result<Path> hex_prefix(ByteView encoded) {
    if (encoded.empty()) return bad("a node's path is empty");
    const std::uint8_t flag = encoded[0] >> 4;
    if (flag > 3) return bad("a node's path has flag " + std::to_string(flag));
    const bool odd = (flag & 1) != 0;
    if (!odd && (encoded[0] & 0x0f) != 0) return bad("an even path with a non-zero pad nibble");
    Path path;
    path.leaf = (flag & 2) != 0;
    for (std::size_t i = odd ? 1 : 2; i < encoded.size() * 2; ++i)
        path.nibbles.push_back(nibble_at(encoded, i));
    return path;
}

}  // namespace

Result<std::optional<Bytes>> verify_trie_proof(const Hash& root, ByteView key, std::span<const Bytes> proof) {
    if (proof.empty()) {
        if (root == evm::kEmptyTrieRoot) return std::optional<Bytes>{};
        return bad("no nodes, but the root is not the empty trie's");
    }
    const std::size_t key_nibbles = key.size() * 2;
    std::size_t pos = 0;   // nibbles of the key consumed
    std::size_t next = 0;  // the proof entry a hash reference must come from
    Hash wanted = root;
    rlp::Item node;
    bool have_node = false;  // an embedded node to read instead of the next proof entry
    for (;;) {
        if (!have_node) {
            if (next == proof.size()) return bad("the proof ends before the path does");
            const Bytes& entry = proof[next++];
            if (keccak256(entry) != wanted)
                return bad("proof node " + std::to_string(next - 1) + " does not hash to its reference");
            auto decoded = rlp::decode_item(entry);
            if (!decoded.ok()) return bad("proof node " + std::to_string(next - 1) + " is not RLP");
            node = *decoded;
        }
        have_node = false;
        if (!node.is_list) return bad("a node is not a list");
        SLUICE_TRY(const std::vector<rlp::Item> items, rlp::list_items(node));
        rlp::Item child;
        if (items.size() == 17) {
            if (pos == key_nibbles) {
                if (items[16].is_list) return bad("a branch value is a list");
                if (items[16].payload.empty()) return std::optional<Bytes>{};
                return std::optional<Bytes>{Bytes(items[16].payload.begin(), items[16].payload.end())};
            }
            child = items[nibble_at(key, pos++)];
        } else if (items.size() == 2) {
            if (items[0].is_list) return bad("a node's path is a list");
            SLUICE_TRY(const Path path, hex_prefix(items[0].payload));
            bool follows = pos + path.nibbles.size() <= key_nibbles;
            for (std::size_t i = 0; follows && i < path.nibbles.size(); ++i)
                follows = path.nibbles[i] == nibble_at(key, pos + i);
            if (path.leaf) {
                if (!follows || pos + path.nibbles.size() != key_nibbles) return std::optional<Bytes>{};
                if (items[1].is_list) return bad("a leaf value is a list");
                return std::optional<Bytes>{Bytes(items[1].payload.begin(), items[1].payload.end())};
            }
            if (!follows) return std::optional<Bytes>{};
            if (path.nibbles.empty()) return bad("an extension with an empty path");
            pos += path.nibbles.size();
            child = items[1];
        } else {
            return bad("a node of " + std::to_string(items.size()) + " items");
        }
        if (child.is_list) {
            node = child;
            have_node = true;
            continue;
        }
        if (child.payload.empty()) return std::optional<Bytes>{};
        if (child.payload.size() != 32)
            return bad("a child reference of " + std::to_string(child.payload.size()) + " bytes");
        std::copy(child.payload.begin(), child.payload.end(), wanted.begin());
    }
}

Status verify_account_proof(const Hash& state_root, const AccountProof& proof) {
    SLUICE_TRY(const auto account,
               verify_trie_proof(state_root, keccak256(proof.address.view()).view(), proof.account_proof));
    if (!account) {
        if (proof.nonce != 0 || !proof.balance.is_zero() || proof.code_hash != evm::kEmptyCodeHash ||
            proof.storage_hash != evm::kEmptyTrieRoot) {
            return bad("the account is absent, but the proof claims it has state");
        }
    } else {
        auto fields = rlp::decode_list(*account);
        if (!fields.ok() || fields->size() != 4)
            return bad("the account value is not rlp([nonce, balance, root, code hash])");
        const auto nonce = rlp::to_uint64((*fields)[0]);
        const auto balance = rlp::to_uint((*fields)[1]);
        if (!nonce.ok() || !balance.ok())
            return bad("the account's nonce or balance is not a canonical integer");
        if (*nonce != proof.nonce)
            return bad("nonce " + std::to_string(proof.nonce) + " is not the proven " +
                       std::to_string(*nonce));
        if (*balance != proof.balance) return bad("the balance is not the proven one");
        if ((*fields)[2].payload.size() != 32 ||
            Hash::from_view((*fields)[2].payload).value() != proof.storage_hash)
            return bad("the storage hash is not the proven one");
        if ((*fields)[3].payload.size() != 32 ||
            Hash::from_view((*fields)[3].payload).value() != proof.code_hash)
            return bad("the code hash is not the proven one");
    }
    for (const StorageProof& slot : proof.storage) {
        SLUICE_TRY(const auto value,
                   verify_trie_proof(proof.storage_hash, keccak256(slot.key.view()).view(), slot.proof));
        u256 proven;
        if (value) {
            auto item = rlp::decode_item(*value);
            if (!item.ok() || item->is_list)
                return bad("slot " + to_hex(slot.key.view()) + ": the value is not an RLP integer");
            auto v = rlp::to_uint(*item);
            if (!v.ok() || v->is_zero())
                return bad("slot " + to_hex(slot.key.view()) +
                           ": the value is not a canonical non-zero integer");
            proven = *v;
        }
        if (proven != slot.value)
            return bad("slot " + to_hex(slot.key.view()) + ": the value is not the proven one");
    }
    return {};
}

}  // namespace sluice::l1
