// StateDiff: the writes of one transaction, as the base state must apply them.
// Produced by State::finalize, applied by MemoryState::apply (or a parallel executor's store).
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::evm {

struct AccountChange {
    Address address;
    bool deleted = false;  // selfdestructed (EIP-6780) or empty and touched (EIP-161); other fields unused
    std::uint64_t nonce = 0;
    u256 balance;
    Hash code_hash;
    std::shared_ptr<const Bytes> code;  // null when the code did not change
    bool storage_cleared = false;       // drop every stored slot before applying `storage`
    std::vector<std::pair<Bytes32, u256>> storage;  // zero value = delete the slot
};

struct StateDiff {
    std::vector<AccountChange> accounts;
};

}  // namespace sluice::evm
