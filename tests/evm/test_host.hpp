// An in-memory world for interpreter unit tests, the EVM benchmark and the EVM fuzzer: accounts with
// balance, code and storage (original + current value per slot, so SSTORE statuses are exact),
// EIP-2929 warm sets, transient storage, logs, and a record of every nested call. Nested calls run
// the target's code through the interpreter without journaling (tests that need a canned child
// result set `call_handler`). It is a test double, not the state implementation.
#pragma once

#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sluice/core/keccak.hpp"
#include "sluice/evm/host.hpp"
#include "sluice/evm/interpreter.hpp"

namespace sluice::evm::test {

struct TestSlot {
    u256 original;
    u256 current;
};

struct TestAccount {
    u256 balance;
    std::uint64_t nonce = 0;
    Bytes code;
    std::unordered_map<Bytes32, TestSlot> storage;
    std::unordered_map<Bytes32, u256> transient;
};

struct SlotKey {
    Address address;
    Bytes32 key;
    friend bool operator==(const SlotKey&, const SlotKey&) = default;
};

struct SlotKeyHash {
    std::size_t operator()(const SlotKey& k) const noexcept {
        return FixedBytesHasher{}(k.key) * 31 + FixedBytesHasher{}(k.address);
    }
};

struct TestLog {
    Address address;
    Bytes data;
    std::vector<Bytes32> topics;
};

class TestHost : public Host {
public:
    Revision rev = Revision::prague;
    TxContext tx;
    std::unordered_map<Address, TestAccount> accounts;
    std::unordered_map<std::int64_t, Bytes32> block_hashes;
    std::unordered_set<Address> warm_accounts;
    std::unordered_set<SlotKey, SlotKeyHash> warm_slots;
    std::vector<TestLog> logs;
    std::vector<Message> calls;                                // every nested call/create, in order
    std::vector<std::pair<Address, Address>> selfdestructs;    // (account, beneficiary)
    std::unordered_set<Address> destructed;
    std::function<ExecutionResult(const Message&)> call_handler;  // overrides the default nested run
    Address next_create_address = Address::from_hex("0x00000000000000000000000000000000000c4ea7").value();

    // Convenience for tests: a slot whose original and current value are `v`.
    void set_slot(const Address& a, const u256& key, const u256& v) { accounts[a].storage[key.to_be()] = {v, v}; }
    u256 slot(const Address& a, const u256& key) { return get_storage(a, key.to_be()); }

    bool account_exists(const Address& addr) noexcept override { return accounts.contains(addr); }

    u256 get_storage(const Address& addr, const Bytes32& key) noexcept override {
        const auto it = accounts.find(addr);
        if (it == accounts.end()) return {};
        const auto s = it->second.storage.find(key);
        return s == it->second.storage.end() ? u256{} : s->second.current;
    }

    // EIP-2200's cases from (original, current, new).
    StorageStatus set_storage(const Address& addr, const Bytes32& key, const u256& value) noexcept override {
        auto& slot = accounts[addr].storage[key];
        const u256 o = slot.original;
        const u256 c = slot.current;
        slot.current = value;
        if (c == value) return StorageStatus::assigned;
        if (o == c) {
            if (o.is_zero()) return StorageStatus::added;
            if (value.is_zero()) return StorageStatus::deleted;
            return StorageStatus::modified;
        }
        if (!o.is_zero()) {
            if (c.is_zero()) return value == o ? StorageStatus::deleted_restored : StorageStatus::deleted_added;
            if (value.is_zero()) return StorageStatus::modified_deleted;
            if (value == o) return StorageStatus::modified_restored;
            return StorageStatus::assigned;
        }
        return value.is_zero() ? StorageStatus::added_deleted : StorageStatus::assigned;
    }

    u256 get_balance(const Address& addr) noexcept override {
        const auto it = accounts.find(addr);
        return it == accounts.end() ? u256{} : it->second.balance;
    }

    std::size_t get_code_size(const Address& addr) noexcept override {
        const auto it = accounts.find(addr);
        return it == accounts.end() ? 0 : it->second.code.size();
    }

    Bytes32 get_code_hash(const Address& addr) noexcept override {
        const auto it = accounts.find(addr);
        return it == accounts.end() ? Bytes32{} : keccak256(it->second.code);
    }

    std::size_t copy_code(const Address& addr, std::size_t offset, std::span<std::uint8_t> out) noexcept override {
        const auto it = accounts.find(addr);
        if (it == accounts.end() || offset >= it->second.code.size()) return 0;
        const std::size_t n = std::min(out.size(), it->second.code.size() - offset);
        std::copy_n(it->second.code.begin() + static_cast<std::ptrdiff_t>(offset), n, out.begin());
        return n;
    }

    bool selfdestruct(const Address& addr, const Address& beneficiary) noexcept override {
        selfdestructs.emplace_back(addr, beneficiary);
        return destructed.insert(addr).second;
    }

    ExecutionResult call(const Message& msg) noexcept override {
        calls.push_back(msg);
        if (call_handler) return call_handler(msg);
        ExecutionResult result;
        if (msg.kind == CallKind::create || msg.kind == CallKind::create2) {
            const Address addr = next_create_address;
            Message inner = msg;
            inner.recipient = addr;
            inner.code_address = addr;
            accounts[addr];
            result = execute(*this, rev, inner, msg.input);
            if (result.status == StatusCode::success) {
                accounts[addr].code = result.output;
                result.output.clear();
                result.create_address = addr;
            }
            return result;
        }
        const auto it = accounts.find(msg.code_address);
        if (it == accounts.end() || it->second.code.empty()) {
            result.status = StatusCode::success;
            result.gas_left = msg.gas;
            return result;
        }
        const Bytes code = it->second.code;  // the callee may change the map
        return execute(*this, rev, msg, code);
    }

    const TxContext& get_tx_context() const noexcept override { return tx; }

    Bytes32 get_block_hash(std::int64_t number) noexcept override {
        const auto it = block_hashes.find(number);
        return it == block_hashes.end() ? Bytes32{} : it->second;
    }

    void emit_log(const Address& addr, ByteView data, std::span<const Bytes32> topics) noexcept override {
        logs.push_back({addr, Bytes(data.begin(), data.end()), std::vector<Bytes32>(topics.begin(), topics.end())});
    }

    AccessStatus access_account(const Address& addr) noexcept override {
        return warm_accounts.insert(addr).second ? AccessStatus::cold : AccessStatus::warm;
    }

    AccessStatus access_storage(const Address& addr, const Bytes32& key) noexcept override {
        return warm_slots.insert({addr, key}).second ? AccessStatus::cold : AccessStatus::warm;
    }

    u256 get_transient_storage(const Address& addr, const Bytes32& key) noexcept override {
        const auto it = accounts.find(addr);
        if (it == accounts.end()) return {};
        const auto t = it->second.transient.find(key);
        return t == it->second.transient.end() ? u256{} : t->second;
    }

    void set_transient_storage(const Address& addr, const Bytes32& key, const u256& value) noexcept override {
        accounts[addr].transient[key] = value;
    }
};

}  // namespace sluice::evm::test
