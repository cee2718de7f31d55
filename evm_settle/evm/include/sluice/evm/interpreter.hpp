// The interpreter: runs one frame's code against a Host.
//
// API CONTRACT (implementation pending):
//   namespace sluice::evm
//   class CodeAnalysis;   // jumpdest bitmap + padded code, built once per code (cacheable by code hash)
//   std::shared_ptr<const CodeAnalysis> analyze(ByteView code);
//   ExecutionResult execute(Host& host, Revision rev, const Message& msg, ByteView code) noexcept;
//   ExecutionResult execute(Host& host, Revision rev, const Message& msg, const CodeAnalysis& analysis) noexcept;
//   The opcode table (one constexpr table, per-revision gas/stack/availability) lives in instructions_table.hpp.
#pragma once

#include "sluice/evm/host.hpp"
