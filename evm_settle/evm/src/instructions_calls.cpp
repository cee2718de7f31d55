// CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE and CREATE2: the gas a parent frame pays and
// passes on (EIP-150 63/64 rule, stipend, value and new-account costs, EIP-2929/7702 access costs,
// EIP-3860 initcode costs), the soft failures (depth, balance) and the return data buffer.
#include <algorithm>
#include <array>
#include <limits>
#include <optional>

#include "instructions.hpp"
#include "native_stack.hpp"
#include "sluice/evm/delegation.hpp"

namespace sluice::evm {

namespace {

constexpr std::int64_t kColdAccountSurcharge = 2600 - 100;
constexpr std::int64_t kColdAccountCost = 2600;
constexpr std::int64_t kWarmAccessCost = 100;
constexpr std::int64_t kCallValueGas = 9000;
constexpr std::int64_t kCallStipend = 2300;
constexpr std::int64_t kNewAccountGas = 25000;
constexpr std::int32_t kMaxDepth = 1024;
constexpr std::uint64_t kMaxInitcodeSize = 2 * 24576;  // EIP-3860
constexpr std::int64_t kInitcodeWordGas = 2;           // EIP-3860
constexpr std::int64_t kKeccakWordGas = 6;             // CREATE2 hashes the initcode

// EIP-7702: the delegate when `addr`'s code is a delegation designator. Only the 23 bytes a
// designator can hold are copied, so ordinary contracts cost one size lookup.
std::optional<Address> delegate_of(Host& host, const Address& addr) noexcept {
    if (host.get_code_size(addr) != kDelegationDesignatorSize) return std::nullopt;
    std::array<std::uint8_t, kDelegationDesignatorSize> code{};
    if (host.copy_code(addr, 0, code) != kDelegationDesignatorSize) return std::nullopt;
    return delegation_target(code);
}

}  // namespace

// Stack: gas, address, [value,] in_offset, in_size, out_offset, out_size. The result (1 or 0)
// replaces the last operand.
OpResult op_call(ExecutionState& st, u256* sp, std::int64_t gas, Opcode kind) noexcept {
    const bool takes_value = kind == Opcode::CALL || kind == Opcode::CALLCODE;
    const u256 requested_gas = sp[0];
    const Address dst = to_address(sp[-1]);
    const u256 value = takes_value ? sp[-2] : u256{};
    u256* args = takes_value ? sp - 3 : sp - 2;
    const u256 in_offset = args[0];
    const u256 in_size = args[-1];
    const u256 out_offset = args[-2];
    const u256 out_size = args[-3];
    u256& result = args[-3];
    result = u256{};
    st.return_data.clear();

    const bool has_value = !value.is_zero();
    if (kind == Opcode::CALL && has_value && st.msg.is_static)
        return {StatusCode::static_mode_violation, gas};

    if (st.rev >= Revision::berlin && st.host.access_account(dst) == AccessStatus::cold) {
        if ((gas -= kColdAccountSurcharge) < 0) return {StatusCode::out_of_gas, gas};
    }
    if (st.rev >= Revision::prague) {
        if (const auto delegate = delegate_of(st.host, dst)) {
            const bool cold = st.host.access_account(*delegate) == AccessStatus::cold;
            if ((gas -= cold ? kColdAccountCost : kWarmAccessCost) < 0) return {StatusCode::out_of_gas, gas};
        }
    }

    if ((gas = check_memory(gas, st.memory, in_offset, in_size)) < 0) return {StatusCode::out_of_gas, gas};
    if ((gas = check_memory(gas, st.memory, out_offset, out_size)) < 0) return {StatusCode::out_of_gas, gas};

    std::int64_t cost = has_value && takes_value ? kCallValueGas : 0;
    if (kind == Opcode::CALL && (has_value || st.rev < Revision::spurious_dragon) &&
        !st.host.account_exists(dst))
        cost += kNewAccountGas;
    if ((gas -= cost) < 0) return {StatusCode::out_of_gas, gas};

    std::int64_t child_gas =
        requested_gas.fits_u64() && requested_gas.low64() <= std::numeric_limits<std::int64_t>::max()
            ? static_cast<std::int64_t>(requested_gas.low64())
            : std::numeric_limits<std::int64_t>::max();
    if (st.rev >= Revision::tangerine_whistle) {
        child_gas = std::min(child_gas, gas - gas / 64);  // EIP-150
    } else if (child_gas > gas) {
        return {StatusCode::out_of_gas, gas};
    }
    gas -= child_gas;
    if (has_value && takes_value) child_gas += kCallStipend;  // the stipend is free for the caller

    const auto soft_fail = [&]() noexcept { return OpResult{StatusCode::success, gas + child_gas}; };
    if (st.msg.depth >= kMaxDepth) return soft_fail();
    if (has_value && takes_value && st.host.get_balance(st.msg.recipient) < value) return soft_fail();

    Message msg;
    msg.kind = kind == Opcode::DELEGATECALL ? CallKind::delegatecall
               : kind == Opcode::CALLCODE   ? CallKind::callcode
                                            : CallKind::call;
    msg.is_static = kind == Opcode::STATICCALL || st.msg.is_static;
    msg.depth = st.msg.depth + 1;
    msg.gas = child_gas;
    msg.recipient = (kind == Opcode::CALL || kind == Opcode::STATICCALL) ? dst : st.msg.recipient;
    msg.sender = kind == Opcode::DELEGATECALL ? st.msg.sender : st.msg.recipient;
    msg.code_address = dst;
    msg.value = kind == Opcode::DELEGATECALL ? st.msg.value : value;
    if (!in_size.is_zero()) msg.input = {st.memory.data() + in_offset.low64(), in_size.low64()};

    ExecutionResult child = call_with_enough_stack(st.host, msg);
    st.return_data = std::move(child.output);
    result = u256{child.status == StatusCode::success ? 1U : 0U};
    const std::uint64_t copy = std::min<std::uint64_t>(out_size.low64(), st.return_data.size());
    if (!out_size.is_zero() && copy != 0)
        std::memcpy(st.memory.data() + out_offset.low64(), st.return_data.data(), copy);
    gas += child.gas_left;
    if (child.status == StatusCode::success) st.gas_refund += child.gas_refund;
    return {StatusCode::success, gas};
}

// Stack: value, offset, size[, salt]. The new address (or 0) replaces the last operand.
OpResult op_create(ExecutionState& st, u256* sp, std::int64_t gas, Opcode kind) noexcept {
    if (st.msg.is_static) return {StatusCode::static_mode_violation, gas};
    const bool is_create2 = kind == Opcode::CREATE2;
    const u256 value = sp[0];
    const u256 offset = sp[-1];
    const u256 size = sp[-2];
    Bytes32 salt;
    if (is_create2) salt = to_bytes32(sp[-3]);
    u256& result = is_create2 ? sp[-3] : sp[-2];
    result = u256{};
    st.return_data.clear();

    if ((gas = check_memory(gas, st.memory, offset, size)) < 0) return {StatusCode::out_of_gas, gas};
    const std::uint64_t n = size.low64();
    if (st.rev >= Revision::shanghai && n > kMaxInitcodeSize) return {StatusCode::out_of_gas, gas};
    const std::int64_t word_gas =
        (is_create2 ? kKeccakWordGas : 0) + (st.rev >= Revision::shanghai ? kInitcodeWordGas : 0);
    if ((gas -= num_words(n) * word_gas) < 0) return {StatusCode::out_of_gas, gas};

    if (st.msg.depth >= kMaxDepth) return {StatusCode::success, gas};
    if (!value.is_zero() && st.host.get_balance(st.msg.recipient) < value) return {StatusCode::success, gas};

    Message msg;
    msg.kind = is_create2 ? CallKind::create2 : CallKind::create;
    msg.depth = st.msg.depth + 1;
    msg.gas = st.rev >= Revision::tangerine_whistle ? gas - gas / 64 : gas;
    msg.sender = st.msg.recipient;
    msg.value = value;
    msg.create2_salt = salt;
    if (n != 0) msg.input = {st.memory.data() + offset.low64(), n};
    gas -= msg.gas;

    ExecutionResult child = call_with_enough_stack(st.host, msg);
    gas += child.gas_left;
    if (child.status == StatusCode::success) {
        st.gas_refund += child.gas_refund;
        result = to_u256(child.create_address);
    } else {
        // EIP-211: only a failed creation leaves data (its revert reason) in the buffer.
        st.return_data = std::move(child.output);
    }
    return {StatusCode::success, gas};
}

}  // namespace sluice::evm
