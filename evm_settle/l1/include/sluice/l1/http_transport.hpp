// HttpTransport: JSON-RPC over HTTP/1.1 (Boost.Beast), as every Ethereum node serves it.
//
// Connections are kept alive and reused: a call takes an idle connection or opens one, and puts it back
// when the reply allowed keep-alive. Concurrent calls from many coroutines each get their own connection
// (at most max_idle_connections stay open afterwards). A transport error (refused, reset, a reused
// connection the node had closed) is retried on a fresh connection up to max_retries times with doubling
// backoff; a timeout, a size limit or any reply is never retried, since the node may have acted on it.
// Only plain http:// URLs (a node behind TLS sits behind a local proxy, as with geth's own docs).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sluice/core/result.hpp"
#include "sluice/l1/rpc_transport.hpp"

namespace sluice::l1 {

struct HttpTransportOptions {
    std::chrono::milliseconds timeout{10'000};  // per attempt: connect, write and read together
    std::size_t max_request_bytes = 8u << 20;
    std::size_t max_reply_bytes = 64u << 20;  // a full block of logs fits; a runaway reply does not
    unsigned max_retries = 3;
    std::chrono::milliseconds first_backoff{50};
    std::size_t max_idle_connections = 8;
    std::string authorization;  // when not empty, sent as the Authorization header of every request
};

struct HttpEndpoint {
    std::string host;
    std::string port;
    std::string target;  // the path, "/" when the URL has none
};
// "http://host:port/path"; host may be a name, an IPv4 address or a bracketed IPv6 one. l1_bad_url
// otherwise (another scheme, no host, a port out of range).
Result<HttpEndpoint> parse_http_url(std::string_view url);

class HttpTransport final : public RpcTransport {
  public:
    // l1_bad_url when `url` does not parse.
    static Result<std::shared_ptr<HttpTransport>> create(boost::asio::any_io_executor executor,
                                                         std::string_view url,
                                                         HttpTransportOptions options = {});
    ~HttpTransport() override;

    Async<std::string> round_trip(std::string body) override;

    // Counters for tests and metrics.
    std::uint64_t connections_opened() const noexcept;
    std::uint64_t retries() const noexcept;

    struct Impl;
    explicit HttpTransport(std::unique_ptr<Impl> impl);

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::l1
