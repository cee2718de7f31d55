// Instructions that read or write the world through the Host: account queries with EIP-2929
// cold/warm pricing, block hashes, blob hashes, persistent and transient storage, SELFDESTRUCT.
#include <algorithm>

#include "instructions.hpp"

namespace sluice::evm {

namespace {

// EIP-2929: the table charges the warm cost; a first (cold) access pays the difference.
constexpr std::int64_t kColdAccountSurcharge = 2600 - 100;
constexpr std::int64_t kColdSloadSurcharge = 2100 - 100;
constexpr std::int64_t kColdSloadCost = 2100;
constexpr std::int64_t kColdAccountCost = 2600;
constexpr std::int64_t kSstoreSentry = 2300;  // EIP-2200
constexpr std::int64_t kNewAccountGas = 25000;
constexpr std::int64_t kSelfdestructRefund = 24000;
constexpr std::int64_t kCopyWordGas = 3;

// Charges the cold surcharge of an account touched by BALANCE/EXTCODE*; false: out of gas.
bool charge_account_access(ExecutionState& st, const Address& addr, std::int64_t& gas) noexcept {
    if (st.rev >= Revision::berlin && st.host.access_account(addr) == AccessStatus::cold)
        return (gas -= kColdAccountSurcharge) >= 0;
    return true;
}

struct SstoreCost {
    std::int64_t gas;
    std::int64_t refund;
};

// EIP-2200 (Istanbul), EIP-1283 (Constantinople), EIP-2929 (Berlin) and EIP-3529 (London) net
// metering, or the original rule (set 20000, reset 5000, clear refund 15000) before and at Petersburg.
SstoreCost sstore_cost(Revision rev, StorageStatus status) noexcept {
    if (rev < Revision::constantinople || rev == Revision::petersburg) {
        switch (status) {
            case StorageStatus::added:
            case StorageStatus::deleted_added:
            case StorageStatus::deleted_restored:
                return {20000, 0};
            case StorageStatus::deleted:
            case StorageStatus::modified_deleted:
            case StorageStatus::added_deleted:
                return {5000, 15000};
            case StorageStatus::assigned:
            case StorageStatus::modified:
            case StorageStatus::modified_restored:
                return {5000, 0};
        }
        return {5000, 0};
    }
    std::int64_t warm = 800;  // SLOAD_GAS of EIP-2200
    std::int64_t reset = 5000;
    std::int64_t clear = 15000;
    const std::int64_t set = 20000;
    if (rev == Revision::constantinople) warm = 200;
    if (rev >= Revision::berlin) {
        warm = 100;
        reset = 5000 - kColdSloadCost;
    }
    if (rev >= Revision::london) clear = reset + 1900;  // EIP-3529: 4800
    switch (status) {
        case StorageStatus::assigned:
            return {warm, 0};
        case StorageStatus::added:
            return {set, 0};
        case StorageStatus::deleted:
            return {reset, clear};
        case StorageStatus::modified:
            return {reset, 0};
        case StorageStatus::deleted_added:
            return {warm, -clear};
        case StorageStatus::modified_deleted:
            return {warm, clear};
        case StorageStatus::deleted_restored:
            return {warm, reset - warm - clear};
        case StorageStatus::added_deleted:
            return {warm, set - warm};
        case StorageStatus::modified_restored:
            return {warm, reset - warm};
    }
    return {warm, 0};
}

}  // namespace

OpResult op_balance(ExecutionState& st, u256* sp, std::int64_t gas) noexcept {
    const Address addr = to_address(sp[0]);
    if (!charge_account_access(st, addr, gas)) return {StatusCode::out_of_gas, gas};
    sp[0] = st.host.get_balance(addr);
    return {StatusCode::success, gas};
}

OpResult op_extcodesize(ExecutionState& st, u256* sp, std::int64_t gas) noexcept {
    const Address addr = to_address(sp[0]);
    if (!charge_account_access(st, addr, gas)) return {StatusCode::out_of_gas, gas};
    sp[0] = u256{static_cast<std::uint64_t>(st.host.get_code_size(addr))};
    return {StatusCode::success, gas};
}

OpResult op_extcodehash(ExecutionState& st, u256* sp, std::int64_t gas) noexcept {
    const Address addr = to_address(sp[0]);
    if (!charge_account_access(st, addr, gas)) return {StatusCode::out_of_gas, gas};
    sp[0] = to_u256(st.host.get_code_hash(addr));
    return {StatusCode::success, gas};
}

// Stack: address, mem_offset, code_offset, size.
OpResult op_extcodecopy(ExecutionState& st, u256* sp, std::int64_t gas) noexcept {
    const Address addr = to_address(sp[0]);
    const u256& mem_offset = sp[-1];
    const u256& code_offset = sp[-2];
    const u256& size = sp[-3];
    if ((gas = check_memory(gas, st.memory, mem_offset, size)) < 0) return {StatusCode::out_of_gas, gas};
    const std::uint64_t n = size.low64();
    if ((gas -= num_words(n) * kCopyWordGas) < 0) return {StatusCode::out_of_gas, gas};
    if (!charge_account_access(st, addr, gas)) return {StatusCode::out_of_gas, gas};
    if (n != 0) {
        std::uint8_t* out = st.memory.data() + mem_offset.low64();
        std::size_t copied = 0;
        if (code_offset.fits_u64()) copied = st.host.copy_code(addr, code_offset.low64(), {out, n});
        std::memset(out + copied, 0, n - copied);
    }
    return {StatusCode::success, gas};
}

// Only the 256 most recent complete blocks are visible; anything else is zero.
void op_blockhash(ExecutionState& st, u256* sp) noexcept {
    const std::int64_t current = st.tx_context().block_number;
    const u256& number = sp[0];
    const std::int64_t lowest = current > 256 ? current - 256 : 0;
    if (number.fits_u64() && number.low64() < static_cast<std::uint64_t>(current) &&
        number.low64() >= static_cast<std::uint64_t>(lowest)) {
        sp[0] = to_u256(st.host.get_block_hash(static_cast<std::int64_t>(number.low64())));
    } else {
        sp[0] = u256{};
    }
}

void op_blobhash(ExecutionState& st, u256* sp) noexcept {
    const auto& hashes = st.tx_context().blob_hashes;
    const u256& index = sp[0];
    if (index.fits_u64() && index.low64() < hashes.size())
        sp[0] = to_u256(hashes[index.low64()]);
    else
        sp[0] = u256{};
}

OpResult op_sload(ExecutionState& st, u256* sp, std::int64_t gas) noexcept {
    const Bytes32 key = to_bytes32(sp[0]);
    if (st.rev >= Revision::berlin && st.host.access_storage(st.msg.recipient, key) == AccessStatus::cold) {
        if ((gas -= kColdSloadSurcharge) < 0) return {StatusCode::out_of_gas, gas};
    }
    sp[0] = st.host.get_storage(st.msg.recipient, key);
    return {StatusCode::success, gas};
}

OpResult op_sstore(ExecutionState& st, u256* sp, std::int64_t gas) noexcept {
    if (st.msg.is_static) return {StatusCode::static_mode_violation, gas};
    if (st.rev >= Revision::istanbul && gas <= kSstoreSentry) return {StatusCode::out_of_gas, gas};
    const Bytes32 key = to_bytes32(sp[0]);
    std::int64_t cold = 0;
    if (st.rev >= Revision::berlin && st.host.access_storage(st.msg.recipient, key) == AccessStatus::cold)
        cold = kColdSloadCost;
    const auto status = st.host.set_storage(st.msg.recipient, key, sp[-1]);
    const auto [cost, refund] = sstore_cost(st.rev, status);
    if ((gas -= cost + cold) < 0) return {StatusCode::out_of_gas, gas};
    st.gas_refund += refund;
    return {StatusCode::success, gas};
}

void op_tload(ExecutionState& st, u256* sp) noexcept {
    sp[0] = st.host.get_transient_storage(st.msg.recipient, to_bytes32(sp[0]));
}

OpResult op_tstore(ExecutionState& st, u256* sp, std::int64_t gas) noexcept {
    if (st.msg.is_static) return {StatusCode::static_mode_violation, gas};
    st.host.set_transient_storage(st.msg.recipient, to_bytes32(sp[0]), sp[-1]);
    return {StatusCode::success, gas};
}

OpResult op_selfdestruct(ExecutionState& st, u256* sp, std::int64_t gas) noexcept {
    if (st.msg.is_static) return {StatusCode::static_mode_violation, gas};
    const Address beneficiary = to_address(sp[0]);
    if (st.rev >= Revision::berlin && st.host.access_account(beneficiary) == AccessStatus::cold) {
        if ((gas -= kColdAccountCost) < 0) return {StatusCode::out_of_gas, gas};
    }
    // EIP-150 charges creating the beneficiary; EIP-161 only when value actually moves to it.
    if (st.rev >= Revision::tangerine_whistle) {
        if (st.rev == Revision::tangerine_whistle || !st.host.get_balance(st.msg.recipient).is_zero()) {
            if (!st.host.account_exists(beneficiary) && (gas -= kNewAccountGas) < 0)
                return {StatusCode::out_of_gas, gas};
        }
    }
    if (st.host.selfdestruct(st.msg.recipient, beneficiary) && st.rev < Revision::london)
        st.gas_refund += kSelfdestructRefund;
    return {StatusCode::success, gas};
}

}  // namespace sluice::evm
