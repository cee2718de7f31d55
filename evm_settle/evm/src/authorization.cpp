// EIP-7702 authorization processing: signature recovery, chain id / nonce checks, delegation designators.
#include "authorization.hpp"

#include <limits>

#include "sluice/core/keccak.hpp"
#include "sluice/core/rlp.hpp"
#include "sluice/core/secp256k1.hpp"
#include "sluice/evm/delegation.hpp"

namespace sluice::evm {
namespace {

constexpr std::uint8_t kAuthorizationMagic = 0x05;
constexpr std::int64_t kExistingAuthorityRefund = 25000 - 12500;  // PER_EMPTY_ACCOUNT_COST - PER_AUTH_BASE_COST
// secp256k1n / 2: larger s values are malleable and rejected (EIP-2).
const u256& half_curve_order() {
    static const u256 kValue{0xdfe92f46681b20a0, 0x5d576e7357a4501d, 0xffffffffffffffff, 0x7fffffffffffffff};
    return kValue;
}

Hash authorization_digest(const Authorization& auth) {
    Bytes payload;
    rlp::append_uint(payload, auth.chain_id);
    rlp::append_bytes(payload, auth.address.view());
    rlp::append_uint(payload, auth.nonce);
    Bytes msg{kAuthorizationMagic};
    rlp::append_list_header(msg, payload.size());
    msg.insert(msg.end(), payload.begin(), payload.end());
    return keccak256(msg);
}

}  // namespace

std::int64_t apply_authorizations(State& state, const Transaction& tx, const u256& chain_id) {
    std::int64_t refund = 0;
    for (const Authorization& auth : tx.authorizations) {
        if (!auth.chain_id.is_zero() && auth.chain_id != chain_id) continue;
        if (!auth.nonce.fits_u64() || auth.nonce.low64() == std::numeric_limits<std::uint64_t>::max()) continue;
        if (auth.y_parity > u256{1} || auth.s > half_curve_order() || auth.r.is_zero() || auth.s.is_zero()) continue;
        const auto authority = ecrecover_unchecked(authorization_digest(auth), static_cast<std::uint8_t>(auth.y_parity.low64()),
                                                   auth.r.to_be(), auth.s.to_be());
        if (!authority) continue;
        state.warm_account(*authority);
        const auto code = state.code(*authority);
        if (!code->empty() && !delegation_target(*code)) continue;
        if (state.nonce(*authority) != auth.nonce.low64()) continue;
        if (state.exists(*authority)) refund += kExistingAuthorityRefund;
        state.set_code(*authority, auth.address.is_zero() ? Bytes{} : make_delegation_designator(auth.address));
        state.set_nonce(*authority, auth.nonce.low64() + 1);
    }
    return refund;
}

}  // namespace sluice::evm
