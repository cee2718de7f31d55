// OverlayState: the base state plus the diffs of the transactions applied so far, for the plain
// sequential path. It answers StateView reads from its own account changes first and turns
// everything it holds into one StateDiff at the end.
#pragma once

#include <memory>
#include <memory_resource>
#include <optional>
#include <unordered_map>

#include "sluice/evm/state_diff.hpp"
#include "sluice/evm/state_view.hpp"

namespace sluice::parallel {

class OverlayState final : public evm::StateView {
  public:
    // `memory`: where the accounts and slots live. A batch allocates tens of thousands of small
    // nodes and frees them all at the end; a pool kept by the executor across batches serves the
    // next batch from memory already mapped (with malloc, a worker thread's arena gave the pages
    // back and faulted them in again on every batch).
    explicit OverlayState(const evm::StateView& base,
                          std::pmr::memory_resource* memory = std::pmr::get_default_resource())
        : base_(base), accounts_(memory) {}

    // Room for `accounts` accounts without rehashing (a repair knows how many its segment changed).
    void reserve(std::size_t accounts) { accounts_.reserve(accounts); }
    void apply(const evm::StateDiff& diff);
    // Adds what `later` holds, an overlay over the same base whose transactions ran after this
    // one's: as apply() with its transactions' diffs would, has_storage bookkeeping included.
    void absorb(const OverlayState& later);
    // Every changed account in address order.
    evm::StateDiff to_diff() const;

    std::optional<evm::AccountInfo> account(const Address& addr) const override;
    u256 storage(const Address& addr, const Bytes32& key) const override;
    std::shared_ptr<const Bytes> code(const Address& addr) const override;

  private:
    struct Account {
        using allocator_type = std::pmr::polymorphic_allocator<std::byte>;
        explicit Account(const allocator_type& alloc) : storage(alloc) {}
        Account(const Account& other, const allocator_type& alloc)
            : deleted(other.deleted),
              nonce(other.nonce),
              balance(other.balance),
              code_hash(other.code_hash),
              code(other.code),
              storage_cleared(other.storage_cleared),
              base_has_storage(other.base_has_storage),
              wrote_nonzero(other.wrote_nonzero),
              storage(other.storage, alloc) {}

        bool deleted = false;
        std::uint64_t nonce = 0;
        u256 balance;
        Hash code_hash;
        std::shared_ptr<const Bytes> code;  // null: the base's code
        bool storage_cleared = false;       // the base's slots no longer apply
        // has_storage as the parallel path reports it: the base's (unless cleared) or any non-zero
        // slot written since, never reset by zeroing slots (the EVM's own State does the same).
        bool base_has_storage = false;
        bool wrote_nonzero = false;
        std::pmr::unordered_map<Bytes32, u256> storage;
    };

    const evm::StateView& base_;
    std::pmr::unordered_map<Address, Account> accounts_;
};

}  // namespace sluice::parallel
