// An EVM log record and the logs hash of the state tests: keccak256(rlp([[address, [topics], data], ...])).
#pragma once

#include <span>
#include <vector>

#include "sluice/core/bytes.hpp"

namespace sluice::evm {

struct Log {
    Address address;
    std::vector<Bytes32> topics;
    Bytes data;

    friend bool operator==(const Log&, const Log&) = default;
};

Bytes rlp_encode_log(const Log& log);
Hash logs_hash(std::span<const Log> logs);

}  // namespace sluice::evm
