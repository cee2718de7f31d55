// Addresses of contracts created by CREATE (keccak(rlp([sender, nonce]))[12:]) and
// CREATE2 (keccak(0xff ++ sender ++ salt ++ keccak(initcode)))[12:]).
#pragma once

#include <cstdint>

#include "sluice/core/bytes.hpp"

namespace sluice::evm {

Address create_address(const Address& sender, std::uint64_t sender_nonce);
Address create2_address(const Address& sender, const Bytes32& salt, const Hash& initcode_hash);

}  // namespace sluice::evm
