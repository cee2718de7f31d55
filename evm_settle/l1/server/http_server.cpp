#include "http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace sluice::l1 {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

http::response<http::string_body> reply(const http::request<http::string_body>& req, http::status status,
                                        std::string body, const char* content_type = "application/json") {
    http::response<http::string_body> res{status, req.version()};
    res.set(http::field::server, "sluice-devchain");
    res.set(http::field::content_type, content_type);
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

http::response<http::string_body> handle(RpcDispatcher& dispatcher,
                                         const http::request<http::string_body>& req) {
    if (req.method() != http::verb::post) {
        return reply(req, http::status::method_not_allowed, "JSON-RPC over HTTP takes POST\n", "text/plain");
    }
    if (req.target() != "/") return reply(req, http::status::not_found, "POST to /\n", "text/plain");
    const auto type = req[http::field::content_type];
    if (type.substr(0, 16) != "application/json") {
        return reply(req, http::status::unsupported_media_type, "Content-Type must be application/json\n",
                     "text/plain");
    }
    std::string body = dispatcher.handle(req.body());
    if (body.empty()) return reply(req, http::status::no_content, {});
    return reply(req, http::status::ok, std::move(body));
}

// After refusing an oversize body: closing at once would reset the connection while the client is still
// sending, and it would never read the 413. So stop sending, then read and drop what the client still sends,
// up to a few body limits or a few seconds, before closing.
asio::awaitable<void> drain(beast::tcp_stream& stream, const HttpServerOptions& options) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(std::chrono::seconds(5));
    std::vector<char> scratch(64 * 1024);
    std::size_t dropped = 0;
    while (dropped < 4 * options.max_body_bytes) {
        auto [error, n] =
            co_await stream.async_read_some(asio::buffer(scratch), asio::as_tuple(asio::use_awaitable));
        if (error) break;
        dropped += n;
    }
}

asio::awaitable<void> session(tcp::socket socket, RpcDispatcher& dispatcher, HttpServerOptions options) {
    // Beast writes a response's header and body as separate segments; with Nagle's algorithm the body waits
    // for the client's delayed ACK, about 40 ms a request on loopback.
    beast::error_code no_delay_error;
    socket.set_option(tcp::no_delay(true), no_delay_error);
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(options.max_body_bytes);
        parser.header_limit(16 * 1024);
        stream.expires_after(std::chrono::seconds(options.idle_timeout_seconds));
        auto [read_error, read_bytes] =
            co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        (void)read_bytes;
        if (read_error == http::error::body_limit) {
            http::request<http::string_body> req = parser.release();
            req.keep_alive(false);
            auto res = reply(req, http::status::payload_too_large, "request body too large\n", "text/plain");
            co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
            co_await drain(stream, options);
            co_return;
        }
        if (read_error) break;  // closed, timed out or not HTTP: nothing to answer
        const http::request<http::string_body> req = parser.release();
        auto res = handle(dispatcher, req);
        const bool keep_alive = res.keep_alive();
        auto [write_error, written] =
            co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        (void)written;
        if (write_error || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, RpcDispatcher& dispatcher,
                                  HttpServerOptions options) {
    for (;;) {
        auto [error, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        if (error == asio::error::operation_aborted) co_return;
        if (error) continue;  // e.g. out of file descriptors for a moment
        asio::co_spawn(acceptor.get_executor(), session(std::move(socket), dispatcher, options),
                       asio::detached);
    }
}

// Deadlines step by the period from the first, so a slow block does not push every later one back.
asio::awaitable<void> mine_every(RpcDispatcher& dispatcher, std::chrono::seconds period) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    auto deadline = std::chrono::steady_clock::now();
    for (;;) {
        deadline += period;
        timer.expires_at(deadline);
        auto [error] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (error) co_return;
        dispatcher.chain().mine();
    }
}

}  // namespace

Status serve_http(RpcDispatcher& dispatcher, const HttpServerOptions& options,
                  const std::function<void(std::uint16_t port)>& on_listening) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(options.host, ec);
    if (ec || !address.is_loopback() || (options.host != "127.0.0.1" && options.host != "::1")) {
        return make_error(Errc::devchain_listen_failed,
                          "host " + options.host + ": the devchain listens on 127.0.0.1 or ::1 only");
    }
    asio::io_context io(1);
    tcp::acceptor acceptor(io);
    const tcp::endpoint endpoint(address, options.port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        return make_error(
            Errc::devchain_listen_failed,
            "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + ec.message());
    }
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
    asio::co_spawn(io, accept_loop(acceptor, dispatcher, options), asio::detached);
    if (options.block_time_seconds > 0) {
        asio::co_spawn(io, mine_every(dispatcher, std::chrono::seconds(options.block_time_seconds)),
                       asio::detached);
    }
    on_listening(acceptor.local_endpoint().port());
    io.run();
    return {};
}

}  // namespace sluice::l1
