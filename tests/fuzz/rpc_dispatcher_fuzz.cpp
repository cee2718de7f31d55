// Fuzzes the hub's JSON-RPC dispatcher (sluice_hub_rpc) with arbitrary bodies: the first byte picks the
// caller's access, the rest is the body. Every body gets a JSON reply (or none, for notifications only) whose
// every response is well-formed JSON-RPC 2.0, never a crash or an escaping exception, and the dispatcher
// still answers a plain request afterwards. The registered methods read their params with every rpc_params
// reader.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sluice/hub/rpc_dispatcher.hpp"
#include "sluice/hub/rpc_params.hpp"

namespace {

using namespace sluice;
using namespace sluice::hub;
using nlohmann::json;
namespace asio = boost::asio;

asio::awaitable<RpcReply> echo(json params) {
    co_return params;
}

asio::awaitable<RpcReply> transfer(json params) {
    if (const Status ok = params_at_most(params, {"to", "amount", "fee", "wait", "timeout"}); !ok) {
        co_return to_rpc_error(ok.error());
    }
    auto to = param_string(params, 0, "to");
    if (!to) co_return to_rpc_error(to.error());
    auto amount = param_u256(params, 1, "amount");
    if (!amount) co_return to_rpc_error(amount.error());
    auto fee = param_optional_u256(params, 2, "fee");
    if (!fee) co_return to_rpc_error(fee.error());
    auto wait = param_optional_bool(params, 3, "wait");
    if (!wait) co_return to_rpc_error(wait.error());
    auto timeout = param_optional_u64(params, 4, "timeout");
    if (!timeout) co_return to_rpc_error(timeout.error());
    json out = {{"to", *to}, {"amount", amount->to_dec()}, {"wait", wait->value_or(false)}};
    if (*fee) out["fee"] = (*fee)->to_dec();
    if (*timeout) out["timeout"] = **timeout;
    co_return out;
}

asio::awaitable<RpcReply> flags(json params) {
    auto name = param_optional_string(params, 0, "name");
    if (!name) co_return to_rpc_error(name.error());
    auto on = param_bool(params, 1, "on");
    if (!on) co_return to_rpc_error(on.error());
    auto n = param_u64(params, 2, "n");
    if (!n) co_return to_rpc_error(n.error());
    co_return json{{"name", name->value_or("")},
                   {"on", *on},
                   {"n", *n},
                   {"raw", param_raw(params, 3, "raw").value_or(nullptr)}};
}

asio::awaitable<RpcReply> boom(json params) {
    if (params.is_array() && !params.empty()) throw std::runtime_error("boom");
    co_return to_rpc_error(make_error(Errc::hub_no_route, "no route"));
}

const RpcDispatcher& dispatcher() {
    static const RpcDispatcher d = [] {
        RpcDispatcher out;
        out.add("echo", Access::read_only, "echo", echo);
        out.add("transfer", Access::full, "transfer to amount [fee] [wait] [timeout]", transfer);
        out.add("flags", Access::read_only, "flags [name] on n [raw]", flags);
        out.add("boom", Access::full, "throws or fails", boom);
        return out;
    }();
    return d;
}

asio::awaitable<void> run(std::string_view body, Access access, std::string& out) {
    auto task = dispatcher().handle(body, access);
    out = co_await std::move(task);
}

std::string handle(std::string_view body, Access access) {
    asio::io_context io;
    std::string out;
    auto work = run(body, access, out);
    asio::co_spawn(io, std::move(work), asio::detached);
    io.run();
    return out;
}

void check_response(const json& r) {
    if (!r.is_object() || r.value("jsonrpc", "") != "2.0" || !r.contains("id")) std::abort();
    if (r.contains("result") == r.contains("error")) std::abort();
    if (r.contains("error") && (!r["error"].is_object() || !r["error"]["code"].is_number_integer() ||
                                !r["error"]["message"].is_string())) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const Access access = data[0] % 2 == 0 ? Access::full : Access::read_only;
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::string reply = handle(body, access);
    if (!reply.empty()) {
        const json parsed = json::parse(reply, nullptr, false);
        if (parsed.is_discarded()) std::abort();
        if (parsed.is_array()) {
            if (parsed.empty() || parsed.size() > RpcDispatcher::kMaxBatch) std::abort();
            for (const json& r : parsed)
                check_response(r);
        } else {
            check_response(parsed);
        }
    }
    const std::string probe = handle(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":[1]})", access);
    if (probe != R"({"id":1,"jsonrpc":"2.0","result":[1]})") std::abort();
    return 0;
}
