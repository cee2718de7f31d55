// L1Client: the one interface everything in Sluice reads and writes L1 through (funding, closing,
// disputes, settlement, the wallet's balances), so the same code runs on the embedded devchain
// (InProcessL1Client, no sockets) and on a real node (HttpL1Client). Every call is a coroutine on the
// caller's executor and returns a Result; no exception crosses it.
//
// Errors (Errc, core/errc.hpp):
//   l1_transport        the request did not reach the node or no reply came back (connect, reset, HTTP
//   status) l1_timeout          no reply within the call's timeout l1_rpc_error        the node answered with
//   a JSON-RPC error (its code and message in the message) l1_method_not_found the node does not serve the
//   method (-32601): lets a caller fall back l1_reverted         eth_estimateGas or a send the node refused
//   because execution reverts; the message
//                       holds the decoded reason (revert_reason.hpp) and the revert data in hex
//   l1_malformed_reply  a reply that is not JSON-RPC 2.0 or whose result has the wrong shape
//   l1_reply_too_large / l1_request_too_large   the size limits of the transport
//   and for eth_sendRawTransaction the node's refusal as a typed code where nodes agree on the wording
//   (geth's, which hardhat and the devchain follow): tx_nonce_too_low, tx_insufficient_funds,
//   tx_fee_cap_below_base_fee, tx_intrinsic_gas_too_low, l1_tx_already_known, l1_replacement_underpriced,
//   else l1_tx_rejected with the node's message.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/l1/chain_records.hpp"
#include "sluice/l1/l1_types.hpp"

namespace sluice::l1 {

template <class T>
using Async = boost::asio::awaitable<Result<T>>;

struct ReceiptWait {
    // 1: mined is enough; n: the receipt's block has n - 1 blocks on top of it.
    std::uint32_t confirmations = 1;
    std::chrono::milliseconds poll_interval{200};
    std::chrono::milliseconds timeout{60'000};  // l1_timeout after this
};

class L1Client {
  public:
    virtual ~L1Client() = default;

    virtual Async<u256> chain_id() = 0;
    virtual Async<std::int64_t> block_number() = 0;
    // nullopt when the node has no such block (yet).
    virtual Async<std::optional<BlockSummary>> block(BlockTag tag) = 0;
    virtual Async<std::optional<BlockSummary>> block_by_hash(const Hash& hash) = 0;

    virtual Async<u256> balance(const Address& account, BlockTag tag) = 0;
    virtual Async<std::uint64_t> nonce(const Address& account, BlockTag tag) = 0;
    virtual Async<Bytes> code(const Address& account, BlockTag tag) = 0;
    virtual Async<u256> storage(const Address& account, const Bytes32& slot, BlockTag tag) = 0;
    virtual Async<AccountProof> proof(const Address& account, std::span<const Bytes32> slots,
                                      BlockTag tag) = 0;

    virtual Async<CallOutcome> call(const CallRequest& request, BlockTag tag) = 0;
    virtual Async<std::uint64_t> estimate_gas(const CallRequest& request, BlockTag tag) = 0;

    virtual Async<u256> gas_price() = 0;
    virtual Async<u256> max_priority_fee_per_gas() = 0;
    virtual Async<FeeHistory> fee_history(std::uint64_t block_count, BlockTag newest,
                                          std::span<const double> reward_percentiles) = 0;

    // The transaction's hash as the node reports it. A send the node answers with a revert (hardhat's
    // automine does, after mining it) is the transaction's own hash: it was taken.
    virtual Async<Hash> send_raw_transaction(ByteView raw) = 0;
    virtual Async<std::optional<TransactionInfo>> transaction(const Hash& hash) = 0;
    virtual Async<std::optional<TxReceipt>> receipt(const Hash& hash) = 0;
    virtual Async<std::vector<LogRecord>> logs(const LogQuery& query) = 0;

    // Polls until the transaction is mined with `wait.confirmations` and its block is still the
    // canonical one at that height (a receipt whose block was reorged away is waited for again).
    Async<TxReceipt> wait_for_receipt(const Hash& hash, ReceiptWait wait = {});
};

}  // namespace sluice::l1
