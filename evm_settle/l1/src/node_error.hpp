// A node's JSON-RPC error object as a typed Error (l1_client.hpp lists the codes). Nodes agree on the
// JSON-RPC codes but word transaction refusals differently; geth's phrases (which the devchain uses) and
// hardhat's are both recognised.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rpc_answer.hpp"
#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"

namespace sluice::l1 {

// The revert data an error carries: "data" as hex, or (hardhat) an object whose "data" is hex.
std::optional<Bytes> revert_data_of(const rpc::Json& error);

// True when the error says execution reverted (code 3, or a message that says so) .
bool is_revert(const rpc::Json& error);

Error node_error(const rpc::Json& error, std::string_view method, std::span<const std::string> custom_errors);

}  // namespace sluice::l1
