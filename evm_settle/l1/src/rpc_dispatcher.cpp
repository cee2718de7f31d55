// JSON-RPC 2.0 framing: requests, batches, notifications, limits and the mapping of library errors to codes.
#include "sluice/l1/rpc_dispatcher.hpp"

#include <string>
#include <utility>

#include "rpc_answer.hpp"
#include "rpc_methods.hpp"
#include "sluice/core/json_text.hpp"

namespace sluice::l1 {
namespace rpc {

RpcError rpc_error_of(const Error& error) {
    const auto code = static_cast<int>(error.code);
    if (error.code == Errc::rpc_bad_params || error.code == Errc::devchain_state_unavailable) {
        return RpcError{kInvalidParams, error.message, std::nullopt};
    }
    if (error.code == Errc::rpc_too_many_results)
        return RpcError{kLimitExceeded, error.message, std::nullopt};
    // The mempool's refusals, in geth's words (ethers classifies "replacement transaction underpriced").
    if (error.code == Errc::devchain_replacement_underpriced)
        return RpcError{kServerError, "replacement transaction underpriced: " + error.message, std::nullopt};
    if (error.code == Errc::devchain_mempool_full)
        return RpcError{kServerError, "txpool is full: " + error.message, std::nullopt};
    if (error.code == Errc::devchain_already_known)
        return RpcError{kServerError, "already known: " + error.message, std::nullopt};
    if (code >= 700 && code < 800) {
        // "tx_nonce_too_low" -> "nonce too low: ...": the words geth uses, which clients match on.
        std::string words(errc_name(error.code).substr(3));
        for (char& c : words)
            c = c == '_' ? ' ' : c;
        if (error.code == Errc::tx_fee_cap_below_base_fee) words = "max fee per gas less than block base fee";
        return RpcError{kServerError, words + ": " + error.message, std::nullopt};
    }
    if (code >= 100 && code < 500) {
        // Hex, number, RLP and ABI errors reach here only from a raw transaction's bytes.
        return RpcError{kServerError, "invalid transaction: " + error.describe(), std::nullopt};
    }
    return RpcError{kServerError, error.describe(), std::nullopt};
}

namespace {

Json error_response(const Json& id, const RpcError& error) {
    Json e = {{"code", error.code}, {"message", error.message}};
    if (error.data) e["data"] = *error.data;
    return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(e)}};
}

bool valid_id(const Json& id) {
    return id.is_string() || id.is_number() || id.is_null();
}

// The response to one request object, or nullopt for a notification.
std::optional<Json> answer_one(Context& ctx, const Json& request) {
    if (!request.is_object())
        return error_response(nullptr, {kInvalidRequest, "a request is a JSON object", {}});
    const bool notification = !request.contains("id");
    const Json id = notification ? Json(nullptr) : request["id"];
    if (!valid_id(id))
        return error_response(nullptr, {kInvalidRequest, "id must be a string, number or null", {}});
    for (const auto& [key, value] : request.items()) {
        if (key != "jsonrpc" && key != "id" && key != "method" && key != "params") {
            return error_response(id, {kInvalidRequest, "unknown member \"" + key + "\"", {}});
        }
    }
    if (!request.contains("jsonrpc") || request["jsonrpc"] != "2.0") {
        return error_response(id, {kInvalidRequest, "jsonrpc must be \"2.0\"", {}});
    }
    if (!request.contains("method") || !request["method"].is_string()) {
        return error_response(id, {kInvalidRequest, "method must be a string", {}});
    }
    const Json params = request.contains("params") ? request["params"] : Json(nullptr);
    if (!params.is_null() && !params.is_array()) {
        return error_response(id, {kInvalidParams, "params must be an array", {}});
    }
    const std::string& name = request["method"].get_ref<const std::string&>();
    const Method method = find_method(name);
    RpcAnswer out =
        method ? method(ctx, params)
               : fail(RpcError{kMethodNotFound, "the method " + name.substr(0, 64) + " does not exist", {}});
    if (notification) return std::nullopt;
    if (out.error) return error_response(id, *out.error);
    return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(out.result)}};
}

std::string text(const Json& json) {
    return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace
}  // namespace rpc

RpcDispatcher::RpcDispatcher(Devchain& chain, RpcLimits limits, std::string client_version)
    : chain_(chain), limits_(limits), client_version_(std::move(client_version)) {}

std::string RpcDispatcher::handle(std::string_view request) {
    using namespace rpc;
    if (request.size() > limits_.max_request_bytes) {
        return text(error_response(
            nullptr, {kInvalidRequest,
                      "request of " + std::to_string(request.size()) + " bytes exceeds the limit of " +
                          std::to_string(limits_.max_request_bytes),
                      {}}));
    }
    auto parsed = parse_json_strict(request);
    if (!parsed.ok()) return text(error_response(nullptr, {kParseError, parsed.error().message, {}}));
    Context ctx{chain_, limits_, client_version_};
    const Json& json = *parsed;
    if (!json.is_array()) {
        const auto one = answer_one(ctx, json);
        return one ? text(*one) : std::string();
    }
    if (json.empty()) return text(error_response(nullptr, {kInvalidRequest, "empty batch", {}}));
    if (json.size() > limits_.max_batch) {
        return text(error_response(
            nullptr, {kInvalidRequest,
                      "batch of " + std::to_string(json.size()) + " requests exceeds the limit of " +
                          std::to_string(limits_.max_batch),
                      {}}));
    }
    Json responses = Json::array();
    for (const Json& request_json : json) {
        if (auto one = answer_one(ctx, request_json)) responses.push_back(std::move(*one));
    }
    return responses.empty() ? std::string() : text(responses);
}

}  // namespace sluice::l1
