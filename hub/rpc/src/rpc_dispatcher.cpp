#include "sluice/hub/rpc_dispatcher.hpp"

#include <exception>

#include "sluice/core/json_text.hpp"

namespace sluice::hub {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxDepth = 128;
constexpr std::size_t kMaxEchoedName = 64;

// Dumping never throws: a string that is not UTF-8 (a handler's) is sent with U+FFFD in its place.
std::string dump(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Arrays and objects nested deeper than kMaxDepth: refused before parsing, so no handler recurses into a
// value a hostile body nested a million levels deep (nlohmann's dump and comparisons recurse).
bool too_deep(std::string_view text) {
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxDepth) return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

json error_object(const RpcError& error) {
    json out = {{"code", error.code}, {"message", error.message}};
    if (!error.data.is_null()) out["data"] = error.data;
    return out;
}

json error_response(const RpcError& error, const json& id) {
    return {{"jsonrpc", "2.0"}, {"error", error_object(error)}, {"id", id}};
}

RpcError invalid_request(const std::string& why) {
    return to_rpc_error(make_error(Errc::rpc_invalid_request, why));
}

std::string clipped(std::string_view name) {
    if (name.size() <= kMaxEchoedName) return std::string(name);
    return std::string(name.substr(0, kMaxEchoedName)) + "...";
}

void notify(const RpcCallObserver& observer, std::string_view method, const RpcError* error) {
    if (observer) observer(method, error);
}

}  // namespace

RpcError to_rpc_error(const Error& e) {
    int code = static_cast<int>(e.code);
    switch (e.code) {
        case Errc::rpc_parse_error:
            code = kRpcParseError;
            break;
        case Errc::rpc_invalid_request:
            code = kRpcInvalidRequest;
            break;
        case Errc::rpc_method_not_found:
            code = kRpcMethodNotFound;
            break;
        case Errc::rpc_invalid_params:
            code = kRpcInvalidParams;
            break;
        default:
            break;
    }
    return RpcError{code, e.describe(), json{{"name", std::string(errc_name(e.code))}}};
}

std::string rpc_error_body(const RpcError& error) {
    return dump(error_response(error, nullptr));
}

void RpcDispatcher::add(std::string method, Access needed, std::string help, RpcHandler handler) {
    methods_[std::move(method)] = Method{needed, std::move(help), std::move(handler)};
}

std::vector<std::pair<std::string, std::string>> RpcDispatcher::methods() const {
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(methods_.size());
    for (const auto& [name, method] : methods_)
        out.emplace_back(name, method.help);
    return out;
}

std::optional<Access> RpcDispatcher::access_of(std::string_view method) const {
    const auto it = methods_.find(method);
    if (it == methods_.end()) return std::nullopt;
    return it->second.needed;
}

boost::asio::awaitable<std::string> RpcDispatcher::handle(std::string_view body, Access caller) const {
    const RpcCallObserver none;
    auto task = handle(body, caller, none);
    co_return co_await std::move(task);
}

boost::asio::awaitable<std::string> RpcDispatcher::handle(std::string_view body, Access caller,
                                                          const RpcCallObserver& observer) const {
    std::optional<RpcError> failure;
    Result<json> parsed = too_deep(body)
                              ? Result<json>(make_error(Errc::rpc_parse_error,
                                                        "nested deeper than " + std::to_string(kMaxDepth)))
                              : parse_json_strict(body);
    if (!parsed.ok()) {
        const Error& why = parsed.error();
        failure = to_rpc_error(
            why.code == Errc::rpc_parse_error ? why : make_error(Errc::rpc_parse_error, why.message));
    } else if (parsed->is_array() && parsed->empty()) {
        failure = invalid_request("an empty batch");
    } else if (parsed->is_array() && parsed->size() > kMaxBatch) {
        failure = invalid_request("a batch of " + std::to_string(parsed->size()) +
                                  " requests, above the limit of " + std::to_string(kMaxBatch));
    }
    if (failure) {
        notify(observer, "", &*failure);
        co_return dump(error_response(*failure, nullptr));
    }
    if (!parsed->is_array()) {
        auto task = handle_one(*parsed, caller, observer);
        const std::optional<json> reply = co_await std::move(task);
        co_return reply ? dump(*reply) : std::string();
    }
    json replies = json::array();
    for (const json& request : *parsed) {
        auto task = handle_one(request, caller, observer);
        std::optional<json> reply = co_await std::move(task);
        if (reply) replies.push_back(std::move(*reply));
    }
    co_return replies.empty() ? std::string() : dump(replies);
}

boost::asio::awaitable<std::optional<json>> RpcDispatcher::handle_one(const json& request, Access caller,
                                                                      const RpcCallObserver& observer) const {
    // The shape first: until the id is known to be good, errors go back with id null.
    std::optional<RpcError> shape;
    if (!request.is_object()) {
        shape = invalid_request("a request must be an object");
    } else {
        for (const auto& item : request.items()) {
            const std::string& key = item.key();
            if (key != "jsonrpc" && key != "method" && key != "params" && key != "id") {
                shape = invalid_request("unknown member \"" + clipped(key) + "\"");
                break;
            }
        }
    }
    const bool has_id = !shape && request.contains("id");
    if (!shape && has_id) {
        const json& id = request["id"];
        if (!id.is_string() && !id.is_number() && !id.is_null())
            shape = invalid_request("id must be a string, a number or null");
    }
    const json id = !shape && has_id ? request["id"] : json();
    if (!shape) {
        const auto version = request.find("jsonrpc");
        const auto method = request.find("method");
        const auto params = request.find("params");
        if (version == request.end() || *version != "2.0") {
            shape = invalid_request("\"jsonrpc\" must be \"2.0\"");
        } else if (method == request.end() || !method->is_string()) {
            shape = invalid_request("\"method\" must be a string");
        } else if (params != request.end() && !params->is_array() && !params->is_object()) {
            shape = invalid_request("\"params\" must be an array or an object");
        }
    }
    if (shape) {
        notify(observer, "", &*shape);
        co_return error_response(*shape, id);
    }
    const std::string& name = request["method"].get_ref<const std::string&>();
    const auto found = methods_.find(name);
    RpcReply reply;
    if (found == methods_.end()) {
        reply = to_rpc_error(make_error(Errc::rpc_method_not_found, "no method \"" + clipped(name) + "\""));
    } else if (caller == Access::read_only && found->second.needed == Access::full) {
        reply = to_rpc_error(
            make_error(Errc::rpc_forbidden, name + " changes the node and needs the cookie; the "
                                                   "read-only token may call read methods only"));
    } else {
        const json params = request.contains("params") ? request["params"] : json();
        try {
            auto task = found->second.handler(params);
            reply = co_await std::move(task);
        } catch (const std::exception& e) {
            reply = RpcError{kRpcInternalError, "internal error in " + name + ": " + e.what(),
                             json{{"name", std::string(errc_name(Errc::internal))}}};
        } catch (...) {
            reply = RpcError{kRpcInternalError, "internal error in " + name,
                             json{{"name", std::string(errc_name(Errc::internal))}}};
        }
    }
    const RpcError* error = std::get_if<RpcError>(&reply);
    // An unknown name is not echoed into the observer (metrics labels): a caller could make unbounded ones.
    notify(observer, found == methods_.end() ? std::string_view() : std::string_view(name), error);
    if (!has_id) co_return std::nullopt;
    if (error) co_return error_response(*error, id);
    co_return json{{"jsonrpc", "2.0"}, {"result", std::move(std::get<json>(reply))}, {"id", id}};
}

}  // namespace sluice::hub
