// Jumpdest analysis: marks every JUMPDEST byte that is an instruction (not PUSH data).
#include <cstring>

#include "sluice/evm/instructions_table.hpp"
#include "sluice/evm/interpreter.hpp"

namespace sluice::evm {

namespace {
constexpr std::size_t kPadding = 33;
}

CodeAnalysis::CodeAnalysis(ByteView code)
    : padded_(code.size() + kPadding, 0), size_(code.size()), jumpdests_((code.size() + 63) / 64, 0) {
    if (!code.empty()) std::memcpy(padded_.data(), code.data(), code.size());
    for (std::size_t i = 0; i < size_; ++i) {
        const auto op = padded_[i];
        if (op == static_cast<std::uint8_t>(Opcode::JUMPDEST)) {
            jumpdests_[i / 64] |= std::uint64_t{1} << (i % 64);
        } else if (op >= static_cast<std::uint8_t>(Opcode::PUSH1) && op <= static_cast<std::uint8_t>(Opcode::PUSH32)) {
            i += static_cast<std::size_t>(op - static_cast<std::uint8_t>(Opcode::PUSH1) + 1);
        }
    }
}

std::shared_ptr<const CodeAnalysis> analyze(ByteView code) { return std::make_shared<const CodeAnalysis>(code); }

}  // namespace sluice::evm
