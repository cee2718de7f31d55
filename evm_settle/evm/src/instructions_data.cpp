// KECCAK256, the copy instructions (CALLDATA/CODE/RETURNDATA/MCOPY), CALLDATALOAD and LOG0..LOG4.
#include <algorithm>
#include <array>

#include "instructions.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::evm {

namespace {

constexpr std::int64_t kCopyWordGas = 3;
constexpr std::int64_t kKeccakWordGas = 6;
constexpr std::int64_t kLogDataGas = 8;

// Copies src[src_offset, src_offset+size) to out (size bytes), zero-filling past the end of src.
void copy_padded(std::uint8_t* out, std::uint64_t size, ByteView src, const u256& src_offset) noexcept {
    std::uint64_t copied = 0;
    if (src_offset.fits_u64() && src_offset.low64() < src.size()) {
        copied = std::min<std::uint64_t>(size, src.size() - src_offset.low64());
        std::memcpy(out, src.data() + src_offset.low64(), copied);
    }
    std::memset(out + copied, 0, size - copied);
}

// The common part of CALLDATACOPY/CODECOPY: stack is (mem_offset, src_offset, size).
OpResult copy_to_memory(ExecutionState& st, u256* sp, std::int64_t gas, ByteView src) noexcept {
    const u256& mem_offset = sp[0];
    const u256& src_offset = sp[-1];
    const u256& size = sp[-2];
    if ((gas = check_memory(gas, st.memory, mem_offset, size)) < 0) return {StatusCode::out_of_gas, gas};
    const std::uint64_t n = size.low64();
    if ((gas -= num_words(n) * kCopyWordGas) < 0) return {StatusCode::out_of_gas, gas};
    if (n != 0) copy_padded(st.memory.data() + mem_offset.low64(), n, src, src_offset);
    return {StatusCode::success, gas};
}

}  // namespace

OpResult op_keccak256(ExecutionState& st, u256* sp, std::int64_t gas) noexcept {
    const u256& offset = sp[0];
    const u256& size = sp[-1];
    if ((gas = check_memory(gas, st.memory, offset, size)) < 0) return {StatusCode::out_of_gas, gas};
    const std::uint64_t n = size.low64();
    if ((gas -= num_words(n) * kKeccakWordGas) < 0) return {StatusCode::out_of_gas, gas};
    const ByteView data = n != 0 ? ByteView{st.memory.data() + offset.low64(), n} : ByteView{};
    sp[-1] = to_u256(keccak256(data));
    return {StatusCode::success, gas};
}

void op_calldataload(ExecutionState& st, u256* sp) noexcept {
    std::array<std::uint8_t, 32> buf;
    copy_padded(buf.data(), 32, st.msg.input, sp[0]);
    sp[0] = u256::load_be(buf.data());
}

OpResult op_calldatacopy(ExecutionState& st, u256* sp, std::int64_t gas) noexcept {
    return copy_to_memory(st, sp, gas, st.msg.input);
}

OpResult op_codecopy(ExecutionState& st, u256* sp, std::int64_t gas) noexcept {
    return copy_to_memory(st, sp, gas, st.analysis.code());
}

// EIP-211: reading past the end of the return data is an exceptional halt, not zero padding.
OpResult op_returndatacopy(ExecutionState& st, u256* sp, std::int64_t gas) noexcept {
    const u256& mem_offset = sp[0];
    const u256& src_offset = sp[-1];
    const u256& size = sp[-2];
    if ((gas = check_memory(gas, st.memory, mem_offset, size)) < 0) return {StatusCode::out_of_gas, gas};
    const std::uint64_t avail = st.return_data.size();
    if (!src_offset.fits_u64() || src_offset.low64() > avail || size.low64() > avail - src_offset.low64())
        return {StatusCode::invalid_memory_access, gas};
    const std::uint64_t n = size.low64();
    if ((gas -= num_words(n) * kCopyWordGas) < 0) return {StatusCode::out_of_gas, gas};
    if (n != 0) std::memcpy(st.memory.data() + mem_offset.low64(), st.return_data.data() + src_offset.low64(), n);
    return {StatusCode::success, gas};
}

// EIP-5656: memory is expanded to cover both the source and the destination range.
OpResult op_mcopy(ExecutionState& st, u256* sp, std::int64_t gas) noexcept {
    const u256& dst = sp[0];
    const u256& src = sp[-1];
    const u256& size = sp[-2];
    if ((gas = check_memory(gas, st.memory, src, size)) < 0 || (gas = check_memory(gas, st.memory, dst, size)) < 0)
        return {StatusCode::out_of_gas, gas};
    const std::uint64_t n = size.low64();
    if ((gas -= num_words(n) * kCopyWordGas) < 0) return {StatusCode::out_of_gas, gas};
    if (n != 0) std::memmove(st.memory.data() + dst.low64(), st.memory.data() + src.low64(), n);
    return {StatusCode::success, gas};
}

OpResult op_log(ExecutionState& st, u256* sp, std::int64_t gas, int num_topics) noexcept {
    if (st.msg.is_static) return {StatusCode::static_mode_violation, gas};
    const u256& offset = sp[0];
    const u256& size = sp[-1];
    if ((gas = check_memory(gas, st.memory, offset, size)) < 0) return {StatusCode::out_of_gas, gas};
    const std::uint64_t n = size.low64();
    if ((gas -= static_cast<std::int64_t>(n) * kLogDataGas) < 0) return {StatusCode::out_of_gas, gas};
    std::array<Bytes32, 4> topics;
    for (int i = 0; i < num_topics; ++i) topics[static_cast<std::size_t>(i)] = to_bytes32(sp[-2 - i]);
    const ByteView data = n != 0 ? ByteView{st.memory.data() + offset.low64(), n} : ByteView{};
    st.host.emit_log(st.msg.recipient, data, {topics.data(), static_cast<std::size_t>(num_topics)});
    return {StatusCode::success, gas};
}

}  // namespace sluice::evm
