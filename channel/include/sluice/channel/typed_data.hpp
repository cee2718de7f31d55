// A state as the eth_signTypedData_v4 payload {types, primaryType, domain, message}: what an external wallet
// (MetaMask, a hardware wallet) is shown and signs. Its EIP-712 digest is state_digest(params, state); the
// tests check that through core's generic EIP-712 code, which makes this the reference for the fast path.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "sluice/channel/types.hpp"

namespace sluice::channel {

// uint256/uint64 values as decimal strings, uint16 as numbers, bytes as 0x-hex, addresses EIP-55.
nlohmann::json typed_data(const Params& params, const State& state);

}  // namespace sluice::channel
