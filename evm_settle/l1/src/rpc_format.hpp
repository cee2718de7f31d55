// The JSON shapes of the execution API specification for blocks, transactions, receipts and logs.
#pragma once

#include <cstdint>
#include <optional>

#include "rpc_answer.hpp"
#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/l1/devchain.hpp"

namespace sluice::l1::rpc {

Json quantity(const u256& value);
Json quantity(std::uint64_t value);
Json hex_data(ByteView bytes);
Json address(const Address& a);

Json block_json(const Devchain& chain, const Block& block, bool full_transactions);
Json transaction_json(const TransactionRecord& record);
// A transaction still in the mempool: blockHash, blockNumber and transactionIndex null.
Json pending_transaction_json(const PendingTransaction& pending);
// mined: its receipt, or nullptr while pending.
Json transaction_json(const SignedTransaction& signed_tx, const TxReceipt* mined);
Json receipt_json(const TransactionRecord& record);
Json log_json(const LogRecord& log);

}  // namespace sluice::l1::rpc
