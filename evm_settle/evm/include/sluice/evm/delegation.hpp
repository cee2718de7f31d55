// EIP-7702 delegation designators: code 0xef0100 || address marks an EOA that runs another account's code.
#pragma once

#include <optional>

#include "sluice/core/bytes.hpp"

namespace sluice::evm {

inline constexpr std::size_t kDelegationDesignatorSize = 23;

// The delegate when `code` is exactly a designator, nullopt otherwise.
std::optional<Address> delegation_target(ByteView code) noexcept;
Bytes make_delegation_designator(const Address& delegate);

}  // namespace sluice::evm
