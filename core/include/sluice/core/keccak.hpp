// keccak-256 (the original Keccak padding 0x01, as Ethereum uses; not FIPS-202 SHA3-256).
#pragma once

#include <array>
#include <cstdint>

#include "sluice/core/bytes.hpp"

namespace sluice {

// One-shot hash.
Hash keccak256(ByteView data) noexcept;

// Streaming hash: update() any number of times, then finalize() once.
class Keccak256 {
public:
    Keccak256() noexcept;
    void update(ByteView data) noexcept;
    Hash finalize() noexcept;

private:
    std::array<std::uint64_t, 25> state_{};
    std::array<std::uint8_t, 136> buffer_{};
    std::size_t buffered_ = 0;
};

// The raw permutation, exposed for tests and for callers hashing many small inputs.
void keccak_f1600(std::array<std::uint64_t, 25>& state) noexcept;

}  // namespace sluice
