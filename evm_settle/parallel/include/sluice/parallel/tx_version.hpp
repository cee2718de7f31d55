// Transaction indices and incarnations: the (tx, incarnation) pair Block-STM versions every write with.
#pragma once

#include <cstdint>

namespace sluice::parallel {

// Position of a transaction in its batch; lower indices come first in the sequential order.
using TxIndex = std::uint32_t;
// How many times a transaction has been (re)started in this batch; bumped on every abort.
using Incarnation = std::uint32_t;

struct TxVersion {
    TxIndex tx = 0;
    Incarnation incarnation = 0;

    friend bool operator==(const TxVersion&, const TxVersion&) = default;
};

}  // namespace sluice::parallel
