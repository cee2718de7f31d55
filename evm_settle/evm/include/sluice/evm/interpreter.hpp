// The interpreter: runs one frame's code against a Host (see host.hpp for who does what).
//
// `analyze` prepares a code once (jumpdest bitmap, code padded so that PUSH at the end and running off
// the end need no bounds checks); the result is immutable and may be cached by code hash and shared
// between threads. `execute` with raw code analyzes on the fly.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sluice/evm/host.hpp"

namespace sluice::evm {

class CodeAnalysis {
public:
    explicit CodeAnalysis(ByteView code);

    ByteView code() const noexcept { return {padded_.data(), size_}; }
    // The code followed by at least 33 zero bytes (STOP, and room for a PUSH32 read past the end).
    const std::uint8_t* padded_code() const noexcept { return padded_.data(); }
    bool is_jumpdest(std::uint64_t pos) const noexcept {
        return pos < size_ && ((jumpdests_[pos / 64] >> (pos % 64)) & 1U) != 0;
    }

private:
    std::vector<std::uint8_t> padded_;
    std::size_t size_ = 0;
    std::vector<std::uint64_t> jumpdests_;
};

std::shared_ptr<const CodeAnalysis> analyze(ByteView code);

ExecutionResult execute(Host& host, Revision rev, const Message& msg, ByteView code) noexcept;
ExecutionResult execute(Host& host, Revision rev, const Message& msg, const CodeAnalysis& analysis) noexcept;

}  // namespace sluice::evm
