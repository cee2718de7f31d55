// State: cached reads over a StateView, journaled writes, and the end-of-transaction diff.
#include "sluice/evm/state.hpp"

#include <algorithm>
#include <type_traits>

#include "sluice/core/keccak.hpp"

namespace sluice::evm {
namespace {

// Without a control block: every transaction's State copies this, and on a parallel executor a
// shared reference count would bounce between cores on each copy.
const std::shared_ptr<const Bytes>& empty_code() {
    static const Bytes no_bytes;
    static const std::shared_ptr<const Bytes> empty(std::shared_ptr<const Bytes>{}, &no_bytes);
    return empty;
}

}  // namespace

State::CachedAccount& State::load(const Address& addr) {
    auto it = accounts_.find(addr);
    if (it != accounts_.end()) return it->second;
    CachedAccount acc;
    if (const auto info = base_.account(addr)) {
        acc.exists = true;
        acc.nonce = info->nonce;
        acc.balance = info->balance;
        acc.code_hash = info->code_hash;
        acc.base_code_hash = info->code_hash;
        acc.base_has_storage = info->has_storage;
    }
    return accounts_.emplace(addr, std::move(acc)).first->second;
}

State::Slot& State::load_slot(const Address& addr, CachedAccount& acc, const Bytes32& key) {
    auto it = acc.storage.find(key);
    if (it != acc.storage.end()) return it->second;
    Slot slot;
    if (acc.base_has_storage && !acc.storage_cleared) slot.original = base_.storage(addr, key);
    slot.current = slot.original;
    return acc.storage.emplace(key, slot).first->second;
}

bool State::exists(const Address& addr) {
    return load(addr).exists;
}

bool State::is_empty(const Address& addr) {
    const CachedAccount& acc = load(addr);
    return acc.nonce == 0 && acc.balance.is_zero() && acc.code_hash == kEmptyCodeHash;
}

std::uint64_t State::nonce(const Address& addr) {
    return load(addr).nonce;
}
u256 State::balance(const Address& addr) {
    return load(addr).balance;
}
Hash State::code_hash(const Address& addr) {
    return load(addr).code_hash;
}

std::shared_ptr<const Bytes> State::code(const Address& addr) {
    CachedAccount& acc = load(addr);
    if (!acc.code) acc.code = acc.code_hash == kEmptyCodeHash ? empty_code() : base_.code(addr);
    return acc.code;
}

bool State::has_storage(const Address& addr) {
    CachedAccount& acc = load(addr);
    const bool any_current = std::any_of(acc.storage.begin(), acc.storage.end(),
                                         [](const auto& kv) { return !kv.second.current.is_zero(); });
    if (any_current) return true;
    // The base cannot be enumerated, so base storage counts as present even if this transaction
    // zeroed the slots it knows about (as in the clients, which compare the storage root).
    return acc.base_has_storage && !acc.storage_cleared;
}

void State::touch(const Address& addr) {
    if (touched_.insert(addr).second) record(journal::Touched{addr});
}

void State::create_account(const Address& addr) {
    CachedAccount& acc = load(addr);
    record(journal::AccountCreated{addr, acc.exists, acc.storage_cleared});
    acc.exists = true;
    acc.storage_cleared = true;
    touch(addr);
}

void State::set_nonce(const Address& addr, std::uint64_t nonce) {
    CachedAccount& acc = load(addr);
    record(journal::NonceChange{addr, acc.nonce});
    if (!acc.exists) {
        record(journal::AccountCreated{addr, acc.exists, acc.storage_cleared});
        acc.exists = true;
    }
    acc.nonce = nonce;
    touch(addr);
}

void State::add_balance(const Address& addr, const u256& amount) {
    CachedAccount& acc = load(addr);
    record(journal::BalanceChange{addr, acc.balance});
    if (!acc.exists) {
        record(journal::AccountCreated{addr, acc.exists, acc.storage_cleared});
        acc.exists = true;
    }
    acc.balance += amount;
    touch(addr);
}

void State::sub_balance(const Address& addr, const u256& amount) {
    CachedAccount& acc = load(addr);
    record(journal::BalanceChange{addr, acc.balance});
    acc.balance -= amount;
    touch(addr);
}

void State::set_code(const Address& addr, Bytes code) {
    CachedAccount& acc = load(addr);
    record(journal::CodeChange{addr, acc.code_hash, acc.code});
    if (!acc.exists) {
        record(journal::AccountCreated{addr, acc.exists, acc.storage_cleared});
        acc.exists = true;
    }
    acc.code_hash = code.empty() ? kEmptyCodeHash : keccak256(code);
    acc.code = code.empty() ? empty_code() : std::make_shared<const Bytes>(std::move(code));
    touch(addr);
}

u256 State::storage(const Address& addr, const Bytes32& key) {
    CachedAccount& acc = load(addr);
    return load_slot(addr, acc, key).current;
}

u256 State::original_storage(const Address& addr, const Bytes32& key) {
    CachedAccount& acc = load(addr);
    return load_slot(addr, acc, key).original;
}

void State::set_storage(const Address& addr, const Bytes32& key, const u256& value) {
    CachedAccount& acc = load(addr);
    Slot& slot = load_slot(addr, acc, key);
    record(journal::StorageChange{addr, key, slot.current});
    slot.current = value;
    touch(addr);
}

u256 State::transient_storage(const Address& addr, const Bytes32& key) const {
    const auto it = transient_.find(SlotKey{addr, key});
    return it == transient_.end() ? u256{} : it->second;
}

void State::set_transient_storage(const Address& addr, const Bytes32& key, const u256& value) {
    u256& slot = transient_[SlotKey{addr, key}];
    record(journal::TransientChange{addr, key, slot});
    slot = value;
}

bool State::warm_account(const Address& addr) {
    if (!warm_accounts_.insert(addr).second) return true;
    record(journal::WarmedAccount{addr});
    return false;
}

bool State::warm_slot(const Address& addr, const Bytes32& key) {
    if (!warm_slots_.insert(SlotKey{addr, key}).second) return true;
    record(journal::WarmedSlot{addr, key});
    return false;
}

void State::add_log(Log log) {
    logs_.push_back(std::move(log));
    record(journal::LogAdded{});
}

void State::mark_created(const Address& addr) {
    if (created_.insert(addr).second) record(journal::CreatedInTx{addr});
}

bool State::mark_destructed(const Address& addr) {
    if (!destructed_.insert(addr).second) return false;
    record(journal::Destructed{addr});
    return true;
}

void State::undo(const journal::Entry& entry) {
    std::visit(
        [this](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, journal::BalanceChange>) {
                accounts_.at(e.addr).balance = e.prev;
            } else if constexpr (std::is_same_v<T, journal::NonceChange>) {
                accounts_.at(e.addr).nonce = e.prev;
            } else if constexpr (std::is_same_v<T, journal::CodeChange>) {
                CachedAccount& acc = accounts_.at(e.addr);
                acc.code_hash = e.prev_hash;
                acc.code = e.prev_code;
            } else if constexpr (std::is_same_v<T, journal::StorageChange>) {
                accounts_.at(e.addr).storage.at(e.key).current = e.prev;
            } else if constexpr (std::is_same_v<T, journal::TransientChange>) {
                transient_[SlotKey{e.addr, e.key}] = e.prev;
            } else if constexpr (std::is_same_v<T, journal::AccountCreated>) {
                CachedAccount& acc = accounts_.at(e.addr);
                acc.exists = e.prev_exists;
                acc.storage_cleared = e.prev_storage_cleared;
            } else if constexpr (std::is_same_v<T, journal::Touched>) {
                touched_.erase(e.addr);
            } else if constexpr (std::is_same_v<T, journal::WarmedAccount>) {
                warm_accounts_.erase(e.addr);
            } else if constexpr (std::is_same_v<T, journal::WarmedSlot>) {
                warm_slots_.erase(SlotKey{e.addr, e.key});
            } else if constexpr (std::is_same_v<T, journal::LogAdded>) {
                logs_.pop_back();
            } else if constexpr (std::is_same_v<T, journal::Destructed>) {
                destructed_.erase(e.addr);
            } else if constexpr (std::is_same_v<T, journal::CreatedInTx>) {
                created_.erase(e.addr);
            }
        },
        entry);
}

void State::revert(std::size_t snapshot) {
    while (journal_.size() > snapshot) {
        undo(journal_.back());
        journal_.pop_back();
    }
}

StateDiff State::finalize(bool clear_empty) {
    StateDiff diff;
    std::vector<Address> changed(touched_.begin(), touched_.end());
    std::sort(changed.begin(), changed.end());
    for (const Address& addr : changed) {
        CachedAccount& acc = accounts_.at(addr);
        AccountChange change;
        change.address = addr;
        const bool empty = acc.nonce == 0 && acc.balance.is_zero() && acc.code_hash == kEmptyCodeHash;
        if (destructed_.contains(addr) || !acc.exists || (clear_empty && empty)) {
            change.deleted = true;
            diff.accounts.push_back(std::move(change));
            continue;
        }
        change.nonce = acc.nonce;
        change.balance = acc.balance;
        change.code_hash = acc.code_hash;
        if (acc.code_hash != acc.base_code_hash) change.code = code(addr);
        change.storage_cleared = acc.storage_cleared;
        for (const auto& [key, slot] : acc.storage) {
            if (slot.current != slot.original || (acc.storage_cleared && !slot.current.is_zero())) {
                change.storage.emplace_back(key, slot.current);
            }
        }
        std::sort(change.storage.begin(), change.storage.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        diff.accounts.push_back(std::move(change));
    }
    // A selfdestructed account that nothing touched afterwards is still deleted.
    for (const Address& addr : destructed_) {
        if (!touched_.contains(addr)) {
            AccountChange change;
            change.address = addr;
            change.deleted = true;
            diff.accounts.push_back(std::move(change));
        }
    }
    return diff;
}

}  // namespace sluice::evm
