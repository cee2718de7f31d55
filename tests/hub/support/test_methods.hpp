// The methods both the dispatcher's and the server's tests register: echo (read-only, returns its params),
// add a b (full, two u64 params) and boom (throws inside the coroutine).
#pragma once

#include <stdexcept>

#include "sluice/hub/rpc_dispatcher.hpp"
#include "sluice/hub/rpc_params.hpp"

namespace sluice::hub::test_support {

inline void add_test_methods(RpcDispatcher& d, Access boom_access) {
    using nlohmann::json;
    d.add("echo", Access::read_only, "echo params",
          [](json params) -> boost::asio::awaitable<RpcReply> { co_return params; });
    d.add("add", Access::full, "add a b", [](json params) -> boost::asio::awaitable<RpcReply> {
        auto a = param_u64(params, 0, "a");
        if (!a) co_return to_rpc_error(a.error());
        auto b = param_u64(params, 1, "b");
        if (!b) co_return to_rpc_error(b.error());
        co_return json(*a + *b);
    });
    d.add("boom", boom_access, "throws", [](json) -> boost::asio::awaitable<RpcReply> {
        throw std::runtime_error("kaput");
        co_return json();
    });
}

}  // namespace sluice::hub::test_support
