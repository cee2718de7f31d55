// OverlayState: diff application, reads through to the base, and the merged diff.
#include "evm_overlay_state.hpp"

#include <algorithm>
#include <vector>

namespace sluice::parallel {

void OverlayState::apply(const evm::StateDiff& diff) {
    for (const evm::AccountChange& change : diff.accounts) {
        auto [it, inserted] = accounts_.try_emplace(change.address);
        Account& acc = it->second;
        if (inserted) {
            const auto info = base_.account(change.address);
            acc.base_has_storage = info && info->has_storage;
        }
        if (change.deleted) {
            acc.deleted = true;
            acc.nonce = 0;
            acc.balance = u256{};
            acc.code_hash = evm::kEmptyCodeHash;
            acc.code = nullptr;
            acc.storage_cleared = true;
            acc.wrote_nonzero = false;
            acc.storage.clear();
            continue;
        }
        acc.deleted = false;
        acc.nonce = change.nonce;
        acc.balance = change.balance;
        acc.code_hash = change.code_hash;
        if (change.code) acc.code = change.code;
        if (change.storage_cleared) {
            acc.storage_cleared = true;
            acc.wrote_nonzero = false;
            acc.storage.clear();
        }
        for (const auto& [key, value] : change.storage) {
            acc.storage[key] = value;
            acc.wrote_nonzero = acc.wrote_nonzero || !value.is_zero();
        }
    }
}

void OverlayState::absorb(const OverlayState& later) {
    for (const auto& [address, theirs] : later.accounts_) {
        auto [it, inserted] = accounts_.try_emplace(address, theirs);
        Account& ours = it->second;
        if (inserted) continue;
        if (theirs.deleted || theirs.storage_cleared) {
            ours = theirs;
            continue;
        }
        ours.deleted = false;
        ours.nonce = theirs.nonce;
        ours.balance = theirs.balance;
        ours.code_hash = theirs.code_hash;
        if (theirs.code) ours.code = theirs.code;
        for (const auto& [key, value] : theirs.storage)
            ours.storage[key] = value;
        ours.wrote_nonzero = ours.wrote_nonzero || theirs.wrote_nonzero;
    }
}

std::optional<evm::AccountInfo> OverlayState::account(const Address& addr) const {
    const auto it = accounts_.find(addr);
    if (it == accounts_.end()) return base_.account(addr);
    const Account& acc = it->second;
    if (acc.deleted) return std::nullopt;
    return evm::AccountInfo{acc.nonce, acc.balance, acc.code_hash,
                            (acc.base_has_storage && !acc.storage_cleared) || acc.wrote_nonzero};
}

u256 OverlayState::storage(const Address& addr, const Bytes32& key) const {
    const auto it = accounts_.find(addr);
    if (it == accounts_.end()) return base_.storage(addr, key);
    const Account& acc = it->second;
    if (const auto slot = acc.storage.find(key); slot != acc.storage.end()) return slot->second;
    return acc.storage_cleared ? u256{} : base_.storage(addr, key);
}

std::shared_ptr<const Bytes> OverlayState::code(const Address& addr) const {
    const auto it = accounts_.find(addr);
    if (it == accounts_.end()) return base_.code(addr);
    const Account& acc = it->second;
    if (acc.deleted || acc.code_hash == evm::kEmptyCodeHash) return std::make_shared<const Bytes>();
    return acc.code ? acc.code : base_.code(addr);
}

evm::StateDiff OverlayState::to_diff() const {
    std::vector<Address> addresses;
    addresses.reserve(accounts_.size());
    for (const auto& entry : accounts_)
        addresses.push_back(entry.first);
    std::sort(addresses.begin(), addresses.end());
    evm::StateDiff diff;
    diff.accounts.reserve(addresses.size());
    for (const Address& addr : addresses) {
        const Account& acc = accounts_.at(addr);
        evm::AccountChange change;
        change.address = addr;
        change.deleted = acc.deleted;
        if (!acc.deleted) {
            change.nonce = acc.nonce;
            change.balance = acc.balance;
            change.code_hash = acc.code_hash;
            change.code = acc.code;
            change.storage_cleared = acc.storage_cleared;
            // One walk of the node list: assign() from these iterators walks it twice (distance first).
            change.storage.reserve(acc.storage.size());
            for (const auto& slot : acc.storage)
                change.storage.push_back(slot);
            std::sort(change.storage.begin(), change.storage.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
        }
        diff.accounts.push_back(std::move(change));
    }
    return diff;
}

}  // namespace sluice::parallel
