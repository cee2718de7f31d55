#include "sluice/l1/logs_bloom.hpp"

#include "sluice/core/keccak.hpp"

namespace sluice::l1 {

void bloom_add(Bloom& bloom, ByteView item) {
    const Hash h = keccak256(item);
    for (std::size_t i = 0; i < 6; i += 2) {
        // The low 11 bits of each big-endian byte pair name a bit, counted from the bloom's last byte.
        const unsigned bit = ((static_cast<unsigned>(h[i]) << 8) | h[i + 1]) & 2047u;
        bloom[255 - bit / 8] |= static_cast<std::uint8_t>(1u << (bit % 8));
    }
}

Bloom logs_bloom(std::span<const evm::Log> logs) {
    Bloom bloom;
    for (const evm::Log& log : logs) {
        bloom_add(bloom, log.address.view());
        for (const Bytes32& topic : log.topics)
            bloom_add(bloom, topic.view());
    }
    return bloom;
}

void bloom_merge(Bloom& into, const Bloom& other) {
    for (std::size_t i = 0; i < Bloom::size(); ++i)
        into[i] |= other[i];
}

}  // namespace sluice::l1
