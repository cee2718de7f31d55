// The client side of the execution API's JSON: a node's results parsed into l1_types.hpp. As strict as
// the devchain's params (rpc_params.hpp), but every error is Errc::l1_malformed_reply naming the field,
// since here it is the node that answered wrongly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "rpc_answer.hpp"
#include "sluice/core/result.hpp"
#include "sluice/l1/l1_types.hpp"

namespace sluice::l1::reply {

using rpc::Json;

Result<u256> quantity(const Json& value, const std::string& what);
Result<std::uint64_t> quantity64(const Json& value, const std::string& what);
Result<std::int64_t> block_number(const Json& value, const std::string& what);
Result<Bytes> data(const Json& value, const std::string& what);
Result<Address> address(const Json& value, const std::string& what);
Result<Hash> hash(const Json& value, const std::string& what);

Result<BlockSummary> block(const Json& value);
Result<TransactionInfo> transaction(const Json& value);
Result<TxReceipt> receipt(const Json& value);
Result<LogRecord> log(const Json& value, const std::string& what);
Result<FeeHistory> fee_history(const Json& value);
Result<AccountProof> account_proof(const Json& value);

}  // namespace sluice::l1::reply
