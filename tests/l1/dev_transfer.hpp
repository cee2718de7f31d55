// For the devchain tests: an EIP-1559 transaction signed by a dev account, its fields spelled out.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/signed_transaction.hpp"

namespace sluice::l1::testing {

struct DevTx {
    std::size_t from = 0;  // dev account index
    std::uint64_t nonce = 0;
    Address to;
    u256 value;
    std::uint64_t gas = 21'000;
    u256 fee_cap;
    u256 tip;
};

inline Bytes signed_dev_tx(const DevTx& d) {
    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.to = d.to;
    tx.nonce = d.nonce;
    tx.value = d.value;
    tx.gas_limit = d.gas;
    tx.max_fee_per_gas = d.fee_cap;
    tx.max_priority_fee_per_gas = d.tip;
    return sign_transaction(tx, u256{31337}, dev_account_key(d.from)).value();
}

}  // namespace sluice::l1::testing
