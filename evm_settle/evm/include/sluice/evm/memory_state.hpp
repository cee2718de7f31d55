// MemoryState: a complete world state held in memory (the state tests' pre/post state, the devchain).
// It is a StateView, applies StateDiffs and computes the Merkle-Patricia state root.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/evm/state_diff.hpp"
#include "sluice/evm/state_view.hpp"

namespace sluice::evm {

class MemoryState final : public StateView {
  public:
    struct Account {
        std::uint64_t nonce = 0;
        u256 balance;
        std::shared_ptr<const Bytes> code = std::make_shared<const Bytes>();
        Hash code_hash = kEmptyCodeHash;
        std::unordered_map<Bytes32, u256> storage;  // non-zero slots only
    };

    // Inserts or replaces an account; zero-valued slots are dropped and the code hash computed.
    void put_account(const Address& addr, std::uint64_t nonce, const u256& balance, Bytes code,
                     std::unordered_map<Bytes32, u256> storage);
    void apply(const StateDiff& diff);
    const std::unordered_map<Address, Account>& accounts() const noexcept { return accounts_; }

    // Root of the secure trie of rlp([nonce, balance, storage_root, code_hash]).
    Hash state_root() const;
    // EIP-1186 proofs against state_root() (trie.hpp's trie_proof): the state trie's nodes towards
    // `addr`, and the nodes of `addr`'s storage trie towards `key` (empty for an account without storage).
    std::vector<Bytes> account_proof(const Address& addr) const;
    std::vector<Bytes> storage_proof(const Address& addr, const Bytes32& key) const;

    std::optional<AccountInfo> account(const Address& addr) const override;
    u256 storage(const Address& addr, const Bytes32& key) const override;
    std::shared_ptr<const Bytes> code(const Address& addr) const override;

  private:
    std::unordered_map<Address, Account> accounts_;
};

// rlp([nonce, balance, storage_root, code_hash]): an account's value in the state trie.
Bytes account_rlp(const MemoryState::Account& account);

// Root of one account's storage: secure trie of keccak(key) -> rlp(value).
Hash storage_root(const std::unordered_map<Bytes32, u256>& storage);

}  // namespace sluice::evm
