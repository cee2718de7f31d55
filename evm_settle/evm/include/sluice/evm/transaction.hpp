// A transaction as the EVM executes it: every field of the legacy, EIP-2930, EIP-1559, EIP-4844
// and EIP-7702 types, with the sender already known (recovered or given).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::evm {

enum class TxType : std::uint8_t {
    legacy = 0,
    access_list = 1,  // EIP-2930
    dynamic_fee = 2,  // EIP-1559
    blob = 3,         // EIP-4844
    set_code = 4,     // EIP-7702
};

struct AccessListEntry {
    Address address;
    std::vector<Bytes32> storage_keys;
};

// One EIP-7702 authorization tuple; the authority is recovered from the signature when applied.
struct Authorization {
    u256 chain_id;
    Address address;
    u256 nonce;  // may exceed 2^64 in a (then invalid) tuple
    u256 y_parity;
    u256 r;
    u256 s;
};

struct Transaction {
    TxType type = TxType::legacy;
    Address sender;
    std::optional<Address> to;  // nullopt: contract creation
    std::uint64_t nonce = 0;
    std::uint64_t gas_limit = 0;
    u256 value;
    Bytes data;
    u256 gas_price;                 // legacy and EIP-2930
    u256 max_fee_per_gas;           // EIP-1559 and later
    u256 max_priority_fee_per_gas;  // EIP-1559 and later
    std::vector<AccessListEntry> access_list;
    u256 max_fee_per_blob_gas;
    std::vector<Bytes32> blob_hashes;
    std::vector<Authorization> authorizations;

    // The fee cap and tip that apply whatever the type (legacy: both are the gas price).
    const u256& fee_cap() const noexcept { return type < TxType::dynamic_fee ? gas_price : max_fee_per_gas; }
    const u256& tip_cap() const noexcept {
        return type < TxType::dynamic_fee ? gas_price : max_priority_fee_per_gas;
    }
};

}  // namespace sluice::evm
