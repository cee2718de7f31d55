// One keep-alive HTTP/1.1 connection that posts JSON-RPC bodies and returns the reply bodies, for the L1 load
// program (devchain_bench). One request is in flight per connection at a time; concurrency comes from running
// many connections on one io_context.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <string>
#include <utility>

namespace sluice::bench {

class RpcConnection {
  public:
    using tcp = boost::asio::ip::tcp;

    explicit RpcConnection(boost::asio::any_io_executor executor) : stream_(std::move(executor)) {}

    boost::asio::awaitable<void> connect(const tcp::endpoint& endpoint) {
        co_await stream_.async_connect(endpoint, boost::asio::use_awaitable);
        // Without it the request body waits for the delayed ACK of its header (see http_server.cpp).
        stream_.socket().set_option(tcp::no_delay(true));
        host_ = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
    }

    // Throws boost::system::system_error on a transport error: the load program stops at the first one.
    boost::asio::awaitable<std::string> post(std::string body) {
        namespace http = boost::beast::http;
        http::request<http::string_body> req{http::verb::post, "/", 11};
        req.set(http::field::host, host_);
        req.set(http::field::content_type, "application/json");
        req.keep_alive(true);
        req.body() = std::move(body);
        req.prepare_payload();
        co_await http::async_write(stream_, req, boost::asio::use_awaitable);
        http::response<http::string_body> res;
        co_await http::async_read(stream_, buffer_, res, boost::asio::use_awaitable);
        co_return std::move(res.body());
    }

  private:
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::string host_;
};

}  // namespace sluice::bench
