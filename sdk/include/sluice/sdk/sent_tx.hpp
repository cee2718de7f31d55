// SentTx: one transaction the SDK sent to L1 for a channel (a deposit, an approval, a conclude, a withdraw)
// and what it cost, as ChannelFunding and CooperativeClose report them.
#pragma once

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/l1/chain_records.hpp"

namespace sluice::sdk {

struct SentTx {
    Hash hash;  // the mined transaction (after fee bumps, the hash that was mined)
    l1::TxReceipt receipt;
    u256 fee;  // gas_used × effective_gas_price: what the sender paid for it
};

}  // namespace sluice::sdk
