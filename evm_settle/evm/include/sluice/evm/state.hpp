// State: the journaled, transaction-scoped view of the world the EVM executes in.
//
// Reads fall through to a StateView (the base state) and are cached; writes stay here and are
// recorded in a journal so each call frame can be rolled back (snapshot/revert). It also keeps the
// per-transaction bookkeeping: original slot values (EIP-2200), transient storage (EIP-1153),
// warm addresses and slots (EIP-2929/2930), accounts created in this transaction and the
// selfdestruct set (EIP-6780), touched accounts (EIP-161) and logs. finalize() turns it into a
// StateDiff. Gas refunds travel in ExecutionResult (host.hpp), not here.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/evm/journal.hpp"
#include "sluice/evm/log.hpp"
#include "sluice/evm/state_diff.hpp"
#include "sluice/evm/state_view.hpp"

namespace sluice::evm {

struct SlotKey {
    Address addr;
    Bytes32 key;
    friend bool operator==(const SlotKey&, const SlotKey&) = default;
};

struct SlotKeyHasher {
    std::size_t operator()(const SlotKey& k) const noexcept {
        return FixedBytesHasher{}(k.addr) * 31 + FixedBytesHasher{}(k.key);
    }
};

class State {
public:
    explicit State(const StateView& base) : base_(base) {}
    State(const State&) = delete;
    State& operator=(const State&) = delete;

    // ---- accounts (reads) ----
    bool exists(const Address& addr);
    bool is_empty(const Address& addr);  // EIP-161: nonce 0, balance 0, no code (absent counts as empty)
    std::uint64_t nonce(const Address& addr);
    u256 balance(const Address& addr);
    Hash code_hash(const Address& addr);  // kEmptyCodeHash for absent accounts
    std::shared_ptr<const Bytes> code(const Address& addr);
    // EIP-7610: does the account hold any non-zero slot?
    bool has_storage(const Address& addr);
    // Has this transaction read the account from the base state? (Warming alone does not load it.)
    bool is_loaded(const Address& addr) const { return accounts_.contains(addr); }

    // ---- accounts (journaled writes; each touches the account) ----
    // Makes the account exist for a contract creation: keeps the balance, drops old storage.
    void create_account(const Address& addr);
    void set_nonce(const Address& addr, std::uint64_t nonce);
    void add_balance(const Address& addr, const u256& amount);
    void sub_balance(const Address& addr, const u256& amount);  // caller guarantees amount <= balance
    void set_code(const Address& addr, Bytes code);
    void touch(const Address& addr);

    // ---- storage ----
    u256 storage(const Address& addr, const Bytes32& key);
    u256 original_storage(const Address& addr, const Bytes32& key);  // value at the start of the transaction
    void set_storage(const Address& addr, const Bytes32& key, const u256& value);
    u256 transient_storage(const Address& addr, const Bytes32& key) const;
    void set_transient_storage(const Address& addr, const Bytes32& key, const u256& value);

    // ---- EIP-2929 access sets; return true if it was already warm ----
    bool warm_account(const Address& addr);
    bool warm_slot(const Address& addr, const Bytes32& key);

    // ---- logs, creations, selfdestructs ----
    void add_log(Log log);
    const std::vector<Log>& logs() const noexcept { return logs_; }
    void mark_created(const Address& addr);
    bool created_in_tx(const Address& addr) const { return created_.contains(addr); }
    // Returns true if the account was not in the selfdestruct set before.
    bool mark_destructed(const Address& addr);

    // ---- frames ----
    std::size_t snapshot() const noexcept { return journal_.size(); }
    void revert(std::size_t snapshot);

    // Ends the transaction: deletes selfdestructed accounts and, if `clear_empty` (EIP-161),
    // every touched account that is empty, and returns the writes for the base state.
    StateDiff finalize(bool clear_empty);

private:
    struct Slot {
        u256 original;
        u256 current;
    };
    struct CachedAccount {
        bool exists = false;
        std::uint64_t nonce = 0;
        u256 balance;
        Hash code_hash = kEmptyCodeHash;
        std::shared_ptr<const Bytes> code;  // loaded lazily
        Hash base_code_hash = kEmptyCodeHash;
        bool base_has_storage = false;
        bool storage_cleared = false;  // the base storage no longer applies (account re-created)
        std::unordered_map<Bytes32, Slot> storage;
    };

    CachedAccount& load(const Address& addr);
    Slot& load_slot(const Address& addr, CachedAccount& acc, const Bytes32& key);
    void record(journal::Entry entry) { journal_.push_back(std::move(entry)); }
    void undo(const journal::Entry& entry);

    const StateView& base_;
    std::unordered_map<Address, CachedAccount> accounts_;
    std::unordered_map<SlotKey, u256, SlotKeyHasher> transient_;
    std::unordered_set<Address> warm_accounts_;
    std::unordered_set<SlotKey, SlotKeyHasher> warm_slots_;
    std::unordered_set<Address> touched_;
    std::unordered_set<Address> created_;
    std::unordered_set<Address> destructed_;
    std::vector<Log> logs_;
    std::vector<journal::Entry> journal_;
};

}  // namespace sluice::evm
