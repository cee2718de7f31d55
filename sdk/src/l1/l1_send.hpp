// What ChannelFunding and CooperativeClose share on L1: a transaction sent through the TxSigner and waited
// for, its revert as the caller's typed error, and a pause between polls.
#pragma once

#include <chrono>

#include "sluice/core/errc.hpp"
#include "sluice/l1/tx_signer.hpp"
#include "sluice/sdk/sent_tx.hpp"

namespace sluice::sdk::detail {

// Submits `request`, waits for its receipt and prices it. A revert, found by gas estimation (nothing is sent;
// the message holds the decoded reason) or when mined, is `reverted` with `what` in the message; every other
// error (transport, the node's refusal, l1_timeout) is passed through.
l1::Async<SentTx> send_and_wait(l1::TxSigner& signer, l1::TxRequest request, Errc reverted, const char* what);

// Waits `interval` on the calling coroutine's executor.
boost::asio::awaitable<void> pause(std::chrono::milliseconds interval);

}  // namespace sluice::sdk::detail
