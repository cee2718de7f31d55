// The interpreter loop: threaded dispatch (GCC/clang labels-as-values) over the padded code, a fixed
// 1024-slot u256 stack, and per-instruction stack and gas checks whose constants come from the opcode
// table (instructions_table.hpp). Undefined opcodes are resolved per revision in the dispatch table,
// so the loop itself never asks whether an opcode exists.
#include <array>
#include <cstdlib>
#include <initializer_list>
#include <utility>

#include "execution_state.hpp"
#include "instructions.hpp"
#include "sluice/evm/instructions_table.hpp"
#include "sluice/evm/interpreter.hpp"

// Labels-as-values is a GNU extension (GCC and clang): silence -Wpedantic for this file only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#ifdef __clang__
#pragma clang diagnostic ignored "-Wgnu-label-as-value"
#endif

#if defined(__clang__)
#define SLUICE_NOINLINE_NOCLONE __attribute__((noinline))
#else
#define SLUICE_NOINLINE_NOCLONE __attribute__((noinline, noclone))
#endif

namespace sluice::evm {

namespace {

constexpr int kStackLimit = 1024;

using Labels = std::array<const void*, 256>;
using DispatchTables = std::array<Labels, kNumRevisions>;

DispatchTables make_dispatch_tables(const void* undefined,
                                    std::initializer_list<std::pair<int, const void*>> labels) noexcept {
    DispatchTables tables{};
    for (std::size_t r = 0; r < kNumRevisions; ++r) {
        tables[r].fill(undefined);
        for (const auto& [op, label] : labels) {
            if (kGasCosts[r][static_cast<std::size_t>(op)] != kUndefined) tables[r][static_cast<std::size_t>(op)] = label;
        }
    }
    return tables;
}

// The stack lives on the heap (a frame per depth would not fit the native stack), uninitialised:
// u256 is an implicit-lifetime type and every slot is written before it is read. One extra slot below
// the bottom keeps "empty" (top == bottom - 1) a valid pointer.
struct StackSpace {
    StackSpace() noexcept : raw(static_cast<u256*>(std::aligned_alloc(32, sizeof(u256) * (kStackLimit + 1)))) {}
    ~StackSpace() { std::free(raw); }
    StackSpace(const StackSpace&) = delete;
    StackSpace& operator=(const StackSpace&) = delete;
    u256* raw;
};

template <std::size_t N>
inline u256 load_push(const std::uint8_t* data) noexcept {
    static_assert(N >= 1 && N <= 32);
    u256 v{};
    constexpr std::size_t full_words = N / 8;
    constexpr std::size_t partial = N % 8;
    const std::uint8_t* end = data + N;
    for (std::size_t i = 0; i < full_words; ++i) {
        std::uint64_t w;
        std::memcpy(&w, end - 8 * (i + 1), 8);
        v.w[i] = __builtin_bswap64(w);
    }
    if constexpr (partial != 0) {
        std::uint64_t w = 0;
        std::memcpy(reinterpret_cast<std::uint8_t*>(&w) + (8 - partial), data, partial);
        v.w[full_words] = __builtin_bswap64(w);
    }
    return v;
}

struct RunResult {
    StatusCode status;
    std::int64_t gas;
};

SLUICE_NOINLINE_NOCLONE RunResult run(ExecutionState& st, u256* stack_bottom, std::int64_t gas) noexcept {
    static const DispatchTables kTables = make_dispatch_tables(&&L_undefined, {
#define SLUICE_EVM_LABEL(code, name, req, change) {code, &&L_##name},
        SLUICE_EVM_OPCODES(SLUICE_EVM_LABEL)
#undef SLUICE_EVM_LABEL
    });

    const void* const* const dispatch = kTables[static_cast<std::size_t>(st.rev)].data();
    const std::int16_t* const costs = gas_costs(st.rev).data();
    const std::uint8_t* const code = st.analysis.padded_code();
    const std::uint8_t* pc = code;
    u256* sp = stack_bottom - 1;
    StatusCode status = StatusCode::success;
    OpResult r{};

#define DISPATCH() goto* dispatch[*pc]
#define NEXT(n)   \
    pc += (n);    \
    DISPATCH()
// Stack bounds, then the base gas: an immediate when it never changed across revisions.
#define OPCODE(name)                                                                                     \
    L_##name : {                                                                                         \
        constexpr auto op_ = static_cast<std::size_t>(Opcode::name);                                     \
        constexpr int req_ = kInstructionTraits[op_].stack_required;                                     \
        constexpr int change_ = kInstructionTraits[op_].stack_change;                                    \
        if constexpr (req_ > 0) {                                                                        \
            if (sp < stack_bottom + (req_ - 1)) goto stack_underflow;                                    \
        }                                                                                                \
        if constexpr (change_ > 0) {                                                                     \
            if (sp > stack_bottom + (kStackLimit - 1 - change_)) goto stack_overflow;                    \
        }                                                                                                \
        if constexpr (kFixedGasCosts[op_] != kUndefined) {                                               \
            gas -= kFixedGasCosts[op_];                                                                  \
        } else {                                                                                         \
            gas -= costs[op_];                                                                           \
        }                                                                                                \
        if (gas < 0) goto out_of_gas;                                                                    \
    }
#define CALL_OP(expr)                  \
    r = (expr);                        \
    if (r.status != StatusCode::success) { \
        status = r.status;             \
        goto exit_failure;             \
    }                                  \
    gas = r.gas

    DISPATCH();

    OPCODE(STOP) { goto exit_success; }
    OPCODE(ADD) {
        sp[-1] = sp[0] + sp[-1];
        --sp;
        NEXT(1);
    }
    OPCODE(MUL) {
        sp[-1] = sp[0] * sp[-1];
        --sp;
        NEXT(1);
    }
    OPCODE(SUB) {
        sp[-1] = sp[0] - sp[-1];
        --sp;
        NEXT(1);
    }
    OPCODE(DIV) {
        sp[-1] = sp[0] / sp[-1];
        --sp;
        NEXT(1);
    }
    OPCODE(SDIV) {
        sp[-1] = sdiv(sp[0], sp[-1]);
        --sp;
        NEXT(1);
    }
    OPCODE(MOD) {
        sp[-1] = sp[0] % sp[-1];
        --sp;
        NEXT(1);
    }
    OPCODE(SMOD) {
        sp[-1] = smod(sp[0], sp[-1]);
        --sp;
        NEXT(1);
    }
    OPCODE(ADDMOD) {
        sp[-2] = addmod(sp[0], sp[-1], sp[-2]);
        sp -= 2;
        NEXT(1);
    }
    OPCODE(MULMOD) {
        sp[-2] = mulmod(sp[0], sp[-1], sp[-2]);
        sp -= 2;
        NEXT(1);
    }
    OPCODE(EXP) {
        // EIP-160 raised the price per exponent byte from 10 to 50.
        const std::int64_t per_byte = st.rev >= Revision::spurious_dragon ? 50 : 10;
        if ((gas -= static_cast<std::int64_t>((sp[-1].bit_length() + 7) / 8) * per_byte) < 0) goto out_of_gas;
        sp[-1] = exp(sp[0], sp[-1]);
        --sp;
        NEXT(1);
    }
    OPCODE(SIGNEXTEND) {
        sp[-1] = signextend(sp[0], sp[-1]);
        --sp;
        NEXT(1);
    }
    OPCODE(LT) {
        sp[-1] = u256{sp[0] < sp[-1] ? 1U : 0U};
        --sp;
        NEXT(1);
    }
    OPCODE(GT) {
        sp[-1] = u256{sp[0] > sp[-1] ? 1U : 0U};
        --sp;
        NEXT(1);
    }
    OPCODE(SLT) {
        sp[-1] = u256{slt(sp[0], sp[-1]) ? 1U : 0U};
        --sp;
        NEXT(1);
    }
    OPCODE(SGT) {
        sp[-1] = u256{sgt(sp[0], sp[-1]) ? 1U : 0U};
        --sp;
        NEXT(1);
    }
    OPCODE(EQ) {
        sp[-1] = u256{sp[0] == sp[-1] ? 1U : 0U};
        --sp;
        NEXT(1);
    }
    OPCODE(ISZERO) {
        sp[0] = u256{sp[0].is_zero() ? 1U : 0U};
        NEXT(1);
    }
    OPCODE(AND) {
        sp[-1] = sp[0] & sp[-1];
        --sp;
        NEXT(1);
    }
    OPCODE(OR) {
        sp[-1] = sp[0] | sp[-1];
        --sp;
        NEXT(1);
    }
    OPCODE(XOR) {
        sp[-1] = sp[0] ^ sp[-1];
        --sp;
        NEXT(1);
    }
    OPCODE(NOT) {
        sp[0] = ~sp[0];
        NEXT(1);
    }
    OPCODE(BYTE) {
        sp[-1] = byte(sp[0], sp[-1]);
        --sp;
        NEXT(1);
    }
    OPCODE(SHL) {
        sp[-1] = sp[-1] << sp[0];
        --sp;
        NEXT(1);
    }
    OPCODE(SHR) {
        sp[-1] = sp[-1] >> sp[0];
        --sp;
        NEXT(1);
    }
    OPCODE(SAR) {
        sp[-1] = sar(sp[0], sp[-1]);
        --sp;
        NEXT(1);
    }
    OPCODE(CLZ) {
        sp[0] = u256{static_cast<std::uint64_t>(sp[0].count_leading_zeros())};
        NEXT(1);
    }
    OPCODE(KECCAK256) {
        CALL_OP(op_keccak256(st, sp, gas));
        --sp;
        NEXT(1);
    }
    OPCODE(ADDRESS) {
        sp[1] = to_u256(st.msg.recipient);
        ++sp;
        NEXT(1);
    }
    OPCODE(BALANCE) {
        CALL_OP(op_balance(st, sp, gas));
        NEXT(1);
    }
    OPCODE(ORIGIN) {
        sp[1] = to_u256(st.tx_context().origin);
        ++sp;
        NEXT(1);
    }
    OPCODE(CALLER) {
        sp[1] = to_u256(st.msg.sender);
        ++sp;
        NEXT(1);
    }
    OPCODE(CALLVALUE) {
        sp[1] = st.msg.value;
        ++sp;
        NEXT(1);
    }
    OPCODE(CALLDATALOAD) {
        op_calldataload(st, sp);
        NEXT(1);
    }
    OPCODE(CALLDATASIZE) {
        sp[1] = u256{static_cast<std::uint64_t>(st.msg.input.size())};
        ++sp;
        NEXT(1);
    }
    OPCODE(CALLDATACOPY) {
        CALL_OP(op_calldatacopy(st, sp, gas));
        sp -= 3;
        NEXT(1);
    }
    OPCODE(CODESIZE) {
        sp[1] = u256{static_cast<std::uint64_t>(st.analysis.code().size())};
        ++sp;
        NEXT(1);
    }
    OPCODE(CODECOPY) {
        CALL_OP(op_codecopy(st, sp, gas));
        sp -= 3;
        NEXT(1);
    }
    OPCODE(GASPRICE) {
        sp[1] = st.tx_context().gas_price;
        ++sp;
        NEXT(1);
    }
    OPCODE(EXTCODESIZE) {
        CALL_OP(op_extcodesize(st, sp, gas));
        NEXT(1);
    }
    OPCODE(EXTCODECOPY) {
        CALL_OP(op_extcodecopy(st, sp, gas));
        sp -= 4;
        NEXT(1);
    }
    OPCODE(RETURNDATASIZE) {
        sp[1] = u256{static_cast<std::uint64_t>(st.return_data.size())};
        ++sp;
        NEXT(1);
    }
    OPCODE(RETURNDATACOPY) {
        CALL_OP(op_returndatacopy(st, sp, gas));
        sp -= 3;
        NEXT(1);
    }
    OPCODE(EXTCODEHASH) {
        CALL_OP(op_extcodehash(st, sp, gas));
        NEXT(1);
    }
    OPCODE(BLOCKHASH) {
        op_blockhash(st, sp);
        NEXT(1);
    }
    OPCODE(COINBASE) {
        sp[1] = to_u256(st.tx_context().coinbase);
        ++sp;
        NEXT(1);
    }
    OPCODE(TIMESTAMP) {
        sp[1] = u256{static_cast<std::uint64_t>(st.tx_context().block_timestamp)};
        ++sp;
        NEXT(1);
    }
    OPCODE(NUMBER) {
        sp[1] = u256{static_cast<std::uint64_t>(st.tx_context().block_number)};
        ++sp;
        NEXT(1);
    }
    OPCODE(PREVRANDAO) {
        sp[1] = to_u256(st.tx_context().prev_randao);
        ++sp;
        NEXT(1);
    }
    OPCODE(GASLIMIT) {
        sp[1] = u256{static_cast<std::uint64_t>(st.tx_context().block_gas_limit)};
        ++sp;
        NEXT(1);
    }
    OPCODE(CHAINID) {
        sp[1] = st.tx_context().chain_id;
        ++sp;
        NEXT(1);
    }
    OPCODE(SELFBALANCE) {
        sp[1] = st.host.get_balance(st.msg.recipient);
        ++sp;
        NEXT(1);
    }
    OPCODE(BASEFEE) {
        sp[1] = st.tx_context().base_fee;
        ++sp;
        NEXT(1);
    }
    OPCODE(BLOBHASH) {
        op_blobhash(st, sp);
        NEXT(1);
    }
    OPCODE(BLOBBASEFEE) {
        sp[1] = st.tx_context().blob_base_fee;
        ++sp;
        NEXT(1);
    }
    OPCODE(POP) {
        --sp;
        NEXT(1);
    }
    OPCODE(MLOAD) {
        if (!check_memory<32>(gas, st.memory, sp[0])) goto out_of_gas;
        sp[0] = u256::load_be(st.memory.data() + sp[0].low64());
        NEXT(1);
    }
    OPCODE(MSTORE) {
        if (!check_memory<32>(gas, st.memory, sp[0])) goto out_of_gas;
        sp[-1].store_be(st.memory.data() + sp[0].low64());
        sp -= 2;
        NEXT(1);
    }
    OPCODE(MSTORE8) {
        if (!check_memory<1>(gas, st.memory, sp[0])) goto out_of_gas;
        st.memory.data()[sp[0].low64()] = static_cast<std::uint8_t>(sp[-1].low64());
        sp -= 2;
        NEXT(1);
    }
    OPCODE(SLOAD) {
        CALL_OP(op_sload(st, sp, gas));
        NEXT(1);
    }
    OPCODE(SSTORE) {
        CALL_OP(op_sstore(st, sp, gas));
        sp -= 2;
        NEXT(1);
    }
    OPCODE(JUMP) {
        if (!sp[0].fits_u64() || !st.analysis.is_jumpdest(sp[0].low64())) goto bad_jump;
        pc = code + sp[0].low64();
        --sp;
        DISPATCH();
    }
    OPCODE(JUMPI) {
        if (!sp[-1].is_zero()) {
            if (!sp[0].fits_u64() || !st.analysis.is_jumpdest(sp[0].low64())) goto bad_jump;
            pc = code + sp[0].low64();
            sp -= 2;
            DISPATCH();
        }
        sp -= 2;
        NEXT(1);
    }
    OPCODE(PC) {
        sp[1] = u256{static_cast<std::uint64_t>(pc - code)};
        ++sp;
        NEXT(1);
    }
    OPCODE(MSIZE) {
        sp[1] = u256{st.memory.size()};
        ++sp;
        NEXT(1);
    }
    OPCODE(GAS) {
        sp[1] = u256{static_cast<std::uint64_t>(gas)};
        ++sp;
        NEXT(1);
    }
    OPCODE(JUMPDEST) { NEXT(1); }
    OPCODE(TLOAD) {
        op_tload(st, sp);
        NEXT(1);
    }
    OPCODE(TSTORE) {
        CALL_OP(op_tstore(st, sp, gas));
        sp -= 2;
        NEXT(1);
    }
    OPCODE(MCOPY) {
        CALL_OP(op_mcopy(st, sp, gas));
        sp -= 3;
        NEXT(1);
    }
    OPCODE(PUSH0) {
        sp[1] = u256{};
        ++sp;
        NEXT(1);
    }

#define SLUICE_EVM_PUSH(n)                 \
    OPCODE(PUSH##n) {                      \
        sp[1] = load_push<n>(pc + 1);      \
        ++sp;                              \
        NEXT((n) + 1);                     \
    }
    SLUICE_EVM_PUSH(1)
    SLUICE_EVM_PUSH(2)
    SLUICE_EVM_PUSH(3)
    SLUICE_EVM_PUSH(4)
    SLUICE_EVM_PUSH(5)
    SLUICE_EVM_PUSH(6)
    SLUICE_EVM_PUSH(7)
    SLUICE_EVM_PUSH(8)
    SLUICE_EVM_PUSH(9)
    SLUICE_EVM_PUSH(10)
    SLUICE_EVM_PUSH(11)
    SLUICE_EVM_PUSH(12)
    SLUICE_EVM_PUSH(13)
    SLUICE_EVM_PUSH(14)
    SLUICE_EVM_PUSH(15)
    SLUICE_EVM_PUSH(16)
    SLUICE_EVM_PUSH(17)
    SLUICE_EVM_PUSH(18)
    SLUICE_EVM_PUSH(19)
    SLUICE_EVM_PUSH(20)
    SLUICE_EVM_PUSH(21)
    SLUICE_EVM_PUSH(22)
    SLUICE_EVM_PUSH(23)
    SLUICE_EVM_PUSH(24)
    SLUICE_EVM_PUSH(25)
    SLUICE_EVM_PUSH(26)
    SLUICE_EVM_PUSH(27)
    SLUICE_EVM_PUSH(28)
    SLUICE_EVM_PUSH(29)
    SLUICE_EVM_PUSH(30)
    SLUICE_EVM_PUSH(31)
    SLUICE_EVM_PUSH(32)
#undef SLUICE_EVM_PUSH

#define SLUICE_EVM_DUP(n)         \
    OPCODE(DUP##n) {              \
        sp[1] = sp[1 - (n)];      \
        ++sp;                     \
        NEXT(1);                  \
    }
    SLUICE_EVM_DUP(1)
    SLUICE_EVM_DUP(2)
    SLUICE_EVM_DUP(3)
    SLUICE_EVM_DUP(4)
    SLUICE_EVM_DUP(5)
    SLUICE_EVM_DUP(6)
    SLUICE_EVM_DUP(7)
    SLUICE_EVM_DUP(8)
    SLUICE_EVM_DUP(9)
    SLUICE_EVM_DUP(10)
    SLUICE_EVM_DUP(11)
    SLUICE_EVM_DUP(12)
    SLUICE_EVM_DUP(13)
    SLUICE_EVM_DUP(14)
    SLUICE_EVM_DUP(15)
    SLUICE_EVM_DUP(16)
#undef SLUICE_EVM_DUP

#define SLUICE_EVM_SWAP(n)            \
    OPCODE(SWAP##n) {                 \
        const u256 tmp = sp[0];       \
        sp[0] = sp[-(n)];             \
        sp[-(n)] = tmp;               \
        NEXT(1);                      \
    }
    SLUICE_EVM_SWAP(1)
    SLUICE_EVM_SWAP(2)
    SLUICE_EVM_SWAP(3)
    SLUICE_EVM_SWAP(4)
    SLUICE_EVM_SWAP(5)
    SLUICE_EVM_SWAP(6)
    SLUICE_EVM_SWAP(7)
    SLUICE_EVM_SWAP(8)
    SLUICE_EVM_SWAP(9)
    SLUICE_EVM_SWAP(10)
    SLUICE_EVM_SWAP(11)
    SLUICE_EVM_SWAP(12)
    SLUICE_EVM_SWAP(13)
    SLUICE_EVM_SWAP(14)
    SLUICE_EVM_SWAP(15)
    SLUICE_EVM_SWAP(16)
#undef SLUICE_EVM_SWAP

#define SLUICE_EVM_LOG(n)                         \
    OPCODE(LOG##n) {                              \
        CALL_OP(op_log(st, sp, gas, n));          \
        sp -= 2 + (n);                            \
        NEXT(1);                                  \
    }
    SLUICE_EVM_LOG(0)
    SLUICE_EVM_LOG(1)
    SLUICE_EVM_LOG(2)
    SLUICE_EVM_LOG(3)
    SLUICE_EVM_LOG(4)
#undef SLUICE_EVM_LOG

    OPCODE(CREATE) {
        CALL_OP(op_create(st, sp, gas, Opcode::CREATE));
        sp -= 2;
        NEXT(1);
    }
    OPCODE(CREATE2) {
        CALL_OP(op_create(st, sp, gas, Opcode::CREATE2));
        sp -= 3;
        NEXT(1);
    }
    OPCODE(CALL) {
        CALL_OP(op_call(st, sp, gas, Opcode::CALL));
        sp -= 6;
        NEXT(1);
    }
    OPCODE(CALLCODE) {
        CALL_OP(op_call(st, sp, gas, Opcode::CALLCODE));
        sp -= 6;
        NEXT(1);
    }
    OPCODE(DELEGATECALL) {
        CALL_OP(op_call(st, sp, gas, Opcode::DELEGATECALL));
        sp -= 5;
        NEXT(1);
    }
    OPCODE(STATICCALL) {
        CALL_OP(op_call(st, sp, gas, Opcode::STATICCALL));
        sp -= 5;
        NEXT(1);
    }
    OPCODE(RETURN) {
        if (!check_memory(gas, st.memory, sp[0], sp[-1])) goto out_of_gas;
        st.output_offset = sp[0].low64();
        st.output_size = sp[-1].low64();
        goto exit_success;
    }
    OPCODE(REVERT) {
        if (!check_memory(gas, st.memory, sp[0], sp[-1])) goto out_of_gas;
        st.output_offset = sp[0].low64();
        st.output_size = sp[-1].low64();
        return {StatusCode::revert, gas};
    }
    OPCODE(INVALID) { return {StatusCode::invalid_instruction, 0}; }
    OPCODE(SELFDESTRUCT) {
        CALL_OP(op_selfdestruct(st, sp, gas));
        goto exit_success;
    }

L_undefined:
    return {StatusCode::undefined_instruction, 0};
stack_underflow:
    return {StatusCode::stack_underflow, 0};
stack_overflow:
    return {StatusCode::stack_overflow, 0};
out_of_gas:
    return {StatusCode::out_of_gas, 0};
bad_jump:
    return {StatusCode::bad_jump_destination, 0};
exit_failure:
    return {status, 0};
exit_success:
    return {StatusCode::success, gas};

#undef CALL_OP
#undef OPCODE
#undef NEXT
#undef DISPATCH
}

}  // namespace

ExecutionResult execute(Host& host, Revision rev, const Message& msg, const CodeAnalysis& analysis) noexcept {
    ExecutionState st{host, rev, msg, analysis};
    ExecutionResult result;
    StackSpace stack;
    if (stack.raw == nullptr) {
        result.status = StatusCode::failure;
        return result;
    }
    const RunResult run_result = run(st, stack.raw + 1, msg.gas);
    result.status = run_result.status;
    const bool ok = run_result.status == StatusCode::success;
    if (ok || run_result.status == StatusCode::revert) {
        result.gas_left = run_result.gas;
        if (st.output_size != 0) {
            const std::uint8_t* out = st.memory.data() + st.output_offset;
            result.output.assign(out, out + st.output_size);
        }
    }
    result.gas_refund = ok ? st.gas_refund : 0;
    return result;
}

ExecutionResult execute(Host& host, Revision rev, const Message& msg, ByteView code) noexcept {
    const CodeAnalysis analysis{code};
    return execute(host, rev, msg, analysis);
}

}  // namespace sluice::evm

#pragma GCC diagnostic pop
