// The HTTP/1.1 transport of sluice-devchain: POST / with a JSON-RPC body, answered by an RpcDispatcher.
// Boost.Beast and Asio stay inside http_server.cpp so nothing else compiles them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "sluice/core/result.hpp"
#include "sluice/l1/rpc_dispatcher.hpp"

namespace sluice::l1 {

struct HttpServerOptions {
    std::string host = "127.0.0.1";  // only 127.0.0.1 or ::1: the devchain holds unlocked keys
    std::uint16_t port = 0;          // 0: the system picks a free port
    std::size_t max_body_bytes = 8u << 20;
    int idle_timeout_seconds = 60;  // a keep-alive connection with no request for this long is closed
    // Interval mining: evm_mine's block every this many seconds (0: none, the chain automines). The timer
    // runs on the connections' thread, so a block is never built while a request is being answered.
    unsigned block_time_seconds = 0;
};

// Serves until SIGINT or SIGTERM. One thread runs every connection's coroutine and the block timer, so
// requests and blocks reach the dispatcher (and the Devchain behind it) one at a time: the thread is the
// strand. `on_listening` is called
// with the bound port once the socket accepts. Errors: a host other than loopback, or the bind failing.
Status serve_http(RpcDispatcher& dispatcher, const HttpServerOptions& options,
                  const std::function<void(std::uint16_t port)>& on_listening);

}  // namespace sluice::l1
