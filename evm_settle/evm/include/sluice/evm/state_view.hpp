// StateView: the read-only base state a transaction executes against.
//
// `State` (state.hpp) reads the world only through this interface, one account or slot at a time,
// so a parallel executor can interpose a multi-version view (reads resolved against the writes of
// earlier transactions in the block) without the EVM knowing.
#pragma once

#include <memory>
#include <optional>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/evm/account.hpp"

namespace sluice::evm {

class StateView {
public:
    virtual ~StateView() = default;

    // nullopt when the account is not in the state.
    virtual std::optional<AccountInfo> account(const Address& addr) const = 0;
    // Zero for absent accounts and unset slots.
    virtual u256 storage(const Address& addr, const Bytes32& key) const = 0;
    // The account's code; an empty buffer for absent accounts or accounts without code. Never null.
    virtual std::shared_ptr<const Bytes> code(const Address& addr) const = 0;
};

}  // namespace sluice::evm
