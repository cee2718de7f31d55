// The system contracts a chain of a given revision holds from genesis, as hardhat node's genesis holds them
// (tests/l1/hardhat, the differential check): EIP-4788's beacon roots contract from Cancun. Code only (nonce
// 0, no balance, no storage), like hardhat's. The devchain has no beacon chain, so, like hardhat, it makes no
// system call into it: the contract answers every query with a revert, but its code is part of the state,
// and so of every state root.
#pragma once

#include <span>

#include "sluice/core/bytes.hpp"
#include "sluice/evm/revision.hpp"

namespace sluice::l1 {

struct SystemContract {
    Address address;
    Bytes code;
};

// The system contracts of `rev`, in address order.
std::span<const SystemContract> system_contracts(evm::Revision rev);

}  // namespace sluice::l1
