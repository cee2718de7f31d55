// The undo log of State: one entry per reversible change, so a call frame that fails or reverts
// rolls back exactly its own changes (State::revert).
#pragma once

#include <cstdint>
#include <memory>
#include <variant>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::evm::journal {

struct BalanceChange { Address addr; u256 prev; };
struct NonceChange { Address addr; std::uint64_t prev; };
struct CodeChange { Address addr; Hash prev_hash; std::shared_ptr<const Bytes> prev_code; };
struct StorageChange { Address addr; Bytes32 key; u256 prev; };
struct TransientChange { Address addr; Bytes32 key; u256 prev; };
struct AccountCreated { Address addr; bool prev_exists; bool prev_storage_cleared; };
struct Touched { Address addr; };
struct WarmedAccount { Address addr; };
struct WarmedSlot { Address addr; Bytes32 key; };
struct LogAdded {};
struct Destructed { Address addr; };
struct CreatedInTx { Address addr; };

using Entry = std::variant<BalanceChange, NonceChange, CodeChange, StorageChange, TransientChange, AccountCreated,
                           Touched, WarmedAccount, WarmedSlot, LogAdded, Destructed, CreatedInTx>;

}  // namespace sluice::evm::journal
