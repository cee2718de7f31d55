// The 20 accounts every hardhat and anvil node starts with: BIP-39 mnemonic
// "test test test test test test test test test test test junk", BIP-32 path m/44'/60'/0'/0/i for i = 0..19.
// They are public knowledge; the devchain uses the same ones so that scripts and wallets written for hardhat
// find their funded accounts and can sign with the keys they already know.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/secp256k1.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/l1/devchain.hpp"

namespace sluice::l1 {

inline constexpr std::size_t kDevAccountCount = 20;

struct DevAccount {
    std::string_view address;      // EIP-55, as hardhat prints it
    std::string_view private_key;  // 0x + 64 hex digits
};

const std::array<DevAccount, kDevAccountCount>& dev_accounts() noexcept;

// The address and key of account i (i < kDevAccountCount).
Address dev_account_address(std::size_t i);
PrivateKey dev_account_key(std::size_t i);
// The key of `address` when it is one of the dev accounts.
std::optional<PrivateKey> dev_account_key_of(const Address& address);

// Chain id 31337 and the 20 dev accounts funded with `balance` each (hardhat's 10000 ETH by default).
DevchainConfig dev_accounts_config(const u256& balance = u256{10'000} * u256{1'000'000'000'000'000'000ULL});

}  // namespace sluice::l1
