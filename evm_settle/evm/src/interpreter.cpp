// The interpreter loop: threaded dispatch (GCC/clang labels-as-values) over the padded code, a fixed
// 1024-slot u256 stack, and per-instruction stack and gas checks whose constants come from the opcode
// table (instructions_table.hpp). Undefined opcodes are resolved per revision in the dispatch table,
// so the loop itself never asks whether an opcode exists.
#include "sluice/evm/interpreter.hpp"

#include <array>
#include <cstdlib>
#include <memory>
#include <new>
#include <utility>

#include "execution_state.hpp"
#include "frame_buffers.hpp"
#include "instructions.hpp"
#include "sluice/evm/instructions_table.hpp"

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

using Labels = std::array<const void*, 256>;
using DispatchTables = std::array<Labels, kNumRevisions>;

struct LabelEntry {
    int opcode;
    const void* label;
};

template <std::size_t N>
DispatchTables make_dispatch_tables(const void* undefined, const LabelEntry (&labels)[N]) noexcept {
    DispatchTables tables{};
    for (std::size_t r = 0; r < kNumRevisions; ++r) {
        tables[r].fill(undefined);
        for (const auto& [op, label] : labels) {
            const auto i = static_cast<std::size_t>(op);
            if (kGasCosts[r][i] != kUndefined) tables[r][i] = label;
        }
    }
    return tables;
}

// Writes the N big-endian immediate bytes at `data` straight into the stack slot: building a u256
// temporary first makes GCC bounce it through memory.
template <std::size_t N>
inline void load_push(const std::uint8_t* data, u256& out) noexcept {
    static_assert(N >= 1 && N <= 32);
    constexpr std::size_t full_words = N / 8;
    constexpr std::size_t partial = N % 8;
    const std::uint8_t* end = data + N;
    for (std::size_t i = 0; i < full_words; ++i) {
        std::uint64_t w;
        std::memcpy(&w, end - 8 * (i + 1), 8);
        out.w[i] = __builtin_bswap64(w);
    }
    if constexpr (partial != 0) {
        std::uint64_t w = 0;
        std::memcpy(reinterpret_cast<std::uint8_t*>(&w) + (8 - partial), data, partial);
        out.w[full_words] = __builtin_bswap64(w);
    }
    for (std::size_t i = full_words + (partial != 0 ? 1 : 0); i < 4; ++i)
        out.w[i] = 0;
}

// Big-endian word access to memory with one 8-byte move per limb: u256::store_be goes through a
// 32-byte temporary that GCC reloads with 16-byte moves, a store-forwarding stall on every MSTORE.
inline void store_word(std::uint8_t* out, const u256& v) noexcept {
    for (std::size_t i = 0; i < 4; ++i) {
        const std::uint64_t be = __builtin_bswap64(v.w[3 - i]);
        std::memcpy(out + 8 * i, &be, 8);
    }
}
inline void load_word(const std::uint8_t* in, u256& out) noexcept {
    for (std::size_t i = 0; i < 4; ++i) {
        std::uint64_t be;
        std::memcpy(&be, in + 8 * i, 8);
        out.w[3 - i] = __builtin_bswap64(be);
    }
}

// SIGNEXTEND on the stack slot itself, limb stores only: building the result in a temporary indexed
// by a variable limb puts it in memory and reloads it (u256's signextend in core does that).
inline void signextend_in_place(const u256& b, u256& x) noexcept {
    if (!b.fits_u64() || b.w[0] >= 31) return;
    const unsigned limb = static_cast<unsigned>(b.w[0]) / 8;
    const unsigned bit = static_cast<unsigned>(b.w[0]) % 8 * 8 + 7;
    const std::uint64_t v = x.w[limb];
    const std::uint64_t fill = ~((v >> bit) & 1) + 1;
    const std::uint64_t low_mask = ~std::uint64_t{0} >> (63 - bit);
    x.w[limb] = (v & low_mask) | (fill & ~low_mask);
    for (unsigned i = 1; i < 4; ++i)
        x.w[i] = i > limb ? fill : x.w[i];
}

// Stack slot copies limb by limb: MLOAD, PUSH and the arithmetic write their results with 8-byte
// stores, and a 16-byte load of a just-written slot cannot be forwarded from them (a stall of
// several cycles on every DUP after an MLOAD).
inline void copy_limbs(const u256& from, u256& to) noexcept {
    for (std::size_t i = 0; i < 4; ++i)
        to.w[i] = from.w[i];
}

struct RunResult {
    StatusCode status;
    std::int64_t gas;
};

SLUICE_NOINLINE_NOCLONE RunResult run(ExecutionState& st, std::int64_t gas) noexcept {
    // Constant-initialised (no native stack used); the per-revision tables are built on first use.
    static const LabelEntry kLabels[] = {
#define SLUICE_EVM_LABEL(code, name, req, change) {code, &&L_##name},
        SLUICE_EVM_OPCODES(SLUICE_EVM_LABEL)
#undef SLUICE_EVM_LABEL
    };
    static const DispatchTables kTables = make_dispatch_tables(&&L_undefined, kLabels);

    const void* const* const dispatch = kTables[static_cast<std::size_t>(st.rev)].data();
    u256* const stack_bottom = st.stack_bottom();
    const std::uint8_t* pc = st.code;
    u256* sp = stack_bottom - 1;
    StatusCode status = StatusCode::success;
    OpResult r{};

#define DISPATCH() goto* dispatch[*pc]
#define NEXT(n) \
    pc += (n);  \
    DISPATCH()
// Stack bounds, then the base gas: an immediate when it never changed across revisions.
#define OPCODE(name)                                                                  \
    L_##name : {                                                                      \
        constexpr auto op_ = static_cast<std::size_t>(Opcode::name);                  \
        constexpr int req_ = kInstructionTraits[op_].stack_required;                  \
        constexpr int change_ = kInstructionTraits[op_].stack_change;                 \
        if constexpr (req_ > 0) {                                                     \
            if (sp < stack_bottom + (req_ - 1)) goto stack_underflow;                 \
        }                                                                             \
        if constexpr (change_ > 0) {                                                  \
            if (sp > stack_bottom + (kStackLimit - 1 - change_)) goto stack_overflow; \
        }                                                                             \
        if constexpr (kFixedGasCosts[op_] != kUndefined) {                            \
            gas -= kFixedGasCosts[op_];                                               \
        } else {                                                                      \
            gas -= gas_costs(st.rev)[op_];                                            \
        }                                                                             \
        if (gas < 0) goto out_of_gas;                                                 \
    }
#define CALL_OP(expr)                      \
    r = (expr);                            \
    if (r.status != StatusCode::success) { \
        status = r.status;                 \
        goto exit_failure;                 \
    }                                      \
    gas = r.gas

    DISPATCH();

    OPCODE(STOP) {
        goto exit_success;
    }
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
        signextend_in_place(sp[0], sp[-1]);
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
        // Word-wise: u256's defaulted == becomes a memcmp call in GCC.
        const std::uint64_t diff = (sp[0].w[0] ^ sp[-1].w[0]) | (sp[0].w[1] ^ sp[-1].w[1]) |
                                   (sp[0].w[2] ^ sp[-1].w[2]) | (sp[0].w[3] ^ sp[-1].w[3]);
        sp[-1] = u256{diff == 0 ? 1U : 0U};
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
        if ((gas = check_memory<32>(gas, st.memory, sp[0])) < 0) goto out_of_gas;
        load_word(st.memory.data() + sp[0].low64(), sp[0]);
        NEXT(1);
    }
    OPCODE(MSTORE) {
        if ((gas = check_memory<32>(gas, st.memory, sp[0])) < 0) goto out_of_gas;
        store_word(st.memory.data() + sp[0].low64(), sp[-1]);
        sp -= 2;
        NEXT(1);
    }
    OPCODE(MSTORE8) {
        if ((gas = check_memory<1>(gas, st.memory, sp[0])) < 0) goto out_of_gas;
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
        pc = st.code + sp[0].low64();
        --sp;
        DISPATCH();
    }
    OPCODE(JUMPI) {
        if (!sp[-1].is_zero()) {
            if (!sp[0].fits_u64() || !st.analysis.is_jumpdest(sp[0].low64())) goto bad_jump;
            pc = st.code + sp[0].low64();
            sp -= 2;
            DISPATCH();
        }
        sp -= 2;
        NEXT(1);
    }
    OPCODE(PC) {
        sp[1] = u256{static_cast<std::uint64_t>(pc - st.code)};
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
    OPCODE(JUMPDEST) {
        NEXT(1);
    }
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

#define SLUICE_EVM_PUSH(n)           \
    OPCODE(PUSH##n) {                \
        load_push<n>(pc + 1, sp[1]); \
        ++sp;                        \
        NEXT((n) + 1);               \
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

#define SLUICE_EVM_DUP(n)               \
    OPCODE(DUP##n) {                    \
        copy_limbs(sp[1 - (n)], sp[1]); \
        ++sp;                           \
        NEXT(1);                        \
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

#define SLUICE_EVM_SWAP(n)      \
    OPCODE(SWAP##n) {           \
        const u256 tmp = sp[0]; \
        sp[0] = sp[-(n)];       \
        sp[-(n)] = tmp;         \
        NEXT(1);                \
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

#define SLUICE_EVM_LOG(n)                \
    OPCODE(LOG##n) {                     \
        CALL_OP(op_log(st, sp, gas, n)); \
        sp -= 2 + (n);                   \
        NEXT(1);                         \
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
        if ((gas = check_memory(gas, st.memory, sp[0], sp[-1])) < 0) goto out_of_gas;
        st.output_offset = sp[0].low64();
        st.output_size = sp[-1].low64();
        goto exit_success;
    }
    OPCODE(REVERT) {
        if ((gas = check_memory(gas, st.memory, sp[0], sp[-1])) < 0) goto out_of_gas;
        st.output_offset = sp[0].low64();
        st.output_size = sp[-1].low64();
        return {StatusCode::revert, gas};
    }
    OPCODE(INVALID) {
        return {StatusCode::invalid_instruction, 0};
    }
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
    ExecutionResult result;
    const FrameBuffersLease buffers;
    if (buffers.get() == nullptr) {
        result.status = StatusCode::failure;
        return result;
    }
    ExecutionState st{host, rev, msg, analysis, *buffers.get()};
    const RunResult run_result = run(st, msg.gas);
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
