// What one JSON-RPC method answers: a result, or an error with its JSON-RPC code.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "sluice/core/result.hpp"

namespace sluice::l1::rpc {

using Json = nlohmann::json;

inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kServerError = -32000;
inline constexpr int kLimitExceeded = -32005;
inline constexpr int kExecutionReverted = 3;

struct RpcError {
    int code = kServerError;
    std::string message;
    std::optional<std::string> data;  // hex revert data
};

struct RpcAnswer {
    Json result;
    std::optional<RpcError> error;
};

inline RpcAnswer answer(Json result) {
    return RpcAnswer{std::move(result), std::nullopt};
}
inline RpcAnswer fail(RpcError error) {
    return RpcAnswer{nullptr, std::move(error)};
}
// The JSON-RPC code and message of a library error (rpc_dispatcher.hpp lists the mapping).
RpcError rpc_error_of(const Error& error);
inline RpcAnswer fail(const Error& error) {
    return fail(rpc_error_of(error));
}

}  // namespace sluice::l1::rpc

// RPC_TRY(decl, expr): as SLUICE_TRY, in a function returning RpcAnswer.
#define RPC_TRY(decl, expr) RPC_TRY_IMPL(decl, expr, SLUICE_CONCAT(rpc_try_, __LINE__))
#define RPC_TRY_IMPL(decl, expr, tmp)                           \
    auto tmp = (expr);                                          \
    if (!tmp.ok()) return ::sluice::l1::rpc::fail(tmp.error()); \
    decl = std::move(tmp).value()
#define RPC_CHECK_OK(expr) RPC_CHECK_OK_IMPL(expr, SLUICE_CONCAT(rpc_ok_, __LINE__))
#define RPC_CHECK_OK_IMPL(expr, tmp) \
    if (auto tmp = (expr); !tmp.ok()) return ::sluice::l1::rpc::fail(tmp.error())
