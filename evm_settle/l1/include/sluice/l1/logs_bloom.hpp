// The 2048-bit logs bloom of receipts and block headers (yellow paper §4.3.1): each log sets three bits for
// its address and three for each topic, taken from the first six bytes of the item's keccak256.
#pragma once

#include <span>

#include "sluice/core/bytes.hpp"
#include "sluice/evm/log.hpp"

namespace sluice::l1 {

using Bloom = FixedBytes<256>;

void bloom_add(Bloom& bloom, ByteView item);
Bloom logs_bloom(std::span<const evm::Log> logs);
void bloom_merge(Bloom& into, const Bloom& other);

}  // namespace sluice::l1
