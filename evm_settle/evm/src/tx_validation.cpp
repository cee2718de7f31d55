// Intrinsic gas, effective gas price and the validity rules of transactions.
#include "sluice/evm/tx_validation.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "sluice/evm/delegation.hpp"
#include "sluice/evm/state_host.hpp"

namespace sluice::evm {
namespace {

constexpr std::int64_t kTxGas = 21000;
constexpr std::int64_t kTxCreateGas = 32000;
constexpr std::int64_t kInitcodeWordGas = 2;
constexpr std::int64_t kAccessListAddressGas = 2400;
constexpr std::int64_t kAccessListSlotGas = 1900;
constexpr std::int64_t kPerAuthorizationGas = 25000;  // PER_EMPTY_ACCOUNT_COST of EIP-7702
constexpr std::int64_t kFloorGasPerToken = 10;

Error tx_error(Errc code, std::string message) { return make_error(code, std::move(message)); }

// a * b + c with overflow detection (false on overflow).
bool mul_add(const u256& a, const u256& b, const u256& c, u256& out) noexcept {
    if (!a.is_zero() && b > u256::max() / a) return false;
    const u256 product = a * b;
    out = product + c;
    return out >= product;
}

}  // namespace

IntrinsicGas intrinsic_gas(const Transaction& tx, Revision rev) noexcept {
    std::int64_t zeros = 0;
    for (const std::uint8_t b : tx.data) zeros += b == 0 ? 1 : 0;
    const auto nonzeros = static_cast<std::int64_t>(tx.data.size()) - zeros;
    const std::int64_t nonzero_cost = rev >= Revision::istanbul ? 16 : 68;  // EIP-2028

    IntrinsicGas g;
    g.intrinsic = kTxGas + zeros * 4 + nonzeros * nonzero_cost;
    if (!tx.to) {
        if (rev >= Revision::homestead) g.intrinsic += kTxCreateGas;
        if (rev >= Revision::shanghai) {
            g.intrinsic += kInitcodeWordGas * static_cast<std::int64_t>((tx.data.size() + 31) / 32);
        }
    }
    for (const AccessListEntry& e : tx.access_list) {
        g.intrinsic += kAccessListAddressGas + kAccessListSlotGas * static_cast<std::int64_t>(e.storage_keys.size());
    }
    g.intrinsic += kPerAuthorizationGas * static_cast<std::int64_t>(tx.authorizations.size());
    if (rev >= Revision::prague) g.floor = kTxGas + kFloorGasPerToken * (zeros + 4 * nonzeros);
    return g;
}

u256 effective_gas_price(const Transaction& tx, const u256& base_fee, Revision rev) noexcept {
    if (rev < Revision::london) return tx.gas_price;
    const u256 headroom = tx.fee_cap() - base_fee;
    return base_fee + std::min(tx.tip_cap(), headroom);
}

Revision tx_type_since(TxType type) noexcept {
    switch (type) {
        case TxType::legacy: return Revision::frontier;
        case TxType::access_list: return Revision::berlin;
        case TxType::dynamic_fee: return Revision::london;
        case TxType::blob: return Revision::cancun;
        case TxType::set_code: return Revision::prague;
    }
    return Revision::osaka;
}

Status validate_transaction(State& state, const BlockInfo& block, const Transaction& tx, Revision rev,
                            const IntrinsicGas& gas, const u256& blob_fee) {
    if (rev < tx_type_since(tx.type)) {
        return tx_error(Errc::tx_type_not_supported, "transaction type " +
                                                         std::to_string(static_cast<int>(tx.type)) +
                                                         " is not valid at " + std::string(revision_name(rev)));
    }
    if (block.gas_limit < 0 || tx.gas_limit > static_cast<std::uint64_t>(block.gas_limit)) {
        return tx_error(Errc::tx_gas_limit_exceeds_block, "gas limit above the block gas limit");
    }
    if (rev >= Revision::london) {
        if (tx.tip_cap() > tx.fee_cap()) {
            return tx_error(Errc::tx_priority_fee_above_fee_cap, "max priority fee above max fee per gas");
        }
        if (tx.fee_cap() < block.base_fee) return tx_error(Errc::tx_fee_cap_below_base_fee, "max fee below base fee");
    }
    if (!tx.to) {
        if (tx.type == TxType::blob || tx.type == TxType::set_code) {
            return tx_error(Errc::tx_create_not_allowed, "blob and set-code transactions cannot create contracts");
        }
        if (rev >= Revision::shanghai && tx.data.size() > kMaxInitcodeSize) {
            return tx_error(Errc::tx_initcode_too_large, "initcode larger than 49152 bytes");
        }
    }
    if (tx.type == TxType::blob) {
        if (tx.blob_hashes.empty() || tx.blob_hashes.size() > block.blob_params.max) {
            return tx_error(Errc::tx_blob_count, "blob count " + std::to_string(tx.blob_hashes.size()) +
                                                     " outside 1.." + std::to_string(block.blob_params.max));
        }
        for (const Bytes32& h : tx.blob_hashes) {
            if (h[0] != 0x01) return tx_error(Errc::tx_blob_hash_version, "blob versioned hash is not version 0x01");
        }
        if (tx.max_fee_per_blob_gas < blob_fee) {
            return tx_error(Errc::tx_blob_fee_cap_too_low, "max fee per blob gas below the blob base fee");
        }
    }
    if (tx.type == TxType::set_code && tx.authorizations.empty()) {
        return tx_error(Errc::tx_empty_authorization_list, "set-code transaction without authorizations");
    }
    if (tx.gas_limit < static_cast<std::uint64_t>(gas.intrinsic)) {
        return tx_error(Errc::tx_intrinsic_gas_too_low, "gas limit below intrinsic gas " + std::to_string(gas.intrinsic));
    }
    if (tx.gas_limit < static_cast<std::uint64_t>(gas.floor)) {
        return tx_error(Errc::tx_floor_gas_too_low, "gas limit below the EIP-7623 floor " + std::to_string(gas.floor));
    }

    // EIP-3607: the sender must not have code, except an EIP-7702 delegation.
    const auto code = state.code(tx.sender);
    if (!code->empty() && !(rev >= Revision::prague && delegation_target(*code))) {
        return tx_error(Errc::tx_sender_not_eoa, "sender has code");
    }
    const std::uint64_t nonce = state.nonce(tx.sender);
    if (nonce == std::numeric_limits<std::uint64_t>::max()) return tx_error(Errc::tx_nonce_max, "sender nonce is 2^64-1");
    if (tx.nonce < nonce) return tx_error(Errc::tx_nonce_too_low, "nonce too low");
    if (tx.nonce > nonce) return tx_error(Errc::tx_nonce_too_high, "nonce too high");

    u256 cost;
    bool ok = mul_add(u256{tx.gas_limit}, tx.fee_cap(), tx.value, cost);
    if (ok && tx.type == TxType::blob) {
        const u256 blob_gas{kGasPerBlob * tx.blob_hashes.size()};
        ok = mul_add(blob_gas, tx.max_fee_per_blob_gas, cost, cost);
    }
    if (!ok || state.balance(tx.sender) < cost) {
        return tx_error(Errc::tx_insufficient_funds, "sender balance below gas * price + value");
    }
    return {};
}

}  // namespace sluice::evm
