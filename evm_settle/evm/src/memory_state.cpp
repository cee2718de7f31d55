// MemoryState: the in-memory world state, its diff application and its state root.
#include "sluice/evm/memory_state.hpp"

#include <utility>
#include <vector>

#include "sluice/core/keccak.hpp"
#include "sluice/core/rlp.hpp"
#include "sluice/evm/trie.hpp"

namespace sluice::evm {

void MemoryState::put_account(const Address& addr, std::uint64_t nonce, const u256& balance, Bytes code,
                              std::unordered_map<Bytes32, u256> storage) {
    Account acc;
    acc.nonce = nonce;
    acc.balance = balance;
    acc.code_hash = code.empty() ? kEmptyCodeHash : keccak256(code);
    acc.code = std::make_shared<const Bytes>(std::move(code));
    std::erase_if(storage, [](const auto& kv) { return kv.second.is_zero(); });
    acc.storage = std::move(storage);
    accounts_[addr] = std::move(acc);
}

void MemoryState::apply(const StateDiff& diff) {
    for (const AccountChange& change : diff.accounts) {
        if (change.deleted) {
            accounts_.erase(change.address);
            continue;
        }
        Account& acc = accounts_[change.address];
        acc.nonce = change.nonce;
        acc.balance = change.balance;
        acc.code_hash = change.code_hash;
        if (change.code) acc.code = change.code;
        if (change.storage_cleared) acc.storage.clear();
        for (const auto& [key, value] : change.storage) {
            if (value.is_zero()) {
                acc.storage.erase(key);
            } else {
                acc.storage[key] = value;
            }
        }
    }
}

std::optional<AccountInfo> MemoryState::account(const Address& addr) const {
    const auto it = accounts_.find(addr);
    if (it == accounts_.end()) return std::nullopt;
    const Account& acc = it->second;
    return AccountInfo{acc.nonce, acc.balance, acc.code_hash, !acc.storage.empty()};
}

u256 MemoryState::storage(const Address& addr, const Bytes32& key) const {
    const auto it = accounts_.find(addr);
    if (it == accounts_.end()) return {};
    const auto slot = it->second.storage.find(key);
    return slot == it->second.storage.end() ? u256{} : slot->second;
}

std::shared_ptr<const Bytes> MemoryState::code(const Address& addr) const {
    const auto it = accounts_.find(addr);
    if (it == accounts_.end()) return std::make_shared<const Bytes>();
    return it->second.code;
}

namespace {

std::vector<std::pair<Bytes, Bytes>> storage_entries(const std::unordered_map<Bytes32, u256>& storage) {
    std::vector<std::pair<Bytes, Bytes>> entries;
    entries.reserve(storage.size());
    for (const auto& [key, value] : storage) {
        if (value.is_zero()) continue;
        Bytes encoded;
        rlp::append_uint(encoded, value);
        entries.emplace_back(Bytes(key.begin(), key.end()), std::move(encoded));
    }
    return entries;
}

std::vector<std::pair<Bytes, Bytes>> account_entries(
    const std::unordered_map<Address, MemoryState::Account>& accounts) {
    std::vector<std::pair<Bytes, Bytes>> entries;
    entries.reserve(accounts.size());
    for (const auto& [addr, acc] : accounts) {
        entries.emplace_back(Bytes(addr.begin(), addr.end()), account_rlp(acc));
    }
    return entries;
}

}  // namespace

Hash storage_root(const std::unordered_map<Bytes32, u256>& storage) {
    return secure_trie_root(storage_entries(storage));
}

Bytes account_rlp(const MemoryState::Account& acc) {
    const Hash root = storage_root(acc.storage);
    Bytes payload;
    rlp::append_uint(payload, acc.nonce);
    rlp::append_uint(payload, acc.balance);
    rlp::append_bytes(payload, root.view());
    rlp::append_bytes(payload, acc.code_hash.view());
    Bytes encoded;
    rlp::append_list_header(encoded, payload.size());
    encoded.insert(encoded.end(), payload.begin(), payload.end());
    return encoded;
}

Hash MemoryState::state_root() const {
    return secure_trie_root(account_entries(accounts_));
}

std::vector<Bytes> MemoryState::account_proof(const Address& addr) const {
    return secure_trie_proof(account_entries(accounts_), addr.view());
}

std::vector<Bytes> MemoryState::storage_proof(const Address& addr, const Bytes32& key) const {
    const auto it = accounts_.find(addr);
    if (it == accounts_.end()) return {};
    return secure_trie_proof(storage_entries(it->second.storage), key.view());
}

}  // namespace sluice::evm
