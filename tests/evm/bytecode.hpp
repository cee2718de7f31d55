// A tiny bytecode builder for tests: `push(2) + push(3) + Opcode::ADD + ret_top()`.
#pragma once

#include <string_view>

#include "sluice/core/hex.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/evm/instructions_table.hpp"

namespace sluice::evm::test {

inline Bytes operator+(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}
inline Bytes operator+(Bytes a, Opcode op) {
    a.push_back(static_cast<std::uint8_t>(op));
    return a;
}
inline Bytes operator+(Opcode op, const Bytes& b) { return Bytes{static_cast<std::uint8_t>(op)} + b; }
inline Bytes operator+(Opcode a, Opcode b) { return Bytes{static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b)}; }

inline Bytes bytes(Opcode op) { return Bytes{static_cast<std::uint8_t>(op)}; }

// Raw hex (no prefix), for data or hand-written code.
inline Bytes hex(std::string_view text) { return from_hex(text, HexPrefix::optional).value(); }

// PUSH of exactly the given big-endian bytes (1..32 of them).
inline Bytes push_bytes(const Bytes& data) {
    Bytes out{static_cast<std::uint8_t>(0x5f + data.size())};
    return out + data;
}

// The shortest PUSHn for v (PUSH1 0 for zero, so the code runs before Shanghai too).
inline Bytes push(const u256& v) {
    const Hash be = v.to_be();
    std::size_t first = 0;
    while (first < 31 && be[first] == 0) ++first;
    return push_bytes(Bytes(be.begin() + static_cast<std::ptrdiff_t>(first), be.end()));
}

inline Bytes push(const Address& a) { return push_bytes(Bytes(a.begin(), a.end())); }

// MSTORE the top of the stack at 0 and RETURN those 32 bytes.
inline Bytes ret_top() { return push(0) + Opcode::MSTORE + push(32) + push(0) + Opcode::RETURN; }

// Stores `value` at memory `offset` (MSTORE).
inline Bytes mstore(const u256& offset, const u256& value) { return push(value) + push(offset) + Opcode::MSTORE; }

}  // namespace sluice::evm::test
