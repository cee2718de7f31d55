#include "sluice/hub/rpc_server.hpp"

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <charconv>
#include <exception>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace sluice::hub {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr const char* kServerName = "sluiced";

Response reply(unsigned version, bool keep_alive, http::status status, std::string body,
               const char* content_type) {
    Response res{status, version};
    res.set(http::field::server, kServerName);
    res.set(http::field::content_type, content_type);
    res.keep_alive(keep_alive);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

Response text(const Request& req, http::status status, std::string body) {
    return reply(req.version(), req.keep_alive(), status, std::move(body), "text/plain; charset=utf-8");
}

}  // namespace

struct Connection {
    explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
    beast::tcp_stream stream;
    bool busy = false;     // a request is being read past its header, handled or answered
    bool closing = false;  // stop() came while busy: close after this reply
};

struct RpcServer::Impl : std::enable_shared_from_this<RpcServer::Impl> {
    Impl(asio::any_io_executor executor, RpcServerOptions opts, const RpcDispatcher& d, const RpcAuth& a,
         Metrics& m)
        : strand(asio::make_strand(std::move(executor))),
          acceptor(strand),
          options(std::move(opts)),
          dispatcher(d),
          auth(a),
          metrics(m),
          unauthorized(m.counter("sluice_rpc_unauthorized_total",
                                 "HTTP requests refused for missing or wrong credentials")),
          rejected(m.counter("sluice_rpc_connections_rejected_total",
                             "Connections closed at once because the server held its limit of connections")),
          open(m.gauge("sluice_rpc_connections", "Open connections to the admin RPC")) {}

    asio::strand<asio::any_io_executor> strand;
    tcp::acceptor acceptor;
    RpcServerOptions options;
    const RpcDispatcher& dispatcher;
    const RpcAuth& auth;
    Metrics& metrics;
    Counter& unauthorized;
    Counter& rejected;
    Gauge& open;
    std::uint16_t port = 0;
    // On the strand only:
    bool stopped = false;
    std::uint64_t next_id = 0;
    std::map<std::uint64_t, std::shared_ptr<Connection>> connections;

    void count_request(std::string_view method, const RpcError* error) {
        std::string label(method);
        if (label.empty())
            label = error != nullptr && error->code == kRpcMethodNotFound ? "(unknown)" : "(invalid)";
        metrics
            .counter("sluice_rpc_requests_total", "JSON-RPC requests answered or run, by method",
                     {{"method", label}})
            .inc();
        if (error != nullptr) count_error(error->code);
    }

    void count_error(int code) {
        metrics
            .counter("sluice_rpc_errors_total", "JSON-RPC errors sent, by code",
                     {{"code", std::to_string(code)}})
            .inc();
    }

    Response refuse_unauthorized(unsigned version, bool keep_alive) {
        unauthorized.inc();
        count_error(static_cast<int>(Errc::rpc_unauthorized));
        const RpcError error =
            to_rpc_error(make_error(Errc::rpc_unauthorized,
                                    "send the cookie (Authorization: Basic, as bitcoin-cli) or the read-only "
                                    "token (Authorization: Bearer)"));
        Response res =
            reply(version, keep_alive, http::status::unauthorized, rpc_error_body(error), "application/json");
        res.set(http::field::www_authenticate, "Basic realm=\"sluiced\"");
        return res;
    }

    asio::awaitable<Response> respond(const Request& req) {
        const bool metrics_path = req.target() == "/metrics";
        if (!metrics_path && req.target() != "/")
            co_return text(req, http::status::not_found, "POST / or GET /metrics\n");
        const http::verb wanted = metrics_path ? http::verb::get : http::verb::post;
        if (req.method() != wanted) {
            Response res = text(req, http::status::method_not_allowed,
                                metrics_path ? "GET /metrics\n" : "JSON-RPC over HTTP takes POST\n");
            res.set(http::field::allow, metrics_path ? "GET" : "POST");
            co_return res;
        }
        const auto access = auth.check(req[http::field::authorization]);
        if (!access) co_return refuse_unauthorized(req.version(), req.keep_alive());
        if (metrics_path) {
            co_return reply(req.version(), req.keep_alive(), http::status::ok, metrics.render(),
                            "text/plain; version=0.0.4; charset=utf-8");
        }
        if (req[http::field::content_type].substr(0, 16) != "application/json") {
            co_return text(req, http::status::unsupported_media_type,
                           "Content-Type must be application/json\n");
        }
        const RpcCallObserver observer = [this](std::string_view method, const RpcError* error) {
            count_request(method, error);
        };
        auto task = dispatcher.handle(req.body(), *access, observer);
        std::string body = co_await std::move(task);
        if (body.empty())
            co_return reply(req.version(), req.keep_alive(), http::status::no_content, {},
                            "application/json");
        co_return reply(req.version(), req.keep_alive(), http::status::ok, std::move(body),
                        "application/json");
    }

    // What is left of a refused body is read and dropped before the connection closes: closing with unread
    // data would reset it, and the client, still sending, would never read the answer. The declared rest (all
    // that comes, for a chunked body) is read up to a budget of a few body limits, within a few seconds.
    asio::awaitable<void> discard_body(beast::tcp_stream& stream, std::optional<std::uint64_t> declared,
                                       std::size_t buffered) {
        const std::uint64_t budget = std::max<std::uint64_t>(4 * options.max_body_bytes, 1 << 20);
        std::uint64_t left = std::min(declared.value_or(budget), budget);
        left -= std::min<std::uint64_t>(left, buffered);
        stream.expires_after(std::chrono::seconds(5));
        std::vector<char> sink(16 * 1024);
        while (left > 0) {
            const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, sink.size()));
            auto [error, n] = co_await stream.async_read_some(asio::buffer(sink.data(), want),
                                                              asio::as_tuple(asio::use_awaitable));
            if (error) break;
            left -= n;
        }
    }

    asio::awaitable<beast::error_code> send(beast::tcp_stream& stream, Response& res) {
        stream.expires_after(options.idle_timeout);
        auto [error, written] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        (void)written;
        co_return error;
    }

    asio::awaitable<void> serve(std::shared_ptr<Connection> connection) {
        beast::tcp_stream& stream = connection->stream;
        beast::flat_buffer buffer;
        for (;;) {
            connection->busy = false;
            if (stopped || connection->closing) break;
            http::request_parser<http::string_body> parser;
            parser.body_limit(options.max_body_bytes);
            parser.header_limit(kHeaderLimit);
            stream.expires_after(options.idle_timeout);
            auto [read_error, read_bytes] =
                co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
            (void)read_bytes;
            connection->busy = true;
            if (read_error == http::error::body_limit) {
                const Request& head = parser.get();
                Response res = auth.check(head[http::field::authorization])
                                   ? Response{}
                                   : refuse_unauthorized(head.version(), false);
                if (res.result() != http::status::unauthorized) {
                    count_error(static_cast<int>(Errc::rpc_too_large));
                    const RpcError error = to_rpc_error(make_error(
                        Errc::rpc_too_large, "the request body is above the limit of " +
                                                 std::to_string(options.max_body_bytes) + " bytes"));
                    res = reply(head.version(), false, http::status::payload_too_large, rpc_error_body(error),
                                "application/json");
                }
                auto sent = send(stream, res);
                const beast::error_code write_error = co_await std::move(sent);
                if (!write_error) {
                    // From the field: the parser's content_length() is not there when the header tripped
                    // the limit.
                    const auto field = head[http::field::content_length];
                    std::optional<std::uint64_t> declared;
                    std::uint64_t length = 0;
                    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), length);
                    if (ec == std::errc{} && end == field.data() + field.size() && !field.empty())
                        declared = length;
                    auto discard = discard_body(stream, declared, buffer.size());
                    co_await std::move(discard);
                }
                break;
            }
            if (read_error) break;  // closed, timed out, stopped or not HTTP: nothing to answer
            const Request req = parser.release();
            auto task = respond(req);
            Response res = co_await std::move(task);
            if (stopped || connection->closing) res.keep_alive(false);
            const bool keep_alive = res.keep_alive();
            auto sent = send(stream, res);
            const beast::error_code write_error = co_await std::move(sent);
            if (write_error || !keep_alive) break;
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream.socket().close(ignored);
    }

    // `self` is a parameter, not taken inside: it is copied into the frame when the coroutine is made, so the
    // server outlives the coroutine even if it starts after the last other owner let go.
    static asio::awaitable<void> session(std::shared_ptr<Impl> self, std::shared_ptr<Connection> connection,
                                         std::uint64_t id) {
        try {
            auto task = self->serve(connection);
            co_await std::move(task);
        } catch (...) {
            // Nothing here throws on input (error codes throughout); an allocation failure ends this
            // connection only.
        }
        self->connections.erase(id);
        self->open.set(static_cast<double>(self->connections.size()));
    }

    static asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
        auto task = self->accept();
        co_await std::move(task);
    }

    asio::awaitable<void> accept() {
        asio::steady_timer pause(strand);
        for (;;) {
            auto [error, socket] =
                co_await acceptor.async_accept(strand, asio::as_tuple(asio::use_awaitable));
            if (stopped || error == asio::error::operation_aborted) co_return;
            if (error) {
                // Out of file descriptors for a moment, say: wait a little rather than spin.
                pause.expires_after(std::chrono::milliseconds(50));
                auto [ignored] = co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
                (void)ignored;
                continue;
            }
            if (connections.size() >= options.max_connections) {
                rejected.inc();
                beast::error_code ignored;
                socket.close(ignored);
                continue;
            }
            // Beast writes a response's header and body as separate segments; with Nagle's algorithm the body
            // waits for the client's delayed ACK, about 40 ms a request on loopback.
            beast::error_code no_delay_error;
            socket.set_option(tcp::no_delay(true), no_delay_error);
            const std::uint64_t id = next_id++;
            auto connection = std::make_shared<Connection>(std::move(socket));
            connections.emplace(id, connection);
            open.set(static_cast<double>(connections.size()));
            auto work = session(shared_from_this(), std::move(connection), id);
            const auto ignore_exception = [](const std::exception_ptr&) {};
            asio::co_spawn(strand, std::move(work), ignore_exception);
        }
    }

    void stop_on_strand() {
        if (stopped) return;
        stopped = true;
        beast::error_code ignored;
        acceptor.close(ignored);
        for (auto& [id, connection] : connections) {
            (void)id;
            if (connection->busy) {
                connection->closing = true;
            } else {
                connection->stream.socket().cancel(ignored);
                connection->stream.socket().close(ignored);
            }
        }
    }
};

Result<std::shared_ptr<RpcServer>> RpcServer::start(asio::any_io_executor executor, RpcServerOptions options,
                                                    const RpcDispatcher& dispatcher, const RpcAuth& auth,
                                                    Metrics& metrics) {
    if (options.host != "127.0.0.1" && options.host != "::1") {
        return make_error(Errc::hub_bad_config, "rpc host \"" + options.host +
                                                    "\": the admin RPC listens on 127.0.0.1 or ::1 only");
    }
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(options.host, ec);
    if (ec) return make_error(Errc::hub_bad_config, "rpc host \"" + options.host + "\": " + ec.message());
    auto impl = std::make_shared<Impl>(std::move(executor), options, dispatcher, auth, metrics);
    const tcp::endpoint endpoint(address, options.port);
    impl->acceptor.open(endpoint.protocol(), ec);
    if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) impl->acceptor.bind(endpoint, ec);
    if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) impl->port = impl->acceptor.local_endpoint(ec).port();
    if (ec) {
        return make_error(Errc::io_error, "cannot listen on " + options.host + ":" +
                                              std::to_string(options.port) + ": " + ec.message());
    }
    auto loop = Impl::accept_loop(impl);
    const auto ignore_exception = [](const std::exception_ptr&) {};
    asio::co_spawn(impl->strand, std::move(loop), ignore_exception);
    return std::make_shared<RpcServer>(std::move(impl));
}

RpcServer::RpcServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

RpcServer::~RpcServer() {
    stop();
}

std::uint16_t RpcServer::port() const noexcept {
    return impl_->port;
}

void RpcServer::stop() {
    auto impl = impl_;
    const auto work = [impl] { impl->stop_on_strand(); };
    asio::dispatch(impl->strand, work);
}

}  // namespace sluice::hub
