// RpcDispatcher: JSON-RPC 2.0 framing for the hub's admin RPC, with no knowledge of what the methods do.
//
// A body is one request object or a batch array (1..kMaxBatch requests, answered in order, run one after
// another). A request is {"jsonrpc":"2.0","method":string,"params"?:array|object,"id"?:string|number|null}
// and nothing else (unknown members are refused, as everywhere in Sluice's JSON; duplicate keys are a parse
// error). A request without "id" is a notification: it runs and gets no answer.
//
// Error codes sent:
//   -32700 parse error (not JSON, duplicate keys), -32600 invalid request (shape, empty or oversize batch),
//   -32601 method not found, -32602 invalid params, -32603 internal (also an exception escaping a handler:
//   it is caught, the process goes on);
//   1205 (rpc_forbidden): a read-only caller on a method that needs Access::full;
//   any other: what a handler returns, normally to_rpc_error(error) = the stable Errc value.
//
// Handlers report bad parameters with Errc::rpc_invalid_params (the helpers in rpc_params.hpp do) and return
// to_rpc_error(error): to_rpc_error maps the four protocol Errcs (rpc_parse_error, rpc_invalid_request,
// rpc_method_not_found, rpc_invalid_params) to their standard codes -32700/-32600/-32601/-32602 and every
// other Errc to its own value; data is always {"name": errc_name(code)}.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "sluice/core/result.hpp"
#include "sluice/hub/rpc_auth.hpp"

namespace sluice::hub {

inline constexpr int kRpcParseError = -32700;
inline constexpr int kRpcInvalidRequest = -32600;
inline constexpr int kRpcMethodNotFound = -32601;
inline constexpr int kRpcInvalidParams = -32602;
inline constexpr int kRpcInternalError = -32603;

struct RpcError {
    int code = kRpcInternalError;
    std::string message;
    nlohmann::json data;  // left out of the reply when null
};

using RpcReply = std::variant<nlohmann::json /*result*/, RpcError>;
// `params` is the request's array or object, or null when it had none: the handler decides what that means.
using RpcHandler = std::function<boost::asio::awaitable<RpcReply>(nlohmann::json params)>;

// What handle() tells an observer about each request it answered or ran (notifications too), in order: the
// method ("" when the request had none that could be read) and the error code, if any.
using RpcCallObserver = std::function<void(std::string_view method, const RpcError* error)>;

class RpcDispatcher {
  public:
    static constexpr std::size_t kMaxBatch = 100;

    // `needed`: the least Access a caller needs (Access::full for any method that changes anything).
    // Adding a name again replaces it. Add every method before serving: add() and handle() must not race.
    void add(std::string method, Access needed, std::string help, RpcHandler handler);

    // One request body from a caller with `caller` rights -> the reply body ("" when the body held only
    // notifications). Never throws; malformed input gets the JSON-RPC error object. `body` must stay alive
    // until the returned awaitable completes.
    boost::asio::awaitable<std::string> handle(std::string_view body, Access caller) const;
    boost::asio::awaitable<std::string> handle(std::string_view body, Access caller,
                                               const RpcCallObserver& observer) const;

    // (name, help) of every method, sorted by name (for a `help` method).
    std::vector<std::pair<std::string, std::string>> methods() const;
    // The Access a method needs, or nullopt when there is no such method.
    std::optional<Access> access_of(std::string_view method) const;

  private:
    struct Method {
        Access needed = Access::full;
        std::string help;
        RpcHandler handler;
    };
    boost::asio::awaitable<std::optional<nlohmann::json>> handle_one(const nlohmann::json& request,
                                                                     Access caller,
                                                                     const RpcCallObserver& observer) const;
    std::map<std::string, Method, std::less<>> methods_;
};

// An Error from a Result as an RPC error (see the mapping above): message = error.describe(),
// data = {"name": errc_name(code)}.
RpcError to_rpc_error(const Error& e);

// A complete error response body {"jsonrpc":"2.0","error":{...},"id":null}, for replies made outside the
// dispatcher (the HTTP server's 401 and 413).
std::string rpc_error_body(const RpcError& error);

}  // namespace sluice::hub
