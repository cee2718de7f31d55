// RpcServer: the admin RPC over HTTP/1.1 on loopback (Boost.Beast on Asio C++20 coroutines).
//
//   POST /          Content-Type application/json, Authorization (rpc_auth.hpp) -> RpcDispatcher::handle with
//                   the caller's Access; 200 with the reply, 204 when the body held only notifications.
//   GET /metrics    Authorization (the cookie or the read-only token) -> Metrics::render(),
//                   Content-Type text/plain; version=0.0.4.
//   no or wrong credentials: 401, WWW-Authenticate: Basic realm="sluiced", a JSON-RPC error body (1204).
//   a body above max_body_bytes: 413 with a JSON-RPC error body (1206, or the 401 above without good
//   credentials), then the rest of the body is read and dropped (so the client reads the answer) and the
//   connection closes. Another path: 404; another verb: 405 (with Allow); POST / of another type: 415.
//
// Connections are kept alive (HTTP/1.1 default) and closed after idle_timeout without a request (the same
// bound holds for reading one request and for writing one reply). Above max_connections open connections, a
// new one is accepted and closed at once. Only 127.0.0.1 and ::1 are accepted as host.
//
// Counts in `metrics`: sluice_rpc_requests_total{method} (each JSON-RPC request answered or run, batches
// counted per element; "(unknown)" for a method that does not exist, "(invalid)" for a malformed request),
// sluice_rpc_errors_total{code} (each JSON-RPC error sent, including the 401's and the 413's),
// sluice_rpc_unauthorized_total (HTTP requests refused for credentials),
// sluice_rpc_connections_rejected_total (over the limit) and the gauge sluice_rpc_connections (open now).
//
// Threads: everything runs on a strand of the executor given to start(), handlers included (they are
// co_awaited inside the connection's coroutine), so handlers on a multi-threaded io_context never run at
// the same time as each other. The dispatcher, the auth and the metrics are borrowed: they must outlive
// every coroutine of the server, that is until the io_context has run out of work after stop() or has
// been destroyed.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "sluice/core/result.hpp"
#include "sluice/hub/metrics.hpp"
#include "sluice/hub/rpc_auth.hpp"
#include "sluice/hub/rpc_dispatcher.hpp"

namespace sluice::hub {

struct RpcServerOptions {
    std::string host = "127.0.0.1";  // or "::1"
    std::uint16_t port = 0;          // 0: any free port (see port())
    std::size_t max_body_bytes = 1 << 20;
    std::chrono::seconds idle_timeout{60};
    std::size_t max_connections = 64;
};

class RpcServer {
  public:
    // Listens at once (the port is taken when this returns) and serves on `executor`. Errors: hub_bad_config
    // for a host other than 127.0.0.1 or ::1, io_error when the address cannot be bound (in use).
    static Result<std::shared_ptr<RpcServer>> start(boost::asio::any_io_executor executor,
                                                    RpcServerOptions options, const RpcDispatcher& dispatcher,
                                                    const RpcAuth& auth, Metrics& metrics);
    ~RpcServer();  // stop()
    RpcServer(const RpcServer&) = delete;
    RpcServer& operator=(const RpcServer&) = delete;

    std::uint16_t port() const noexcept;

    // Stops accepting and closes the open connections: idle ones at once, one whose request is being handled
    // after its reply is written (with Connection: close), so a `stop` method still gets its answer.
    // Idempotent, callable from any thread; the closing itself runs on the server's strand.
    void stop();

    struct Impl;
    explicit RpcServer(std::shared_ptr<Impl> impl);

  private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace sluice::hub
