// Out-of-line instructions: those that touch the host, copy data or have dynamic gas. Each reads
// its operands from the stack top `sp` (sp[0] is the top), leaves its result where the new top will
// be (sp + stack_change), and returns its status with the gas left. The interpreter loop has already
// checked stack heights and charged the base cost from the opcode table.
#pragma once

#include <cstdint>

#include "execution_state.hpp"
#include "sluice/evm/instructions_table.hpp"

namespace sluice::evm {

struct OpResult {
    StatusCode status;
    std::int64_t gas;
};

// Hashing, copying and logging (instructions_data.cpp).
OpResult op_keccak256(ExecutionState& st, u256* sp, std::int64_t gas) noexcept;
OpResult op_calldatacopy(ExecutionState& st, u256* sp, std::int64_t gas) noexcept;
OpResult op_codecopy(ExecutionState& st, u256* sp, std::int64_t gas) noexcept;
OpResult op_returndatacopy(ExecutionState& st, u256* sp, std::int64_t gas) noexcept;
OpResult op_mcopy(ExecutionState& st, u256* sp, std::int64_t gas) noexcept;
OpResult op_log(ExecutionState& st, u256* sp, std::int64_t gas, int num_topics) noexcept;
void op_calldataload(ExecutionState& st, u256* sp) noexcept;

// Accounts, block data and storage (instructions_host.cpp).
OpResult op_balance(ExecutionState& st, u256* sp, std::int64_t gas) noexcept;
OpResult op_extcodesize(ExecutionState& st, u256* sp, std::int64_t gas) noexcept;
OpResult op_extcodehash(ExecutionState& st, u256* sp, std::int64_t gas) noexcept;
OpResult op_extcodecopy(ExecutionState& st, u256* sp, std::int64_t gas) noexcept;
void op_blockhash(ExecutionState& st, u256* sp) noexcept;
void op_blobhash(ExecutionState& st, u256* sp) noexcept;
OpResult op_sload(ExecutionState& st, u256* sp, std::int64_t gas) noexcept;
OpResult op_sstore(ExecutionState& st, u256* sp, std::int64_t gas) noexcept;
void op_tload(ExecutionState& st, u256* sp) noexcept;
OpResult op_tstore(ExecutionState& st, u256* sp, std::int64_t gas) noexcept;
OpResult op_selfdestruct(ExecutionState& st, u256* sp, std::int64_t gas) noexcept;

// Nested frames (instructions_calls.cpp).
OpResult op_call(ExecutionState& st, u256* sp, std::int64_t gas, Opcode kind) noexcept;
OpResult op_create(ExecutionState& st, u256* sp, std::int64_t gas, Opcode kind) noexcept;

}  // namespace sluice::evm
