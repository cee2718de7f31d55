// The one opcode table of the EVM: for every opcode its mnemonic, the stack height it needs, how it
// changes the stack, and per revision its base gas cost or kUndefined. The interpreter's dispatch,
// stack checks and constant gas charging are all generated from this file, so availability and
// pricing live in exactly one place. Dynamic costs (memory, cold access, copies, ...) are charged by
// the instructions themselves.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sluice/evm/revision.hpp"

namespace sluice::evm {

// X(opcode, MNEMONIC, stack_required, stack_change)
#define SLUICE_EVM_OPCODES(X)        \
    X(0x00, STOP, 0, 0)              \
    X(0x01, ADD, 2, -1)              \
    X(0x02, MUL, 2, -1)              \
    X(0x03, SUB, 2, -1)              \
    X(0x04, DIV, 2, -1)              \
    X(0x05, SDIV, 2, -1)             \
    X(0x06, MOD, 2, -1)              \
    X(0x07, SMOD, 2, -1)             \
    X(0x08, ADDMOD, 3, -2)           \
    X(0x09, MULMOD, 3, -2)           \
    X(0x0a, EXP, 2, -1)              \
    X(0x0b, SIGNEXTEND, 2, -1)       \
    X(0x10, LT, 2, -1)               \
    X(0x11, GT, 2, -1)               \
    X(0x12, SLT, 2, -1)              \
    X(0x13, SGT, 2, -1)              \
    X(0x14, EQ, 2, -1)               \
    X(0x15, ISZERO, 1, 0)            \
    X(0x16, AND, 2, -1)              \
    X(0x17, OR, 2, -1)               \
    X(0x18, XOR, 2, -1)              \
    X(0x19, NOT, 1, 0)               \
    X(0x1a, BYTE, 2, -1)             \
    X(0x1b, SHL, 2, -1)              \
    X(0x1c, SHR, 2, -1)              \
    X(0x1d, SAR, 2, -1)              \
    X(0x1e, CLZ, 1, 0)               \
    X(0x20, KECCAK256, 2, -1)        \
    X(0x30, ADDRESS, 0, 1)           \
    X(0x31, BALANCE, 1, 0)           \
    X(0x32, ORIGIN, 0, 1)            \
    X(0x33, CALLER, 0, 1)            \
    X(0x34, CALLVALUE, 0, 1)         \
    X(0x35, CALLDATALOAD, 1, 0)      \
    X(0x36, CALLDATASIZE, 0, 1)      \
    X(0x37, CALLDATACOPY, 3, -3)     \
    X(0x38, CODESIZE, 0, 1)          \
    X(0x39, CODECOPY, 3, -3)         \
    X(0x3a, GASPRICE, 0, 1)          \
    X(0x3b, EXTCODESIZE, 1, 0)       \
    X(0x3c, EXTCODECOPY, 4, -4)      \
    X(0x3d, RETURNDATASIZE, 0, 1)    \
    X(0x3e, RETURNDATACOPY, 3, -3)   \
    X(0x3f, EXTCODEHASH, 1, 0)       \
    X(0x40, BLOCKHASH, 1, 0)         \
    X(0x41, COINBASE, 0, 1)          \
    X(0x42, TIMESTAMP, 0, 1)         \
    X(0x43, NUMBER, 0, 1)            \
    X(0x44, PREVRANDAO, 0, 1)        \
    X(0x45, GASLIMIT, 0, 1)          \
    X(0x46, CHAINID, 0, 1)           \
    X(0x47, SELFBALANCE, 0, 1)       \
    X(0x48, BASEFEE, 0, 1)           \
    X(0x49, BLOBHASH, 1, 0)          \
    X(0x4a, BLOBBASEFEE, 0, 1)       \
    X(0x50, POP, 1, -1)              \
    X(0x51, MLOAD, 1, 0)             \
    X(0x52, MSTORE, 2, -2)           \
    X(0x53, MSTORE8, 2, -2)          \
    X(0x54, SLOAD, 1, 0)             \
    X(0x55, SSTORE, 2, -2)           \
    X(0x56, JUMP, 1, -1)             \
    X(0x57, JUMPI, 2, -2)            \
    X(0x58, PC, 0, 1)                \
    X(0x59, MSIZE, 0, 1)             \
    X(0x5a, GAS, 0, 1)               \
    X(0x5b, JUMPDEST, 0, 0)          \
    X(0x5c, TLOAD, 1, 0)             \
    X(0x5d, TSTORE, 2, -2)           \
    X(0x5e, MCOPY, 3, -3)            \
    X(0x5f, PUSH0, 0, 1)             \
    X(0x60, PUSH1, 0, 1)             \
    X(0x61, PUSH2, 0, 1)             \
    X(0x62, PUSH3, 0, 1)             \
    X(0x63, PUSH4, 0, 1)             \
    X(0x64, PUSH5, 0, 1)             \
    X(0x65, PUSH6, 0, 1)             \
    X(0x66, PUSH7, 0, 1)             \
    X(0x67, PUSH8, 0, 1)             \
    X(0x68, PUSH9, 0, 1)             \
    X(0x69, PUSH10, 0, 1)            \
    X(0x6a, PUSH11, 0, 1)            \
    X(0x6b, PUSH12, 0, 1)            \
    X(0x6c, PUSH13, 0, 1)            \
    X(0x6d, PUSH14, 0, 1)            \
    X(0x6e, PUSH15, 0, 1)            \
    X(0x6f, PUSH16, 0, 1)            \
    X(0x70, PUSH17, 0, 1)            \
    X(0x71, PUSH18, 0, 1)            \
    X(0x72, PUSH19, 0, 1)            \
    X(0x73, PUSH20, 0, 1)            \
    X(0x74, PUSH21, 0, 1)            \
    X(0x75, PUSH22, 0, 1)            \
    X(0x76, PUSH23, 0, 1)            \
    X(0x77, PUSH24, 0, 1)            \
    X(0x78, PUSH25, 0, 1)            \
    X(0x79, PUSH26, 0, 1)            \
    X(0x7a, PUSH27, 0, 1)            \
    X(0x7b, PUSH28, 0, 1)            \
    X(0x7c, PUSH29, 0, 1)            \
    X(0x7d, PUSH30, 0, 1)            \
    X(0x7e, PUSH31, 0, 1)            \
    X(0x7f, PUSH32, 0, 1)            \
    X(0x80, DUP1, 1, 1)              \
    X(0x81, DUP2, 2, 1)              \
    X(0x82, DUP3, 3, 1)              \
    X(0x83, DUP4, 4, 1)              \
    X(0x84, DUP5, 5, 1)              \
    X(0x85, DUP6, 6, 1)              \
    X(0x86, DUP7, 7, 1)              \
    X(0x87, DUP8, 8, 1)              \
    X(0x88, DUP9, 9, 1)              \
    X(0x89, DUP10, 10, 1)            \
    X(0x8a, DUP11, 11, 1)            \
    X(0x8b, DUP12, 12, 1)            \
    X(0x8c, DUP13, 13, 1)            \
    X(0x8d, DUP14, 14, 1)            \
    X(0x8e, DUP15, 15, 1)            \
    X(0x8f, DUP16, 16, 1)            \
    X(0x90, SWAP1, 2, 0)             \
    X(0x91, SWAP2, 3, 0)             \
    X(0x92, SWAP3, 4, 0)             \
    X(0x93, SWAP4, 5, 0)             \
    X(0x94, SWAP5, 6, 0)             \
    X(0x95, SWAP6, 7, 0)             \
    X(0x96, SWAP7, 8, 0)             \
    X(0x97, SWAP8, 9, 0)             \
    X(0x98, SWAP9, 10, 0)            \
    X(0x99, SWAP10, 11, 0)           \
    X(0x9a, SWAP11, 12, 0)           \
    X(0x9b, SWAP12, 13, 0)           \
    X(0x9c, SWAP13, 14, 0)           \
    X(0x9d, SWAP14, 15, 0)           \
    X(0x9e, SWAP15, 16, 0)           \
    X(0x9f, SWAP16, 17, 0)           \
    X(0xa0, LOG0, 2, -2)             \
    X(0xa1, LOG1, 3, -3)             \
    X(0xa2, LOG2, 4, -4)             \
    X(0xa3, LOG3, 5, -5)             \
    X(0xa4, LOG4, 6, -6)             \
    X(0xf0, CREATE, 3, -2)           \
    X(0xf1, CALL, 7, -6)             \
    X(0xf2, CALLCODE, 7, -6)         \
    X(0xf3, RETURN, 2, -2)           \
    X(0xf4, DELEGATECALL, 6, -5)     \
    X(0xf5, CREATE2, 4, -3)          \
    X(0xfa, STATICCALL, 6, -5)       \
    X(0xfd, REVERT, 2, -2)           \
    X(0xfe, INVALID, 0, 0)           \
    X(0xff, SELFDESTRUCT, 1, -1)

enum class Opcode : std::uint8_t {
#define SLUICE_EVM_OPCODE_ENUM(code, name, req, change) name = (code),
    SLUICE_EVM_OPCODES(SLUICE_EVM_OPCODE_ENUM)
#undef SLUICE_EVM_OPCODE_ENUM
};

struct InstructionTraits {
    std::string_view name;            // empty for unassigned opcodes
    std::int8_t stack_required = 0;   // items that must be on the stack
    std::int8_t stack_change = 0;     // height after minus height before
};

inline constexpr std::array<InstructionTraits, 256> kInstructionTraits = [] {
    std::array<InstructionTraits, 256> t{};
#define SLUICE_EVM_OPCODE_TRAITS(code, mnemonic, req, change) t[code] = {#mnemonic, req, change};
    SLUICE_EVM_OPCODES(SLUICE_EVM_OPCODE_TRAITS)
#undef SLUICE_EVM_OPCODE_TRAITS
    return t;
}();

inline constexpr std::int16_t kUndefined = -1;
using GasCosts = std::array<std::int16_t, 256>;

namespace detail {
constexpr void set(GasCosts& g, Opcode op, std::int16_t cost) { g[static_cast<std::uint8_t>(op)] = cost; }

// Frontier's schedule, then each revision as the changes its EIPs made to the previous one.
constexpr std::array<GasCosts, kNumRevisions> make_gas_costs() {
    std::array<GasCosts, kNumRevisions> all{};
    GasCosts g{};
    g.fill(kUndefined);
    using O = Opcode;
    for (auto op : {O::STOP, O::RETURN, O::INVALID, O::SSTORE, O::SELFDESTRUCT}) set(g, op, 0);
    for (auto op : {O::ADD, O::SUB, O::LT, O::GT, O::SLT, O::SGT, O::EQ, O::ISZERO, O::AND, O::OR, O::XOR, O::NOT,
                    O::BYTE, O::CALLDATALOAD, O::CALLDATACOPY, O::CODECOPY, O::MLOAD, O::MSTORE, O::MSTORE8})
        set(g, op, 3);
    for (auto op : {O::MUL, O::DIV, O::SDIV, O::MOD, O::SMOD, O::SIGNEXTEND}) set(g, op, 5);
    for (auto op : {O::ADDMOD, O::MULMOD, O::JUMP}) set(g, op, 8);
    for (auto op : {O::ADDRESS, O::ORIGIN, O::CALLER, O::CALLVALUE, O::CALLDATASIZE, O::CODESIZE, O::GASPRICE,
                    O::COINBASE, O::TIMESTAMP, O::NUMBER, O::PREVRANDAO, O::GASLIMIT, O::POP, O::PC, O::MSIZE,
                    O::GAS})
        set(g, op, 2);
    for (auto op : {O::BALANCE, O::EXTCODESIZE, O::EXTCODECOPY, O::BLOCKHASH}) set(g, op, 20);
    set(g, O::EXP, 10);
    set(g, O::JUMPI, 10);
    set(g, O::KECCAK256, 30);
    set(g, O::SLOAD, 50);
    set(g, O::JUMPDEST, 1);
    set(g, O::CREATE, 32000);
    set(g, O::CALL, 40);
    set(g, O::CALLCODE, 40);
    for (int i = 0; i < 32; ++i) g[0x60 + i] = 3;  // PUSH1..PUSH32
    for (int i = 0; i < 16; ++i) g[0x80 + i] = 3;  // DUP1..DUP16
    for (int i = 0; i < 16; ++i) g[0x90 + i] = 3;  // SWAP1..SWAP16
    for (int i = 0; i <= 4; ++i) g[0xa0 + i] = static_cast<std::int16_t>(375 * (1 + i));  // LOG0..LOG4
    all[static_cast<std::size_t>(Revision::frontier)] = g;

    set(g, O::DELEGATECALL, 40);  // EIP-7
    all[static_cast<std::size_t>(Revision::homestead)] = g;

    // EIP-150: IO-heavy operations repriced.
    set(g, O::BALANCE, 400);
    set(g, O::EXTCODESIZE, 700);
    set(g, O::EXTCODECOPY, 700);
    set(g, O::SLOAD, 200);
    set(g, O::CALL, 700);
    set(g, O::CALLCODE, 700);
    set(g, O::DELEGATECALL, 700);
    set(g, O::SELFDESTRUCT, 5000);
    all[static_cast<std::size_t>(Revision::tangerine_whistle)] = g;

    all[static_cast<std::size_t>(Revision::spurious_dragon)] = g;  // EIP-160 changes EXP's dynamic part only

    set(g, O::RETURNDATASIZE, 2);  // EIP-211
    set(g, O::RETURNDATACOPY, 3);
    set(g, O::STATICCALL, 700);  // EIP-214
    set(g, O::REVERT, 0);        // EIP-140
    all[static_cast<std::size_t>(Revision::byzantium)] = g;

    set(g, O::SHL, 3);  // EIP-145
    set(g, O::SHR, 3);
    set(g, O::SAR, 3);
    set(g, O::EXTCODEHASH, 400);  // EIP-1052
    set(g, O::CREATE2, 32000);    // EIP-1014
    all[static_cast<std::size_t>(Revision::constantinople)] = g;
    all[static_cast<std::size_t>(Revision::petersburg)] = g;

    set(g, O::BALANCE, 700);  // EIP-1884
    set(g, O::EXTCODEHASH, 700);
    set(g, O::SLOAD, 800);
    set(g, O::SELFBALANCE, 5);
    set(g, O::CHAINID, 2);  // EIP-1344
    all[static_cast<std::size_t>(Revision::istanbul)] = g;

    // EIP-2929: the base is the warm access cost; the cold surcharge is dynamic.
    for (auto op : {O::BALANCE, O::EXTCODESIZE, O::EXTCODECOPY, O::EXTCODEHASH, O::SLOAD, O::CALL, O::CALLCODE,
                    O::DELEGATECALL, O::STATICCALL})
        set(g, op, 100);
    all[static_cast<std::size_t>(Revision::berlin)] = g;

    set(g, O::BASEFEE, 2);  // EIP-3198
    all[static_cast<std::size_t>(Revision::london)] = g;
    all[static_cast<std::size_t>(Revision::paris)] = g;  // EIP-4399 renames DIFFICULTY only

    set(g, O::PUSH0, 2);  // EIP-3855
    all[static_cast<std::size_t>(Revision::shanghai)] = g;

    set(g, O::TLOAD, 100);  // EIP-1153
    set(g, O::TSTORE, 100);
    set(g, O::MCOPY, 3);     // EIP-5656
    set(g, O::BLOBHASH, 3);  // EIP-4844
    set(g, O::BLOBBASEFEE, 2);  // EIP-7516
    all[static_cast<std::size_t>(Revision::cancun)] = g;
    all[static_cast<std::size_t>(Revision::prague)] = g;

    set(g, O::CLZ, 5);  // EIP-7939
    all[static_cast<std::size_t>(Revision::osaka)] = g;
    return all;
}

// The cost if it is the same in every revision that defines the opcode, else kUndefined; lets the
// interpreter charge such opcodes with an immediate instead of a table load.
constexpr std::array<std::int16_t, 256> make_fixed_costs(const std::array<GasCosts, kNumRevisions>& all) {
    std::array<std::int16_t, 256> fixed{};
    for (std::size_t op = 0; op < 256; ++op) {
        std::int16_t cost = kUndefined;
        bool same = true;
        for (const auto& g : all) {
            if (g[op] == kUndefined) continue;
            if (cost != kUndefined && g[op] != cost) same = false;
            cost = g[op];
        }
        fixed[op] = same ? cost : kUndefined;
    }
    return fixed;
}
}  // namespace detail

inline constexpr std::array<GasCosts, kNumRevisions> kGasCosts = detail::make_gas_costs();
inline constexpr std::array<std::int16_t, 256> kFixedGasCosts = detail::make_fixed_costs(kGasCosts);

constexpr const GasCosts& gas_costs(Revision rev) noexcept { return kGasCosts[static_cast<std::size_t>(rev)]; }
constexpr bool is_defined(Revision rev, std::uint8_t opcode) noexcept {
    return gas_costs(rev)[opcode] != kUndefined;
}

}  // namespace sluice::evm
