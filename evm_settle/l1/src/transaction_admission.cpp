// check_transaction (signed_transaction.hpp): what a node judges of a decoded transaction before any
// account state is read. The state-dependent rest (nonce, balance, EIP-3607, base fee) is
// evm::validate_transaction's, run when the transaction is executed.
#include <limits>
#include <string>

#include "sluice/evm/state_host.hpp"
#include "sluice/evm/tx_validation.hpp"
#include "sluice/l1/signed_transaction.hpp"

namespace sluice::l1 {
namespace {

using evm::Revision;
using evm::TxType;

// a * b, or nullopt past 2^256.
std::optional<u256> checked_mul(const u256& a, const u256& b) {
    if (a.is_zero() || b.is_zero()) return u256{};
    if (b > u256::max() / a) return std::nullopt;
    return a * b;
}

}  // namespace

Status check_transaction(const SignedTransaction& signed_tx, Revision rev, const u256& chain_id) {
    const evm::Transaction& tx = signed_tx.tx;
    if (rev < evm::tx_type_since(tx.type)) {
        return make_error(Errc::tx_type_not_supported,
                          "transaction type " + std::to_string(static_cast<int>(tx.type)) +
                              " is not valid at " + std::string(revision_name(rev)));
    }
    if (signed_tx.chain_id && *signed_tx.chain_id != chain_id) {
        return make_error(Errc::tx_wrong_chain_id, "signed for chain " + signed_tx.chain_id->to_dec() +
                                                       ", this is " + chain_id.to_dec());
    }
    if (tx.nonce == std::numeric_limits<std::uint64_t>::max())
        return make_error(Errc::tx_nonce_max, "nonce 2^64-1 (EIP-2681)");
    if (tx.type >= TxType::dynamic_fee && tx.max_priority_fee_per_gas > tx.max_fee_per_gas)
        return make_error(Errc::tx_priority_fee_above_fee_cap, "max priority fee above max fee per gas");
    if (!checked_mul(u256{tx.gas_limit}, tx.fee_cap()))
        return make_error(Errc::overflow, "gas limit × fee cap exceeds 2^256");
    if (tx.type == TxType::blob &&
        !checked_mul(u256{evm::kGasPerBlob * tx.blob_hashes.size()}, tx.max_fee_per_blob_gas)) {
        return make_error(Errc::overflow, "blob gas × blob fee cap exceeds 2^256");
    }
    if (!tx.to && rev >= Revision::shanghai && tx.data.size() > evm::kMaxInitcodeSize)
        return make_error(Errc::tx_initcode_too_large, "initcode larger than 49152 bytes (EIP-3860)");
    if (tx.type == TxType::set_code && tx.authorizations.empty())
        return make_error(Errc::tx_empty_authorization_list, "set-code transaction without authorizations");
    const evm::IntrinsicGas gas = evm::intrinsic_gas(tx, rev);
    if (tx.gas_limit < static_cast<std::uint64_t>(gas.intrinsic))
        return make_error(Errc::tx_intrinsic_gas_too_low,
                          "gas limit below intrinsic gas " + std::to_string(gas.intrinsic));
    if (tx.gas_limit < static_cast<std::uint64_t>(gas.floor))
        return make_error(Errc::tx_floor_gas_too_low,
                          "gas limit below the EIP-7623 floor " + std::to_string(gas.floor));
    return {};
}

}  // namespace sluice::l1
