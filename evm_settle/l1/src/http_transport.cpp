// HttpTransport over Boost.Beast: a pool of keep-alive connections, per-attempt deadlines on the stream,
// size limits on both directions, retries with backoff on transport errors only.
#include "sluice/l1/http_transport.hpp"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <charconv>
#include <mutex>
#include <utility>
#include <vector>

namespace sluice::l1 {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Error bad_url(std::string_view url, const char* why) {
    return make_error(Errc::l1_bad_url, "\"" + std::string(url) + "\": " + why);
}

// How one attempt ended: a reply, an error that a fresh connection may cure, or one it may not.
struct Attempt {
    Result<std::string> reply;
    bool retry = false;
};

}  // namespace

Result<HttpEndpoint> parse_http_url(std::string_view url) {
    constexpr std::string_view kScheme = "http://";
    if (url.substr(0, kScheme.size()) != kScheme) return bad_url(url, "only http:// URLs are supported");
    std::string_view rest = url.substr(kScheme.size());
    const std::size_t slash = rest.find('/');
    const std::string_view authority = rest.substr(0, slash);
    HttpEndpoint endpoint;
    endpoint.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    std::string_view host = authority;
    std::string_view port = "80";
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) return bad_url(url, "unterminated [IPv6] host");
        host = authority.substr(1, close - 1);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return bad_url(url, "junk after the [IPv6] host");
            port = after.substr(1);
        }
    } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (host.empty()) return bad_url(url, "no host");
    if (host.find_first_of("@ ") != std::string_view::npos)
        return bad_url(url, "user info and spaces are not supported");
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value == 0 ||
        value > 65535) {
        return bad_url(url, "the port must be 1-65535");
    }
    endpoint.host = std::string(host);
    endpoint.port = std::string(port);
    return endpoint;
}

struct HttpTransport::Impl {
    asio::any_io_executor executor;
    HttpEndpoint endpoint;
    std::string host_header;
    HttpTransportOptions options;
    std::mutex mutex;
    std::vector<std::unique_ptr<beast::tcp_stream>> idle;
    std::atomic<std::uint64_t> opened{0};
    std::atomic<std::uint64_t> retried{0};

    std::unique_ptr<beast::tcp_stream> take_idle() {
        const std::lock_guard lock(mutex);
        if (idle.empty()) return nullptr;
        auto stream = std::move(idle.back());
        idle.pop_back();
        return stream;
    }

    void give_back(std::unique_ptr<beast::tcp_stream> stream) {
        const std::lock_guard lock(mutex);
        if (idle.size() < options.max_idle_connections) idle.push_back(std::move(stream));
    }

    asio::awaitable<Result<std::unique_ptr<beast::tcp_stream>>> open() {
        tcp::resolver resolver(executor);
        auto [resolve_error, results] = co_await resolver.async_resolve(endpoint.host, endpoint.port,
                                                                        asio::as_tuple(asio::use_awaitable));
        if (resolve_error) {
            co_return make_error(Errc::l1_transport,
                                 "cannot resolve " + endpoint.host + ": " + resolve_error.message());
        }
        auto stream = std::make_unique<beast::tcp_stream>(executor);
        stream->expires_after(options.timeout);
        auto [connect_error, connected] =
            co_await stream->async_connect(results, asio::as_tuple(asio::use_awaitable));
        (void)connected;
        if (connect_error == beast::error::timeout) {
            co_return make_error(Errc::l1_timeout, "connecting to " + host_header + " timed out");
        }
        if (connect_error) {
            co_return make_error(Errc::l1_transport,
                                 "cannot connect to " + host_header + ": " + connect_error.message());
        }
        // Nagle would hold the body segment behind the header for the peer's delayed ACK (~40 ms).
        beast::error_code ignored;
        stream->socket().set_option(tcp::no_delay(true), ignored);
        opened.fetch_add(1, std::memory_order_relaxed);
        co_return stream;
    }

    asio::awaitable<Attempt> attempt(const std::string& body) {
        bool reused = true;
        auto stream = take_idle();
        if (!stream) {
            reused = false;
            auto opened_stream = co_await open();
            if (!opened_stream.ok()) {
                const bool retry = opened_stream.error().code == Errc::l1_transport;
                co_return Attempt{std::move(opened_stream).error(), retry};
            }
            stream = std::move(opened_stream).value();
        }
        http::request<http::string_body> request{http::verb::post, endpoint.target, 11};
        request.set(http::field::host, host_header);
        request.set(http::field::content_type, "application/json");
        request.set(http::field::user_agent, "sluice-l1/0.1");
        if (!options.authorization.empty()) request.set(http::field::authorization, options.authorization);
        request.keep_alive(true);
        request.body() = body;
        request.prepare_payload();
        stream->expires_after(options.timeout);
        auto [write_error, written] =
            co_await http::async_write(*stream, request, asio::as_tuple(asio::use_awaitable));
        (void)written;
        if (write_error == beast::error::timeout)
            co_return Attempt{make_error(Errc::l1_timeout, "sending the request timed out"), false};
        if (write_error) {
            // A reused connection the node closed while idle fails here: a fresh one is the cure.
            co_return Attempt{
                make_error(Errc::l1_transport, "sending to " + host_header + ": " + write_error.message()),
                true};
        }
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(options.max_reply_bytes);
        parser.header_limit(64 * 1024);
        auto [read_error, read] =
            co_await http::async_read(*stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        (void)read;
        if (read_error == http::error::body_limit) {
            co_return Attempt{
                make_error(Errc::l1_reply_too_large,
                           "the reply is larger than " + std::to_string(options.max_reply_bytes) + " bytes"),
                false};
        }
        if (read_error == beast::error::timeout) {
            co_return Attempt{
                make_error(Errc::l1_timeout, "no reply from " + host_header + " within " +
                                                 std::to_string(options.timeout.count()) + " ms"),
                false};
        }
        if (read_error) {
            // Only a reused connection closed before any byte came back is safe to retry: the node had
            // shut it before reading our request. Anything else may have been acted on.
            const bool closed_at_once =
                reused &&
                (read_error == http::error::end_of_stream || read_error == asio::error::connection_reset) &&
                !parser.got_some();
            co_return Attempt{
                make_error(Errc::l1_transport, "reading from " + host_header + ": " + read_error.message()),
                closed_at_once};
        }
        http::response<http::string_body> response = parser.release();
        const bool keep = response.keep_alive();
        if (response.result() != http::status::ok) {
            co_return Attempt{
                make_error(Errc::l1_transport, "HTTP " + std::to_string(response.result_int()) + " from " +
                                                   host_header + ": " + response.body().substr(0, 200)),
                false};
        }
        if (keep) give_back(std::move(stream));
        co_return Attempt{std::move(response.body()), false};
    }
};

Result<std::shared_ptr<HttpTransport>> HttpTransport::create(asio::any_io_executor executor,
                                                             std::string_view url,
                                                             HttpTransportOptions options) {
    SLUICE_TRY(HttpEndpoint endpoint, parse_http_url(url));
    auto impl = std::make_unique<Impl>();
    impl->executor = std::move(executor);
    impl->host_header = endpoint.host.find(':') != std::string::npos
                            ? "[" + endpoint.host + "]:" + endpoint.port
                            : endpoint.host + ":" + endpoint.port;
    impl->endpoint = std::move(endpoint);
    impl->options = options;
    return std::make_shared<HttpTransport>(std::move(impl));
}

HttpTransport::HttpTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpTransport::~HttpTransport() = default;

std::uint64_t HttpTransport::connections_opened() const noexcept {
    return impl_->opened.load();
}
std::uint64_t HttpTransport::retries() const noexcept {
    return impl_->retried.load();
}

Async<std::string> HttpTransport::round_trip(std::string body) {
    if (body.size() > impl_->options.max_request_bytes) {
        co_return make_error(Errc::l1_request_too_large,
                             "the request is " + std::to_string(body.size()) + " bytes, above the limit of " +
                                 std::to_string(impl_->options.max_request_bytes));
    }
    auto backoff = impl_->options.first_backoff;
    for (unsigned attempt_no = 0;; ++attempt_no) {
        Attempt attempt = co_await impl_->attempt(body);
        if (attempt.reply.ok() || !attempt.retry || attempt_no >= impl_->options.max_retries) {
            co_return std::move(attempt.reply);
        }
        impl_->retried.fetch_add(1, std::memory_order_relaxed);
        asio::steady_timer timer(impl_->executor);
        timer.expires_after(backoff);
        co_await timer.async_wait(asio::use_awaitable);
        backoff *= 2;
    }
}

}  // namespace sluice::l1
