// What the world state records per account (the fields of the account RLP, minus the storage
// root), plus the code-hash constant of an account without code.
#pragma once

#include <cstdint>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::evm {

// keccak256("") — the code hash of every account without code.
inline constexpr Hash kEmptyCodeHash{{0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d,
                                      0xb2, 0xdc, 0xc7, 0x03, 0xc0, 0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82,
                                      0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70}};

// The base-state view of one account. `has_storage` says whether any slot is non-zero, which the
// EIP-7610 create-collision rule needs without enumerating the storage.
struct AccountInfo {
    std::uint64_t nonce = 0;
    u256 balance;
    Hash code_hash = kEmptyCodeHash;
    bool has_storage = false;

    // EIP-161 "empty": no nonce, no balance, no code.
    bool is_empty() const noexcept { return nonce == 0 && balance.is_zero() && code_hash == kEmptyCodeHash; }
};

}  // namespace sluice::evm
